"""The cycle collector is paused while a commute run works, and restored after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

import ctz.checks.commute.run as run
from ctz.catalog import Catalog
from ctz.checks.commute.collector import collector_paused
from ctz.checks.commute.coverage import Measurement, measure
from ctz.checks.commute.options import CommuteOptions
from ctz.geo.embedded import EmbeddedSource


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


def collector_state() -> bool:
    return gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_paused_while_working_and_restored_after_a_return_or_an_error() -> None:
    assert collector_paused(collector_state)() is False
    assert gc.isenabled()

    def fails() -> None:
        raise ValueError("bad input")

    with pytest.raises(ValueError, match="bad input"):
        collector_paused(fails)()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_left_off_when_it_was_off() -> None:
    gc.disable()
    assert collector_paused(collector_state)() is False
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_commute_run_measures_with_the_collector_paused(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def recording(*args: object, **kwargs: object) -> Measurement:
        seen.append(gc.isenabled())
        return measure(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "measure", recording)
    result = run.run_commute(catalog, EmbeddedSource(catalog), CommuteOptions(grid_km=5.0))
    assert seen and not any(seen)
    assert gc.isenabled()
    assert len(result.grid) > 0

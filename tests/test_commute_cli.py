"""``ctz check commute`` through click: bad input is one line and exit code 2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from click.testing import CliRunner
from rasterio.transform import from_origin

from ctz import cli
from ctz.base import CtzError
from ctz.catalog.model import Catalog
from ctz.checks.commute import command
from ctz.cli import main


@pytest.fixture(autouse=True)
def small_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped catalog is being edited by others: these tests need none of it."""
    empty = Catalog(documents={}, anchors={}, items={}, goals={}, cores={})
    monkeypatch.setattr(cli, "load_catalog", lambda: empty)


def one_line_error(args: list[str]) -> str:
    result = CliRunner().invoke(main, ["check", "commute", *args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ctz: error:")
    return lines[0]


def test_missing_raster_is_one_line() -> None:
    assert "no such population raster" in one_line_error(["--population", "/nonexistent.tif"])


def test_raster_in_the_wrong_crs_is_one_line(tmp_path: Path) -> None:
    raster = tmp_path / "utm.tif"
    with rasterio.open(
        raster,
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=1,
        dtype="float32",
        crs="EPSG:32649",
        transform=from_origin(700_000, 3_110_000, 1000, 1000),
    ) as out:
        out.write(np.ones((1, 4, 4), dtype="float32"))
    assert "expected EPSG:4326" in one_line_error(["--population", str(raster)])


def test_unknown_scenario_and_empty_year_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_run(catalog: object, options: command.CommuteOptions) -> object:
        import pandas as pd

        from ctz.checks.commute.scenario import scenario_items

        items = pd.DataFrame({"item_id": ["a"], "status": ["planned"], "target_year": [2030]})
        scenario_items(items, options.scenario)
        raise CtzError("not reached")

    monkeypatch.setattr(command, "run_commute", fake_run)
    assert "unknown scenario" in one_line_error(["--scenario", "soon"])
    assert "no planned road or rail item" in one_line_error(["--scenario", "1990"])

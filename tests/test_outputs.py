"""The command line's output layer: every name it offers resolves, and the CLI starts light."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ctz import outputs


@pytest.mark.parametrize("name", outputs.__all__)
def test_every_name_of_the_layer_resolves(name: str) -> None:
    assert getattr(outputs, name) is not None


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_writer"):
        outputs.no_such_writer  # noqa: B018


def test_the_cli_starts_without_the_heavy_libraries() -> None:
    heavy = ["geopandas", "folium", "osmnx", "shapely", "ctz.geo.registry.open", "ctz.maps.make"]
    probe = f"import sys, ctz.cli; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"

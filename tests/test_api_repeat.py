"""Every public API function keeps working when called again, in any order, after every
submodule of ctz has been imported (a submodule must never shadow an API function)."""

from __future__ import annotations

import importlib
import pkgutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

import ctz

OSM_XML = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <bounds minlat="28.18" minlon="112.93" maxlat="28.22" maxlon="112.99"/>
  <node id="1" version="1" timestamp="2026-11-30T00:00:00Z" lat="28.19" lon="112.94"/>
  <node id="2" version="1" timestamp="2026-11-30T00:00:00Z" lat="28.21" lon="112.98"/>
  <way id="10" version="1" timestamp="2026-11-30T00:00:00Z">
    <nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/><tag k="name" v="测试路"/>
  </way>
</osm>
"""
"""A tiny OSM file in the middle of Changsha, enough for the functions that need OSM data."""


@cache
def tiny_extract() -> str:
    path = Path(tempfile.mkdtemp(prefix="ctz-api-")) / "tiny.osm"
    path.write_text(OSM_XML, encoding="utf-8")
    return f"pbf:{path}"


@cache
def own_cache() -> Path:
    """A cache folder of the test's own: the clearing functions never touch the user's."""
    return Path(tempfile.mkdtemp(prefix="ctz-cache-"))


@cache
def plan_text() -> Path:
    path = Path(tempfile.mkdtemp(prefix="ctz-plan-")) / "plan.txt"
    path.write_text("一、交通\n1、扩容G4京港澳高速。\n", encoding="utf-8")
    return path


def refused_download() -> ctz.SourceError:
    """``get_extract`` from a port nothing listens on: the error it must raise, every time."""
    with pytest.raises(ctz.SourceError, match=r"127\.0\.0\.1") as refused:
        ctz.get_extract("probe", url="http://127.0.0.1:9/probe.osm.pbf")
    return refused.value


CALLS: dict[str, Callable[[], Any]] = {
    "load_catalog": lambda: ctz.load_catalog(),
    "open_source": lambda: ctz.open_source("embedded"),
    "geocode": lambda: ctz.geocode(kind="expressway"),
    "theme_layers": lambda: ctz.theme_layers(themes=["rail"]),
    "check": lambda: ctz.check("corridors"),
    "commute": lambda: ctz.commute(grid_km=3.0),
    "compare": lambda: ctz.compare(["2025"], grid_km=3.0),
    "explore": lambda: ctz.explore(layers=["rail"]),
    "validate_published": lambda: ctz.validate_published(),
    "progress": lambda: ctz.progress(source=tiny_extract(), as_of="2026-12-01"),
    "get_extract": lambda: refused_download(),
    "plan_mentions": lambda: list(ctz.plan_mentions([plan_text()])),
    "list_extracts": lambda: ctz.list_extracts(own_cache()),
    "clear_extracts": lambda: ctz.clear_extracts(own_cache()),
    "cache_entries": lambda: ctz.cache_entries(own_cache()),
    "clear_cache": lambda: ctz.clear_cache(["osm-answer"], own_cache()),
}
"""One cheap call of each public function (coarse grids keep the commute runs short)."""


def import_every_submodule() -> list[str]:
    """Import every module below ``ctz`` (as a notebook that used them all would have)."""
    names = []
    for module in pkgutil.walk_packages(ctz.__path__, prefix="ctz."):
        if module.name.startswith(("ctz.tests", "ctz.benchmarks", "ctz.seeds", "ctz.docs")):
            continue
        importlib.import_module(module.name)
        names.append(module.name)
    return names


def test_the_calls_cover_the_public_functions() -> None:
    functions = {name for name in ctz.__all__ if callable(getattr(ctz, name)) and name[0].islower()}
    assert functions == set(CALLS)


def test_no_submodule_shadows_a_public_function() -> None:
    imported = import_every_submodule()
    assert "ctz.layers.themes" in imported and "ctz.checks.commute.run" in imported
    shadowed = [name for name in ctz.__all__ if not callable(getattr(ctz, name))]
    assert not shadowed, f"modules shadow the API functions {shadowed}"


@pytest.mark.slow
@pytest.mark.parametrize("order", [list(CALLS), list(reversed(CALLS))], ids=["forward", "reverse"])
def test_every_function_works_twice_in_any_order(order: list[str]) -> None:
    import_every_submodule()
    for _ in range(2):
        for name in order:
            value = CALLS[name]()
            assert value is not None, name
    themes = ctz.theme_layers(themes=["rail"])
    assert isinstance(themes["rail"], gpd.GeoDataFrame) and len(themes["rail"]) > 10

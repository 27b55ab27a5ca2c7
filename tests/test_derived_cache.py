"""Values derived once and kept in the cache folder: read back, rebuilt on change, on damage."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from geo_osm_support import czt_data, write_osm
from geopandas.testing import assert_geodataframe_equal

from ctz.base import CacheWarning, CatalogError, FeedError
from ctz.catalog import Catalog
from ctz.catalog.context import load_context
from ctz.catalog.load import default_seeds_dir, load_catalog
from ctz.checks.commute import cells as cells_module
from ctz.checks.commute import stored_feeds
from ctz.checks.commute.cells import census_cells, populated_cells
from ctz.checks.commute.gtfs import DepartureWindow, read_feed_services
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.stored_feeds import stored_feed_services
from ctz.cli import main
from ctz.geo.cache import catalogs
from ctz.geo.cache.catalogs import stored_catalog
from ctz.geo.cache.entries import cache_entries
from ctz.geo.cache.values import FOLDER, cached_value, value_path
from ctz.geo.pbf import extract_source as pbf_source
from ctz.geo.pbf.extract_source import PbfSource
from ctz.layers.boundaries import county_boundaries

GRID = CommuteParams(grid_km=4.0)
"""A coarse grid: the cells of every county, built in well under a second."""


class Counter:
    """A derive function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> Any:
        self.calls += 1
        return self.value


def refuse(*args: object, **kwargs: object) -> Any:
    raise AssertionError("derived again although the cache holds it")


def stored_files(folder: Path) -> list[Path]:
    return sorted((folder / FOLDER).glob("*.pickle"))


def damage(path: Path, how: str) -> None:
    if how == "truncated":
        path.write_bytes(path.read_bytes()[:40])
    elif how == "garbage":
        path.write_bytes(b"not a pickle at all")
    else:
        path.write_bytes(b"")


# --- the store ------------------------------------------------------------------------


def test_a_value_is_derived_once_then_read_back(tmp_path: Path) -> None:
    key = {"kind": "test", "input": "a"}
    path = value_path(tmp_path, "test", key)
    derive = Counter({"x": [1, 2, 3]})
    first = cached_value(path, key, derive, dict)
    second = cached_value(path, key, derive, dict)
    assert first == second == {"x": [1, 2, 3]}
    assert derive.calls == 1
    assert [e.kind for e in cache_entries(tmp_path)] == ["derived"]


def test_another_key_derives_again_and_keeps_both(tmp_path: Path) -> None:
    derive_a, derive_b = Counter([1]), Counter([2])
    for key, derive in [({"input": "a"}, derive_a), ({"input": "b"}, derive_b)] * 2:
        cached_value(value_path(tmp_path, "test", key), key, derive, list)
    assert (derive_a.calls, derive_b.calls) == (1, 1)
    assert len(stored_files(tmp_path)) == 2


def test_a_file_holding_another_key_is_dropped(tmp_path: Path) -> None:
    key, other = {"input": "a"}, {"input": "b"}
    path = value_path(tmp_path, "test", key)
    cached_value(value_path(tmp_path, "test", other), other, Counter([2]), list)
    value_path(tmp_path, "test", other).rename(path)
    with pytest.warns(CacheWarning, match="derived from other data"):
        assert cached_value(path, key, Counter([1]), list) == [1]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert cached_value(path, key, refuse, list) == [1]


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty"])
def test_a_damaged_file_is_dropped_with_a_warning_and_derived_again(
    tmp_path: Path, how: str
) -> None:
    key = {"input": "a"}
    path = value_path(tmp_path, "test", key)
    cached_value(path, key, Counter(list(range(1000))), list)
    damage(path, how)
    derive = Counter(list(range(1000)))
    with pytest.warns(CacheWarning, match="dropped cache file"):
        assert cached_value(path, key, derive, list) == list(range(1000))
    assert derive.calls == 1
    assert cached_value(path, key, refuse, list) == list(range(1000))


def test_a_value_of_another_type_or_failing_its_check_is_dropped(tmp_path: Path) -> None:
    key = {"input": "a"}
    path = value_path(tmp_path, "test", key)
    cached_value(path, key, Counter((1, 2)), tuple)
    with pytest.warns(CacheWarning, match="not a list"):
        assert cached_value(path, key, Counter([3]), list) == [3]

    def positive(values: list) -> None:
        if min(values) < 0:
            raise ValueError("negative")

    cached_value(value_path(tmp_path, "n", key), key, Counter([-1]), list)
    with pytest.warns(CacheWarning, match="negative"):
        assert cached_value(value_path(tmp_path, "n", key), key, Counter([4]), list, check=positive)


def test_an_error_while_deriving_stores_nothing(tmp_path: Path) -> None:
    def fail() -> list:
        raise CatalogError("broken")

    path = value_path(tmp_path, "test", {"input": "a"})
    with pytest.raises(CatalogError):
        cached_value(path, {"input": "a"}, fail, list)
    assert not path.exists()


def test_an_unwritable_cache_folder_costs_a_warning_only(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where the folder should be")
    path = value_path(tmp_path / "file", "test", {"input": "a"})
    with pytest.warns(CacheWarning, match="cannot write"):
        assert cached_value(path, {"input": "a"}, Counter([1]), list) == [1]


# --- the population cells ---------------------------------------------------------------


def test_cells_read_back_equal_the_cells_derived(tmp_path: Path) -> None:
    counties = county_boundaries()
    fresh = census_cells(counties, GRID.grid_km)
    first = populated_cells(counties, GRID, cache_dir=tmp_path)
    again = populated_cells(counties, GRID, cache_dir=tmp_path)
    columns = ["code", "city", "population", "geometry"]
    assert_geodataframe_equal(first[columns], fresh[columns], check_like=False)
    assert_geodataframe_equal(again[columns], fresh[columns], check_like=False)
    assert again["population"].sum() == fresh["population"].sum() > 10_000_000


def test_cells_come_from_the_cache_without_geonames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counties = county_boundaries()
    expected = populated_cells(counties, GRID, cache_dir=tmp_path)
    monkeypatch.setattr(cells_module, "census_cells", refuse)
    monkeypatch.setattr(cells_module, "geonames_places", refuse)
    found = populated_cells(counties, GRID, cache_dir=tmp_path)
    assert np.array_equal(found["population"], expected["population"])


def test_cells_are_derived_again_for_another_grid_counties_or_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counties = county_boundaries()
    populated_cells(counties, GRID, cache_dir=tmp_path)
    finer = populated_cells(counties, CommuteParams(grid_km=3.0), cache_dir=tmp_path)
    assert len(finer) > len(populated_cells(counties, GRID, cache_dir=tmp_path))
    calls = Counter(None)
    monkeypatch.setattr(cells_module, "census_cells", lambda *a: calls() or census_cells(*a))
    moved = counties.copy()
    moved.geometry = moved.geometry.translate(xoff=0.01)
    populated_cells(moved, GRID, cache_dir=tmp_path)
    assert calls.calls == 1
    monkeypatch.setattr(cells_module, "code_digest", lambda *roots: "other code")
    populated_cells(counties, GRID, cache_dir=tmp_path)
    assert calls.calls == 2
    assert len(stored_files(tmp_path)) == 4


def test_damaged_cells_are_dropped_and_derived_again(tmp_path: Path) -> None:
    counties = county_boundaries()
    expected = populated_cells(counties, GRID, cache_dir=tmp_path)
    [path] = stored_files(tmp_path)
    damage(path, "truncated")
    with pytest.warns(CacheWarning, match="dropped cache file"):
        found = populated_cells(counties, GRID, cache_dir=tmp_path)
    assert np.array_equal(found["population"], expected["population"])


# --- the shipped feeds ------------------------------------------------------------------


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """A copy of the timetable feed shipped with the catalog."""
    shipped = load_context(load_catalog()).feeds[0]
    return Path(shutil.copytree(shipped, tmp_path / "feed"))


def test_a_feed_is_read_once_and_read_back_equal(
    feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    fresh = read_feed_services(feed)
    first = stored_feed_services(feed, cache_dir=cache)
    monkeypatch.setattr(stored_feeds, "read_feed_services", refuse)
    again = stored_feed_services(feed, cache_dir=cache)
    for found in (first, again):
        assert (found.path, found.date, found.window) == (fresh.path, fresh.date, fresh.window)
        assert np.array_equal(found.lines.run_min, fresh.lines.run_min, equal_nan=True)
        assert np.array_equal(found.lines.xy, fresh.lines.xy)
        assert found.lines.pattern_item == fresh.lines.pattern_item
        pd.testing.assert_frame_equal(found.routes, fresh.routes)
        pd.testing.assert_frame_equal(found.stops, fresh.stops)


def test_a_changed_feed_or_window_is_read_again(feed: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = stored_feed_services(feed, cache_dir=cache)
    later = stored_feed_services(feed, DepartureWindow.parse("16:00-19:00"), cache_dir=cache)
    assert later.window != before.window
    times = feed / "stop_times.txt"
    header, *rows = times.read_text(encoding="utf-8").splitlines()
    times.write_text("\n".join([header, *rows[: len(rows) // 2]]) + "\n", encoding="utf-8")
    after = stored_feed_services(feed, cache_dir=cache)
    assert after.routes["departures"].sum() == read_feed_services(feed).routes["departures"].sum()
    assert len(stored_files(cache)) == 3


def test_a_damaged_feed_entry_is_dropped_and_the_feed_read_again(
    feed: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    expected = stored_feed_services(feed, cache_dir=cache)
    [path] = stored_files(cache)
    damage(path, "garbage")
    with pytest.warns(CacheWarning, match="dropped cache file"):
        found = stored_feed_services(feed, cache_dir=cache)
    pd.testing.assert_frame_equal(found.routes, expected.routes)


def test_a_missing_feed_is_the_readers_error(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="no such GTFS feed"):
        stored_feed_services(tmp_path / "nowhere.zip", cache_dir=tmp_path)
    assert not stored_files(tmp_path)


# --- the catalog ------------------------------------------------------------------------


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the shipped seeds folder."""
    return Path(shutil.copytree(default_seeds_dir(), tmp_path / "seeds"))


def test_the_catalog_is_validated_once_and_read_back_equal(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    fresh = load_catalog(seeds)
    assert stored_catalog(seeds, cache) == fresh
    monkeypatch.setattr(catalogs, "load_catalog", refuse)
    assert stored_catalog(seeds, cache) == fresh


def test_an_edited_catalog_is_loaded_again_and_a_broken_one_is_never_stored(
    seeds: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    before = stored_catalog(seeds, cache)
    goals = seeds / "goals.yaml"
    text = goals.read_text(encoding="utf-8")
    goal_id = next(iter(before.goals))
    goals.write_text(text.replace(f"id: {goal_id}\n", f"id: {goal_id}_renamed\n", 1), "utf-8")
    after = stored_catalog(seeds, cache)
    assert f"{goal_id}_renamed" in after.goals and goal_id not in after.goals
    goals.write_text("goals: [{id: 1}]\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogError, match=r"goals\.yaml"):
            stored_catalog(seeds, cache)
    assert len(stored_files(cache)) == 2


def test_a_damaged_catalog_entry_is_dropped_and_loaded_again(seeds: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    expected = stored_catalog(seeds, cache)
    [path] = stored_files(cache)
    damage(path, "empty")
    with pytest.warns(CacheWarning, match="dropped cache file"):
        assert stored_catalog(seeds, cache) == expected


# --- the extent of an extract without a header box ----------------------------------------


def headerless_extract(folder: Path) -> Path:
    return write_osm(folder / "czt.osm.pbf", *czt_data())


def open_extract(path: Path, cache: Path) -> PbfSource:
    return PbfSource(path, Catalog({}, {}, {}, {}, {}), progress=False, cache_dir=cache)


def test_the_extent_is_found_once_per_extract_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extract, cache = headerless_extract(tmp_path), tmp_path / "cache"
    assert open_extract(extract, cache)._extent is None  # the file has no header box
    expected = open_extract(extract, cache).extent().bounds
    lon = [n[1] for n in czt_data()[0]]
    lat = [n[2] for n in czt_data()[0]]
    assert expected == pytest.approx((min(lon), min(lat), max(lon), max(lat)), abs=1e-7)
    monkeypatch.setattr(pbf_source, "_node_bounds", refuse)
    assert open_extract(extract, cache).extent().bounds == expected
    copy = Path(shutil.copy(extract, tmp_path / "renamed.osm.pbf"))
    assert open_extract(copy, cache).extent().bounds == expected


def test_another_extract_content_finds_its_own_extent(tmp_path: Path) -> None:
    extract, cache = headerless_extract(tmp_path), tmp_path / "cache"
    first = open_extract(extract, cache).extent().bounds
    nodes, *rest = czt_data()
    moved = [(n[0], n[1] + 0.5, *n[2:]) for n in nodes]
    other = write_osm(tmp_path / "moved.osm.pbf", moved, *rest)
    second = open_extract(other, cache).extent().bounds
    assert second[0] == pytest.approx(first[0] + 0.5, abs=1e-7)
    assert len(stored_files(cache)) == 2


def test_a_damaged_extent_entry_is_dropped_and_found_again(tmp_path: Path) -> None:
    extract, cache = headerless_extract(tmp_path), tmp_path / "cache"
    expected = open_extract(extract, cache).extent().bounds
    [path] = stored_files(cache)
    damage(path, "truncated")
    with pytest.warns(CacheWarning, match="dropped cache file"):
        assert open_extract(extract, cache).extent().bounds == expected


def test_cache_clear_of_kind_derived_removes_only_derived_values(tmp_path: Path) -> None:
    key = {"input": "a"}
    cached_value(value_path(tmp_path, "test", key), key, Counter([1]), list, about="a list")
    (tmp_path / "geonames-0.0.json").write_text("{}")
    listed = CliRunner().invoke(main, ["cache", "list", "--json", "--cache-dir", str(tmp_path)])
    rows = {row["kind"]: row["about"] for row in json.loads(listed.stdout)}
    assert rows["derived"].startswith("a list, made ")
    cleared = CliRunner().invoke(
        main, ["cache", "clear", "--kind", "derived", "--cache-dir", str(tmp_path)]
    )
    assert cleared.exit_code == 0, cleared.output
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["geonames-0.0.json"]

"""Built networks and resolved catalogs are cached: reused, invalidated on change, kill-safe."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from geo_osm_support import ITEMS, catalog, czt_data, write_osm
from geopandas.testing import assert_geodataframe_equal
from network_support import grid_area, grid_data, write_grid
from shapely.geometry import box

from ctz.base import CacheWarning
from ctz.catalog.load import default_seeds_dir
from ctz.cli import main
from ctz.geo.cache.entries import cache_entries, clear_cache
from ctz.geo.cache.networks import load_network
from ctz.geo.cache.resolutions import load_resolution, resolution_path, save_resolution
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.network.model import RoadNetwork
from ctz.geo.pbf import extract_source as pbf_source
from ctz.geo.pbf.extract_source import PbfSource
from ctz.geo.source import Resolution

AREA = box(*grid_area())


def open_grid(path: Path, cache: Path, **options: object) -> PbfSource:
    return PbfSource(path, catalog(), progress=False, cache_dir=cache, **options)  # type: ignore[arg-type]


@pytest.fixture
def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count passes over the extract for the road network."""
    calls: list[Path] = []
    real = pbf_source.read_ways  # type: ignore[attr-defined]  # patched where it is used

    def counting(path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pbf_source, "read_ways", counting)
    return calls


def assert_same_network(a: RoadNetwork, b: RoadNetwork) -> None:
    assert a.arrays().keys() == b.arrays().keys()
    for name, array in a.arrays().items():
        np.testing.assert_array_equal(array, b.arrays()[name], err_msg=name)
    assert (a.classes, a.texts) == (b.classes, b.texts)


def test_network_is_built_once_and_read_back(tmp_path: Path, counted_reads: list[Path]) -> None:
    extract = write_grid(tmp_path / "grid.osm.pbf")
    first = open_grid(extract, tmp_path / "cache").road_network(AREA)
    again = open_grid(extract, tmp_path / "cache").road_network(AREA)
    assert len(counted_reads) == 1
    assert_same_network(first, again)
    open_grid(extract, tmp_path / "cache", refresh=True).road_network(AREA)
    assert len(counted_reads) == 2  # refresh builds it again
    (entry,) = cache_entries(tmp_path / "cache")
    assert entry.kind == "network" and f"pbf:{extract}" in entry.about


def test_changed_extract_or_parameters_build_again(
    tmp_path: Path, counted_reads: list[Path]
) -> None:
    extract = write_grid(tmp_path / "grid.osm.pbf")
    cache = tmp_path / "cache"
    base = open_grid(extract, cache).road_network(AREA)
    open_grid(extract, cache).road_network(box(113.0, 28.0, 113.012, 28.012))
    open_grid(extract, cache, classes=("primary", "secondary")).road_network(AREA)
    assert len(counted_reads) == 3
    nodes, ways = grid_data()
    nodes.append((10_000, 113.0, 27.99, {}))
    ways.append((10_000, [1, 10_000], {"highway": "trunk"}))  # a new road at the corner
    write_osm(extract, nodes, ways)
    changed = open_grid(extract, cache).road_network(AREA)
    assert len(counted_reads) == 4
    assert changed.n_edges == base.n_edges + 2
    assert len(cache_entries(cache)) == 4


@pytest.mark.parametrize("damage", ["truncated", "other network", "not a network"])
def test_a_damaged_cache_file_is_dropped_and_built_again(
    tmp_path: Path, counted_reads: list[Path], damage: str
) -> None:
    extract = write_grid(tmp_path / "grid.osm.pbf")
    cache = tmp_path / "cache"
    source = open_grid(extract, cache)
    good = source.road_network(AREA)
    path = source.network_file(AREA)
    if damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif damage == "other network":
        other = box(113.0, 28.0, 113.012, 28.012)
        source.road_network(other)
        source.network_file(other).replace(path)
    else:
        path.write_text("not a network")
    with pytest.warns(CacheWarning, match=f"dropped cache file {path}"):
        rebuilt = open_grid(extract, cache).road_network(AREA)
    assert_same_network(rebuilt, good)
    assert counted_reads[-1] == extract and len(counted_reads) == (
        3 if damage == "other network" else 2
    )
    key = open_grid(extract, cache)._network_key(AREA)
    assert load_network(path, key) is not None  # the rebuilt file is whole again


KILLED_WRITER = """
import os, sys, time
from pathlib import Path
import numpy as np
from shapely.geometry import box
from ctz.geo.pbf.extract_source import PbfSource
from ctz.catalog.model import Catalog

real = np.savez

def half_then_hang(stream, **arrays):
    real(stream, **arrays)
    stream.truncate(stream.tell() // 2)
    stream.flush()
    os.fsync(stream.fileno())
    Path(sys.argv[3]).touch()
    time.sleep(120)

np.savez = half_then_hang
source = PbfSource(Path(sys.argv[1]), Catalog({{}}, {{}}, {{}}, {{}}, {{}}), progress=False,
                   cache_dir=Path(sys.argv[2]))
source.road_network(box({area}))
"""


def test_a_kill_while_writing_leaves_no_cache_entry(tmp_path: Path) -> None:
    extract = write_grid(tmp_path / "grid.osm.pbf")
    cache, ready = tmp_path / "cache", tmp_path / "ready"
    script = textwrap.dedent(KILLED_WRITER).format(area=", ".join(map(str, grid_area())))
    child = subprocess.Popen([sys.executable, "-c", script, str(extract), str(cache), str(ready)])
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():
            assert child.poll() is None, "the writer ended before it was killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    (left,) = cache_entries(cache)
    assert left.kind == "unfinished" and left.size_bytes > 0
    source = open_grid(extract, cache)
    assert not source.network_file(AREA).exists()
    network = source.road_network(AREA)  # built, not read from the half file
    assert network.n_edges > 0
    assert {e.kind for e in cache_entries(cache)} == {"network", "unfinished"}
    assert [e.kind for e in clear_cache(cache, ["unfinished"])] == ["unfinished"]
    assert [e.kind for e in cache_entries(cache)] == ["network"]


@pytest.fixture
def counted_scans(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count passes over the extract for catalog items."""
    calls: list[Path] = []
    real = pbf_source.scan  # type: ignore[attr-defined]  # patched where it is used

    def counting(path: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pbf_source, "scan", counting)
    return calls


def test_resolution_is_cached_per_extract_and_items(
    tmp_path: Path, counted_scans: list[Path]
) -> None:
    extract = write_osm(tmp_path / "czt.osm.pbf", *czt_data())
    cache = tmp_path / "cache"
    first = open_grid(extract, cache).resolve(ITEMS)
    (stored,) = [e.path for e in cache_entries(cache)]
    again = open_grid(extract, cache).resolve(ITEMS)
    assert len(counted_scans) == 1
    assert_geodataframe_equal(again.layer, first.layer)
    assert (again.matched, again.fallback, again.ambiguous) == (
        first.matched,
        first.fallback,
        first.ambiguous,
    )
    open_grid(extract, cache).resolve(ITEMS[:2])  # other items: resolved anew
    assert len(counted_scans) == 2
    stored.write_bytes(stored.read_bytes()[:100])
    with pytest.warns(CacheWarning, match="dropped cache file"):
        rebuilt = open_grid(extract, cache).resolve(ITEMS)
    assert len(counted_scans) == 3
    assert_geodataframe_equal(rebuilt.layer, first.layer)


def test_a_stored_resolution_keeps_every_account_of_its_matches(tmp_path: Path) -> None:
    layer = EmbeddedSource(catalog()).resolve(ITEMS).layer
    made = Resolution(
        layer,
        matched=["g4"],
        fallback=[i.id for i in ITEMS if i.id != "g4"],
        ambiguous={"furong": ["way/9 芙蓉路 (score 0.75)"]},
        notes={"g4": "clipped to 长沙–湘潭: 30.1 of 41.2 km of OSM ways"},
    )
    key = {"kind": "resolution", "extract": "abc"}
    path = resolution_path(tmp_path, key)
    save_resolution(made, path, key, {"source": "test"})
    found = load_resolution(path, key)
    assert found is not None
    assert_geodataframe_equal(found.layer, made.layer)
    assert found.summary() == made.summary()


def test_cache_list_and_clear_every_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("CTZ_CACHE", str(cache))
    extract = write_grid(tmp_path / "grid.osm.pbf")
    built = CliRunner().invoke(main, ["network", "build", "--source", f"pbf:{extract}"])
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith("built and cached")
    again = CliRunner().invoke(main, ["network", "build", "--source", f"pbf:{extract}"])
    assert again.stdout.startswith("read from the cache")
    (cache / "osm").mkdir()
    (cache / "osm" / "0123abcd.json").write_text("[]")
    (cache / "geonames-0.0.json").write_text("{}")
    (cache / "networks" / ".ctz-0a1b2c3d4e5f.npz").write_bytes(b"half")
    (cache / "notes.txt").write_text("mine")
    listed = CliRunner().invoke(main, ["cache", "list", "--json"])
    rows = json.loads(listed.stdout)
    kinds = {row["kind"] for row in rows}
    assert kinds == {"derived", "geonames", "network", "osm-answer", "other", "unfinished"}
    derived = [row for row in rows if row["kind"] == "derived"]
    assert [row["about"].split(",")[0] for row in derived] == [
        f"plan catalog of {default_seeds_dir()}"
    ]
    cleared = CliRunner().invoke(main, ["cache", "clear", "--kind", "network"])
    assert cleared.exit_code == 0 and "removed 1 files" in cleared.stderr
    CliRunner().invoke(main, ["cache", "clear"])
    assert [p.name for p in cache.rglob("*") if p.is_file()] == ["notes.txt"]


def test_cache_commands_take_a_cache_folder(tmp_path: Path) -> None:
    cache = tmp_path / "elsewhere"
    extract = write_grid(tmp_path / "grid.osm.pbf")
    args = ["--source", f"pbf:{extract}", "--cache-dir", str(cache)]
    built = CliRunner().invoke(main, ["network", "build", *args])
    assert built.exit_code == 0, built.output
    rebuilt = CliRunner().invoke(main, ["network", "build", *args, "--refresh"])
    assert rebuilt.stdout.startswith("built and cached")
    listed = CliRunner().invoke(main, ["cache", "list", "--json", "--cache-dir", str(cache)])
    assert [row["kind"] for row in json.loads(listed.stdout)] == ["network"]
    cleared = CliRunner().invoke(main, ["cache", "clear", "--cache-dir", str(cache)])
    assert "removed 1 files" in cleared.stderr
    assert not [p for p in cache.rglob("*") if p.is_file()]


def test_code_digests_cover_every_module_the_code_imports() -> None:
    from ctz.geo.cache.keys import imported_code
    from ctz.geo.pbf.extract_source import NETWORK_CODE, RESOLUTION_CODE

    network = {path.relative_to(path.parents[1]).as_posix() for path in imported_code(NETWORK_CODE)}
    assert {"network/model.py", "network/tags.py", "network/ways.py", "pbf/roads.py"} <= network
    resolution = {p.name for p in imported_code(RESOLUTION_CODE)}
    # matching and names reach the resolution only through other modules' imports
    assert {"matching.py", "names.py", "item_tags.py", "scan.py", "base.py"} <= resolution
    assert "render.py" not in resolution and "cli.py" not in resolution

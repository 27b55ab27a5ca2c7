"""A command imports only what it uses (a cached commute run, a goal table) and no BLAS pool.

Each run is a fresh interpreter (``python -c``) that runs the command line's ``main``
and then writes the names in ``sys.modules`` to a file, so stdout stays the report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from extract_support import write_extract

NOT_IMPORTED: dict[str, str] = {
    "osmnx": "the live source's library: an extract is read with pyosmium",
    "requests": "HTTP: only downloads and the live source ask a server",
    "urllib3": "HTTP, under requests",
    "folium": "interactive maps: only --map draws one",
    "branca": "folium's templates",
    "jinja2": "folium's templates",
    "gtfs_kit": "the shipped timetable's services are read back from the cache",
    "tqdm": "progress bars of a pass over the file; the network is cached",
    "numba": "the threaded search kernel, for networks of 250,000 nodes or more",
    "rasterio": "a population raster (--population) only",
    "affine": "rasterio's pixel transforms, for a raster only",
    "pyarrow.parquet": "the cache of resolved items, which a commute run does not read",
    "zhconv": "simplifying catalog text; the validated catalog is cached",
    "pyogrio": "writing layer files (--isochrones, --grid) only",
    "matplotlib": "the briefing's charts",
    "ctz.geo.matching": "matching catalog items to OSM elements: a pass over the file",
    "ctz.geo.candidate_index": "the matcher's index, with ctz.geo.matching",
    "ctz.geo.resolve": "resolving catalog items: a pass over the file",
    "ctz.geo.cache.resolutions": "the cache of resolved items",
    "ctz.geo.network.build": "building the network: it is read back from the cache",
    "ctz.geo.extract.store": "the extracts ctz data get kept: only --source auto looks",
    "ctz.geo.osm.overpass_source": "the live source",
    "ctz.checks.commute.compare": "scenarios side by side: --compare only",
    "ctz.maps.make": "maps: --map only",
    "ctz.maps.render": "maps: --map only",
}
"""Modules a cached commute run on an extract must not import, and why it has no use for them."""

RUN_MAIN = """
import json, sys
modules_file = sys.argv.pop(1)
from ctz.cli import main
try:
    main()
finally:
    with open(modules_file, "w", encoding="utf-8") as out:
        json.dump(sorted(sys.modules), out)
"""


def commute_run(extract: Path, modules_file: Path) -> tuple[str, set[str]]:
    """Run ``ctz check commute --source pbf:EXTRACT`` in a fresh interpreter.

    Returns its report (stdout) and the modules it had imported when it ended.
    """
    return command_run(["check", "commute", "--source", f"pbf:{extract}"], modules_file)


def command_run(args: list[str], modules_file: Path) -> tuple[str, set[str]]:
    """Run ``ctz ARGS`` in a fresh interpreter: its stdout and the modules it imported."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_MAIN, str(modules_file), *args],
        capture_output=True,
        text=True,
        env=os.environ.copy(),  # the session's cache folder (CTZ_CACHE, see conftest.py)
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, set(json.loads(modules_file.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, set[str]]]:
    """The first run on a new extract (the network built) and a second, cached, run."""
    folder = tmp_path_factory.mktemp("lazy-imports")
    extract = write_extract(folder / "czt.osm.pbf")
    first = commute_run(extract, folder / "first.json")
    return {"first": first, "cached": commute_run(extract, folder / "cached.json")}


def test_cached_run_imports_none_of_the_unused_modules(
    two_runs: dict[str, tuple[str, set[str]]],
) -> None:
    _, modules = two_runs["cached"]
    assert {"numpy", "scipy.sparse.csgraph", "ctz.checks.commute.run"} <= modules
    imported = {name: why for name, why in NOT_IMPORTED.items() if name in modules}
    assert not imported, f"a cached commute run imported what it does not use: {imported}"


def test_first_run_builds_the_network_the_cached_run_reads(
    two_runs: dict[str, tuple[str, set[str]]],
) -> None:
    _, first = two_runs["first"]
    _, cached = two_runs["cached"]
    assert "ctz.geo.network.build" in first  # the check above sees a module that is used
    assert "ctz.geo.network.build" not in cached


def test_cached_run_prints_the_same_report(two_runs: dict[str, tuple[str, set[str]]]) -> None:
    first, _ = two_runs["first"]
    cached, _ = two_runs["cached"]
    assert "长沙 – 株洲" in cached
    assert cached == first


OTHER_COMMANDS: dict[str, tuple[list[str], dict[str, str]]] = {
    "goal table": (
        ["check", "corridors", "--source", "embedded"],
        {
            "ctz.checks.commute.coverage": "the commute model: the commute report only",
            "scipy.spatial": "the commute model's nearest-node trees",
        },
    ),
    "catalog listing": (
        ["seeds", "list"],
        {
            "numpy": "arrays: listing the catalog reads YAML and prints text",
            "shapely": "geometry: listing the catalog draws nothing",
            "pandas": "tables: listing the catalog prints text",
        },
    ),
}
"""Other commands, each with modules it must not import and why it has no use for them."""


@pytest.mark.parametrize("command", list(OTHER_COMMANDS))
def test_other_commands_import_none_of_the_unused_modules(command: str, tmp_path: Path) -> None:
    args, not_imported = OTHER_COMMANDS[command]
    report, modules = command_run(args, tmp_path / "modules.json")
    assert report.strip()
    assert {"click", "ctz.catalog.model"} <= modules
    imported = {name: why for name, why in not_imported.items() if name in modules}
    assert not imported, f"{command} imported what it does not use: {imported}"


COUNT_THREADS = """
import os, sys
from ctz.cli import main
try:
    main()
finally:
    print(len(os.listdir("/proc/self/task")), file=sys.stderr)
"""


def threads_after(args: list[str], blas_threads: str | None) -> int:
    """Run ``ctz ARGS`` with ``OPENBLAS_NUM_THREADS`` set (or unset): the threads it ended with."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if blas_threads is not None:
        env["OPENBLAS_NUM_THREADS"] = blas_threads
    done = subprocess.run(
        [sys.executable, "-c", COUNT_THREADS, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stderr.strip().splitlines()[-1])


@pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2,
    reason="counts a process's threads in /proc, on a machine with two cores or more",
)
def test_a_command_starts_no_blas_thread_pool_unless_the_user_asks() -> None:
    args = ["check", "corridors", "--source", "embedded"]  # imports numpy and its OpenBLAS
    unset, one, two = (threads_after(args, blas) for blas in (None, "1", "2"))
    assert unset == one
    assert two > one  # a value the user set wins, and the count sees a thread pool

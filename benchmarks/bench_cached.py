"""The cached ``ctz check commute --source pbf:`` run and the network build, against baselines.

    python benchmarks/bench_cached.py                          # 1× and 3×, this code only
    python benchmarks/bench_cached.py --baseline-code /tmp/old/ctz --repeat 5
    python benchmarks/bench_cached.py --sizes 1 --extract 1=/work/perf/x1.osm.pbf
    python benchmarks/bench_cached.py --sizes 1 --osmnx-sizes 0.2   # osmnx side by side
    python benchmarks/bench_cached.py --sizes '' --grid 360000       # a 360k-node street grid

``--baseline-code`` is a folder holding an earlier ctz (e.g. ``git archive <commit> |
tar -x -C /tmp/old/ctz``): it runs side by side with this code, on the same extracts,
with the same interpreter and libraries. Every run is a fresh process; the machine
may be shared, so each run reports its CPU time (user + system, from
``getrusage(RUSAGE_CHILDREN)``) beside its wall time, and the table gives the best
and the median of ``--repeat`` runs.

Measures, per size and per code:

- **cached run**: ``ctz check commute --source pbf:F`` with the network and every value
  derived once per installation already in the cache folder (one warm-up run first);
- **first run on a new extract**: the same with the extract's network (and extent)
  not cached yet, the per-installation values kept;
- **network build** (side by side with its floor): ``PbfSource.road_network``
  with an empty network cache in a fresh process; the floor is a fresh process's
  start-up (importing what the build imports), a pyosmium pass with node locations
  over the drivable ways that only counts their nodes, and the numpy contraction
  (``road_network_from_ways``) of the ways read;
- **osmnx** (``--osmnx-sizes``): ``graph_from_xml`` on the extract written as XML, beside
  our whole first ``check commute`` with an empty cache folder (osmnx needs about
  5 GB per 1× of extract: keep these sizes small on a shared machine);
- **a street grid** (``--grid N``): a grid of ``N`` junctions over the three cities
  (``benchmarks/grid_osm.py``, as PBF and as XML): the first run with the
  per-installation values cached, the first run with an empty cache folder, the
  cached run, the network build beside its floor, and osmnx's ``graph_from_xml``
  once on the same roads (some GB at 360,000 nodes).

Output: Markdown tables on stdout.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

COMMUTE = ["check", "commute", "--source"]

TARGETS = {1.0: 1.0, 3.0: 1.5}
"""The issue's cached-run targets (seconds) by size."""

OSMNX_TARGET = 5.0
"""The issue's target: the whole first run at least this many times faster than osmnx."""


# --- one process, timed --------------------------------------------------------------


def timed(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``command`` to completion; its wall and CPU seconds (user + system)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{command[3:]} failed: {done.stderr.strip()[-300:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "stdout": done.stdout}  # type: ignore[dict-item]


def ctz_command(code: Path, args: list[str]) -> list[str]:
    """Run the ctz command line of the package folder ``code`` (named ``ctz``)."""
    launch = (  # the console script's entry (``run`` since it ends with gc.freeze, else ``main``)
        f"import sys; sys.path.insert(0, {str(code.parent)!r}); from ctz import cli; "
        "getattr(cli, 'run', cli.main)()"
    )
    return [sys.executable, "-c", launch, *args]


def compiled(code: Path) -> Path:
    """Compile ``code``'s modules to bytecode once, as installing a package does.

    Otherwise every run under ``PYTHONDONTWRITEBYTECODE`` (or from a read-only folder)
    compiles ctz's modules from source again: about 0.1 s that no installed ctz spends.
    """
    skip = re.compile(r"[/\\](\.venv|\.git|tests|benchmarks)[/\\]")
    compileall.compile_dir(code, quiet=1, rx=skip)
    return code


def as_package(code: Path, work: Path) -> Path:
    """Return ``code`` reachable as a package named ``ctz`` (through a link in ``work``)."""
    if code.name == "ctz":
        return code
    link = work / "code" / code.name / "ctz"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(code.resolve(), target_is_directory=True)
    return link


# --- the measures ----------------------------------------------------------------------


def cached_runs(code: Path, extract: Path, cache: Path, repeat: int) -> dict[str, Any]:
    """First run on a new extract, then ``repeat`` cached runs of ``check commute``."""
    env = {**os.environ, "CTZ_CACHE": str(cache)}
    # what is kept per extract: its road network, extent and commute network
    for pattern in ("networks/*", "derived/extent-*", "derived/commute-network-*"):
        for entry in cache.glob(pattern):
            entry.unlink()
    command = ctz_command(code, [*COMMUTE, f"pbf:{extract}"])
    first = timed(command, env)
    runs = [timed(command, env) for _ in range(repeat)]
    here = str(code.resolve())  # the shipped feed's path is printed: the same for every code
    outputs = {str(run.pop("stdout")).replace(here, "<ctz>") for run in [first, *runs]}
    return {"first": first, "cached": runs, "same_output": len(outputs) == 1, "output": outputs}


def installation_cache(code: Path, extract: Path, folder: Path) -> Path:
    """A cache folder with what ``code`` keeps per installation, made by one run."""
    if not folder.is_dir():
        env = {**os.environ, "CTZ_CACHE": str(folder)}
        timed(ctz_command(code, [*COMMUTE, f"pbf:{extract}"]), env)
        shutil.rmtree(folder / "networks", ignore_errors=True)
    return folder


FLOOR_PASS = """
import json, sys, time, osmium
from ctz.geo.network.tags import DRIVE_HIGHWAYS
started = time.process_time()
processor = (
    osmium.FileProcessor(sys.argv[1], osmium.osm.NODE | osmium.osm.WAY)
    .with_locations()
    .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
    .with_filter(osmium.filter.TagFilter(*(("highway", c) for c in DRIVE_HIGHWAYS)))
)
vertices = sum(len(way.nodes) for way in processor)
print(json.dumps({"pass_cpu": time.process_time() - started, "vertices": vertices}))
"""

BUILD_PARTS = """
import json, sys, time
from pathlib import Path
from ctz.geo.network.build import road_network_from_ways
from ctz.geo.pbf.roads import read_ways
from ctz.geo.registry.open import open_source
from ctz.layers.boundaries import study_area
area = study_area()
started = time.process_time()
ways = read_ways(Path(sys.argv[1]), progress=False)
read = time.process_time()
network = road_network_from_ways(ways, area)
built = time.process_time()
print(json.dumps({"read_ways_cpu": read - started, "contraction_cpu": built - read,
                  "nodes": network.n_nodes, "edges": network.n_edges}))
"""

STARTUP = """
from ctz.geo.network.build import road_network_from_ways
from ctz.geo.pbf.roads import read_ways
from ctz.geo.registry.open import open_source
from ctz.layers.boundaries import study_area
study_area()
"""

BUILD = """
import sys
from pathlib import Path
from ctz.catalog import Catalog
from ctz.layers.boundaries import study_area
from ctz.geo.pbf.extract_source import PbfSource
source = PbfSource(Path(sys.argv[1]), Catalog({}, {}, {}, {}, {}), progress=False,
                   cache_dir=Path(sys.argv[2]))
source.road_network(study_area())
"""


def network_build(code: Path, extract: Path, work: Path, repeat: int) -> dict[str, Any]:
    """The build in a fresh process (empty cache), and the parts of its floor."""
    env = {**os.environ, "PYTHONPATH": str(code.parent)}

    def child(script: str, *args: str) -> dict[str, Any]:
        run = timed([sys.executable, "-c", script, *args], env)
        stdout = str(run.pop("stdout")).strip()
        return {**run, **(json.loads(stdout.splitlines()[-1]) if stdout else {})}

    builds = []
    for _ in range(repeat):
        cache = Path(tempfile.mkdtemp(dir=work, prefix="build-cache-"))
        builds.append(child(BUILD, str(extract), str(cache)))
        shutil.rmtree(cache)
    return {
        "build": builds,
        "startup": [child(STARTUP) for _ in range(repeat)],
        "floor_pass": [child(FLOOR_PASS, str(extract)) for _ in range(repeat)],
        "parts": [child(BUILD_PARTS, str(extract)) for _ in range(repeat)],
    }


# --- the report ----------------------------------------------------------------------


def best(runs: list[dict[str, Any]], key: str) -> float:
    return min(float(r[key]) for r in runs)


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(float(r[key]) for r in runs)


def report(results: dict[float, dict[str, Any]], load: str) -> None:
    print(f"\nload average while measuring: {load}\n")
    if not results:
        return
    print(
        "| size | code | cached run, CPU best / median (s) | wall best / median (s) "
        "| first run on a new extract, CPU / wall (s) | target | same output |"
    )
    print("|---|---|---|---|---|---|---|")
    for scale, row in results.items():
        for name, found in row["commute"].items():
            runs = found["cached"]
            print(
                f"| {scale:g}× | {name} | {best(runs, 'cpu'):.2f} / {median(runs, 'cpu'):.2f} "
                f"| {best(runs, 'wall'):.2f} / {median(runs, 'wall'):.2f} "
                f"| {found['first']['cpu']:.2f} / {found['first']['wall']:.2f} "
                f"| ≤ {TARGETS.get(scale, float('nan')):g} | {found['same_output']} |"
            )
    for scale, row in results.items():
        print(
            f"\n{scale:g}×: every code printed the same report: {row['same_output_across_codes']}"
        )
    print(
        "\n| size | network build, CPU / wall (s) | start-up CPU | floor pass CPU "
        "| read_ways CPU | contraction CPU | floor CPU | build / floor |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for scale, row in results.items():
        for name, parts in row["network"].items():
            startup = best(parts["startup"], "cpu")
            floor_pass = best(parts["floor_pass"], "pass_cpu")
            contraction = best(parts["parts"], "contraction_cpu")
            floor = startup + floor_pass + contraction
            build = best(parts["build"], "cpu")
            print(
                f"| {scale:g}× ({name}) | {build:.2f} / {best(parts['build'], 'wall'):.2f} "
                f"| {startup:.2f} | {floor_pass:.2f} "
                f"| {best(parts['parts'], 'read_ways_cpu'):.2f} | {contraction:.2f} "
                f"| {floor:.2f} | {build / floor:.2f}× |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,3", help="extract sizes (multiples of 1.5 M nodes)")
    parser.add_argument("--extract", action="append", default=[], help="SIZE=PATH to reuse")
    parser.add_argument("--work", type=Path, help="keep extracts and caches here")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure")
    parser.add_argument("--baseline-code", type=Path, help="an earlier ctz package folder")
    parser.add_argument("--no-build", action="store_true", help="skip the network build")
    parser.add_argument(
        "--osmnx-sizes", default="", help="sizes at which osmnx's graph_from_xml runs too"
    )
    parser.add_argument("--grid", type=int, default=0, help="nodes of a street grid to run on")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ctz-bench-cached-"))
    work.mkdir(parents=True, exist_ok=True)
    given = {float(s): Path(p) for s, p in (e.split("=", 1) for e in args.extract)}
    codes = {"this": compiled(as_package(HERE.parent, work))}
    if args.baseline_code:
        codes["baseline"] = compiled(as_package(args.baseline_code, work))
    results: dict[float, dict[str, Any]] = {}
    for scale in (float(s) for s in args.sizes.split(",") if s):
        extract = given.get(scale) or make_extract(work, scale)
        row: dict[str, Any] = {"commute": {}, "network": {}}
        for name, code in codes.items():
            cache = installation_cache(code, extract, work / f"cache-{name}-x{scale:g}")
            row["commute"][name] = cached_runs(code, extract, cache, args.repeat)
        if not args.no_build:
            for name, code in codes.items():
                row["network"][name] = network_build(code, extract, work, args.repeat)
        results[scale] = row
        outputs = {o for found in row["commute"].values() for o in found.pop("output")}
        row["same_output_across_codes"] = len(outputs) == 1
    osmnx = {
        scale: osmnx_side_by_side(codes["this"], make_extract(work, scale), work)
        for scale in (float(s) for s in args.osmnx_sizes.split(",") if s)
    }
    grid = grid_runs(codes, make_grid(work, args.grid), work, args) if args.grid else {}
    everything = {"sizes": results, "osmnx": osmnx, "grid": grid}
    (work / "bench_cached.json").write_text(json.dumps(everything, indent=1, default=str))
    report(results, " ".join(f"{x:.1f}" for x in os.getloadavg()))
    report_osmnx(osmnx)
    if grid:
        report_grid(args.grid, grid)


OSMNX = """
import json, sys, time
import osmnx as ox
graph = ox.graph_from_xml(sys.argv[1], simplify=True, retain_all=True)
print(json.dumps({"nodes": len(graph), "edges": graph.number_of_edges()}))
"""

TO_XML = """
import sys, osmium
writer = osmium.SimpleWriter(sys.argv[2])
for element in osmium.FileProcessor(sys.argv[1]):
    writer.add(element)
writer.close()
"""


def osmnx_side_by_side(code: Path, extract: Path, work: Path) -> dict[str, Any]:
    """osmnx's ``graph_from_xml`` on the extract as XML, and our whole first commute run."""
    xml = extract.with_suffix("").with_suffix(".osm")
    if not xml.is_file():
        subprocess.run([sys.executable, "-c", TO_XML, str(extract), str(xml)], check=True)
    theirs = timed([sys.executable, "-c", OSMNX, str(xml)], dict(os.environ))
    theirs.update(json.loads(str(theirs.pop("stdout")).strip().splitlines()[-1]))
    cache = Path(tempfile.mkdtemp(dir=work, prefix="osmnx-side-"))
    env = {**os.environ, "CTZ_CACHE": str(cache)}
    command = ctz_command(code, [*COMMUTE, f"pbf:{extract}"])
    ours = timed(command, env)  # an empty cache folder: a first run on a new machine
    shutil.rmtree(cache / "networks")
    new_extract = timed(command, env)  # what ctz keeps per installation already there
    shutil.rmtree(cache)
    for run in (ours, new_extract):
        run.pop("stdout")
    return {"osmnx": theirs, "ours_first_run": ours, "ours_new_extract": new_extract}


def report_osmnx(osmnx: dict[float, dict[str, Any]]) -> None:
    if not osmnx:
        return
    print(
        "\n| size | osmnx graph_from_xml, CPU / wall (s) | our whole first `check commute`, "
        "empty cache folder, CPU / wall (s) | speed-up | the same on a new extract "
        "(per-installation values cached), CPU / wall (s) | speed-up |"
    )
    print("|---|---|---|---|---|---|")
    for scale, found in osmnx.items():
        theirs, ours, new = found["osmnx"], found["ours_first_run"], found["ours_new_extract"]
        print(
            f"| {scale:g}× | {theirs['cpu']:.1f} / {theirs['wall']:.1f} "
            f"| {ours['cpu']:.1f} / {ours['wall']:.1f} | {theirs['cpu'] / ours['cpu']:.1f}× "
            f"| {new['cpu']:.1f} / {new['wall']:.1f} | {theirs['cpu'] / new['cpu']:.1f}× |"
        )


def grid_runs(
    codes: dict[str, Path], grid: Path, work: Path, args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Every measure on the street grid, per code: cached and first runs, the build, osmnx.

    osmnx runs once, beside this code's first runs.
    """
    measures: dict[str, dict[str, Any]] = {}
    for name, code in codes.items():
        cache = installation_cache(code, grid, work / f"cache-{name}-{grid.stem}")
        found = cached_runs(code, grid, cache, args.repeat)
        found.pop("output")
        if name == "this":
            found["osmnx"] = osmnx_side_by_side(code, grid, work)
        if not args.no_build:
            found["network"] = network_build(code, grid, work, args.repeat)
        measures[name] = found
    return measures


def report_grid(nodes: int, measures: dict[str, dict[str, Any]]) -> None:
    """The grid's measures per code, side by side with the issue's targets."""
    osmnx = measures["this"]["osmnx"]
    theirs, empty = osmnx["osmnx"], osmnx["ours_first_run"]
    print(f"\nstreet grid of {nodes:,} junctions (osmnx's graph: {theirs['nodes']:,} nodes)\n")
    print(f"| measure, CPU / wall (s) | {' | '.join(measures)} | target |")
    print(f"|---|{'---|' * len(measures)}---|")

    def row(name: str, cells: list[str], target: str = "") -> None:
        cells = [*cells, *["—"] * (len(measures) - len(cells))]  # osmnx: this code only
        print(f"| {name} | {' | '.join(cells)} | {target} |")

    def times(runs: list[dict[str, Any]], pick: Any) -> str:
        return f"{pick(runs, 'cpu'):.2f} / {pick(runs, 'wall'):.2f}"

    found = list(measures.values())
    row("cached `check commute`, best", [times(f["cached"], best) for f in found], "≤ 2.5 s")
    row("cached `check commute`, median", [times(f["cached"], median) for f in found])
    row("first run, per-installation values cached", [times([f["first"]], best) for f in found])
    row("first run, empty cache folder", [times([empty], best)])
    row("osmnx `graph_from_xml`", [times([theirs], best)])
    row(
        "osmnx / our first run (empty cache), CPU / wall",
        [f"{theirs['cpu'] / empty['cpu']:.1f}× / {theirs['wall'] / empty['wall']:.1f}×"],
        f"≥ {OSMNX_TARGET:g}×",
    )
    if all("network" in f for f in found):
        builds = [f["network"] for f in found]
        floors = [
            best(b["startup"], "cpu")
            + best(b["floor_pass"], "pass_cpu")
            + best(b["parts"], "contraction_cpu")
            for b in builds
        ]
        row("network build, empty cache", [times(b["build"], best) for b in builds])
        row("its floor: start-up + bare pass + contraction", [f"{f:.2f}" for f in floors])
        row(
            "build / floor",
            [f"{best(b['build'], 'cpu') / f:.2f}×" for b, f in zip(builds, floors, strict=True)],
            "≤ 1.5×",
        )
        row(
            "the pass (`read_ways`) / the bare pass",
            [
                f"{best(b['parts'], 'read_ways_cpu') / best(b['floor_pass'], 'pass_cpu'):.2f}×"
                for b in builds
            ],
        )


def make_grid(work: Path, nodes: int) -> Path:
    """The street grid of ``nodes`` junctions (PBF and XML), generated once into ``work``."""
    grid = work / f"grid{nodes}.osm.pbf"
    if not grid.is_file():
        script = HERE / "grid_osm.py"
        subprocess.run([sys.executable, str(script), str(nodes), str(grid)], check=True)
    return grid


def make_extract(work: Path, scale: float) -> Path:
    """The synthetic extract of a size, generated once into ``work`` (by a child process)."""
    extract = work / f"x{scale:g}.osm.pbf"
    if not extract.is_file():
        script = (
            f"import sys; sys.path.insert(0, {str(HERE)!r}); from pathlib import Path; "
            f"from synthetic_osm import generate; generate(Path({str(extract)!r}), {scale})"
        )
        subprocess.run([sys.executable, "-c", script], check=True)
    return extract


if __name__ == "__main__":
    main()

"""Time and peak memory of clipping a generated provincial extract to the study area.

Target (issue 18): the synthetic 10x extract (about 15 M nodes, 137 MB) clipped
in at most 60 s with at most 2 GB peak memory. The clip runs in a child process
(its own peak is measured); ``osmium extract`` from osmium-tool, when installed,
clips the same file to the same polygon, side by side (``smart`` strategy: ways
and multipolygons crossing the edge complete, as Geofabrik cuts its extracts).

    python benchmarks/bench_clip.py [--scale 10] [--keep FILE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from synthetic_osm import generate

TARGET = {"seconds": 60.0, "peak_gb": 2.0}


def _clip(source: str, target: str, queue: multiprocessing.Queue) -> None:
    from ctz.geo.extract.clip import clip_extract
    from ctz.layers.extract_area import extract_area

    area = extract_area()
    started = time.perf_counter()
    inside = clip_extract(Path(source), Path(target), area, None)
    seconds = time.perf_counter() - started
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    queue.put((seconds, peak_gb, inside))


def _osmium(source: Path, folder: Path) -> tuple[float, float, int] | None:
    """Clip with ``osmium extract``; None when osmium-tool is not installed."""
    if shutil.which("osmium") is None:
        return None
    from shapely.geometry import mapping

    from ctz.layers.extract_area import extract_area

    polygon = folder / "area.geojson"
    feature = {"type": "Feature", "properties": {}, "geometry": mapping(extract_area())}
    polygon.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    target = folder / "osmium.osm.pbf"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        ["osmium", "extract", "-s", "smart", "-p", str(polygon), str(source), "-o", str(target)],
        check=True,
    )
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024**2
    return seconds, peak, target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10.0, help="1 is about 1.5 M nodes.")
    parser.add_argument("--keep", type=Path, help="Read (or write) the extract at this path.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = args.keep or folder / "bench.osm.pbf"
        if not source.is_file():
            started = time.perf_counter()
            generate(source, args.scale)
            print(f"generated {source.name} in {time.perf_counter() - started:.0f} s")
        osmium = _osmium(source, folder)  # first: its peak is then its own
        target = folder / "ctz.osm.pbf"
        context = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue = context.Queue()
        child = context.Process(target=_clip, args=(str(source), str(target), queue))
        child.start()
        seconds, peak_gb, inside = queue.get()
        child.join()
        clipped = target.stat().st_size
    print(f"extract: {source.stat().st_size / 1e6:.1f} MB; {inside:,} nodes inside the area")
    print(f"{'':22}{'ctz data get':>16}{'osmium extract':>16}{'target':>10}")
    other = osmium or (float("nan"), float("nan"), 0)
    print(f"{'clip time (s)':22}{seconds:>16.1f}{other[0]:>16.1f}{TARGET['seconds']:>10.0f}")
    print(f"{'peak memory (GB)':22}{peak_gb:>16.2f}{other[1]:>16.2f}{TARGET['peak_gb']:>10.1f}")
    print(f"{'clipped file (MB)':22}{clipped / 1e6:>16.1f}{other[2] / 1e6:>16.1f}{'':>10}")
    if osmium is None:
        print("osmium-tool is not installed: no side-by-side figures")


if __name__ == "__main__":
    main()

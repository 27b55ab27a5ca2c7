"""Time and peak memory of one `pbf:PATH` geocoding pass (whole catalog) over a generated extract.

Baseline (the issue's target): the Hunan extract, ~50 MB and ~6 M nodes, read with
peak memory under 3 GB. The extract comes from :mod:`synthetic_osm` (the tag mix
of a provincial extract, the catalog's named roads, stations and ports); scale 4
is about 6 M nodes. The resolution cache is bypassed, so the pass is measured.

    python benchmarks/bench_pbf.py [--scale 4] [--keep FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

from synthetic_osm import generate

BASELINE = {"file_mb": 50.0, "nodes": 6_000_000, "peak_gb": 3.0}


def _resolve(path: str, cache: str, queue: multiprocessing.Queue) -> None:
    from ctz.catalog import load_catalog
    from ctz.geo.pbf.extract_source import PbfSource

    catalog = load_catalog()
    items = list(catalog.items.values())
    started = time.perf_counter()
    source = PbfSource(Path(path), catalog, progress=False, cache_dir=Path(cache), refresh=True)
    resolution = source.resolve(items)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, peak_kb / 1024**2, len(resolution.matched), len(items)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=4.0, help="1 is about 1.5 M nodes.")
    parser.add_argument("--keep", type=Path, help="Keep the generated extract at this path.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.osm.pbf"
        started = time.perf_counter()
        facts = generate(path, args.scale)
        print(f"generated {path.name} in {time.perf_counter() - started:.0f} s")
        context = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue = context.Queue()
        child = context.Process(target=_resolve, args=(str(path), folder, queue))
        child.start()
        seconds, peak_gb, matched, items = queue.get()
        child.join()
    print(f"{'':22}{'this run':>14}{'baseline (Hunan)':>20}")
    print(f"{'file size (MB)':22}{facts['bytes'] / 1e6:>14.1f}{BASELINE['file_mb']:>20.0f}")
    print(f"{'nodes':22}{facts['nodes']:>14,}{BASELINE['nodes']:>20,}")
    print(f"{'pass time (s)':22}{seconds:>14.1f}{'-':>20}")
    print(f"{'peak memory (GB)':22}{peak_gb:>14.2f}{'< ' + str(BASELINE['peak_gb']):>20}")
    print(f"items matched: {matched} of {items}")


if __name__ == "__main__":
    main()

"""Time and peak memory of one `pbf:PATH` geocoding pass over a generated Hunan-sized extract.

Baseline (the issue's target): the Hunan extract, ~50 MB and ~6 M nodes, read with
peak memory under 3 GB.  The generated extract has the same order of size: a grid
of roads (10-node ways, mixed highway classes and names, a tenth of them named
like catalog roads, some in traditional script), plus untagged building-like
closed ways and station nodes, spread over Hunan's box.

    python benchmarks/bench_pbf.py [--nodes 6000000] [--keep FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import osmium
import zhconv
from osmium.osm.mutable import Node, Way

from ctz.catalog.model import Anchor, Catalog, Citation, Item

HUNAN_BOX = (108.8, 24.6, 114.3, 30.1)
BASELINE = {"file_mb": 50.0, "nodes": 6_000_000, "peak_gb": 3.0}
CLASSES = ("primary", "secondary", "tertiary", "residential", "motorway", "trunk")
ROOTS = ("芙蓉", "韶山", "湘江", "人民", "五一", "岳麓", "雨花", "天心", "开福", "星沙")


def generate(path: Path, n_nodes: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    west, south, east, north = HUNAN_BOX
    lon = rng.uniform(west, east, n_nodes // 10)
    lat = rng.uniform(south, north, n_nodes // 10)
    step = rng.normal(0, 0.0008, (n_nodes // 10, 10, 2)).cumsum(axis=1)
    coords = np.stack([lon[:, None] + step[..., 0], lat[:, None] + step[..., 1]], axis=-1)
    writer = osmium.SimpleWriter(str(path))
    try:
        flat = coords.reshape(-1, 2)
        for i, (x, y) in enumerate(flat, start=1):
            writer.add_node(Node(id=i, location=(float(x), float(y))))
        for w in range(len(coords)):
            refs = list(range(w * 10 + 1, w * 10 + 11))
            tags = _tags(w, rng)
            if tags.get("building"):
                refs[-1] = refs[0]
            writer.add_way(Way(id=w + 1, nodes=refs, tags=tags))
    finally:
        writer.close()


def _tags(w: int, rng: np.random.Generator) -> dict[str, str]:
    if w % 3 == 0:
        return {"building": "yes"}
    root = ROOTS[w % len(ROOTS)]
    tags = {"highway": CLASSES[w % len(CLASSES)]}
    if w % 10 == 1:
        tags["name"] = f"{root}{'中南北'[w % 3]}路{'一二三'[w % 3]}段"
        tags["name:zh-Hant"] = zhconv.convert(tags["name"], "zh-hant")
    elif w % 10 == 2:
        tags["name"] = f"街道{int(rng.integers(0, 100_000))}"
    if tags["highway"] == "motorway":
        tags["ref"] = "G4;G0422" if w % 12 == 4 else "S21"
    return tags


def _catalog() -> Catalog:
    anchors = {
        "a": Anchor("a", "北", "n", "place", 112.9, 28.3, "bench"),
        "b": Anchor("b", "南", "s", "place", 113.1, 27.8, "bench"),
    }
    items = {
        f"r{i}": Item(
            id=f"r{i}",
            name_zh=f"{root}大道",
            name_zh_hant=f"{root}大道",
            name_en=f"road {i}",
            kind="urban_road",
            status="existing",
            plans=(Citation("001", "1"),),
            from_anchor="a",
            to_anchor="b",
        )
        for i, root in enumerate(ROOTS)
    }
    items["g4"] = Item(
        id="g4",
        name_zh="京港澳高速",
        name_zh_hant="京港澳高速",
        name_en="G4",
        kind="expressway",
        status="existing",
        plans=(Citation("001", "1"),),
        from_anchor="a",
        to_anchor="b",
        osm={"refs": ["G4"]},
    )
    return Catalog({}, anchors, items, {}, {})


def _resolve(path: str, queue: multiprocessing.Queue) -> None:
    from ctz.geo.pbf.source import PbfSource

    catalog = _catalog()
    started = time.perf_counter()
    resolution = PbfSource(Path(path), catalog, progress=False).resolve(
        list(catalog.items.values())
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put((seconds, peak_kb / 1024**2, len(resolution.matched)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=BASELINE["nodes"])
    parser.add_argument("--keep", type=Path, help="Keep the generated extract at this path.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.osm.pbf"
        started = time.perf_counter()
        generate(path, args.nodes)
        print(f"generated {path.name} in {time.perf_counter() - started:.0f} s")
        queue: multiprocessing.Queue = multiprocessing.get_context("spawn").Queue()
        child = multiprocessing.get_context("spawn").Process(
            target=_resolve, args=(str(path), queue)
        )
        child.start()
        seconds, peak_gb, matched = queue.get()
        child.join()
        size_mb = path.stat().st_size / 1e6
    print(f"{'':22}{'this run':>14}{'baseline (Hunan)':>20}")
    print(f"{'file size (MB)':22}{size_mb:>14.1f}{BASELINE['file_mb']:>20.0f}")
    print(f"{'nodes':22}{args.nodes:>14,}{BASELINE['nodes']:>20,}")
    print(f"{'pass time (s)':22}{seconds:>14.1f}{'-':>20}")
    print(f"{'peak memory (GB)':22}{peak_gb:>14.2f}{'< ' + str(BASELINE['peak_gb']):>20}")
    print(f"items matched: {matched} of 11")


if __name__ == "__main__":
    main()

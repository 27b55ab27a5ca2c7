"""A generated street grid of a given number of nodes over the three cities, as PBF and XML.

    python benchmarks/grid_osm.py 360000 /tmp/grid.osm.pbf    # also writes /tmp/grid.osm

The grid covers the area ``ctz check commute`` studies (长沙, 株洲 and 湘潭, the
outline of ``layers.boundaries.study_area``): every node is a junction
inside that outline, jittered by up to a tenth of a block, with blocks of about
the same size east–west and north–south. Each row and column of the grid is a
street, cut into ways of 2–8 blocks where it enters or leaves the outline and
along its length. The tags are those of a city's streets:

- every 12th line ``primary``, every 6th ``secondary``, every 3rd ``tertiary``,
  the rest ``residential`` (two thirds of the lines);
- one residential line in seven is one-way, along the way's nodes or
  (``oneway=-1``) against them, alternately;
- ``maxspeed`` on a minority of the ways (60 % of primary, 40 % of secondary,
  20 % of tertiary, 5 % of residential ways), in the usual spellings
  (``60``, ``40;60``, ``30 mph``);
- arterials carry a ``name`` (the same along the line) and ``lanes``.

The same ``nodes`` and ``seed`` give the same files. The PBF header carries the
grid's bounding box, as a Geofabrik extract's does; the XML is the same data for
osmnx's ``graph_from_xml``.
"""

from __future__ import annotations

import argparse
import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import osmium
import shapely
from osmium.osm.mutable import Node, Way
from shapely.geometry.base import BaseGeometry

JITTER = 0.1
"""Largest shift of a node from its grid position, in blocks."""

WAY_BLOCKS = (2, 9)
"""Blocks per way: drawn from ``range(*WAY_BLOCKS)``."""

CLASS_EVERY = (("primary", 12), ("secondary", 6), ("tertiary", 3))
"""A line's class: the first whose period divides the line's number, else residential."""

MAXSPEED_SHARE = {"primary": 0.6, "secondary": 0.4, "tertiary": 0.2, "residential": 0.05}
"""Share of each class's ways tagged with ``maxspeed``."""

MAXSPEEDS = {
    "primary": ("60", "60", "40;60"),
    "secondary": ("50", "40;60"),
    "tertiary": ("40",),
    "residential": ("30", "20 mph"),
}
"""``maxspeed`` values drawn for each class."""

LANES = {"primary": "6", "secondary": "4"}
"""``lanes`` of the arterials."""

ONEWAY_EVERY = 7
"""One residential line in this many is one-way."""


@dataclass(frozen=True)
class Grid:
    """The nodes (inside the area) and the ways of a street grid."""

    lon: np.ndarray
    lat: np.ndarray
    ways: list[tuple[np.ndarray, dict[str, str]]]

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.lon)


def street_grid(area: BaseGeometry, nodes: int, seed: int = 7) -> Grid:
    """A jittered grid of about ``nodes`` junctions inside ``area``, its lines cut into ways.

    Parameters
    ----------
    area
        Polygon in degrees (EPSG:4326).
    nodes
        Junctions wanted (the grid has this many within about 1 %).
    seed
        Seed of the jitter, the cuts and the tags.
    """
    rng = np.random.default_rng(seed)
    west, south, east, north = area.bounds
    squash = math.sqrt(math.cos(math.radians((south + north) / 2)))
    spacing = math.sqrt(area.area / nodes)
    for _ in range(4):  # the outline's edge makes the count differ from area / spacing²
        dx, dy = spacing / squash, spacing * squash
        columns = np.arange(west, east, dx)
        rows = np.arange(south, north, dy)
        lon = columns[None, :] + rng.uniform(-JITTER, JITTER, (len(rows), len(columns))) * dx
        lat = rows[:, None] + rng.uniform(-JITTER, JITTER, (len(rows), len(columns))) * dy
        inside = shapely.contains_xy(area, lon, lat)
        found = int(inside.sum())
        if abs(found - nodes) <= 0.01 * nodes:
            break
        spacing *= math.sqrt(found / nodes)
    number = np.full(inside.shape, -1, dtype=np.int64)
    number[inside] = np.arange(found)
    ways = [
        *(way for row, line in enumerate(number) for way in _line_ways(line, row, rng)),
        *(way for column, line in enumerate(number.T) for way in _line_ways(line, column, rng)),
    ]
    return Grid(lon[inside], lat[inside], ways)


def _line_ways(
    line: np.ndarray, k: int, rng: np.random.Generator
) -> list[tuple[np.ndarray, dict[str, str]]]:
    """Ways along one grid line (node numbers, -1 outside the area): runs cut every 2–8 blocks."""
    road_class = next((c for c, every in CLASS_EVERY if k % every == 0), "residential")
    line_tags = {"highway": road_class}
    if road_class in LANES:
        line_tags |= {"lanes": LANES[road_class], "name": f"网格{k}路"}
    if road_class == "residential" and k % ONEWAY_EVERY == 1:
        line_tags["oneway"] = "yes" if k % 2 else "-1"
    ways = []
    edges = np.flatnonzero(np.diff(np.r_[False, line >= 0, False]))
    for start, stop in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        if stop - start < 2:
            continue  # a lone node where the line crosses a corner of the area
        cuts = np.cumsum(rng.integers(*WAY_BLOCKS, size=(stop - start) // WAY_BLOCKS[0] + 1))
        bounds = [start, *(start + cuts[start + cuts < stop - 1]).tolist(), stop - 1]
        for first, last in itertools.pairwise(bounds):
            tags = dict(line_tags)
            if rng.random() < MAXSPEED_SHARE[road_class]:
                tags["maxspeed"] = str(rng.choice(MAXSPEEDS[road_class]))
            ways.append((line[first : last + 1], tags))
    return ways


def write_grid(grid: Grid, pbf: Path, xml: Path | None = None) -> None:
    """Write ``grid`` as ``pbf`` (and as OSM XML ``xml``): nodes, then ways, by id."""
    header = osmium.io.Header()
    header.add_box(
        osmium.osm.Box(
            osmium.osm.Location(float(grid.lon.min()), float(grid.lat.min())),
            osmium.osm.Location(float(grid.lon.max()), float(grid.lat.max())),
        )
    )
    writers = [osmium.SimpleWriter(str(p), header=header, overwrite=True) for p in (pbf, xml) if p]
    try:
        for k, (x, y) in enumerate(zip(grid.lon.tolist(), grid.lat.tolist(), strict=True)):
            node = Node(id=k + 1, location=(x, y))
            for writer in writers:
                writer.add_node(node)
        for way_id, (refs, tags) in enumerate(grid.ways, start=1):
            way = Way(id=way_id, nodes=(refs + 1).tolist(), tags=tags)
            for writer in writers:
                writer.add_way(way)
    finally:
        for writer in writers:
            writer.close()


def main() -> None:
    from ctz.layers.boundaries import study_area

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", type=int, help="junctions in the grid, e.g. 360000")
    parser.add_argument("pbf", type=Path, help="the .osm.pbf to write (the .osm beside it)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    grid = street_grid(study_area(), args.nodes, args.seed)
    pbf, xml = args.pbf, args.pbf.with_suffix("").with_suffix(".osm")
    partial = [p.with_name(f".{p.name}.partial{p.suffix}") for p in (pbf, xml)]
    write_grid(grid, *partial)  # then renamed: a reader never sees half a file
    for written, final in zip(partial, (pbf, xml), strict=True):
        written.rename(final)
    print(f"{grid.n_nodes} nodes, {len(grid.ways)} ways: {pbf}")


if __name__ == "__main__":
    main()

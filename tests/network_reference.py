"""The road-graph path ctz used before the array builder: osmnx-style networkx graph, old speeds.

Kept only as a reference for the tests and ``benchmarks/bench_scale.py``: it
reads the drivable ways into a networkx MultiDiGraph (one edge per way segment
and direction), simplifies it with ``osmnx.simplify_graph`` and derives edge
speeds as ``checks/commute/road_graph.py`` did from the merged edge attributes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.checks.commute.params import CommuteParams
from ctz.geo.network.tags import DRIVE_HIGHWAYS

EARTH_RADIUS_M = 6_371_009.0
ONEWAY = frozenset({"yes", "true", "1"})
WAY_TAGS = ("highway", "name", "ref", "maxspeed", "lanes")


def reference_graph(
    path: Path, polygon: BaseGeometry, edge_attrs_differ: Iterable[str] | None = None
) -> nx.MultiDiGraph:
    """The simplified drive graph of ``path`` inside ``polygon``, as ctz built it before."""
    processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
    processor = processor.with_locations().with_filter(
        osmium.filter.TagFilter(*(("highway", h) for h in DRIVE_HIGHWAYS))
    )
    refs: list[list[tuple[int, float, float]]] = []
    ways: list[tuple[dict[str, object], int]] = []
    for way in processor:
        if not isinstance(way, osmium.osm.Way):
            continue
        try:
            refs.append([(n.ref, n.lon, n.lat) for n in way.nodes])
        except osmium.InvalidLocationError:
            continue
        tags = {t: way.tags.get(t) for t in WAY_TAGS}
        oneway, junction = way.tags.get("oneway", ""), way.tags.get("junction", "")
        sense = -1 if oneway == "-1" else int(oneway in ONEWAY or junction == "roundabout")
        ways.append(({"osmid": way.id, **tags}, sense))
    graph = nx.MultiDiGraph(crs="EPSG:4326")
    if not refs:
        return graph
    counts = np.array([len(r) for r in refs])
    table = np.array([node for way in refs for node in way], dtype=float)
    ids, lon, lat = table[:, 0].astype(np.int64), table[:, 1], table[:, 2]
    way_of = np.repeat(np.arange(len(refs)), counts)
    inside = shapely.contains_xy(polygon, lon, lat)
    start = np.flatnonzero((way_of[:-1] == way_of[1:]) & inside[:-1] & inside[1:])
    u, v, w = start, start + 1, way_of[start]
    p1, p2 = np.radians(lat[u]), np.radians(lat[v])
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon[v] - lon[u]) / 2) ** 2
    )
    length = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))
    direction = np.array([d for _, d in ways])[w]
    for i in np.unique(np.r_[u, v]):
        graph.add_node(int(ids[i]), x=lon[i], y=lat[i])
    one = direction != 0
    directions = ((direction >= 0, u, v, False), (direction <= 0, v, u, True))
    for mask, tails, heads, rev in directions:
        for i, j, k, o, d in zip(
            tails[mask], heads[mask], w[mask], one[mask], length[mask], strict=True
        ):
            attributes = {**ways[k][0], "oneway": bool(o), "reversed": rev, "length": d}
            graph.add_edge(int(ids[i]), int(ids[j]), **attributes)
    return ox.simplify_graph(graph, edge_attrs_differ=edge_attrs_differ)


def reference_edges(graph: nx.MultiDiGraph, params: CommuteParams) -> pd.DataFrame:
    """Each edge's OSM end nodes, length, one-way flag and speed by the old rules.

    Speed: the lowest number of any ``maxspeed`` value, else the class speed of
    the first ``highway`` value that has one, else the default speed.
    """
    rows = []
    for u, v, data in graph.edges(data=True):
        speeds = [s for s in map(_speed, _listed(data.get("maxspeed"))) if s is not None]
        known = [h for h in _listed(data.get("highway")) if h in params.osm_highway_kmh]
        classes = [params.osm_highway_kmh[h] for h in known]
        kmh = min(speeds) if speeds else classes[0] if classes else params.osm_default_kmh
        rows.append((u, v, data["length"], data["oneway"], kmh))
    return pd.DataFrame(rows, columns=["u", "v", "length_m", "oneway", "kmh"])


def _listed(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _speed(text: str) -> float | None:
    found = [
        float(number) * (1.609344 if mph else 1.0)
        for number, mph in re.findall(r"(\d+(?:\.\d+)?)\s*(mph)?", text)
    ]
    found = [s for s in found if s > 0]
    return min(found) if found else None

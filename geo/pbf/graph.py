"""The drivable road graph of an OSM extract, built as osmnx builds its graphs."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import osmnx as ox
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import STORAGE_CRS, SourceError
from ctz.geo.pbf.scan import stream_elements

DRIVE_HIGHWAYS: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
)
"""``highway`` values a car may use (osmnx's ``drive`` network, roughly)."""

EARTH_RADIUS_M = 6_371_009.0
_ONEWAY = frozenset({"yes", "true", "1"})
_WAY_TAGS = ("highway", "name", "ref", "maxspeed", "lanes")


def read_road_graph(path: Path, polygon: BaseGeometry, *, progress: bool = True) -> nx.MultiDiGraph:
    """Read the drivable ways of ``path`` inside ``polygon`` into a simplified MultiDiGraph.

    Parameters
    ----------
    path
        The OSM extract.
    polygon
        Keep road segments with both ends inside (EPSG:4326).
    progress
        Show a tqdm counter on stderr (when it is a terminal).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``x``, ``y``; edges ``osmid``, ``highway``, ``name``, ``ref``,
        ``maxspeed``, ``lanes``, ``oneway``, ``reversed`` and ``length`` (metres);
        ``graph["crs"]`` is EPSG:4326.

    Raises
    ------
    SourceError
        When the file is missing or unreadable.
    """
    if not path.is_file():
        raise SourceError(f"no such OSM file: {path}")
    processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
    processor = processor.with_locations().with_filter(
        osmium.filter.TagFilter(*(("highway", h) for h in DRIVE_HIGHWAYS))
    )
    refs: list[list[tuple[int, float, float]]] = []
    ways: list[dict[str, object]] = []
    for way in stream_elements(path, processor, "roads in", progress):
        if not isinstance(way, osmium.osm.Way):
            continue
        try:
            refs.append([(n.ref, n.lon, n.lat) for n in way.nodes])
        except osmium.InvalidLocationError:
            continue
        ways.append({"osmid": way.id, **{t: way.tags.get(t) for t in _WAY_TAGS}})
        ways[-1]["oneway_tag"] = (way.tags.get("oneway", ""), way.tags.get("junction", ""))
    return _graph(refs, ways, polygon)


def _graph(
    refs: list[list[tuple[int, float, float]]],
    ways: list[dict[str, object]],
    polygon: BaseGeometry,
) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(crs=STORAGE_CRS)
    if not refs:
        return graph
    counts = np.array([len(r) for r in refs])
    table = np.array([node for way in refs for node in way], dtype=float)
    ids, lon, lat = table[:, 0].astype(np.int64), table[:, 1], table[:, 2]
    way_of = np.repeat(np.arange(len(refs)), counts)
    inside = shapely.contains_xy(polygon, lon, lat)
    start = np.flatnonzero((way_of[:-1] == way_of[1:]) & inside[:-1] & inside[1:])
    u, v, w = start, start + 1, way_of[start]
    length = _haversine(lon[u], lat[u], lon[v], lat[v])
    direction = np.array([_direction(*_oneway_tags(way)) for way in ways])[w]
    forward, backward = direction >= 0, direction <= 0
    graph.add_nodes_from(
        (int(n), {"x": x, "y": y})
        for n, x, y in zip(ids[np.r_[u, v]], lon[np.r_[u, v]], lat[np.r_[u, v]], strict=True)
    )
    one = direction != 0
    for mask, a, b, rev in ((forward, u, v, False), (backward, v, u, True)):
        graph.add_edges_from(
            (int(ids[i]), int(ids[j]), {**ways[k], "oneway": bool(o), "reversed": rev, "length": d})
            for i, j, k, o, d in zip(
                a[mask], b[mask], w[mask], one[mask], length[mask], strict=True
            )
        )
    return ox.simplify_graph(graph)


def _oneway_tags(way: dict[str, object]) -> tuple[str, str]:
    pair = way.pop("oneway_tag")
    assert isinstance(pair, tuple)  # set as (oneway, junction) when the way was read
    return str(pair[0]), str(pair[1])


def _direction(oneway: str, junction: str) -> int:
    if oneway == "-1":
        return -1
    return 1 if oneway in _ONEWAY or junction == "roundabout" else 0


def _haversine(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))

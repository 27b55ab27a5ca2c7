"""Turn an osmnx drive graph (the live ``osm`` source's) into a :class:`RoadNetwork`.

osmnx merges the tags of the ways it contracts into lists; each edge takes the
first listed ``highway`` value among the drivable classes (else the first
listed), the lowest ``maxspeed`` of any listed value, and the first listed way
id, name, route number and lane count. Every osmnx edge keeps its own polyline
as its piece. Node and edge tables come from ``osmnx.graph_to_gdfs``; the rest
is vectorised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from ctz.geo.network.model import RoadNetwork, in_locality_order
from ctz.geo.network.tags import DRIVE_HIGHWAYS, lane_count, maxspeed_kmh

if TYPE_CHECKING:
    import networkx as nx


def network_from_osmnx(graph: nx.MultiDiGraph) -> RoadNetwork:
    """Convert a simplified osmnx graph (EPSG:4326) into a road network.

    Parameters
    ----------
    graph
        Nodes with ``x``/``y``; edges with ``length`` (metres), ``highway``,
        ``osmid`` and optional ``maxspeed``, ``name``, ``ref``, ``lanes``,
        ``geometry`` (values may be lists, as osmnx leaves them).

    Returns
    -------
    RoadNetwork
        Empty when the graph has no edges.
    """
    import osmnx as ox

    if graph.number_of_edges() == 0:
        return RoadNetwork.empty(DRIVE_HIGHWAYS)
    nodes, edges = ox.graph_to_gdfs(graph, node_geometry=False, fill_edge_geometry=True)
    edges = edges.reset_index()
    classes, road_class = _classes(_column(edges, "highway"))
    names, refs = _first(_column(edges, "name")), _first(_column(edges, "ref"))
    texts = tuple(dict.fromkeys(v for v in (*names, *refs) if isinstance(v, str) and v))
    text_code = pd.Series(np.arange(len(texts), dtype=np.int32), index=list(texts))
    coords, part = shapely.get_coordinates(edges.geometry.to_numpy(), return_index=True)
    counts = np.bincount(part, minlength=len(edges))
    network = RoadNetwork(
        lon=nodes["x"].to_numpy(dtype=float),
        lat=nodes["y"].to_numpy(dtype=float),
        osm_node=nodes.index.to_numpy(dtype=np.int64),
        tail=nodes.index.get_indexer(edges["u"]).astype(np.int32),
        head=nodes.index.get_indexer(edges["v"]).astype(np.int32),
        length_m=edges["length"].to_numpy(dtype=float),
        road_class=road_class,
        maxspeed_kmh=maxspeed_kmh(_column(edges, "maxspeed")).to_numpy(dtype=float),
        way=_first(edges["osmid"]).to_numpy(dtype=np.int64),
        name=names.map(text_code).fillna(-1).to_numpy(dtype=np.int32),
        ref=refs.map(text_code).fillna(-1).to_numpy(dtype=np.int32),
        lanes=lane_count(_first(_column(edges, "lanes"))).to_numpy(dtype=float),
        piece=np.arange(len(edges), dtype=np.int32),
        reverse=np.zeros(len(edges), dtype=bool),
        piece_start=np.r_[0, np.cumsum(counts)].astype(np.int64),
        vertex_lon=coords[:, 0],
        vertex_lat=coords[:, 1],
        classes=classes,
        texts=texts,
    )
    return in_locality_order(network)


def _classes(highway: pd.Series) -> tuple[tuple[str, ...], np.ndarray]:
    """Return the class table and each edge's class (first listed drivable value, else first)."""
    values = highway.explode()
    drivable = values[values.isin(DRIVE_HIGHWAYS)].groupby(level=0).first()
    chosen = drivable.reindex(highway.index).fillna(_first(highway)).fillna("road").astype(str)
    classes = tuple(dict.fromkeys([*DRIVE_HIGHWAYS, *sorted(set(chosen))]))
    code = pd.Series(np.arange(len(classes), dtype=np.int8), index=list(classes))
    return classes, chosen.map(code).to_numpy(dtype=np.int8)


def _first(values: pd.Series) -> pd.Series:
    """Return the first element of list values and other values as they are."""
    return values.explode().groupby(level=0).first().reindex(values.index)


def _column(edges: pd.DataFrame, name: str) -> pd.Series:
    return edges[name] if name in edges else pd.Series(None, index=edges.index, dtype=object)

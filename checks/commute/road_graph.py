"""Road links of an osmnx drive graph: node coordinates and edge travel times, as arrays.

Speed of an edge: the lowest number in its ``maxspeed`` tag (``"60"``,
``"60;80"``, ``"30 mph"`` or a list of those; mph turned into km/h), else the
class speed of the first ``highway`` value listed in
:data:`~ctz.checks.commute.params.OSM_HIGHWAY_KMH`, else
``CommuteParams.osm_default_kmh``. Minutes = length / speed × congestion.

Nodes are renumbered so that neighbours sit close together (reverse
Cuthill–McKee): OSM ids follow editing history rather than geography, and a
Dijkstra run touches a node's neighbours next, so the renumbered graph is
searched faster (see ``benchmarks/bench_commute.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from pyproj import Transformer
from scipy.sparse.csgraph import reverse_cuthill_mckee

from ctz.base import METRIC_CRS, STORAGE_CRS, SourceError
from ctz.checks.commute.params import CommuteParams

KMH_PER_MPH = 1.609344
"""Kilometres per hour in one mile per hour."""

_SPEED = r"(?P<number>\d+(?:\.\d+)?)\s*(?P<mph>mph)?"


@dataclass
class RoadLinks:
    """Directed road links of a drive graph.

    Attributes
    ----------
    xy
        Node coordinates in the metric CRS (EPSG:32649), shape ``(n, 2)``.
    tail, head
        Node indices (rows of ``xy``) of each directed edge.
    minutes
        Travel time of each edge, congestion included.
    """

    xy: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    minutes: np.ndarray


def road_links(graph: nx.MultiDiGraph, params: CommuteParams) -> RoadLinks:
    """Turn an osmnx drive graph into road links with travel times.

    Parameters
    ----------
    graph
        Nodes with ``x``/``y`` in EPSG:4326; edges with ``length`` (metres),
        ``highway`` and optional ``maxspeed`` (strings or lists of strings).
        A one-way street is one directed edge; a two-way street one each way.
    params
        Class speeds, default speed and the congestion factor.

    Returns
    -------
    RoadLinks

    Raises
    ------
    SourceError
        When the graph has no edges.
    """
    if graph.number_of_edges() == 0:
        raise SourceError("the OSM road graph has no drivable roads inside the three cities")
    nodes = pd.DataFrame.from_dict(dict(graph.nodes(data=True)), orient="index")
    x, y = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True).transform(
        nodes["x"].to_numpy(dtype=float), nodes["y"].to_numpy(dtype=float)
    )
    edges = nx.to_pandas_edgelist(graph)
    speed = maxspeed_kmh(_column(edges, "maxspeed"))
    speed = speed.fillna(highway_kmh(_column(edges, "highway"), params.osm_highway_kmh))
    kmh = speed.fillna(params.osm_default_kmh).to_numpy(dtype=float)
    length = edges["length"].to_numpy(dtype=float)
    minutes = length / (kmh * 1000.0 / 60.0) * params.congestion
    tail = nodes.index.get_indexer(edges["source"])
    head = nodes.index.get_indexer(edges["target"])
    order = locality_order(len(nodes), tail, head)
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    return RoadLinks(
        xy=np.column_stack([x, y])[order],
        tail=position[tail],
        head=position[head],
        minutes=minutes,
    )


def locality_order(n_nodes: int, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
    """Return a node order that keeps linked nodes close together (reverse Cuthill–McKee).

    Parameters
    ----------
    n_nodes
        Number of nodes.
    tail, head
        Directed edges; their direction does not matter here.

    Returns
    -------
    numpy.ndarray
        ``order[k]`` is the old index of the node that becomes node ``k``.
    """
    pattern = sp.csr_matrix(
        (np.ones(len(tail), dtype=np.int8), (tail, head)), shape=(n_nodes, n_nodes)
    )
    return reverse_cuthill_mckee(pattern, symmetric_mode=False).astype(np.int64)


def maxspeed_kmh(maxspeed: pd.Series) -> pd.Series:
    """Lowest speed (km/h) named by each ``maxspeed`` value; NaN when it names none.

    Values are strings such as ``"60"``, ``"60;80"``, ``"30 mph"``, lists of
    them, or missing. Words without a number (``"none"``, ``"CN:urban"``) and
    zero count as missing.
    """
    values = maxspeed.explode().dropna().astype(str)
    found = values.str.extractall(_SPEED)
    speed: pd.Series = found["number"].astype(float) * np.where(
        found["mph"].notna(), KMH_PER_MPH, 1.0
    )
    speed = speed[speed > 0]
    return speed.groupby(level=0).min().reindex(maxspeed.index)


def highway_kmh(highway: pd.Series, table: dict[str, float]) -> pd.Series:
    """Class speed (km/h) of the first ``highway`` value found in ``table``; NaN when none is."""
    values = highway.explode()
    return values.map(table).groupby(level=0).first().reindex(highway.index)


def _column(edges: pd.DataFrame, name: str) -> pd.Series:
    return edges[name] if name in edges else pd.Series(np.nan, index=edges.index, dtype=object)

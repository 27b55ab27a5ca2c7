"""Commute networks on OSM roads built once: kept in the cache folder by what they are built from.

A cached commute run on an extract builds the same network every time: the OSM
road links with their minutes, the planned roads' sketches joined to them, the
services and their stations (:func:`~ctz.checks.commute.build.build_osm_network`).
It depends only on the road network, the road and rail layers, the services,
the parameters and the building code, so it is stored
(:mod:`ctz.geo.cache.values`) under a digest of those and read back while none
of them changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.checks.commute.build import build_osm_network
from ctz.checks.commute.network import Network
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.transit import ServiceLines
from ctz.files import default_cache_dir
from ctz.geo.cache.keys import code_digest
from ctz.geo.cache.values import cached_value, value_path
from ctz.geo.network.model import RoadNetwork

ROAD_FIELDS: tuple[str, ...] = (
    "lon",
    "lat",
    "tail",
    "head",
    "length_m",
    "road_class",
    "maxspeed_kmh",
    "classes",
)
"""The road network's attributes the commute network is built from
(:func:`~ctz.checks.commute.road_graph.road_links`): only these are hashed, the
rest (names, vertices, OSM ids) being large and unused. A builder that reads
another attribute must name it here (``tests/test_commute_stored_network.py``
scrambles every other attribute and expects the same network)."""


@dataclass
class RoadGraph:
    """The road network a commute network is built on, read only when the cache lacks it.

    Attributes
    ----------
    read
        Returns the road network (e.g. ``source.road_network(area)``).
    identity
        Names the road network by its content without reading it
        (:func:`~ctz.geo.source.road_network_identity`), or None: the network is
        then read and its :data:`ROAD_FIELDS` hashed.
    """

    read: Callable[[], RoadNetwork]
    identity: str | None = None

    @cached_property
    def network(self) -> RoadNetwork:
        """The road network, read once."""
        return self.read()


def stored_osm_network(
    graph: RoadNetwork | RoadGraph,
    roads: gpd.GeoDataFrame,
    rail: gpd.GeoDataFrame,
    params: CommuteParams,
    services: ServiceLines | None = None,
    cache_dir: Path | None = None,
) -> Network:
    """Return :func:`~ctz.checks.commute.build.build_osm_network` of its inputs, built once.

    Parameters
    ----------
    graph
        The OSM road network, or a :class:`RoadGraph` that reads it only when the
        commute network has to be built (when the graph names itself by its content).
    roads, rail, params, services
        As :func:`~ctz.checks.commute.build.build_osm_network` takes them.
    cache_dir
        The cache folder (:func:`ctz.files.default_cache_dir` when None).

    Returns
    -------
    Network
        From the cache when the inputs (:func:`inputs_digest`) and the building
        code are those it was stored for; its street nodes' k-d tree comes with it.

    Raises
    ------
    InputError
        When the graph has no edges or a road or rail kind has no speed (built,
        and the reason given, as without a cache).
    """
    road = graph if isinstance(graph, RoadGraph) else RoadGraph(lambda: graph)
    key = {
        "kind": "commute-network",
        "inputs": inputs_digest(road, roads, rail, params, services),
        "code": code_digest(__name__),
    }
    return cached_value(
        value_path(cache_dir or default_cache_dir(), "commute-network", key),
        key,
        lambda: _prepared(build_osm_network(road.network, roads, rail, params, services)),
        Network,
        about="commute network on OSM roads",
    )


def _prepared(network: Network) -> Network:
    """Return ``network`` with what every run derives from it first, to be stored with it.

    Every run links its cores, cells and county seats to the street nodes
    (:func:`~ctz.checks.commute.origins.attach`; on OSM roads every street node
    is open today) and builds the matrices of its edge sets from one sort of the
    edges: the street nodes' k-d tree and that sort are made once with the network
    instead of once a run.
    """
    network.node_tree(network.street)
    network.sort_edges()
    return network


def inputs_digest(
    graph: RoadGraph,
    roads: gpd.GeoDataFrame,
    rail: gpd.GeoDataFrame,
    params: CommuteParams,
    services: ServiceLines | None,
) -> str:
    """SHA-256 (hex) of everything a commute network on OSM roads is built from.

    The road network's identity when it has one, else its :data:`ROAD_FIELDS`;
    every column and geometry of the layers, every field of the parameters and
    of the services.
    """
    digest = hashlib.sha256()
    if graph.identity is not None:
        _feed(digest, ("road network identity", graph.identity))
    else:
        for name in ROAD_FIELDS:
            _feed(digest, name)
            _feed(digest, getattr(graph.network, name))
    for part in (roads, rail, params, services):
        _feed(digest, part)
    return digest.hexdigest()


def _feed(digest: hashlib._Hash, value: object) -> None:
    """Add ``value`` to ``digest``: its kind, then its content (arrays as bytes, in order)."""
    digest.update(f"\0{type(value).__name__}\0".encode())
    if isinstance(value, np.ndarray) and value.dtype != object:
        digest.update(f"{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.ndarray):
        _feed(digest, value.tolist())
    elif isinstance(value, shapely.Geometry):
        digest.update(shapely.to_wkb(value))
    elif isinstance(value, pd.DataFrame):
        for column in value.columns:
            _feed(digest, (str(column), _column_values(value[column])))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _feed(digest, (field.name, getattr(value, field.name)))
    elif isinstance(value, dict):
        for item in sorted(value.items(), key=lambda kv: repr(kv[0])):
            _feed(digest, item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _feed(digest, item)
    else:
        digest.update(repr(value).encode())


def _column_values(column: pd.Series) -> np.ndarray:
    """Return a column's values to hash: geometries as WKB, others as they are."""
    if isinstance(column, gpd.GeoSeries):
        return np.asarray(shapely.to_wkb(column.to_numpy()), dtype=object)
    return column.to_numpy()

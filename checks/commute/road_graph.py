"""Road links of an OSM road network: node coordinates and edge travel times, as arrays.

Speed of an edge: its ``maxspeed`` (the lowest number the tag names, read when
the network was built, see :func:`ctz.geo.network.tags.maxspeed_kmh`), else
the class speed of its ``highway`` value in
:data:`~ctz.checks.commute.params.OSM_HIGHWAY_KMH`, else
``CommuteParams.osm_default_kmh``. Minutes = length / speed, × congestion on
edges whose midpoint lies in ``CommuteParams.congestion_areas``.

The network's nodes are already numbered so that neighbours sit close
together (:func:`ctz.geo.network.model.locality_order`), which the Dijkstra
searches profit from; road links keep that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import Transformer

from ctz.base import METRIC_CRS, STORAGE_CRS, SourceError
from ctz.checks.commute.params import CommuteParams
from ctz.geo.network.model import RoadNetwork

METRES_PER_MINUTE_PER_KMH = 1000.0 / 60.0


@dataclass
class RoadLinks:
    """Directed road links of a drive network.

    Attributes
    ----------
    xy
        Node coordinates in the metric CRS (EPSG:32649), shape ``(n, 2)``.
    tail, head
        Node indices (rows of ``xy``) of each directed edge.
    minutes
        Travel time of each edge, congestion included.
    congested
        True where the edge lies in the congestion areas (its minutes include
        the congestion factor).
    """

    xy: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    minutes: np.ndarray
    congested: np.ndarray


def road_links(network: RoadNetwork, params: CommuteParams) -> RoadLinks:
    """Turn a road network into road links with travel times.

    Parameters
    ----------
    network
        Nodes in EPSG:4326; directed edges with length, class and speed limit.
    params
        Class speeds, default speed and the congestion factor.

    Returns
    -------
    RoadLinks

    Raises
    ------
    SourceError
        When the network has no edges.
    """
    if network.n_edges == 0:
        raise SourceError("the OSM road network has no drivable roads inside the three cities")
    x, y = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True).transform(
        network.lon, network.lat
    )
    kmh = edge_kmh(network, params)
    xy = np.column_stack([x, y])
    tail, head = network.tail.astype(np.int64), network.head.astype(np.int64)
    congested = params.congested_at((xy[tail] + xy[head]) / 2.0)
    minutes = network.length_m / (kmh * METRES_PER_MINUTE_PER_KMH)
    minutes = np.where(congested, minutes * params.congestion, minutes)
    return RoadLinks(xy=xy, tail=tail, head=head, minutes=minutes, congested=congested)


def edge_kmh(network: RoadNetwork, params: CommuteParams) -> np.ndarray:
    """Speed of each edge (km/h): its ``maxspeed``, else its class speed, else the default.

    Parameters
    ----------
    network
        The road network.
    params
        ``osm_highway_kmh`` (class speeds) and ``osm_default_kmh``.

    Returns
    -------
    numpy.ndarray
        One speed per edge.
    """
    class_kmh = np.array(
        [params.osm_highway_kmh.get(c, params.osm_default_kmh) for c in network.classes]
    )
    return np.where(
        np.isnan(network.maxspeed_kmh), class_kmh[network.road_class], network.maxspeed_kmh
    )

"""Origins on a regular grid and their access links to the network."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from ctz.base import METRIC_CRS
from ctz.checks.commute.network import Network
from ctz.checks.commute.params import CommuteParams


@dataclass
class Attachment:
    """Each point's links to its nearest network nodes.

    Attributes
    ----------
    nodes
        Shape ``(n_points, k)``: network node of each link (0 where there is none).
    minutes
        Shape ``(n_points, k)``: link time; ``inf`` where there is no link.
    """

    nodes: np.ndarray
    minutes: np.ndarray

    def times(self, node_times: np.ndarray) -> np.ndarray:
        """Minutes to each point given minutes to every node.

        Parameters
        ----------
        node_times
            Shape ``(..., n_nodes)``.

        Returns
        -------
        numpy.ndarray
            Shape ``(..., n_points)``: the best node time plus link time.
        """
        return (node_times[..., self.nodes] + self.minutes).min(axis=-1)


def attach(
    network: Network,
    xy: np.ndarray,
    params: CommuteParams,
    towards: Literal["arrive", "depart"] = "arrive",
) -> Attachment:
    """Link points to their ``params.access_neighbours`` nearest street or station nodes.

    Parameters
    ----------
    network
        The network.
    xy
        Points in the metric CRS, shape ``(n, 2)``.
    params
        Access speed, circuity, neighbour count and maximum distance.
    towards
        ``arrive``: links for reaching the points (origins, from station arrival
        sides); ``depart``: links for leaving them (sources, into station
        departure sides, station entry time added).

    Returns
    -------
    Attachment
    """
    candidates, tree = network.access_nodes(towards)
    k = min(params.access_neighbours, len(candidates))
    distance, index = tree.query(xy, k=k, distance_upper_bound=params.max_access_km * 1000.0)
    distance, index = distance.reshape(len(xy), k), index.reshape(len(xy), k)
    found = np.isfinite(distance)
    nodes = candidates[np.where(found, index, 0)]
    minutes = params.access_minutes(np.where(found, distance, np.inf))
    if towards == "depart":
        minutes = minutes + np.where(network.depart[nodes], network.station_entry_min, 0.0)
    return Attachment(nodes, minutes)


def grid_cells(areas: gpd.GeoDataFrame, size_km: float) -> gpd.GeoDataFrame:
    """Centres of a regular grid over ``areas``, each tagged with the area it falls in.

    Parameters
    ----------
    areas
        Polygons with a ``code`` column (e.g. county boundaries), any CRS.
    size_km
        Cell side.

    Returns
    -------
    geopandas.GeoDataFrame
        One point per cell centre inside an area, columns ``code`` and
        ``geometry`` in the metric CRS (EPSG:32649).
    """
    metric = areas.to_crs(METRIC_CRS)
    size = size_km * 1000.0
    west, south, east, north = metric.total_bounds
    xs = np.arange(np.floor(west / size), np.ceil(east / size)) * size + size / 2
    ys = np.arange(np.floor(south / size), np.ceil(north / size)) * size + size / 2
    gx, gy = (g.ravel() for g in np.meshgrid(xs, ys))
    points = shapely.points(gx, gy)
    point_i, area_i = metric.sindex.query(points, predicate="within")
    point_i, first = np.unique(point_i, return_index=True)
    return gpd.GeoDataFrame(
        {"code": metric["code"].to_numpy()[area_i[first]]},
        geometry=points[point_i],
        crs=METRIC_CRS,
    )

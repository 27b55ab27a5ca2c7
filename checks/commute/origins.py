"""Origins on a regular grid and their access links to the network."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

from ctz.base import METRIC_CRS
from ctz.checks.commute.network import Network
from ctz.checks.commute.params import CommuteParams


@dataclass
class Attachment:
    """Each point's links to network nodes.

    Attributes
    ----------
    nodes
        Shape ``(n_points, k)``: network node of each link (0 where there is none).
    minutes
        Shape ``(n_points, k)``: link time; ``inf`` where there is no link.
    fixed
        Shape ``(n_points, k)``: the part of ``minutes`` that is no access leg
        (entering a station); the rest scales with the access speed.
    nearest_m
        Straight distance (m) from each point to the nearest node open today.
    """

    nodes: np.ndarray
    minutes: np.ndarray
    fixed: np.ndarray
    nearest_m: np.ndarray

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

    def at_speed(self, share: float) -> Attachment:
        """Return these links with access legs at ``share`` of the speed they were built at."""
        return replace(self, minutes=self.fixed + (self.minutes - self.fixed) / share)


def attach(
    network: Network,
    xy: np.ndarray,
    params: CommuteParams,
    towards: Literal["arrive", "depart"] = "arrive",
    open_nodes: np.ndarray | None = None,
    *,
    stations: bool = False,
    beyond_reach: bool = True,
) -> Attachment:
    """Link points to street nodes (and, for cores, to stations nearby).

    Every point links to its ``params.access_neighbours`` nearest street nodes
    open today (``open_nodes``) within ``params.max_access_km`` — or, when
    there is none, to the nearest one at any distance, so that every point has
    a time; and to as many nearest street nodes of the whole network within
    ``params.max_access_km`` (planned roads nearby, switched on by scenarios).
    Both sets depend on the road network only: services a scenario adds never
    change a point's links. Links never go to a station's arrival side, from
    which a point could only be reached by riding.

    Parameters
    ----------
    network
        The network.
    xy
        Points in the metric CRS, shape ``(n, 2)``.
    params
        Access speeds and detours, neighbour count, reaches.
    towards
        ``arrive``: links for reaching the points; ``depart``: links for
        leaving them (station entry time added on links to stations).
    open_nodes
        Street nodes open today (:meth:`Network.open_nodes`); every street node when None.
    stations
        Also link each point to every station side it can use (departure sides
        when leaving, arrival sides when reaching) within ``params.station_reach_m``.
    beyond_reach
        Link a point with no open street node within ``params.max_access_km`` to
        the nearest one at any distance (origins); False leaves it without (cores,
        which must lie on the network).

    Returns
    -------
    Attachment
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    street = network.street
    base = street if open_nodes is None else street & open_nodes
    k = params.access_neighbours
    reach = params.max_access_km * 1000.0
    distance_open, nodes_open = _nearest(network, base, xy, k, reach)
    beyond = ~np.isfinite(distance_open).any(axis=1) & beyond_reach
    if beyond.any() and distance_open.shape[1]:
        far_d, far_n = _nearest(network, base, xy[beyond], 1, np.inf)
        distance_open[beyond, 0], nodes_open[beyond, 0] = far_d[:, 0], far_n[:, 0]
    columns_d, columns_n = [distance_open], [nodes_open]
    # when every street node is open, the whole network's nearest are these same links
    if not (base is street or np.array_equal(base, street)):
        distance_all, nodes_all = _nearest(network, street, xy, k, reach)
        columns_d.append(distance_all)
        columns_n.append(nodes_all)
    if stations:
        side = network.depart if towards == "depart" else network.arrive
        d, n = _within(network, side, xy, params.station_reach_m)
        columns_d.append(d)
        columns_n.append(n)
    distance, nodes = np.hstack(columns_d), np.hstack(columns_n)
    minutes = params.access_minutes(distance)
    fixed = np.zeros_like(minutes)
    if towards == "depart":
        fixed = np.where(network.depart[nodes] & np.isfinite(minutes), network.station_entry_min, 0)
    nearest = distance_open.min(axis=1) if distance_open.shape[1] else np.full(len(xy), np.inf)
    return Attachment(nodes, minutes + fixed, fixed, nearest)


def _nearest(
    network: Network, mask: np.ndarray, xy: np.ndarray, k: int, reach_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return distances to the ``k`` nearest nodes where ``mask`` holds, and those nodes.

    Shape ``(n, k')``; ``inf`` and node 0 beyond ``reach_m`` or where there are fewer.
    """
    candidates, tree = network.node_tree(mask)
    k = min(k, len(candidates))
    if k == 0:
        return np.zeros((len(xy), 0)), np.zeros((len(xy), 0), dtype=np.int64)
    distance, index = tree.query(xy, k=k, distance_upper_bound=reach_m)
    distance, index = distance.reshape(len(xy), k), index.reshape(len(xy), k)
    found = np.isfinite(distance)
    return distance, candidates[np.where(found, index, 0)]


def _within(
    network: Network, mask: np.ndarray, xy: np.ndarray, reach_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Distances to every node where ``mask`` holds within ``reach_m``, padded with ``inf``."""
    candidates, tree = network.node_tree(mask)
    if not len(candidates) or not len(xy):
        return np.zeros((len(xy), 0)), np.zeros((len(xy), 0), dtype=np.int64)
    found = tree.query_ball_point(xy, reach_m)
    width = max((len(f) for f in found), default=0)
    index = np.zeros((len(xy), width), dtype=np.int64)
    distance = np.full((len(xy), width), np.inf)
    for row, hits in enumerate(found):  # one row per core: a handful
        index[row, : len(hits)] = hits
        distance[row, : len(hits)] = np.hypot(*(tree.data[hits] - xy[row]).T)
    return distance, candidates[index]


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

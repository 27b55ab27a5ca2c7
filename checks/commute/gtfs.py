"""Read a GTFS feed into service patterns for the commute network.

The feed is read with gtfs-kit (imported only when a feed is read: it pulls in
folium). Trips are taken from one service day — the
busiest day of the feed's first full week (or of all its dates when it has no
Monday) unless a date is given. A *pattern* is a route's sequence of timed
stops; every trip with the same one belongs to it.

* **In-vehicle time** between consecutive stops: the next stop's arrival minus
  this stop's departure, the median over the pattern's trips that depart
  anywhere inside the departure window; the dwell at a stop (departure minus
  arrival) likewise. Stops without times are passed through, not served.
* **Wait** at a stop: half the mean headway of the pattern there, i.e. the
  window's length over twice the number of the pattern's departures from that
  stop inside the window (departures at ``start <= t < end``). Trips in
  ``frequencies.txt`` depart every ``headway_secs`` from ``start_time`` up to
  ``end_time``, their stop times read as offsets from the first departure.
  A pattern with no departure from a stop inside the window takes nobody on
  there.
* Patterns with no stop inside the study region
  (:data:`~ctz.base.REGION_BOUNDS`) are left out.

Bad input raises :class:`~ctz.base.FeedError` naming the feed's path: not a zip
file or folder, a required table or column missing, a trip or a trip's stop
listed twice, times that do not parse or run backwards, a stop time at an unknown
stop, no stop in the study region, no trip departing in the window.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pyproj import Transformer

from ctz.base import METRIC_CRS, REGION_BOUNDS, STORAGE_CRS, FeedError, InputError
from ctz.checks.commute.transit import ServiceLines

if TYPE_CHECKING:
    import gtfs_kit as gk

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "stops": ("stop_id", "stop_lat", "stop_lon"),
    "routes": ("route_id", "route_type"),
    "trips": ("route_id", "service_id", "trip_id"),
    "stop_times": ("trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"),
}
"""Tables a feed must have (with at least these columns), besides a calendar."""

FREQUENCY_COLUMNS: tuple[str, ...] = ("trip_id", "start_time", "end_time", "headway_secs")
"""Columns ``frequencies.txt`` must have when it is present."""

_TIME = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")
MAX_CLOCK_MIN = 48 * 60.0
"""Latest departure a window may reach: a GTFS service day runs past midnight, not for days."""
_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*$")


@dataclass(frozen=True)
class DepartureWindow:
    """The departure times a trip must fall in to count, minutes after midnight.

    Attributes
    ----------
    start_min, end_min
        Departures at ``start_min <= t < end_min`` count; 07:00–09:00 by default.
        Times run past 24:00 as in GTFS, up to :data:`MAX_CLOCK_MIN`.
    """

    start_min: float = 7 * 60.0
    end_min: float = 9 * 60.0

    def __post_init__(self) -> None:
        if not 0 <= self.start_min < self.end_min:
            raise InputError(f"departure window {self}: the start must come before the end")
        if self.end_min > MAX_CLOCK_MIN:
            raise InputError(f"departure window {self}: times run to 48:00 at most")

    @classmethod
    def parse(cls, text: str) -> DepartureWindow:
        """Read ``"HH:MM-HH:MM"`` (e.g. ``"07:00-09:00"``).

        Raises
        ------
        InputError
            When the text is not two clock times joined by a hyphen, or the
            window is empty.
        """
        start, _, end = text.partition("-")
        found = [_CLOCK.match(start), _CLOCK.match(end)]
        if not all(found):
            raise InputError(f"departure window '{text}': expected HH:MM-HH:MM, e.g. 07:00-09:00")
        minutes = [int(m.group(1)) * 60 + int(m.group(2)) for m in found if m]
        return cls(float(minutes[0]), float(minutes[1]))

    @property
    def length_min(self) -> float:
        """Length of the window in minutes."""
        return self.end_min - self.start_min

    def __str__(self) -> str:
        return "–".join(
            f"{int(t) // 60:02d}:{int(t) % 60:02d}" for t in (self.start_min, self.end_min)
        )


@dataclass
class FeedServices:
    """The services one feed runs in the departure window.

    Attributes
    ----------
    path
        The feed (zip file or folder) as given.
    date
        Service day the trips were taken from, ``YYYYMMDD``.
    window
        The departure window.
    lines
        Its patterns; ``pattern_item`` holds each pattern's ``route_id``.
    routes
        One row per route of ``routes.txt``: ``route_id``, ``route_short_name``,
        ``route_long_name``, ``route_type``, ``patterns`` and ``departures``
        (departures from the patterns' first stops inside the window; both
        zero for a route with no trip there).
    stops
        Every stop the patterns serve: ``stop_id``, ``stop_name``, ``x``, ``y`` (metric).
    """

    path: Path
    date: str
    window: DepartureWindow
    lines: ServiceLines
    routes: pd.DataFrame
    stops: pd.DataFrame = field(repr=False)


def read_feed_services(
    path: Path, window: DepartureWindow | None = None, date: str | None = None
) -> FeedServices:
    """Read a GTFS feed and turn its trips in the departure window into service patterns.

    Parameters
    ----------
    path
        A GTFS zip file or a folder of GTFS ``.txt`` tables.
    window
        Departures that count; 07:00–09:00 when None.
    date
        Service day ``YYYYMMDD``; the busiest day of the feed's first week when None.

    Returns
    -------
    FeedServices

    Raises
    ------
    FeedError
        On any of the problems listed in the module docstring.
    """
    import gtfs_kit as gk

    window = window or DepartureWindow()
    feed = open_feed(path)
    date = date or service_date(feed, path)
    stops = _region_stops(feed, path)
    trips = feed.trips[feed.trips["service_id"].isin(gk.get_active_services(feed, date))]
    if trips.empty:
        raise FeedError(f"{path}: no trip runs on {date}")
    times = _stop_times(feed, trips, stops, path)
    times["departures"] = _departures_in_window(feed, times, window, path)
    in_window = times.groupby("trip_id", sort=False)["departures"].transform("sum") > 0
    times = times[in_window]
    if times.empty:
        raise FeedError(f"{path}: no trip departs {window} on {date}")
    served = times["stop_id"].isin(stops.index[stops["in_region"]])
    patterns = _patterns(times)
    inside = served.groupby(patterns["pattern_key"].to_numpy()).any()
    keep = patterns["pattern_key"].map(inside).to_numpy(dtype=bool)
    if not keep.any():
        raise FeedError(f"{path}: no trip {window} on {date} calls at a stop in the study region")
    rows = _pattern_rows(times[keep], patterns[keep], window)
    xy = stops.loc[rows["stop_id"], ["x", "y"]].to_numpy(dtype=float)
    lines = ServiceLines(
        xy=xy,
        pattern=rows["pattern"].to_numpy(dtype=np.int64),
        run_min=rows["run_min"].to_numpy(dtype=float),
        dwell_min=rows["dwell_min"].to_numpy(dtype=float),
        wait_min=rows["wait_min"].to_numpy(dtype=float),
        serves=np.ones(len(rows), dtype=bool),
        pattern_item=list(rows.groupby("pattern", sort=True)["route_id"].first()),
    )
    served_stops = stops.loc[rows["stop_id"].unique()]
    return FeedServices(
        path=path,
        date=date,
        window=window,
        lines=lines,
        routes=_route_table(feed, rows),
        stops=served_stops.reset_index()[["stop_id", "stop_name", "x", "y"]],
    )


def open_feed(path: Path) -> gk.Feed:
    """Read a feed with gtfs-kit and check that it has the tables and columns needed.

    Raises
    ------
    FeedError
        When the path is missing, neither a zip file nor a folder, unreadable,
        or lacks a required table or column.
    """
    if not path.exists():
        raise FeedError(f"{path}: no such GTFS feed")
    if path.is_file() and not zipfile.is_zipfile(path):
        raise FeedError(f"{path}: not a zip file or a folder of GTFS tables")
    import gtfs_kit as gk

    try:
        feed = gk.read_feed(path, dist_units="km")
    except (ValueError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise FeedError(f"{path}: a table does not read as GTFS ({reason})") from error
    missing = [f"{t}.txt" for t in REQUIRED_COLUMNS if getattr(feed, t) is None]
    if feed.calendar is None and feed.calendar_dates is None:
        missing.append("calendar.txt or calendar_dates.txt")
    if missing:
        raise FeedError(f"{path}: missing or empty {', '.join(missing)}")
    needed = dict(REQUIRED_COLUMNS)
    if feed.frequencies is not None:
        needed["frequencies"] = FREQUENCY_COLUMNS
    for table, columns in needed.items():
        absent = [c for c in columns if c not in getattr(feed, table).columns]
        if absent:
            raise FeedError(f"{path}: {table}.txt has no column {', '.join(absent)}")
    _check_unique_rows(feed, path)
    return feed


def _check_unique_rows(feed: gk.Feed, path: Path) -> None:
    """Refuse a trip listed twice, or a stop of a trip given twice (the feed's fault, named)."""
    trips = feed.trips["trip_id"].astype(str)
    counts = trips[trips.duplicated(keep=False)].value_counts(sort=False)
    if len(counts):
        raise FeedError(
            f"{path}: trips.txt lists trip '{counts.index[0]}' {counts.iloc[0]} times "
            "(each trip_id once)"
        )
    keys = feed.stop_times[["trip_id", "stop_sequence"]].astype(str)
    repeated = keys[keys.duplicated(keep=False)].value_counts(sort=False)
    if len(repeated):
        trip, sequence = repeated.index[0]
        raise FeedError(
            f"{path}: stop_times.txt gives stop_sequence {sequence} of trip '{trip}' "
            f"{repeated.iloc[0]} times"
        )


def service_date(feed: gk.Feed, path: Path) -> str:
    """Return the busiest day (most trips) of the feed's first week, or of all its days.

    Raises
    ------
    FeedError
        When the calendar names no day.
    """
    dates = feed.get_first_week() or feed.get_dates()
    if not dates:
        raise FeedError(f"{path}: calendar.txt and calendar_dates.txt name no service day")
    return str(feed.compute_busiest_date(dates))


def gtfs_seconds(values: pd.Series, where: str, path: Path) -> np.ndarray:
    """GTFS ``H:MM:SS`` times (hours may pass 24) as seconds after midnight; NaN where blank.

    Raises
    ------
    FeedError
        Naming the first value that is not such a time.
    """
    text = values.astype("string")
    parts = text.str.extract(_TIME)
    bad = text.notna() & parts[0].isna()
    if bad.any():
        raise FeedError(f"{path}: {where} time '{text[bad].iloc[0]}' does not parse as H:MM:SS")
    hms = parts.astype(float).to_numpy()
    return hms @ np.array([3600.0, 60.0, 1.0])


def _region_stops(feed: gk.Feed, path: Path) -> pd.DataFrame:
    """Return stops by ``stop_id``: name, metric ``x``/``y`` and whether they lie in the region."""
    stops = feed.stops.drop_duplicates("stop_id").set_index("stop_id")
    lon = pd.to_numeric(stops["stop_lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(stops["stop_lat"], errors="coerce").to_numpy(dtype=float)
    west, south, east, north = REGION_BOUNDS
    in_region = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    if not in_region.any():
        raise FeedError(f"{path}: no stop lies in the study region {REGION_BOUNDS}")
    x, y = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True).transform(lon, lat)
    name = stops["stop_name"] if "stop_name" in stops else pd.Series("", index=stops.index)
    return pd.DataFrame(
        {"stop_name": name.fillna(""), "x": x, "y": y, "in_region": in_region},
        index=stops.index,
    )


def _stop_times(
    feed: gk.Feed, trips: pd.DataFrame, stops: pd.DataFrame, path: Path
) -> pd.DataFrame:
    """Return the timed stop times of ``trips`` in travel order, with route and seconds.

    A missing arrival takes the departure and vice versa; rows with neither are
    dropped (passed through, not served).
    """
    times = feed.stop_times.merge(trips[["trip_id", "route_id"]], on="trip_id")
    unknown = ~times["stop_id"].isin(stops.index)
    if unknown.any():
        stop = times.loc[unknown, "stop_id"].iloc[0]
        raise FeedError(f"{path}: stop_times.txt names stop '{stop}', which stops.txt lacks")
    arrive = gtfs_seconds(times["arrival_time"], "stop_times.txt arrival", path)
    depart = gtfs_seconds(times["departure_time"], "stop_times.txt departure", path)
    times["arrive_s"] = np.where(np.isnan(arrive), depart, arrive)
    times["depart_s"] = np.where(np.isnan(depart), arrive, depart)
    times = times[np.isfinite(times["arrive_s"])]
    times = times.sort_values(["trip_id", "stop_sequence"], kind="stable").reset_index(drop=True)
    same_trip = times["trip_id"].eq(times["trip_id"].shift())
    backwards = same_trip & (times["arrive_s"] < times["depart_s"].shift())
    backwards |= times["depart_s"] < times["arrive_s"]
    if backwards.any():
        trip = times.loc[backwards, "trip_id"].iloc[0]
        raise FeedError(f"{path}: trip '{trip}' has stop times that run backwards")
    return times[["trip_id", "route_id", "stop_id", "arrive_s", "depart_s"]]


def _departures_in_window(
    feed: gk.Feed, times: pd.DataFrame, window: DepartureWindow, path: Path
) -> np.ndarray:
    """Departures from each stop-time row inside the window.

    A plain trip departs once, at its time. A trip in ``frequencies.txt`` runs
    from each of its frequency rows: first departures ``start + k·headway``
    before ``end``, each reaching this stop ``offset`` later (its departure
    minus the trip's first).
    """
    start_s, end_s = window.start_min * 60.0, window.end_min * 60.0
    depart = times["depart_s"].to_numpy()
    plain = ((depart >= start_s) & (depart < end_s)).astype(float)
    if feed.frequencies is None:
        return plain
    freq = feed.frequencies
    every = pd.DataFrame(
        {
            "trip_id": freq["trip_id"].to_numpy(),
            "from_s": gtfs_seconds(freq["start_time"], "frequencies.txt start", path),
            "to_s": gtfs_seconds(freq["end_time"], "frequencies.txt end", path),
            "headway_s": pd.to_numeric(freq["headway_secs"], errors="coerce").to_numpy(float),
        }
    )
    if not (every["headway_s"] > 0).all() or every[["from_s", "to_s"]].isna().any().any():
        raise FeedError(f"{path}: frequencies.txt needs start, end and a positive headway_secs")
    rows = times[["trip_id", "depart_s"]].reset_index(names="row")
    first = times.groupby("trip_id", sort=False)["depart_s"].transform("min")
    rows["offset_s"] = times["depart_s"].to_numpy() - first.to_numpy()
    pairs = rows.merge(every, on="trip_id")
    h = pairs["headway_s"].to_numpy()
    base = pairs["from_s"].to_numpy() + pairs["offset_s"].to_numpy()
    last_k = np.ceil((pairs["to_s"].to_numpy() - pairs["from_s"].to_numpy()) / h) - 1
    low_k = np.maximum(0.0, np.ceil((start_s - base) / h))
    high_k = np.minimum(last_k, np.ceil((end_s - base) / h) - 1)
    count = np.maximum(0.0, high_k - low_k + 1)
    counted = np.bincount(pairs["row"].to_numpy(), count, minlength=len(times))
    repeated = times["trip_id"].isin(every["trip_id"]).to_numpy()
    return np.where(repeated, counted, plain)


def _patterns(times: pd.DataFrame) -> pd.DataFrame:
    """Each stop-time row's pattern key (route and stop sequence) and position in the trip."""
    sequence = times.groupby("trip_id", sort=False)["stop_id"].agg("\x1f".join)
    route = times.groupby("trip_id", sort=False)["route_id"].first()
    key = route + "\x1e" + sequence
    return pd.DataFrame(
        {
            "pattern_key": times["trip_id"].map(key).to_numpy(),
            "position": times.groupby("trip_id", sort=False).cumcount().to_numpy(),
        },
        index=times.index,
    )


def _pattern_rows(
    times: pd.DataFrame, patterns: pd.DataFrame, window: DepartureWindow
) -> pd.DataFrame:
    """One row per stop of each pattern: run, dwell and wait minutes.

    Run and dwell are medians over the pattern's trips; the wait is the window
    over twice the pattern's departures from that stop in it.
    """
    frame = times.assign(
        pattern_key=patterns["pattern_key"].to_numpy(),
        position=patterns["position"].to_numpy(),
    )
    next_arrive = frame.groupby("trip_id", sort=False)["arrive_s"].shift(-1)
    frame["run_min"] = (next_arrive - frame["depart_s"]) / 60.0
    frame["dwell_min"] = (frame["depart_s"] - frame["arrive_s"]) / 60.0
    rows = frame.groupby(["pattern_key", "position"], sort=True).agg(
        route_id=("route_id", "first"),
        stop_id=("stop_id", "first"),
        run_min=("run_min", "median"),
        dwell_min=("dwell_min", "median"),
        departures=("departures", "sum"),
    )
    rows = rows.reset_index()
    rows["pattern"] = pd.factorize(rows["pattern_key"], sort=True)[0]
    boards = np.isfinite(rows["run_min"]) & (rows["departures"] > 0)
    rows["wait_min"] = np.where(
        boards, window.length_min / (2.0 * rows["departures"].clip(lower=1)), np.nan
    )
    return rows


def _route_table(feed: gk.Feed, rows: pd.DataFrame) -> pd.DataFrame:
    """Return every route of ``routes.txt`` with its patterns and departures.

    Names, type, pattern count and first-stop departures in the window (zero
    for a route with no trip there).
    """
    firsts = rows[rows["position"] == 0]
    counts = firsts.groupby("route_id").agg(
        patterns=("pattern", "nunique"), departures=("departures", "sum")
    )
    routes = feed.routes.drop_duplicates("route_id").set_index("route_id")
    for column in ("route_short_name", "route_long_name"):
        if column not in routes:
            routes[column] = ""
    table = routes[["route_short_name", "route_long_name", "route_type"]].join(counts)
    table = table.reset_index()
    table[["route_short_name", "route_long_name"]] = table[
        ["route_short_name", "route_long_name"]
    ].fillna("")
    table[["patterns", "departures"]] = table[["patterns", "departures"]].fillna(0).astype(int)
    return table

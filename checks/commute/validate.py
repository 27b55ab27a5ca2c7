"""The timetable against published figures: rides, headways and distances side by side.

``seeds/transit/published.yaml`` lists figures that operators and the press
published (each with ``id``, ``what``, ``value``, ``unit``, ``date``,
``source`` and ``bound``) and the model quantity each is compared with, its
``measure``:

* ``scheduled_ride`` — minutes in the vehicle from ``from_stop`` to
  ``to_stop`` by the fastest pattern calling at both in that order
  (:func:`fastest_ride`);
* ``headway`` — minutes between the departures of route ``route_id`` from
  ``from_stop`` in the departure window (:func:`headway_minutes`);
* ``daily_pairs`` — departures of route ``route_id`` from its patterns' first
  stops over the whole service day, halved (a pair is one trip each way);
* ``stop_distance_km`` — straight-line kilometres between two stops: a lower
  bound of a length along the track;
* ``drive`` — minutes by road from a county seat's city core to the seat
  (``county``: its code in ``seeds/context/county_seats.yaml``), read from the
  county-seat table of a commute run (:func:`~ctz.checks.commute.seats.seat_drive_times`);
  unmeasured without one;
* ``not_modelled`` — a figure the feed cannot measure; ``why`` says what is missing.

Every timetable quantity is read from the services the commute model reads
(:class:`~ctz.checks.commute.gtfs.FeedServices`), never from the GTFS tables
directly. The ratio is model over published; a figure agrees when the ratio is
within ``1 ± bound``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ctz.base import CatalogError, InputError
from ctz.catalog.yaml_files import read_yaml
from ctz.checks.commute.gtfs import DepartureWindow, FeedServices

MEASURE_FIELDS: dict[str, tuple[str, ...]] = {
    "scheduled_ride": ("from_stop", "to_stop"),
    "headway": ("route_id", "from_stop"),
    "daily_pairs": ("route_id",),
    "stop_distance_km": ("from_stop", "to_stop"),
    "drive": ("county",),
    "not_modelled": ("why",),
}
"""Fields each measure needs besides the common ones."""

COMMON_FIELDS: tuple[str, ...] = (
    "id",
    "what",
    "value",
    "unit",
    "date",
    "source",
    "bound",
    "measure",
)
"""Fields every published figure has."""

VALIDATION_COLUMNS: tuple[str, ...] = (
    "id",
    "what",
    "measure",
    "published",
    "model",
    "unit",
    "ratio",
    "bound",
    "within",
    "service",
    "date",
    "source",
    "note",
)
"""Columns of :func:`compare_published`'s frame."""

FULL_DAY = DepartureWindow(0.0, 24 * 60.0)
"""The departure window of a whole service day."""


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure and the model quantity it is compared with.

    Attributes
    ----------
    id, what, unit, date, source
        Identifier, what was published, its unit, when and where.
    value
        The published figure (positive).
    bound
        Relative tolerance: the model agrees within ``value × (1 ± bound)``.
    measure
        One of :data:`MEASURE_FIELDS`.
    from_stop, to_stop, route_id, county, why
        The measure's fields (empty when it has none of them).
    """

    id: str
    what: str
    value: float
    unit: str
    date: str
    source: str
    bound: float
    measure: str
    from_stop: str = ""
    to_stop: str = ""
    route_id: str = ""
    county: str = ""
    why: str = ""


def load_published(path: Path) -> tuple[PublishedFigure, ...]:
    """Read ``published.yaml``: a mapping with a ``figures`` list.

    Raises
    ------
    CatalogError
        When the file is missing or not YAML, or naming every problem of its
        entries (:func:`published_problems`) on one line.
    """
    try:
        data = read_yaml(path)
    except OSError as error:
        raise CatalogError(f"{path}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise CatalogError(f"{path}: not valid YAML") from error
    entries = data.get("figures") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CatalogError(f"{path}: expected a mapping with a 'figures' list")
    problems = published_problems(entries)
    if problems:
        raise CatalogError(f"{path}: {'; '.join(problems)}")
    return tuple(_figure(entry) for entry in entries)


def published_problems(entries: list[Any]) -> list[str]:
    """One line per problem of the entries of a ``figures`` list (none: all usable)."""
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"figure {number}: not a mapping")
            continue
        name = str(entry.get("id") or f"figure {number}")
        if name in seen:
            problems.append(f"{name}: id used twice")
        seen.add(name)
        measure = entry.get("measure")
        needed = (*COMMON_FIELDS, *MEASURE_FIELDS.get(str(measure), ()))
        problems += [f"{name}: missing '{f}'" for f in needed if entry.get(f) in (None, "")]
        if measure is not None and measure not in MEASURE_FIELDS:
            known = ", ".join(MEASURE_FIELDS)
            problems.append(f"{name}: measure '{measure}' is not one of {known}")
        extra = set(entry) - set(COMMON_FIELDS) - set(MEASURE_FIELDS.get(str(measure), ()))
        problems += [f"{name}: field '{f}' is not used by measure {measure}" for f in sorted(extra)]
        if not _number_in(entry.get("value"), 0.0, np.inf):
            problems.append(f"{name}: value must be a positive number")
        if not _number_in(entry.get("bound"), 0.0, 1.0):
            problems.append(f"{name}: bound must be a number between 0 and 1")
    return problems


def stop_timeline(feed: FeedServices) -> pd.DataFrame:
    """One row per stop of each pattern, with its clock as the vehicle runs it.

    Returns
    -------
    pandas.DataFrame
        ``pattern``, ``position`` (0 at the pattern's first stop), ``stop_id``,
        ``route_id``, ``arrive_min`` and ``depart_min`` (minutes after leaving
        the first stop) and ``departures`` (the pattern's departures from this
        stop in the window).

    Raises
    ------
    InputError
        When two stops of the feed share a position (their rows could not be
        told apart).
    """
    lines = feed.lines
    stops = feed.stops[["stop_id", "x", "y"]]
    shared = stops[stops.duplicated(["x", "y"], keep=False)]
    if not shared.empty:
        raise InputError(f"{feed.path}: stops {', '.join(shared['stop_id'])} share one position")
    rows = pd.DataFrame({"x": lines.xy[:, 0], "y": lines.xy[:, 1], "pattern": lines.pattern})
    rows = rows.merge(stops, on=["x", "y"], how="left")
    run = np.nan_to_num(lines.run_min)
    step = pd.Series(lines.dwell_min + run).groupby(lines.pattern).cumsum().to_numpy()
    arrive = step - lines.dwell_min - run
    return pd.DataFrame(
        {
            "pattern": lines.pattern,
            "position": rows.groupby("pattern").cumcount().to_numpy(),
            "stop_id": rows["stop_id"].to_numpy(),
            "route_id": np.asarray(lines.pattern_item, dtype=object)[lines.pattern],
            "arrive_min": arrive,
            "depart_min": arrive + lines.dwell_min,
            "departures": feed.window.length_min / (2.0 * lines.wait_min),
        }
    )


def fastest_ride(timeline: pd.DataFrame, from_stop: str, to_stop: str) -> tuple[float, str]:
    """Minutes in the vehicle from one stop to another by the fastest pattern, and its route.

    Parameters
    ----------
    timeline
        :func:`stop_timeline` of a feed.
    from_stop, to_stop
        Stop ids.

    Returns
    -------
    tuple of float and str
        The minutes (inf when no pattern calls at both in that order) and the
        route of the fastest pattern ("" when none).
    """
    board = timeline.loc[timeline["stop_id"] == from_stop, ["pattern", "position", "depart_min"]]
    alight = timeline.loc[timeline["stop_id"] == to_stop, ["pattern", "position", "arrive_min"]]
    pairs = board.merge(alight, on="pattern", suffixes=("_from", "_to"))
    pairs = pairs[pairs["position_from"] < pairs["position_to"]]
    if pairs.empty:
        return float("inf"), ""
    minutes = pairs["arrive_min"] - pairs["depart_min"]
    best = int(minutes.to_numpy().argmin())
    route = timeline.loc[timeline["pattern"] == pairs["pattern"].iloc[best], "route_id"].iloc[0]
    return float(minutes.iloc[best]), str(route)


def headway_minutes(
    timeline: pd.DataFrame, window: DepartureWindow, route_id: str, stop_id: str
) -> float:
    """Minutes between departures of a route's patterns from a stop in the window.

    The window's length over the departures of every pattern of the route from
    the stop (both directions, when both depart there); NaN when none departs.
    """
    at = timeline[(timeline["route_id"] == route_id) & (timeline["stop_id"] == stop_id)]
    departures = float(np.nansum(at["departures"].to_numpy()))
    return window.length_min / departures if departures > 0 else float("nan")


def compare_published(
    feed: FeedServices,
    day: FeedServices,
    figures: tuple[PublishedFigure, ...],
    seats: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each published figure next to the model's quantity.

    Parameters
    ----------
    feed
        The feed's services in the departure window (rides and headways).
    day
        The same feed read over the whole day (:data:`FULL_DAY`), for daily trip counts.
    figures
        From :func:`load_published`.
    seats
        A commute run's county-seat table (``county``, ``core``, ``model_min``;
        :func:`~ctz.checks.commute.seats.seat_drive_times`) for the ``drive``
        figures; None leaves them unmeasured.

    Returns
    -------
    pandas.DataFrame
        :data:`VALIDATION_COLUMNS`, one row per figure: ``model`` is NaN and
        ``within`` False where the model cannot measure it (``note`` says why),
        ``service`` names the route of a ride or the core a drive starts from.
    """
    timeline = stop_timeline(feed)
    stops = feed.stops.set_index("stop_id")
    pairs = day.routes.set_index("route_id")["departures"] / 2.0
    drives = (seats if seats is not None else pd.DataFrame(columns=["county"])).set_index("county")
    rows = []
    for f in figures:
        model, service, note = float("nan"), "", ""
        if f.measure == "drive" and f.county in drives.index:
            seat = drives.loc[f.county]
            model, service = float(seat["model_min"]), str(seat["core"])
        elif f.measure == "scheduled_ride":
            model, service = fastest_ride(timeline, f.from_stop, f.to_stop)
        elif f.measure == "headway":
            model = headway_minutes(timeline, feed.window, f.route_id, f.from_stop)
        elif f.measure == "daily_pairs":
            model = float(pairs.get(f.route_id, np.nan))
        elif f.measure == "stop_distance_km" and {f.from_stop, f.to_stop} <= set(stops.index):
            xy = stops.loc[[f.from_stop, f.to_stop], ["x", "y"]].to_numpy(dtype=float)
            model = float(np.hypot(*(xy[1] - xy[0]))) / 1000.0
        if f.measure == "not_modelled":
            note = f.why
        elif f.measure == "drive" and not np.isfinite(model):
            note = f"no county-seat drive time for {f.county} (a commute run measures them)"
        elif not np.isfinite(model):
            note = f"the feed {feed.path} cannot measure it (stop or route missing, or no service)"
        ratio = model / f.value
        within = bool(abs(ratio - 1.0) <= f.bound)
        row = (f.id, f.what, f.measure, f.value, model, f.unit, ratio, f.bound, within, service)
        rows.append((*row, f.date, f.source, note))
    return pd.DataFrame(rows, columns=list(VALIDATION_COLUMNS))


def _figure(entry: dict[str, Any]) -> PublishedFigure:
    """Turn a checked entry into a :class:`PublishedFigure`."""
    text = {k: str(v) for k, v in entry.items() if k not in ("value", "bound")}
    return PublishedFigure(value=float(entry["value"]), bound=float(entry["bound"]), **text)


def _number_in(value: Any, low: float, high: float) -> bool:
    """Say whether ``value`` is a number with ``low < value < high``."""
    return isinstance(value, int | float) and not isinstance(value, bool) and low < value < high


def validation_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Turn the rows of :func:`compare_published` into JSON-ready records (None where NaN).

    Model values and ratios are rounded to three decimals.
    """
    rounded = table.assign(model=table["model"].round(3), ratio=table["ratio"].round(3))
    clean = rounded.astype(object).where(rounded.notna(), None)
    return [dict(zip(clean.columns, row, strict=True)) for row in clean.itertuples(index=False)]

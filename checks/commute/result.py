"""The commute check's typed result: core-to-core times, coverage tables, the grid and the goal."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import COMMUTE_INDICATORS
from ctz.checks.commute.coverage import THRESHOLDS
from ctz.checks.data_coverage import DataCoverage
from ctz.checks.result import strict_exit_code

NEAREST = "nearest"
"""``origin`` value of rows measured from whichever city core is nearest in time."""


@dataclass(frozen=True)
class CommuteGoal:
    """The one-hour commute goal, judged by its rule (:func:`~ctz.checks.commute.indicators.judge`).

    Attributes
    ----------
    minutes
        The goal time.
    verdict
        ``met``, ``not_met`` or ``unknown``.
    rule
        The rule as a sentence: indicator, area, direction and threshold.
    slowest_pair_minutes
        Best-mode time of the slowest pair of cores; None when a pair is unreachable.
    share_within_60_of_nearest_core
        Population share (0–1) within the goal time of its nearest core.
    reason
        Why the verdict is ``unknown`` (empty otherwise).
    indicator
        The id of the indicator the rule judges by.
    threshold, direction
        The rule's threshold and direction.
    value, low, high
        The indicator's value and its range over the uncertain assumptions.
    holds_over_range
        True when the verdict is the same over the whole range.
    reading
        Why the rule reads the plan so (from ``seeds/goals.yaml``).
    """

    minutes: int
    verdict: str
    rule: str
    slowest_pair_minutes: float | None
    share_within_60_of_nearest_core: float
    reason: str = ""
    indicator: str = ""
    threshold: float | None = None
    direction: str = ""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    holds_over_range: bool = False
    reading: str = ""


@dataclass
class CommuteResult:
    """Everything one commute run measured, as frames a notebook can use directly.

    Attributes
    ----------
    scenario, baseline
        The scenario measured and the one it is compared with (``existing``).
    road_network
        ``embedded`` (catalog sketches) or ``osm`` (an OpenStreetMap drive graph).
    cores
        The city cores: ``id, name_zh, name_en, geometry`` (points, EPSG:4326).
    core_pairs
        ``from, to, road, rail, best, best_baseline, best_low, best_high,
        station_to_station, station_service``: minutes between cores (NaN where
        unreachable); ``best_baseline`` is today's best, ``best_low`` and
        ``best_high`` the range of the best over the uncertain assumptions,
        ``station_to_station`` the fastest scheduled ride between their stations
        by ``station_service``.
    coverage
        ``origin, minutes, baseline, scenario, delta``: population shares (0–1)
        within each of 30/45/60/90 minutes of the ``nearest`` core or of one core.
    by_city, by_county
        ``code, name_zh, population, within_60_baseline, within_60_scenario, delta``.
    grid
        The origin cells: ``code, city, population, minutes_nearest_baseline,
        minutes_nearest`` and ``minutes_<core id>`` (scenario), square polygons in EPSG:4326.
    goal
        The goal's verdict.
    data_coverage
        What the figures rest on.
    marginal
        ``item_id, name_zh, people_newly_within_60, share`` per planned item added
        alone, largest first; None when not asked for.
    services
        Every rail or transit service and where it came from: ``service, name,
        mode, source, route_id, use, note`` (``use``: ``timetable`` from a GTFS
        feed, ``sketch`` at the catalog's constant headway, or ``replaced``).
    contributions
        What the scenario contributes, item by item (each alone on today's
        network) and, first, its service changes taken together:
        ``item_id, name_zh, people_newly_within_60, share, minutes_saved, pair,
        verdict, reason`` — see :mod:`~ctz.checks.commute.contributions`.
    county_seats
        The road network checked: minutes by road today from each city core to its
        county seats against a reference drive time (empty when the catalog names
        no seats) — see :func:`~ctz.checks.commute.seats.seat_drive_times`.
    indicators
        The goal's indicators (:data:`~ctz.checks.commute.indicators.INDICATOR_COLUMNS`):
        each with its rule, area, people, value, unit and range (``low``, ``high``).
    station_to_station
        ``from, to, minutes, service, low, high``: the fastest scheduled ride
        between the stations of each pair of cores in the scenario, and its range
        (sketched services change with the circuity; timetables do not).
    far_from_network
        People living more than ``local_access_km`` from every road open today
        (their access leg runs on rural roads): a data-quality figure.
    """

    scenario: str
    baseline: str
    road_network: str
    cores: gpd.GeoDataFrame
    core_pairs: pd.DataFrame
    coverage: pd.DataFrame
    by_city: pd.DataFrame
    by_county: pd.DataFrame
    grid: gpd.GeoDataFrame
    goal: CommuteGoal
    data_coverage: DataCoverage
    marginal: pd.DataFrame | None = None
    grid_km: float = field(default=1.0)
    services: pd.DataFrame = field(default_factory=pd.DataFrame)
    contributions: pd.DataFrame = field(default_factory=pd.DataFrame)
    county_seats: pd.DataFrame = field(default_factory=pd.DataFrame)
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)
    station_to_station: pd.DataFrame = field(default_factory=pd.DataFrame)
    far_from_network: int = 0

    @property
    def population(self) -> int:
        """People on the grid."""
        return int(self.grid["population"].sum())

    @cached_property
    def isochrones(self) -> gpd.GeoDataFrame:
        """Travel-time bands of the scenario: cells within 30/45/60/90 minutes.

        Returns
        -------
        geopandas.GeoDataFrame
            ``origin`` (``nearest`` or a core id), ``minutes``, ``people`` and the
            union of the cells' squares (EPSG:4326); widest band first per origin.
        """
        metric = self.grid.to_crs(METRIC_CRS)
        squares = metric.geometry.to_numpy()
        people = metric["population"].to_numpy()
        origins = [NEAREST, *self.cores["id"]]
        rows = []
        for origin in origins:
            minutes = metric[f"minutes_{origin}"].to_numpy()
            for limit in sorted(THRESHOLDS, reverse=True):
                inside = minutes <= limit
                rows.append(
                    {
                        "origin": origin,
                        "minutes": limit,
                        "people": int(people[inside].sum()),
                        "geometry": shapely.union_all(squares[inside], grid_size=1.0),
                    }
                )
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS).to_crs(STORAGE_CRS)

    def _repr_html_(self) -> str:
        """Show the result in a notebook: the verdict, core-to-core times, share within 60 min."""
        from ctz.checks.commute.notebook import commute_html

        return commute_html(self)

    def exit_code(self, *, strict: bool) -> int:
        """Exit code for the command line: 0 unless ``strict`` (1 not met, 3 unknown)."""
        return strict_exit_code([self.goal.verdict]) if strict else 0

    def to_dict(self) -> dict[str, Any]:
        """Return every figure as JSON-ready data (minutes to 0.1, shares to 4 decimals)."""
        coverage: dict[str, dict[str, dict[str, float]]] = {}
        for row in self.coverage.itertuples():
            coverage.setdefault(str(row.origin), {})[str(row.minutes)] = {
                "baseline": round(float(row.baseline), 4),
                "scenario": round(float(row.scenario), 4),
                "delta": round(float(row.delta), 4),
            }
        report: dict[str, Any] = {
            "scenario": self.scenario,
            "baseline": self.baseline,
            "road_network": self.road_network,
            "population": self.population,
            "cells": len(self.grid),
            "cores": self.cores[["id", "name_zh", "name_en"]].to_dict(orient="records"),
            "core_to_core_minutes": [
                {
                    k: v if k in ("from", "to", "station_service") else minutes(v)
                    for k, v in pair.items()
                }
                for pair in self.core_pairs.to_dict(orient="records")
            ],
            "indicators": _rounded_records(self.indicators),
            "station_to_station": [
                {
                    "from": row["from"],
                    "to": row["to"],
                    "minutes": minutes(row["minutes"]),
                    "service": row["service"],
                    "low": minutes(row["low"]),
                    "high": minutes(row["high"]),
                }
                for row in self.station_to_station.to_dict(orient="records")
            ],
            "coverage": coverage,
            "by_city": _rounded_records(self.by_city),
            "by_county": _rounded_records(self.by_county),
            "goal": {
                "minutes": self.goal.minutes,
                "verdict": self.goal.verdict,
                "rule": self.goal.rule,
                "slowest_pair_minutes": minutes(self.goal.slowest_pair_minutes),
                "share_within_60_of_nearest_core": round(
                    self.goal.share_within_60_of_nearest_core, 4
                ),
                "reason": self.goal.reason,
                "indicator": self.goal.indicator,
                "unit": COMMUTE_INDICATORS.get(self.goal.indicator, ""),
                "threshold": self.goal.threshold,
                "direction": self.goal.direction,
                "value": rounded_figure(self.goal.value),
                "low": rounded_figure(self.goal.low),
                "high": rounded_figure(self.goal.high),
                "holds_over_range": self.goal.holds_over_range,
                "reading": self.goal.reading,
            },
            "data_coverage": self.data_coverage.to_dict(),
            "far_from_network": self.far_from_network,
        }
        if self.marginal is not None:
            report["marginal"] = _rounded_records(self.marginal)
        report["services"] = self.services.to_dict(orient="records")
        report["contributions"] = _rounded_records(self.contributions)
        report["county_seats"] = _rounded_records(self.county_seats)
        return report


def rounded_figure(value: float | None) -> float | None:
    """Return a share or minutes to 4 decimals; None when not measured."""
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def minutes(value: float | None) -> float | None:
    """Return minutes to 1 decimal; None when unreachable or not measured."""
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), 1)


def _rounded_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Frame rows as JSON-ready dicts: floats to 4 decimals, numpy scalars as Python ones.

    A float that is not finite (an unreachable time) becomes None.
    """
    records = []
    for row in frame.to_dict(orient="records"):
        records.append(
            {
                key: (round(float(value), 4) if np.isfinite(value) else None)
                if isinstance(value, float | np.floating)
                else bool(value)
                if isinstance(value, np.bool_)
                else int(value)
                if isinstance(value, np.integer)
                else value
                for key, value in row.items()
            }
        )
    return records

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
from ctz.checks.commute.coverage import GOAL_MINUTES, THRESHOLDS, Measurement, Study, shares
from ctz.checks.commute.marginal import Gain
from ctz.checks.data_coverage import DataCoverage
from ctz.checks.result import strict_exit_code

NEAREST = "nearest"
"""``origin`` value of rows measured from whichever city core is nearest in time."""

GOAL_RULE = "every pair of city cores within 60 minutes by the best mode"
"""How the one-hour commute goal is judged."""


@dataclass(frozen=True)
class CommuteGoal:
    """The one-hour commute goal, judged.

    Attributes
    ----------
    minutes
        The goal time.
    verdict
        ``met``, ``not_met`` or ``unknown``.
    rule
        How the verdict is reached.
    slowest_pair_minutes
        Best-mode time of the slowest pair of cores; None when a pair is unreachable.
    share_within_60_of_nearest_core
        Population share (0–1) within the goal time of its nearest core.
    reason
        Why the verdict is ``unknown`` (empty otherwise).
    """

    minutes: int
    verdict: str
    rule: str
    slowest_pair_minutes: float | None
    share_within_60_of_nearest_core: float
    reason: str = ""


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
        ``from, to, road, rail, best, best_baseline``: minutes between cores (NaN
        where unreachable); ``best_baseline`` is today's best.
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
        from ctz.checks.notebook import commute_html

        return commute_html(self)

    def exit_code(self, strict: bool) -> int:
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
                {k: _minutes(v) if k not in ("from", "to") else v for k, v in pair.items()}
                for pair in self.core_pairs.to_dict(orient="records")
            ],
            "coverage": coverage,
            "by_city": _rounded_records(self.by_city),
            "by_county": _rounded_records(self.by_county),
            "goal": {
                "minutes": self.goal.minutes,
                "verdict": self.goal.verdict,
                "rule": self.goal.rule,
                "slowest_pair_minutes": _minutes(self.goal.slowest_pair_minutes),
                "share_within_60_of_nearest_core": round(
                    self.goal.share_within_60_of_nearest_core, 4
                ),
                "reason": self.goal.reason,
            },
            "data_coverage": self.data_coverage.to_dict(),
        }
        if self.marginal is not None:
            report["marginal"] = _rounded_records(self.marginal)
        report["services"] = self.services.to_dict(orient="records")
        report["contributions"] = _rounded_records(self.contributions)
        report["county_seats"] = _rounded_records(self.county_seats)
        return report


def commute_result(
    study: Study,
    baseline: Measurement,
    scenario: Measurement,
    *,
    scenario_name: str,
    names: dict[str, str],
    road_network: str,
    data_coverage: DataCoverage,
    gains: list[Gain] | None = None,
    item_names: dict[str, str] | None = None,
    unknown_reason: str = "",
    services: pd.DataFrame | None = None,
    contributions: pd.DataFrame | None = None,
    county_seats: pd.DataFrame | None = None,
) -> CommuteResult:
    """Assemble the result of one run from the baseline's and the scenario's measurements.

    Parameters
    ----------
    study
        Network, cores and populated cells.
    baseline, scenario
        Measurements with today's items and with the scenario's.
    scenario_name
        ``existing``, ``all`` or a year.
    names
        Chinese name of every county and city code.
    road_network
        ``embedded`` or ``osm``.
    data_coverage
        What the figures rest on.
    gains
        Marginal gains of planned items, or None.
    item_names
        Chinese name of every item id, for the marginal table.
    unknown_reason
        When not empty, the goal's verdict is ``unknown`` for this reason (e.g. the
        OpenStreetMap roads do not reach a core) whatever the times say.
    services, contributions, county_seats
        See :class:`CommuteResult`.

    Returns
    -------
    CommuteResult
    """
    population = study.population
    cores = _cores(study)
    unmeasured = np.full_like(scenario.best, np.nan)
    road = unmeasured if scenario.road is None else scenario.road
    rail = unmeasured if scenario.rail is None else scenario.rail
    pairs = [
        {
            "from": a.id,
            "to": b.id,
            "road": road[i, j],
            "rail": rail[i, j],
            "best": scenario.best[i, j],
            "best_baseline": baseline.best[i, j],
        }
        for i, a in enumerate(study.cores)
        for j, b in enumerate(study.cores)
        if i < j
    ]
    core_pairs = pd.DataFrame(
        pairs, columns=["from", "to", "road", "rail", "best", "best_baseline"]
    )
    numeric = ["road", "rail", "best", "best_baseline"]
    core_pairs[numeric] = core_pairs[numeric].astype(float).replace(np.inf, np.nan)
    coverage = _coverage(study, baseline, scenario)
    worst = float(np.max(scenario.best)) if len(study.cores) > 1 else 0.0
    share60 = shares(scenario.nearest, population)[GOAL_MINUTES]
    verdict = "met" if worst <= GOAL_MINUTES else "not_met"
    if unknown_reason:
        verdict = "unknown"
    goal = CommuteGoal(
        minutes=GOAL_MINUTES,
        verdict=verdict,
        rule=GOAL_RULE,
        slowest_pair_minutes=worst if np.isfinite(worst) else None,
        share_within_60_of_nearest_core=share60,
        reason=unknown_reason,
    )
    marginal = None
    if gains is not None:
        marginal = pd.DataFrame(
            {
                "item_id": [g.item_id for g in gains],
                "name_zh": [(item_names or {}).get(g.item_id, "") for g in gains],
                "people_newly_within_60": [g.people for g in gains],
                "share": [g.share for g in gains],
            }
        )
    return CommuteResult(
        scenario=scenario_name,
        baseline="existing",
        road_network=road_network,
        cores=cores,
        core_pairs=core_pairs,
        coverage=coverage,
        by_city=_breakdown(study, baseline, scenario, "city", names),
        by_county=_breakdown(study, baseline, scenario, "code", names),
        grid=_grid(study, baseline, scenario),
        goal=goal,
        data_coverage=data_coverage,
        marginal=marginal,
        grid_km=study.params.grid_km,
        services=pd.DataFrame() if services is None else services,
        contributions=pd.DataFrame() if contributions is None else contributions,
        county_seats=pd.DataFrame() if county_seats is None else county_seats,
    )


def _cores(study: Study) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": [c.id for c in study.cores],
            "name_zh": [c.name_zh for c in study.cores],
            "name_en": [c.name_en for c in study.cores],
        },
        geometry=shapely.points([[c.x, c.y] for c in study.cores]),
        crs=METRIC_CRS,
    ).to_crs(STORAGE_CRS)


def _coverage(study: Study, baseline: Measurement, scenario: Measurement) -> pd.DataFrame:
    population = study.population
    before = {NEAREST: baseline.nearest} | {
        core.id: baseline.cell_minutes[k] for k, core in enumerate(study.cores)
    }
    after = {NEAREST: scenario.nearest} | {
        core.id: scenario.cell_minutes[k] for k, core in enumerate(study.cores)
    }
    rows = []
    for origin in before:
        was, now = shares(before[origin], population), shares(after[origin], population)
        rows += [
            {
                "origin": origin,
                "minutes": t,
                "baseline": was[t],
                "scenario": now[t],
                "delta": now[t] - was[t],
            }
            for t in THRESHOLDS
        ]
    return pd.DataFrame(rows)


def _breakdown(
    study: Study, baseline: Measurement, scenario: Measurement, column: str, names: dict[str, str]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "code": study.cells[column].to_numpy(),
            "people": study.population,
            "before": study.population * (baseline.nearest <= GOAL_MINUTES),
            "after": study.population * (scenario.nearest <= GOAL_MINUTES),
        }
    )
    sums = frame.groupby("code", sort=True).sum()
    people = sums["people"].to_numpy(dtype=float)
    safe = np.where(people > 0, people, 1.0)
    return pd.DataFrame(
        {
            "code": sums.index.astype(str),
            "name_zh": [names.get(str(code), str(code)) for code in sums.index],
            "population": people.astype(np.int64),
            "within_60_baseline": np.where(people > 0, sums["before"] / safe, 0.0),
            "within_60_scenario": np.where(people > 0, sums["after"] / safe, 0.0),
            "delta": np.where(people > 0, (sums["after"] - sums["before"]) / safe, 0.0),
        }
    )


def _grid(study: Study, baseline: Measurement, scenario: Measurement) -> gpd.GeoDataFrame:
    half = study.params.grid_km * 500.0
    x, y = study.cells.geometry.x.to_numpy(), study.cells.geometry.y.to_numpy()
    columns: dict[str, Any] = {
        "code": study.cells["code"].to_numpy(),
        "city": study.cells["city"].to_numpy(),
        "population": study.cells["population"].to_numpy(),
        "minutes_nearest_baseline": baseline.nearest,
        "minutes_nearest": scenario.nearest,
    }
    columns |= {f"minutes_{c.id}": scenario.cell_minutes[k] for k, c in enumerate(study.cores)}
    return gpd.GeoDataFrame(
        columns,
        geometry=shapely.box(x - half, y - half, x + half, y + half),
        crs=METRIC_CRS,
    ).to_crs(STORAGE_CRS)


def _minutes(value: float | None) -> float | None:
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

"""Assembling a commute run's measurements into its :class:`CommuteResult`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import GoalArea, GoalRule
from ctz.checks.commute.coverage import GOAL_MINUTES, THRESHOLDS, Measurement, Study, shares
from ctz.checks.commute.indicators import DEFAULT_RULE, indicators, judge, station_to_station
from ctz.checks.commute.marginal import Gain
from ctz.checks.commute.result import NEAREST, CommuteGoal, CommuteResult
from ctz.checks.commute.transit import ServiceLines
from ctz.checks.data_coverage import DataCoverage


@dataclass(frozen=True)
class RunFindings:
    """What a commute run knows besides its measurements, to put into its result.

    Attributes
    ----------
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
    rule, area
        The goal's rule and area (from the catalog's commute goal).
    corners
        The scenario at the optimistic and the pessimistic corner of the
        uncertain assumptions (:mod:`~ctz.checks.commute.sensitivity`); the
        ranges are the values themselves when None.
    stations
        Station-to-station times (:func:`~ctz.checks.commute.indicators.station_to_station`).
    """

    scenario_name: str
    names: dict[str, str]
    road_network: str
    data_coverage: DataCoverage
    gains: list[Gain] | None = None
    item_names: dict[str, str] | None = None
    unknown_reason: str = ""
    services: pd.DataFrame | None = None
    contributions: pd.DataFrame | None = None
    county_seats: pd.DataFrame | None = None
    rule: GoalRule = DEFAULT_RULE
    area: GoalArea | None = None
    corners: tuple[Measurement, Measurement] | None = None
    stations: pd.DataFrame | None = None


def commute_result(
    study: Study, baseline: Measurement, scenario: Measurement, findings: RunFindings
) -> CommuteResult:
    """Assemble the result of one run from the baseline's and the scenario's measurements.

    Parameters
    ----------
    study
        Network, cores and populated cells.
    baseline, scenario
        Measurements with today's items and with the scenario's.
    findings
        Everything else the result holds: names, data coverage, goal rule, tables.

    Returns
    -------
    CommuteResult
    """
    population = study.population
    cores = _cores(study)
    unmeasured = np.full_like(scenario.best, np.nan)
    road = unmeasured if scenario.road is None else scenario.road
    rail = unmeasured if scenario.rail is None else scenario.rail
    corners = findings.corners
    low, high = corners if corners is not None else (scenario, scenario)
    stations = (
        findings.stations
        if findings.stations is not None
        else station_to_station(
            ServiceLines.empty(),
            pd.DataFrame(),
            [np.zeros((0, 2))] * len(study.cores),
            [c.id for c in study.cores],
            set(),
        )
    )
    scheduled = {(r["from"], r["to"]): r for r in stations.to_dict(orient="records")}
    pairs = [
        {
            "from": a.id,
            "to": b.id,
            "road": road[i, j],
            "rail": rail[i, j],
            "best": scenario.best[i, j],
            "best_baseline": baseline.best[i, j],
            "best_low": low.best[i, j],
            "best_high": high.best[i, j],
            "station_to_station": scheduled.get((a.id, b.id), {}).get("minutes", np.nan),
            "station_service": scheduled.get((a.id, b.id), {}).get("service", ""),
        }
        for i, a in enumerate(study.cores)
        for j, b in enumerate(study.cores)
        if i < j
    ]
    numeric = ["road", "rail", "best", "best_baseline", "best_low", "best_high"]
    numeric.append("station_to_station")
    core_pairs = pd.DataFrame(pairs, columns=["from", "to", *numeric, "station_service"])
    core_pairs[numeric] = core_pairs[numeric].astype(float).replace(np.inf, np.nan)
    coverage = _coverage(study, baseline, scenario)
    worst = float(np.max(scenario.best)) if len(study.cores) > 1 else 0.0
    share60 = shares(scenario.nearest, population)[GOAL_MINUTES]
    rule = findings.rule
    table = indicators(study, (scenario, low, high), stations, findings.area)
    judged = judge(rule, table, findings.unknown_reason)
    goal = CommuteGoal(
        minutes=GOAL_MINUTES,
        verdict=judged.verdict,
        rule=judged.rule,
        slowest_pair_minutes=worst if np.isfinite(worst) else None,
        share_within_60_of_nearest_core=share60,
        reason=judged.reason,
        indicator=rule.indicator,
        threshold=rule.threshold,
        direction=rule.direction,
        value=judged.value,
        low=judged.low,
        high=judged.high,
        holds_over_range=judged.holds_over_range,
        reading=rule.reading,
    )
    marginal, gains = None, findings.gains
    if gains is not None:
        marginal = pd.DataFrame(
            {
                "item_id": [g.item_id for g in gains],
                "name_zh": [(findings.item_names or {}).get(g.item_id, "") for g in gains],
                "people_newly_within_60": [g.people for g in gains],
                "share": [g.share for g in gains],
            }
        )
    return CommuteResult(
        scenario=findings.scenario_name,
        baseline="existing",
        road_network=findings.road_network,
        cores=cores,
        core_pairs=core_pairs,
        coverage=coverage,
        by_city=_breakdown(study, baseline, scenario, "city", findings.names),
        by_county=_breakdown(study, baseline, scenario, "code", findings.names),
        grid=_grid(study, baseline, scenario),
        goal=goal,
        data_coverage=findings.data_coverage,
        marginal=marginal,
        grid_km=study.params.grid_km,
        services=_table(findings.services),
        contributions=_table(findings.contributions),
        county_seats=_table(findings.county_seats),
        indicators=table,
        station_to_station=stations,
        far_from_network=int(population[study.far_from_network].sum()),
    )


def _table(frame: pd.DataFrame | None) -> pd.DataFrame:
    return pd.DataFrame() if frame is None else frame


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
            "code": study.cells[column].array,  # as stored: no conversion of the strings
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
    """Each cell as its square in the storage CRS, with its people and minutes.

    The squares' corners are projected as coordinate arrays and the polygons
    made from them once: the same polygons as projecting ``shapely.box``es,
    without making every polygon twice.
    """
    from pyproj import Transformer

    half = study.params.grid_km * 500.0
    x, y = study.cells.geometry.x.to_numpy(), study.cells.geometry.y.to_numpy()
    # the corners in shapely.box's order: counter-clockwise from (east, south), closed
    east_west = np.column_stack([x + half, x + half, x - half, x - half, x + half])
    south_north = np.column_stack([y - half, y + half, y + half, y - half, y - half])
    to_storage = Transformer.from_crs(METRIC_CRS, STORAGE_CRS, always_xy=True)
    lon, lat = to_storage.transform(east_west.ravel(), south_north.ravel())
    squares = shapely.polygons(np.column_stack([lon, lat]).reshape(len(x), 5, 2))
    columns: dict[str, Any] = {
        "code": study.cells["code"].array,
        "city": study.cells["city"].array,
        "population": study.cells["population"].to_numpy(),
        "minutes_nearest_baseline": baseline.nearest,
        "minutes_nearest": scenario.nearest,
    }
    columns |= {f"minutes_{c.id}": scenario.cell_minutes[k] for k, c in enumerate(study.cores)}
    return gpd.GeoDataFrame(columns, geometry=squares, crs=STORAGE_CRS)

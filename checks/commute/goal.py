"""The commute goal as one line of ``ctz check all``: the slowest pair of city cores."""

from __future__ import annotations

import geopandas as gpd
import shapely

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import Goal
from ctz.checks.commute.command import CommuteOptions, run_commute
from ctz.checks.commute.coverage import CoreSite
from ctz.checks.commute.report import ROAD_NETWORKS
from ctz.checks.context import CheckContext
from ctz.checks.result import GoalResult, evidence_frame


def check_commute_goal(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure the one-hour commute circle for ``ctz check all``.

    The goal is met when every pair of city cores is within the target minutes
    by the best mode in the scenario of the goal's target year (``existing``
    when it names none).  Roads open today come from the source's OSM drive
    graph when it serves one (osm, pbf), else from the embedded sketches.

    Parameters
    ----------
    goal
        A catalog goal of kind ``commute`` (target in minutes).
    ctx
        The shared check inputs: its source and, when given, population raster.

    Returns
    -------
    GoalResult
        The slowest core-to-core time as the measured value, each pair in
        ``details`` and the cores as evidence points.
    """
    scenario = str(goal.target_year) if goal.target_year else "existing"
    options = CommuteOptions(scenario=scenario, population=ctx.population, source=ctx.source)
    run = run_commute(ctx.catalog, options)
    report = run.report
    slowest = report["goal"]["slowest_pair_minutes"]
    target = goal.target_value
    share = report["goal"]["share_within_60_of_nearest_core"]
    if slowest is None or target is None:
        verdict = "not_met" if slowest is None else "unknown"
    else:
        verdict = "met" if slowest <= target else "not_met"
    slowest_text = "unreachable" if slowest is None else f"{slowest:.0f} min"
    summary = (
        f"slowest core pair {slowest_text} by the best mode (target {target:g} min, "
        f"scenario {scenario}); {share:.1%} of people within 60 min of the nearest core; "
        f"{ROAD_NETWORKS[report['road_network']]} and catalog rail"
    )
    return GoalResult.for_goal(
        goal,
        measured=slowest,
        verdict=verdict,
        summary=summary,
        details=report["core_to_core_minutes"],
        evidence=_core_points(run.study.cores),
    )


def _core_points(cores: list[CoreSite]) -> gpd.GeoDataFrame:
    points = gpd.GeoSeries(shapely.points([[c.x, c.y] for c in cores]), crs=METRIC_CRS).to_crs(
        STORAGE_CRS
    )
    rows = [
        {
            "goal_id": "",
            "role": "core",
            "label": c.name_zh,
            "value": None,
            "unit": "",
            "geometry": p,
        }
        for c, p in zip(cores, points, strict=True)
    ]
    return evidence_frame(rows)

"""The commute goal as one line of ``ctz check all``: the slowest pair of city cores."""

from __future__ import annotations

from ctz.catalog.model import Goal
from ctz.checks.commute.run import CommuteOptions, run_commute
from ctz.checks.context import CheckContext
from ctz.checks.result import GoalResult, evidence_frame, meets

ROAD_NETWORKS: dict[str, str] = {
    "embedded": "embedded catalog sketches",
    "osm": "OpenStreetMap drive graph",
}
"""How a summary names the road network of :attr:`CommuteResult.road_network`."""


def check_commute_goal(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure the one-hour commute circle for ``ctz check all``.

    The goal is met when every pair of city cores is within the target minutes
    by the best mode in the scenario of the goal's target year (``existing``
    when it names none). Roads open today come from the source's OSM drive graph
    when it serves one (osm, pbf), else from the embedded sketches; when that
    graph does not reach a core, the goal is ``unknown``.

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
    result = run_commute(ctx.catalog, ctx.source, CommuteOptions(scenario=scenario), ctx.population)
    slowest = result.goal.slowest_pair_minutes
    target = goal.target_value
    share = result.goal.share_within_60_of_nearest_core
    slowest_text = "unreachable" if slowest is None else f"{slowest:.0f} min"
    summary = (
        f"slowest core pair {slowest_text} by the best mode (target {target:g} min, "
        f"scenario {scenario}); {share:.1%} of people within 60 min of the nearest core; "
        f"{ROAD_NETWORKS[result.road_network]} and catalog rail"
    )
    evidence = evidence_frame(
        [
            {
                "goal_id": goal.id,
                "role": "core",
                "label": core.name_zh,
                "value": None,
                "unit": "",
                "geometry": core.geometry,
            }
            for core in result.cores.itertuples()
        ]
    )
    details = result.to_dict()["core_to_core_minutes"]
    if result.goal.verdict == "unknown":
        return GoalResult.unknown(
            goal, result.goal.reason, measured=slowest, details=details, evidence=evidence
        )
    if slowest is None or target is None:
        verdict = "not_met" if slowest is None else "unknown"
    else:
        verdict = "met" if meets(goal, slowest) else "not_met"
    return GoalResult.for_goal(
        goal,
        measured=slowest,
        verdict=verdict,
        summary=summary,
        details=details,
        evidence=evidence,
    )

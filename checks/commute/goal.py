"""The commute goal as one line of ``ctz check all``: its rule's indicator and verdict."""

from __future__ import annotations

from ctz.catalog.model import COMMUTE_INDICATORS, Goal
from ctz.checks.commute.options import CommuteOptions
from ctz.checks.commute.run import run_commute
from ctz.checks.context import CheckContext
from ctz.checks.result import GoalResult, evidence_frame

ROAD_NETWORKS: dict[str, str] = {
    "embedded": "embedded catalog sketches",
    "osm": "OpenStreetMap drive graph",
}
"""How a summary names the road network of :attr:`CommuteResult.road_network`."""


def check_commute_goal(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure the one-hour commute circle for ``ctz check all``.

    The verdict is the commute run's (:func:`~ctz.checks.commute.indicators.judge`:
    the goal's ``rule`` over its ``area`` in ``seeds/goals.yaml``), in the
    scenario of the goal's target year (``existing`` when it names none). Roads
    open today come from the source's OSM drive graph when it serves one (osm,
    pbf), else from the embedded sketches; when that graph does not reach a
    core, the goal is ``unknown``.

    Parameters
    ----------
    goal
        A catalog goal of kind ``commute``.
    ctx
        The shared check inputs: its source and, when given, population raster.

    Returns
    -------
    GoalResult
        The rule's indicator as the measured value against the rule's threshold
        (a share in per cent), each pair of cores in ``details`` and the cores as
        evidence points.
    """
    scenario = str(goal.target_year) if goal.target_year else "existing"
    result = run_commute(ctx.catalog, ctx.source, CommuteOptions(scenario=scenario), ctx.population)
    judged = result.goal
    unit = COMMUTE_INDICATORS.get(judged.indicator, "")
    slowest = judged.slowest_pair_minutes
    slowest_text = "unreachable" if slowest is None else f"{slowest:.0f} min"
    summary = (
        f"{judged.rule}: {figure_with_range(judged.value, judged.low, judged.high, unit)}"
        f"{'' if judged.holds_over_range else ' — the verdict flips inside the range'} "
        f"(scenario {scenario}); slowest core pair {slowest_text} door to door; "
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
    scale, shown_unit = (100.0, "% of people") if unit == "share" else (1.0, unit)
    measured = None if judged.value is None else judged.value * scale
    if judged.verdict == "unknown":
        return GoalResult.unknown(
            goal, judged.reason, measured=measured, details=details, evidence=evidence
        )
    return GoalResult.for_goal(
        goal,
        measured=measured,
        target=None if judged.threshold is None else judged.threshold * scale,
        unit=shown_unit,
        verdict=judged.verdict,
        summary=summary,
        details=details,
        evidence=evidence,
    )


def figure_with_range(value: float | None, low: float | None, high: float | None, unit: str) -> str:
    """Return a figure with its range, e.g. ``66 % (61–72 %)`` or ``59 min (46–72 min)``.

    Parameters
    ----------
    value, low, high
        The figure and its range (None: not measured).
    unit
        ``share`` (0–1, shown in per cent) or ``min``.
    """

    def show(v: float | None) -> str:
        if v is None:
            return "—"
        return f"{v * 100:.0f}" if unit == "share" else f"{v:.0f}"

    sign = " %" if unit == "share" else " min"
    if low is None or high is None:
        return f"{show(value)}{sign}"
    return f"{show(value)}{sign} ({show(low)}–{show(high)}{sign})"

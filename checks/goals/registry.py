"""Which check measures which kind of goal, and running them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ctz.base import InputError
from ctz.catalog.model import Goal
from ctz.checks.charging import check_charging_goal
from ctz.checks.context import CheckContext
from ctz.checks.corridors import check_corridor_goal
from ctz.checks.green_heart import check_forest_cover, check_green_heart_area, check_greenway
from ctz.checks.result import GoalResult

GoalCheck = Callable[[Goal, CheckContext], GoalResult]
"""A check: measures one goal from the context and returns its result."""

CHECKS: dict[str, GoalCheck] = {
    "corridor_package": check_corridor_goal,
    "green_heart_area": check_green_heart_area,
    "forest_cover": check_forest_cover,
    "greenway_length": check_greenway,
    "charging_radius": check_charging_goal,
}
"""Goal kind to the check that measures it."""

UNMEASURABLE: dict[str, str] = {
    "forest_improvement": (
        "planting and forest-stand improvement are changes over time; one OSM snapshot "
        "cannot show them"
    ),
    "water_quality": "water quality class is monitoring data, not in OpenStreetMap",
    "other": "no measurement is defined for this goal",
}
"""Goal kinds no source here can measure, with the reason given in the report."""

FAMILIES: dict[str, frozenset[str]] = {
    "corridors": frozenset({"corridor_package"}),
    "green-heart": frozenset(
        {"green_heart_area", "forest_cover", "forest_improvement", "greenway_length"}
    ),
    "charging": frozenset({"charging_radius"}),
    "commute": frozenset({"commute"}),
}
"""CLI subcommand to the goal kinds it reports."""


def check_commute_goal(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure the one-hour commute goal (the commute engine is imported only when needed)."""
    from ctz.checks.commute.goal import check_commute_goal as measure

    return measure(goal, ctx)


def check_for(kind: str) -> GoalCheck | None:
    """Return the check of a goal kind, or None when it has none."""
    return check_commute_goal if kind == "commute" else CHECKS.get(kind)


def run_goal(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure one goal; ``unknown`` with the reason when no check covers it or its input is bad.

    A check that meets bad input for its own goal (a catalog without city cores,
    say) leaves that goal ``unknown`` and the other goals of the report measured.
    A source that cannot be used (:class:`~ctz.base.SourceError`) is not bad input
    for one goal: it ends the whole run.
    """
    check = check_for(goal.kind)
    if check is None:
        reason = UNMEASURABLE.get(goal.kind, f"no check for goal kind '{goal.kind}'")
        return GoalResult.unknown(goal, reason)
    try:
        return check(goal, ctx)
    except InputError as error:
        return GoalResult.unknown(goal, str(error))


def run_goals(goals: Iterable[Goal], ctx: CheckContext) -> list[GoalResult]:
    """Measure goals in order, sharing the context (item geometry is resolved once)."""
    return [run_goal(goal, ctx) for goal in goals]


FALLBACK_GOALS: dict[str, Goal] = {
    "green-heart": Goal(
        id="green_heart_area",
        name_zh="生态绿心地区面积",
        name_zh_hant="生態綠心地區面積",
        name_en="Green-heart zone area",
        kind="green_heart_area",
        target_value=523.0,
        target_unit="km2",
        direction="at_least",
        target_year=None,
        items=(),
        plans=(),
        note="statutory area of the green-heart master plan",
    ),
    "charging": Goal(
        id="charging_radius",
        name_zh="中心城区公共充电设施服务半径小于1公里",
        name_zh_hant="中心城區公共充電設施服務半徑小於1公里",
        name_en="Public charging within 1 km in the central urban areas",
        kind="charging_radius",
        target_value=1.0,
        target_unit="km",
        direction="at_most",
        target_year=2025,
        items=(),
        plans=(),
    ),
}
"""Goals a subcommand checks when the catalog holds none of its kinds."""


def family_goals(catalog_goals: Iterable[Goal], family: str | None) -> list[Goal]:
    """Return the catalog goals a subcommand reports (all for None), else its fallback goal.

    Parameters
    ----------
    catalog_goals
        Every goal of the catalog, in order.
    family
        A key of :data:`FAMILIES`, or None for every goal.
    """
    goals = list(catalog_goals)
    if family is None:
        return goals
    chosen = [g for g in goals if g.kind in FAMILIES[family]]
    fallback = FALLBACK_GOALS.get(family)
    return chosen or ([fallback] if fallback else [])

"""Which check measures which kind of goal, and running them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ctz.base import InputError
from ctz.catalog import load_catalog
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


def lazy_commute_check(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure the one-hour commute goal (the commute engine is imported only when needed)."""
    from ctz.checks.commute.goal import check_commute_goal as measure

    return measure(goal, ctx)


def check_for(kind: str) -> GoalCheck | None:
    """Return the check of a goal kind, or None when it has none."""
    return lazy_commute_check if kind == "commute" else CHECKS.get(kind)


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


def family_goals(catalog_goals: Iterable[Goal], family: str | None) -> list[Goal]:
    """Return the catalog goals a subcommand reports (all for None).

    A catalog of the user's own that holds no goal of the family gets the family's
    goals of the shipped catalog (``seeds/goals.yaml``): the one place goals are written.

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
    return chosen or [g for g in load_catalog().goals.values() if g.kind in FAMILIES[family]]

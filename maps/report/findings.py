"""The briefing's opening: one plain sentence per goal, then the key numbers.

Sentences are built from the measured fields (name, verdict, value, target,
direction), never from the checks' English summaries, so they read in the
briefing's language. An ``unknown`` goal says what data would settle it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctz.checks.commute.result import NEAREST, CommuteResult
from ctz.checks.result import GoalResult, Report
from ctz.maps.report.briefing import Briefing, core_names
from ctz.words import MISSING, goal_number, needed_data, planner_number, unit_word, word

VERDICT_ORDER: tuple[str, ...] = ("not_met", "met", "unknown")
"""Findings order: what fails first, then what is met, then what could not be measured."""


def _amount(value: float | None, unit: str, lang: str) -> str:
    text = goal_number(value, unit)
    name = unit_word(unit, lang)
    if not name or unit == "%":
        return f"{text}{name}"
    return f"{text}{name}" if lang == "zh" else f"{text} {name}"


def goal_sentence(result: GoalResult, direction: str | None, lang: str) -> str:
    """Return one plain sentence on a goal in ``lang``.

    Parameters
    ----------
    result
        The measured goal.
    direction
        ``at_most`` or ``at_least`` (the catalog goal's
        :attr:`~ctz.catalog.model.Goal.verdict_direction`), or None.
    lang
        ``zh`` or ``en``.
    """
    name = result.name_zh if lang == "zh" else result.name_en
    verdict = word(result.verdict, lang)
    if result.verdict == "unknown":
        need = word(needed_data(result.reason), lang)
        return f"{name}：{verdict}——{need}。" if lang == "zh" else f"{name}: {verdict} — {need}."
    measured = _amount(result.measured, result.unit, lang)
    target = _amount(result.target, result.unit, lang)
    bound = word(direction, lang) if direction else ""
    if lang == "zh":
        return f"{name}：{verdict}。实测{measured}，目标{bound}{target}。"
    return f"{name}: {verdict} — {measured} measured against a target of {bound} {target}.".replace(
        "of  ", "of "
    )


def findings(briefing: Briefing) -> list[tuple[str, str]]:
    """Return ``(verdict, sentence)`` per goal: not met first, then met, then unknown."""
    report: Report = briefing.report
    goals = briefing.catalog.goals
    ordered = sorted(report.results, key=lambda r: VERDICT_ORDER.index(r.verdict))
    return [
        (
            r.verdict,
            goal_sentence(
                r, goals[r.goal_id].verdict_direction if r.goal_id in goals else None, briefing.lang
            ),
        )
        for r in ordered
    ]


@dataclass(frozen=True)
class KeyNumber:
    """One headline figure: what it is, its value, and its range when the model gives one."""

    label: str
    value: str
    low_high: str = MISSING


INDICATOR_KINDS: dict[str, str] = {"share": "share", "min": "minutes", "minutes": "minutes"}
"""Unit of a commute indicator to the way its value is written."""


def indicator_numbers(commute: CommuteResult, lang: str) -> list[KeyNumber]:
    """Return the commute model's indicators with their ranges, when the result carries them.

    A result with an ``indicators`` table (columns ``id, name_zh, rule, value, unit, low,
    high``) gives one key number per row, its range written ``low–high``; a result
    without one gives none.
    """
    table = getattr(commute, "indicators", None)
    if table is None or not len(table):
        return []
    numbers = []
    for row in table.to_dict(orient="records"):
        kind = INDICATOR_KINDS.get(str(row.get("unit")), "plain")
        label = row["name_zh"] if lang == "zh" else str(row.get("rule", row["id"])).split(",")[0]
        low, high = (planner_number(row.get(k), kind) for k in ("low", "high"))
        spread = MISSING if MISSING in (low, high) else f"{low}–{high}"
        numbers.append(KeyNumber(label, planner_number(row["value"], kind), spread))
    return numbers


def key_numbers(commute: CommuteResult, lang: str) -> list[KeyNumber]:
    """Return the commute figures a briefing leads with, written as a planner writes them.

    The one place that reads the commute indicators: the model's indicators with
    their ranges (:func:`indicator_numbers`) when it gives them (they hold the
    slowest pairs of cores, station to station and door to door); without them, the
    slowest core pair, each pair's best time and the share of people within 60
    minutes of their nearest core (in the scenario and today); then the population.
    """
    indicators = indicator_numbers(commute, lang)
    goal = commute.goal
    names = {core: name.split(" ")[0] for core, name in core_names(commute, lang).items()}
    numbers = list(indicators)
    if not indicators:  # the indicators already hold the slowest pairs, with their ranges
        numbers.append(
            KeyNumber(word("slowest_pair", lang), _amount(goal.slowest_pair_minutes, "min", lang))
        )
        pairs = commute.core_pairs
        for start, end, best in zip(pairs["from"], pairs["to"], pairs["best"], strict=True):
            label = f"{names.get(start, start)} – {names.get(end, end)}"
            numbers.append(KeyNumber(label, _amount(best, "min", lang)))
    coverage = commute.coverage
    sixty = coverage[(coverage["origin"] == NEAREST) & (coverage["minutes"] == goal.minutes)]
    if len(sixty) and not indicators:
        row = sixty.iloc[0]
        numbers.append(
            KeyNumber(
                f"{word('share_within_60', lang)} ({commute.scenario})",
                planner_number(row["scenario"], "share"),
            )
        )
        numbers.append(
            KeyNumber(
                f"{word('share_within_60', lang)} ({word('today', lang)})",
                planner_number(row["baseline"], "share"),
            )
        )
    numbers.append(
        KeyNumber(word("people_total", lang), _amount(commute.population, "people", lang))
    )
    return numbers

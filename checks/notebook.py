"""Check results as compact HTML tables, verdict first, for a notebook's display."""

from __future__ import annotations

import html

from ctz.checks.commute.result import NEAREST, CommuteResult
from ctz.checks.result import Report
from ctz.words import MISSING, goal_number, planner_number, unit_word, word

NOTEBOOK_LANG = "zh"
"""Language of the notebook views."""

VERDICT_COLOURS: dict[str, str] = {"met": "#2b8a3e", "not_met": "#c92a2a", "unknown": "#868e96"}


def _verdict(verdict: str, lang: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#212529")
    return f'<td style="color:{colour};font-weight:600">{html.escape(word(verdict, lang))}</td>'


def _cell(text: str, number: bool = False) -> str:
    align = ' style="text-align:right"' if number else ""
    return f"<td{align}>{html.escape(text)}</td>"


def report_html(report: Report, lang: str = NOTEBOOK_LANG) -> str:
    """Return one row per goal: verdict, name, measured, target, unit; then the verdict counts."""
    keys = ("verdict", "goal", "measured", "target", "unit")
    head = "".join(f"<th>{html.escape(word(k, lang))}</th>" for k in keys)
    rows = "".join(
        "<tr>"
        + _verdict(r.verdict, lang)
        + _cell(r.name_zh if lang == "zh" else r.name_en)
        + _cell(goal_number(r.measured, r.unit), number=True)
        + _cell(goal_number(r.target, r.unit), number=True)
        + _cell(unit_word(r.unit, lang))
        + "</tr>"
        for r in report.results
    )
    counts = " · ".join(f"{word(v, lang)} {n}" for v, n in report.verdicts.items())
    return (
        f"<div><p><b>{html.escape(counts)}</b> ({html.escape(report.source)})</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def commute_html(result: CommuteResult, lang: str = NOTEBOOK_LANG) -> str:
    """Return the verdict, the core-to-core times and the share within 60 minutes."""
    goal = result.goal
    names = dict(zip(result.cores["id"], result.cores[f"name_{lang}"], strict=True))
    pairs = result.core_pairs
    rows = "".join(
        "<tr>"
        + _verdict("met" if best <= goal.minutes else "not_met", lang)
        + _cell(f"{names.get(a, a)} – {names.get(b, b)}")
        + _cell(planner_number(best, "minutes"), number=True)
        + _cell(planner_number(today, "minutes"), number=True)
        + "</tr>"
        for a, b, best, today in zip(
            pairs["from"], pairs["to"], pairs["best"], pairs["best_baseline"], strict=True
        )
    )
    coverage = result.coverage
    sixty = coverage[(coverage["origin"] == NEAREST) & (coverage["minutes"] == goal.minutes)]
    share = planner_number(sixty["scenario"].iloc[0], "share") if len(sixty) else MISSING
    head = "".join(
        f"<th>{html.escape(word(k, lang))}</th>"
        for k in ("verdict", "name", "best_min", "best_today_min")
    )
    title = (
        f"{word(goal.verdict, lang)} · {result.scenario} · {word('share_within_60', lang)} {share}"
    )
    return (
        f'<div><p><b style="color:{VERDICT_COLOURS.get(goal.verdict)}">{html.escape(title)}</b>'
        + (f"<br>{html.escape(goal.reason)}" if goal.reason else "")
        + f"</p><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )

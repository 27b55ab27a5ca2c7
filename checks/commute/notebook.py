"""A commute result as a compact HTML table, verdict first, for a notebook's display."""

from __future__ import annotations

import html

from ctz.checks.commute.result import NEAREST, CommuteResult
from ctz.checks.notebook import NOTEBOOK_LANG, VERDICT_COLOURS, text_cell, verdict_cell
from ctz.words import MISSING, planner_number, word


def commute_html(result: CommuteResult, lang: str = NOTEBOOK_LANG) -> str:
    """Return the verdict, the core-to-core times and the share within 60 minutes."""
    goal = result.goal
    names = dict(zip(result.cores["id"], result.cores[f"name_{lang}"], strict=True))
    pairs = result.core_pairs
    rows = "".join(
        "<tr>"
        + verdict_cell("met" if best <= goal.minutes else "not_met", lang)
        + text_cell(f"{names.get(a, a)} – {names.get(b, b)}")
        + text_cell(planner_number(best, "minutes"), number=True)
        + text_cell(planner_number(today, "minutes"), number=True)
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

"""Check results as compact HTML tables, verdict first, for a notebook's display."""

from __future__ import annotations

import html

from ctz.checks.result import Report
from ctz.words import goal_number, unit_word, word

NOTEBOOK_LANG = "zh"
"""Language of the notebook views."""

VERDICT_COLOURS: dict[str, str] = {"met": "#2b8a3e", "not_met": "#c92a2a", "unknown": "#868e96"}


def verdict_cell(verdict: str, lang: str) -> str:
    """Return a table cell with the verdict in ``lang``, coloured by it."""
    colour = VERDICT_COLOURS.get(verdict, "#212529")
    return f'<td style="color:{colour};font-weight:600">{html.escape(word(verdict, lang))}</td>'


def text_cell(text: str, *, number: bool = False) -> str:
    """Return an escaped table cell, right-aligned for a number."""
    align = ' style="text-align:right"' if number else ""
    return f"<td{align}>{html.escape(text)}</td>"


def report_html(report: Report, lang: str = NOTEBOOK_LANG) -> str:
    """Return one row per goal: verdict, name, measured, target, unit; then the verdict counts."""
    keys = ("verdict", "goal", "measured", "target", "unit")
    head = "".join(f"<th>{html.escape(word(k, lang))}</th>" for k in keys)
    rows = "".join(
        "<tr>"
        + verdict_cell(r.verdict, lang)
        + text_cell(r.name_zh if lang == "zh" else r.name_en)
        + text_cell(goal_number(r.measured, r.unit), number=True)
        + text_cell(goal_number(r.target, r.unit), number=True)
        + text_cell(unit_word(r.unit, lang))
        + "</tr>"
        for r in report.results
    )
    counts = " · ".join(f"{word(v, lang)} {n}" for v, n in report.verdicts.items())
    return (
        f"<div><p><b>{html.escape(counts)}</b> ({html.escape(report.source)})</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )

"""The goal report as Markdown: a summary table, each goal's evidence, the data coverage.

Every catalog and OpenStreetMap text is escaped, so a name cannot break the
table, start a heading or inject a link or HTML.
"""

from __future__ import annotations

import re

from ctz.checks.result import Report
from ctz.geo.source import credit_line
from ctz.maps.terminal import printable
from ctz.words import goal_number, unit_word

VERDICT_MARKS: dict[str, str] = {"met": "✅ met", "not_met": "❌ not met", "unknown": "❔ unknown"}
"""How each verdict is written in the Markdown report."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def escape_markdown(text: object) -> str:
    """Return ``text`` on one line with every Markdown-significant character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def report_markdown(report: Report) -> str:
    """Return the report as Markdown.

    Parameters
    ----------
    report
        Measured goals and their data coverage.
    """
    counts = report.verdicts
    lines = [
        "# 长株潭一体化 goal check",
        "",
        f"Source: `{printable(report.source).replace('`', '')}`. "
        + ", ".join(f"{n} {VERDICT_MARKS[v]}" for v, n in counts.items())
        + ".",
        "",
        "| verdict | 目标 | goal | measured | target | unit | plans | id |",
        "|---|---|---|---:|---:|---|---|---|",
    ]
    lines += [
        f"| {VERDICT_MARKS[r.verdict]} | {escape_markdown(r.name_zh)} "
        f"| {escape_markdown(r.name_en)} | {goal_number(r.measured, r.unit)} "
        f"| {goal_number(r.target, r.unit)} | {escape_markdown(unit_word(r.unit, 'en'))} "
        f"| {escape_markdown(r.plans)} | {escape_markdown(r.goal_id)} |"
        for r in report.results
    ]
    coverage = report.coverage
    share = coverage.study_area_share
    lines += [
        "",
        "## Data coverage",
        "",
        f"- data: {escape_markdown(credit_line(coverage.source, coverage.data_date))}",
        f"- study area covered by the source's OpenStreetMap data: "
        f"{'none (sketches only)' if share is None else f'{share:.1%}'}",
    ]
    if coverage.items is not None:
        lines.append(
            f"- catalog items matched in OpenStreetMap: "
            f"{coverage.items_matched} of {coverage.items}"
        )
    lines += [f"- ⚠ {escape_markdown(w)}" for w in coverage.warnings]
    for r in report.results:
        lines += [
            "",
            f"## {escape_markdown(r.name_zh)} — {escape_markdown(r.name_en)}",
            "",
            escape_markdown(r.summary),
        ]
        evidence = r.to_dict()["evidence"]
        lines += [
            f"- {escape_markdown(e['role'])}: {escape_markdown(e['label'])} "
            f"({e['lon']}, {e['lat']})"
            for e in evidence
            if e["role"] != "piece"
        ]
    lines += ["", "Map data © OpenStreetMap contributors (ODbL); places © GeoNames (CC BY 4.0)."]
    return "\n".join(lines) + "\n"

"""The goal report as Markdown: a summary table, each goal's evidence, the data coverage.

Every catalog and OpenStreetMap text is escaped, so a name cannot break the
table, start a heading or inject a link or HTML.
"""

from __future__ import annotations

import re

from ctz.checks.data_coverage import DataCoverage
from ctz.checks.result import Report
from ctz.geo.source import credit_line
from ctz.maps.terminal import printable
from ctz.words import goal_number, sentence, unit_word, word

VERDICT_MARKS: dict[str, str] = {"met": "✅", "not_met": "❌", "unknown": "❔"}
"""The mark written before each verdict's word in the Markdown report."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def escape_markdown(text: object) -> str:
    """Return ``text`` on one line with every Markdown-significant character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def report_markdown(report: Report, lang: str = "zh") -> str:
    """Return the report as Markdown, its headings and labels in ``lang``.

    Goal names are given in both languages; each goal's summary is the check's own
    sentence (in English), the data-coverage warnings are in ``lang``.

    Parameters
    ----------
    report
        Measured goals and their data coverage.
    lang
        ``zh`` or ``en``.
    """
    columns = ("verdict", "goal_zh", "goal_en", "measured", "target", "unit", "plans", "goal_id")
    lines = [
        f"# {word('goal check title', lang)}",
        "",
        f"{word('data', lang)}{colon(lang)}`{printable(report.source).replace('`', '')}`. "
        + ", ".join(f"{n} {verdict_text(v, lang)}" for v, n in report.verdicts.items())
        + ".",
        "",
        "| " + " | ".join(word(c, lang) for c in columns) + " |",
        "|---|---|---|---:|---:|---|---|---|",
    ]
    lines += [
        f"| {verdict_text(r.verdict, lang)} | {escape_markdown(r.name_zh)} "
        f"| {escape_markdown(r.name_en)} | {goal_number(r.measured, r.unit)} "
        f"| {goal_number(r.target, r.unit)} | {escape_markdown(unit_word(r.unit, lang))} "
        f"| {escape_markdown(r.plans)} | {escape_markdown(r.goal_id)} |"
        for r in report.results
    ]
    lines += coverage_markdown(report.coverage, lang)
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
    lines += ["", word("markdown credit", lang)]
    return "\n".join(lines) + "\n"


def colon(lang: str) -> str:
    """Return the colon after a label: full width in Chinese."""
    return "：" if lang == "zh" else ": "


def verdict_text(verdict: str, lang: str) -> str:
    """Return a verdict as the report writes it: its mark and its word in ``lang``."""
    return f"{VERDICT_MARKS[verdict]} {word(verdict, lang)}"


def coverage_markdown(coverage: DataCoverage, lang: str) -> list[str]:
    """Return the report's data-coverage section: the data, its share, matches, warnings."""
    share = coverage.study_area_share
    lines = [
        "",
        f"## {word('data coverage', lang)}",
        "",
        f"- {word('data', lang)}{colon(lang)}"
        f"{escape_markdown(credit_line(coverage.source, coverage.data_date))}",
        f"- {word('study area covered', lang)}{colon(lang)}"
        f"{word('sketches only', lang) if share is None else f'{share:.1%}'}",
    ]
    if coverage.items is not None:
        lines.append(
            f"- {word('items matched', lang)}{colon(lang)}"
            + word("n of m", lang).format(coverage.items_matched, coverage.items)
        )
    lines += [f"- ⚠ {escape_markdown(sentence(w, lang))}" for w in coverage.warnings]
    return lines

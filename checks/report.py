"""The goal report: table rows, Markdown and JSON from a list of goal results."""

from __future__ import annotations

from typing import Any

from ctz.checks.result import GoalResult

VERDICT_MARKS: dict[str, str] = {"met": "✅ met", "not_met": "❌ not met", "unknown": "❔ unknown"}
"""How each verdict is written in the Markdown report."""


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def table_rows(results: list[GoalResult]) -> list[dict[str, str]]:
    """One plain-text row per result: goal, measured, target, verdict, summary."""
    return [
        {
            "goal": r.goal_id,
            "name_zh": r.name_zh,
            "measured": _number(r.measured),
            "target": _number(r.target),
            "unit": r.unit,
            "verdict": r.verdict,
            "summary": r.summary,
        }
        for r in results
    ]


def verdict_counts(results: list[GoalResult]) -> dict[str, int]:
    """How many results have each verdict."""
    return {v: sum(r.verdict == v for r in results) for v in VERDICT_MARKS}


def report_json(results: list[GoalResult], source: str) -> dict[str, Any]:
    """Return the whole report as JSON-ready data: source, verdict counts and every result."""
    return {
        "source": source,
        "verdicts": verdict_counts(results),
        "goals": [r.to_dict() for r in results],
    }


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(results: list[GoalResult], source: str) -> str:
    """Return the report as Markdown: a summary table, then each goal's evidence.

    Parameters
    ----------
    results
        Measured goals.
    source
        The geometry source the figures came from.
    """
    counts = verdict_counts(results)
    lines = [
        "# 长株潭一体化 goal check",
        "",
        f"Source: `{source}`. "
        + ", ".join(f"{n} {VERDICT_MARKS[v]}" for v, n in counts.items())
        + ".",
        "",
        "| goal | 目标 | measured | target | unit | verdict | plans |",
        "|---|---|---:|---:|---|---|---|",
    ]
    lines += [
        f"| `{r.goal_id}` | {_cell(r.name_zh)} | {_number(r.measured)} | {_number(r.target)} "
        f"| {r.unit} | {VERDICT_MARKS[r.verdict]} | {_cell(r.plans)} |"
        for r in results
    ]
    for r in results:
        lines += ["", f"## {r.name_zh} — {r.name_en}", "", _cell(r.summary)]
        evidence = r.to_dict()["evidence"]
        lines += [
            f"- {e['role']}: {_cell(e['label'])} ({e['lon']}, {e['lat']})"
            for e in evidence
            if e["role"] != "piece"
        ]
    if any(r.evidence.shape[0] for r in results):
        lines += ["", "Map data © OpenStreetMap contributors (ODbL)."]
    return "\n".join(lines) + "\n"

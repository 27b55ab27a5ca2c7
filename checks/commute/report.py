"""The commute check's result as JSON-ready data and as text lines."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ctz.checks.commute.coverage import GOAL_MINUTES, THRESHOLDS, Measurement, Study, shares
from ctz.checks.commute.marginal import Gain

ROAD_NETWORKS: dict[str, str] = {
    "embedded": "embedded catalog sketches",
    "osm": "OpenStreetMap drive graph",
}
"""How the text report names the road network of ``report["road_network"]``."""


def commute_report(
    study: Study,
    baseline: Measurement,
    scenario: Measurement,
    scenario_name: str,
    names: dict[str, str],
    gains: list[Gain] | None = None,
) -> dict[str, Any]:
    """Every figure of the check: baseline, scenario and their difference.

    Parameters
    ----------
    study
        Network, cores and cells.
    baseline, scenario
        Measurements with today's items and with the scenario's.
    scenario_name
        ``existing``, ``all`` or a year.
    names
        Chinese name of every county and city code.
    gains
        Marginal gains of planned items (``--marginal``), or None.

    Returns
    -------
    dict
        JSON-ready.
    """
    population = study.population
    pairs: list[dict[str, Any]] = []
    for i, a in enumerate(study.cores):
        for j, b in enumerate(study.cores):
            if i < j:
                pairs.append(
                    {
                        "from": a.id,
                        "to": b.id,
                        "road": _minutes(scenario.road[i, j]),
                        "rail": _minutes(scenario.rail[i, j]),
                        "best": _minutes(scenario.best[i, j]),
                        "best_baseline": _minutes(baseline.best[i, j]),
                    }
                )
    coverage = {
        "nearest": _compare(
            shares(baseline.nearest, population), shares(scenario.nearest, population)
        )
    }
    for k, core in enumerate(study.cores):
        coverage[core.id] = _compare(
            shares(baseline.cell_minutes[k], population),
            shares(scenario.cell_minutes[k], population),
        )
    worst = max((p["best"] or np.inf for p in pairs), default=np.inf)
    share60 = coverage["nearest"][str(GOAL_MINUTES)]
    met = bool(worst <= GOAL_MINUTES)
    report: dict[str, Any] = {
        "scenario": scenario_name,
        "baseline": "existing",
        "population": int(population.sum()),
        "cells": len(population),
        "cores": [{"id": c.id, "name_zh": c.name_zh, "name_en": c.name_en} for c in study.cores],
        "core_to_core_minutes": pairs,
        "coverage": coverage,
        "by_city": _breakdown(study, baseline, scenario, "city", names),
        "by_county": _breakdown(study, baseline, scenario, "code", names),
        "goal": {
            "minutes": GOAL_MINUTES,
            "verdict": "met" if met else "not_met",
            "rule": "every pair of city cores within 60 minutes by the best mode",
            "slowest_pair_minutes": _minutes(worst),
            "share_within_60_of_nearest_core": share60["scenario"],
        },
    }
    if gains is not None:
        report["marginal"] = [
            {"item_id": g.item_id, "people_newly_within_60": g.people, "share": round(g.share, 4)}
            for g in gains
        ]
    return report


def _minutes(value: float) -> float | None:
    return round(float(value), 1) if np.isfinite(value) else None


def _compare(before: dict[int, float], after: dict[int, float]) -> dict[str, dict[str, float]]:
    return {
        str(t): {
            "baseline": round(before[t], 4),
            "scenario": round(after[t], 4),
            "delta": round(after[t] - before[t], 4),
        }
        for t in THRESHOLDS
    }


def _breakdown(
    study: Study, baseline: Measurement, scenario: Measurement, column: str, names: dict[str, str]
) -> list[dict[str, Any]]:
    frame = pd.DataFrame(
        {
            "unit": study.cells[column].to_numpy(),
            "people": study.population,
            "before": study.population * (baseline.nearest <= GOAL_MINUTES),
            "after": study.population * (scenario.nearest <= GOAL_MINUTES),
        }
    )
    sums = frame.groupby("unit").sum()
    return [
        {
            "code": unit,
            "name_zh": names.get(str(unit), str(unit)),
            "population": int(row.people),
            "within_60_baseline": round(row.before / row.people, 4) if row.people else 0.0,
            "within_60_scenario": round(row.after / row.people, 4) if row.people else 0.0,
            "delta": round((row.after - row.before) / row.people, 4) if row.people else 0.0,
        }
        for unit, row in sums.iterrows()
    ]


def render_text(report: dict[str, Any]) -> list[str]:
    """Render the report as plain-text lines for the terminal."""
    lines = [
        f"scenario: {report['scenario']} (compared with {report['baseline']}); "
        f"population {report['population']:,} on {report['cells']:,} cells; "
        f"roads: {ROAD_NETWORKS[report.get('road_network', 'embedded')]}",
        "",
        "core-to-core minutes     road    rail    best  (best today)",
    ]
    for p in report["core_to_core_minutes"]:
        cells = [_fmt(p[k]) for k in ("road", "rail", "best", "best_baseline")]
        road, rail, best, today = cells
        lines.append(f"  {p['from']:>9} → {p['to']:<9} {road:>6}  {rail:>6}  {best:>6}  ({today})")
    lines += ["", "population share within   " + "  ".join(f"{t:>14}" for t in THRESHOLDS)]
    for who, bands in report["coverage"].items():
        row = "  ".join(
            f"{bands[str(t)]['scenario']:>6.1%} ({bands[str(t)]['delta']:+.1%})" for t in THRESHOLDS
        )
        lines.append(f"  {who:<22}  {row}")
    for title, key in (("city", "by_city"), ("county", "by_county")):
        lines += ["", f"within 60 min of the nearest core, by {title}: scenario (change)"]
        lines += [
            f"  {r['code']} {r['name_zh']:<6} {r['population']:>10,}  "
            f"{r['within_60_scenario']:>6.1%} ({r['delta']:+.1%})"
            for r in report[key]
        ]
    goal = report["goal"]
    lines += [
        "",
        f"goal 一小时通勤圈 ({goal['rule']}): {goal['verdict'].upper()} — slowest pair "
        f"{_fmt(goal['slowest_pair_minutes'])} min; {goal['share_within_60_of_nearest_core']:.1%} "
        "of people within 60 min of their nearest core",
    ]
    if "marginal" in report:
        lines += ["", "planned items by people newly within 60 min (each alone on today's network)"]
        helpful = [g for g in report["marginal"] if g["people_newly_within_60"]]
        lines += [
            f"  {g['item_id']:<40} {g['people_newly_within_60']:>10,}  {g['share']:>6.1%}"
            for g in helpful
        ]
        lines.append(
            f"  ({len(report['marginal']) - len(helpful)} more items add nobody on their own)"
        )
    return lines


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"

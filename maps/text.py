"""Plain-text renderings for a terminal: the goal table rows and the commute report lines.

Every name passes through :func:`~ctz.maps.terminal.printable` before it is printed.
"""

from __future__ import annotations

from typing import Any

from ctz.checks.commute.compare import ScenarioComparison
from ctz.checks.commute.coverage import THRESHOLDS
from ctz.checks.commute.goal import ROAD_NETWORKS, figure_with_range
from ctz.checks.commute.result import CommuteResult
from ctz.checks.result import Report
from ctz.maps.terminal import printable
from ctz.words import goal_number, unit_word, word


def goal_rows(report: Report, lang: str = "zh") -> list[dict[str, str]]:
    """One plain-text row per goal, verdict first: verdict, name, measured, target, unit, summary.

    Keys are the column headers in ``lang``; names, not ids (ids are in ``--json``);
    values as a planner writes them in the goal's unit. The summary column is left out in
    Chinese, where the checks' one-line summaries (written in English) would not read.
    """
    rows = []
    for r in report.results:
        row = {
            word("verdict", lang): word(r.verdict, lang),
            word("goal", lang): printable(r.name_zh if lang == "zh" else r.name_en),
            word("measured", lang): goal_number(r.measured, r.unit),
            word("target", lang): goal_number(r.target, r.unit),
            word("unit", lang): unit_word(r.unit, lang),
        }
        if lang != "zh":
            row[word("summary", lang)] = printable(r.summary)
        rows.append(row)
    return rows


def coverage_lines(warnings: tuple[str, ...] | list[str]) -> list[str]:
    """Return the data-coverage warnings as one ``note:`` line each."""
    return [f"note: {printable(w)}" for w in warnings]


def commute_lines(result: CommuteResult) -> list[str]:
    """Render a commute result as plain-text lines for the terminal."""
    report = result.to_dict()
    lines = [
        f"scenario: {printable(report['scenario'])} (compared with {report['baseline']}); "
        f"population {report['population']:,} on {report['cells']:,} cells; "
        f"roads: {ROAD_NETWORKS[report['road_network']]}",
        "",
    ]
    pairs = [
        (f"{printable(p['from'])} → {printable(p['to'])}", p)
        for p in report["core_to_core_minutes"]
    ]
    width = max([len("core-to-core minutes"), *(len(name) for name, _ in pairs)])
    lines.append(
        f"{'core-to-core minutes':<{width + 2}}  road    rail    best  (range)    (best today)"
        "  station to station"
    )
    for name, p in pairs:
        road, rail, best, today, low, high, ride = (
            _minutes(p.get(k))
            for k in (
                "road",
                "rail",
                "best",
                "best_baseline",
                "best_low",
                "best_high",
                "station_to_station",
            )
        )
        service = printable(p.get("station_service") or "no direct service")
        lines.append(
            f"  {name:<{width}} {road:>5}  {rail:>6}  {best:>6}  {f'({low}–{high})':<9}"
            f"  ({today})  {ride:>8} {service}"
        )
    lines += ["", "population share within   " + "  ".join(f"{t:>14}" for t in THRESHOLDS)]
    for who, bands in report["coverage"].items():
        row = "  ".join(
            f"{bands[str(t)]['scenario']:>6.1%} ({bands[str(t)]['delta']:+.1%})" for t in THRESHOLDS
        )
        lines.append(f"  {who:<22}  {row}")
    for title, key in (("city", "by_city"), ("county", "by_county")):
        lines += ["", f"within 60 min of the nearest core, by {title}: scenario (change)"]
        lines += [
            f"  {r['code']} {printable(r['name_zh']):<6} {r['population']:>10,}  "
            f"{r['within_60_scenario']:>6.1%} ({r['delta']:+.1%})"
            for r in report[key]
        ]
    lines += _indicator_lines(report["indicators"])
    goal = report["goal"]
    verdict = goal["verdict"].upper().replace("_", " ")
    figure = figure_with_range(goal["value"], goal["low"], goal["high"], goal["unit"])
    lines += [
        "",
        f"goal 一小时通勤圈: {verdict} — {printable(goal['rule'])}: {figure}",
        "  the verdict holds over the whole range of the uncertain assumptions"
        if goal["holds_over_range"]
        else "  the verdict flips inside the range of the uncertain assumptions",
    ]
    if goal["reason"]:
        lines.append(f"  unknown because {printable(goal['reason'])}")
    lines += _service_lines(report["services"])
    lines += _contribution_lines(report["contributions"])
    if "marginal" in report:
        lines += ["", "planned items by people newly within 60 min (each alone on today's network)"]
        helpful = [g for g in report["marginal"] if g["people_newly_within_60"]]
        lines += [
            f"  {printable(g['name_zh'] or g['item_id']):<30} "
            f"{g['people_newly_within_60']:>10,}  {g['share']:>6.1%}"
            for g in helpful
        ]
        lines.append(
            f"  ({len(report['marginal']) - len(helpful)} more items add nobody on their own)"
        )
    warnings = report["data_coverage"]["warnings"]
    if warnings:
        lines += ["", *coverage_lines(warnings)]
    return lines


def _indicator_lines(indicators: list[dict[str, Any]]) -> list[str]:
    """Return the goal's indicators, each with its range over the uncertain assumptions."""
    if not indicators:
        return []
    lines = ["", "indicators (range over congestion, circuity, access speed and wait model)"]
    for row in indicators:
        figure = figure_with_range(row["value"], row["low"], row["high"], row["unit"])
        people = f", {row['population']:,} people" if row["population"] else ""
        lines.append(f"  {printable(row['id']):<26} {figure:<22} {printable(row['rule'])}{people}")
    return lines


def comparison_lines(comparison: ScenarioComparison) -> list[str]:
    """Render scenarios side by side: core-to-core minutes, then coverage shares."""
    names = [printable(n) for n in comparison.scenarios]
    width = max(10, *(len(n) for n in names))
    header = "".join(f"{n:>{width + 2}}" for n in names)
    lines = ["best-mode minutes between cores", f"  {'':<30}{header}"]
    for row in comparison.core_pairs.to_dict(orient="records"):
        pair = f"{printable(row['from'])} → {printable(row['to'])}"
        cells = "".join(f"{_minutes(_value(row[n])):>{width + 2}}" for n in comparison.scenarios)
        lines.append(f"  {pair:<30}{cells}")
    lines += ["", "population share within", f"  {'':<30}{header}"]
    for row in comparison.coverage.to_dict(orient="records"):
        who = f"{printable(row['origin'])} {row['minutes']} min"
        cells = "".join(f"{row[n]:>{width + 2}.1%}" for n in comparison.scenarios)
        lines.append(f"  {who:<30}{cells}")
    return lines


def _value(value: float) -> float | None:
    return None if value != value else float(value)  # NaN: unreachable


def _service_lines(services: list[dict[str, Any]]) -> list[str]:
    """Return the rail and transit services: each feed's, then how many catalog sketches run."""
    if not services:
        return []
    lines = ["", "rail and transit services"]
    feeds = sorted({s["source"] for s in services if s["use"] == "timetable"})
    for feed in feeds:
        named = [
            printable(s["name"]) + ("" if not s["note"] else f" ({printable(s['note'])})")
            for s in services
            if s["source"] == feed and s["use"] == "timetable"
        ]
        lines.append(f"  timetable {printable(feed)}: {', '.join(named)}")
    sketches = [s for s in services if s["use"] == "sketch"]
    replaced = [s for s in services if s["use"] == "replaced"]
    lines.append(
        f"  {len(sketches)} catalog lines at their kind's constant headway; "
        f"{len(replaced)} replaced by a feed"
    )
    return lines


def _contribution_lines(contributions: list[dict[str, Any]]) -> list[str]:
    """Return what the scenario adds, item by item, with the reason when an item adds nothing."""
    if not contributions:
        return []
    lines = ["", "what the scenario adds (each item alone on today's network)"]
    for row in contributions:
        name = row.get("name_zh") or row["item_id"]
        lines.append(
            f"  {printable(name):<30} {row['people_newly_within_60']:>10,}  "
            f"{row['verdict']}: {printable(row['reason'])}"
        )
    return lines


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"

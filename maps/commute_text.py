"""Plain-text commute reports for a terminal: one scenario's result, or several side by side.

Written as :mod:`ctz.maps.text` writes the goal table: in ``lang`` (``zh`` or ``en``),
names rather than ids, numbers as a planner writes them, every name printable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ctz.checks.commute.coverage import THRESHOLDS
from ctz.checks.commute.result import NEAREST
from ctz.checks.commute.scenario import BASELINE
from ctz.layers.boundaries import city_boundaries, county_boundaries
from ctz.maps.terminal import printable
from ctz.maps.text import INDENT, coverage_lines, named, quoted, table_lines
from ctz.words import needed_data, planner_number, sentence, word

if TYPE_CHECKING:
    from ctz.catalog.model import Catalog
    from ctz.checks.commute.compare import ScenarioComparison
    from ctz.checks.commute.result import CommuteResult


def scenario_word(name: str, lang: str) -> str:
    """Return a scenario's name in ``lang``: today's network, all planned, a year or a file's."""
    return printable(word("today" if name == BASELINE else name, lang))


def core_names(result: CommuteResult, lang: str) -> dict[str, str]:
    """Return each core's id to its short name in ``lang``: the city (长沙, Changsha)."""
    column = "name_zh" if lang == "zh" else "name_en"
    return {
        core: str(name).split(" ")[0]
        for core, name in zip(result.cores["id"], result.cores[column], strict=True)
    }


def place_names(lang: str) -> dict[str, str]:
    """Return each city and county code to its name in ``lang``."""
    column = "name_zh" if lang == "zh" else "name_en"
    places = [city_boundaries(), county_boundaries()]
    return {code: name for p in places for code, name in zip(p["code"], p[column], strict=True)}


def _amount(value: float | None, unit: str, lang: str) -> str:
    """Return a value with its unit word: ``59分钟`` / ``59 min``, ``69.4%``."""
    if unit == "share":
        return planner_number(value, "share")
    text = planner_number(value, "minutes" if unit == "min" else "people")
    return f"{text}{word(unit, lang)}" if lang == "zh" else f"{text} {word(unit, lang)}"


def _with_range(row: dict[str, Any], lang: str) -> str:
    """Return a figure and its range over the uncertain assumptions: ``84.4% (73.1%–89.9%)``."""
    value, low, high = (_amount(row[k], row["unit"], lang) for k in ("value", "low", "high"))
    return f"{value}（{low}–{high}）" if lang == "zh" else f"{value} ({low}–{high})"


def _change(share: float, delta: float) -> str:
    """Return a share and its change in percentage points: ``76.8% (+0.0)``."""
    return f"{planner_number(share, 'share')} ({planner_number(delta * 100, 'change')})"


def commute_lines(result: CommuteResult, lang: str = "zh") -> list[str]:
    """Render a commute result as plain-text lines for the terminal, in ``lang``.

    The scenario, the minutes between cores, the shares of people within 30–90
    minutes, the 60-minute share by city and county, the goal's indicators and
    verdict, the services, what the scenario's items add, and the data warnings.
    """
    report = result.to_dict()
    cores = core_names(result, lang)
    lines = [
        _scenario_line(report, lang),
        *_core_pair_lines(report["core_to_core_minutes"], cores, lang),
        *_share_lines(report, cores, lang),
        *_indicator_lines(report["indicators"], cores, lang),
        *_goal_lines(report, cores, lang),
        *_service_lines(report["services"], lang),
        *_contribution_lines(report["contributions"], lang),
        *_marginal_lines(report.get("marginal"), lang),
    ]
    warnings = report["data_coverage"]["warnings"]
    if warnings:
        lines += ["", *coverage_lines(warnings, lang)]
    return lines


def _scenario_line(report: dict[str, Any], lang: str) -> str:
    """Return the first line: the scenario against today, the people and cells, the roads."""
    scenario_name = scenario_word(report["scenario"], lang)
    baseline = scenario_word(report["baseline"], lang)
    cells = planner_number(report["cells"], "count")
    roads = word(f"{report['road_network']}_roads", lang)
    people = _amount(report["population"], "people", lang)
    if lang == "zh":
        return (
            f"情景：{scenario_name}（对比{baseline}）；人口 {people}，{cells}个网格；路网：{roads}"
        )
    return (
        f"scenario: {scenario_name} (compared with {baseline}); {people} on {cells} cells; "
        f"roads: {roads}"
    )


def _core_pair_lines(pairs: list[dict[str, Any]], cores: dict[str, str], lang: str) -> list[str]:
    """Return the minutes between each pair of cores by road, rail and the best of both."""
    header = [
        "",
        *(word(k, lang) for k in ("road", "rail", "best", "range", "best_today")),
        word("station_to_station", lang),
        "",
    ]
    rows = []
    for p in pairs:
        minutes = [planner_number(p.get(k), "minutes") for k in ("road", "rail", "best")]
        low, high = (planner_number(p.get(k), "minutes") for k in ("best_low", "best_high"))
        service = p.get("station_service")
        rows.append(
            [
                f"{cores[p['from']]} – {cores[p['to']]}",
                *minutes,
                f"{low}–{high}",
                planner_number(p.get("best_baseline"), "minutes"),
                planner_number(p.get("station_to_station"), "minutes"),
                quoted(service, lang) if service else word("no_direct_service", lang),
            ]
        )
    return ["", word("core_minutes", lang), *table_lines(header, rows)]


def _share_lines(report: dict[str, Any], cores: dict[str, str], lang: str) -> list[str]:
    """Return the shares of people within 30–90 minutes, then within 60 by city and county."""
    origins = {NEAREST: word("nearest", lang), **cores}
    rows = [
        [
            origins.get(who, who),
            *(_change(bands[str(t)]["scenario"], bands[str(t)]["delta"]) for t in THRESHOLDS),
        ]
        for who, bands in report["coverage"].items()
    ]
    header = ["", *(_amount(t, "min", lang) for t in THRESHOLDS)]
    lines = ["", word("share_within", lang), *table_lines(header, rows)]
    places = place_names(lang)
    header = ["", word("population", lang), word("within_60_scenario", lang)]
    for title, key in (("within_60_by_city", "by_city"), ("within_60_by_county", "by_county")):
        rows = [
            [
                places.get(r["code"], r["name_zh"]),
                planner_number(r["population"], "people"),
                _change(r["within_60_scenario"], r["delta"]),
            ]
            for r in report[key]
        ]
        lines += ["", word(title, lang), *table_lines(header, rows)]
    return lines


def _marginal_lines(marginal: list[dict[str, Any]] | None, lang: str) -> list[str]:
    """Return the planned items that bring people within 60 minutes, each alone (``--marginal``)."""
    if marginal is None:
        return []
    helpful = [g for g in marginal if g["people_newly_within_60"]]
    rows = [
        [
            quoted(g["name_zh"] or g["item_id"], lang),
            planner_number(g["people_newly_within_60"], "people"),
            planner_number(g["share"], "share"),
        ]
        for g in helpful
    ]
    header = ["", word("newly_within_60", lang), word("share_of_population", lang)]
    more = INDENT + word("more_add_nobody", lang).format(len(marginal) - len(helpful))
    return ["", word("marginal", lang), *table_lines(header, rows), more]


def _indicator_lines(
    indicators: list[dict[str, Any]], cores: dict[str, str], lang: str
) -> list[str]:
    """Return the goal's indicators, each with its range over the uncertain assumptions."""
    if not indicators:
        return []
    lines = ["", word("indicators", lang)]
    for row in indicators:
        name = row["name_zh"] if lang == "zh" else named(row["rule"], cores)
        comma, colon = ("，", "：") if lang == "zh" else (", ", ": ")
        people = f"{comma}{_amount(row['population'], 'people', lang)}" if row["population"] else ""
        lines.append(f"{INDENT}{printable(name)}{people}{colon}{_with_range(row, lang)}")
    return lines


def _goal_lines(report: dict[str, Any], cores: dict[str, str], lang: str) -> list[str]:
    """Return the one-hour goal's verdict, its rule and figure, and whether it holds."""
    goal = report["goal"]
    indicator = next((i for i in report["indicators"] if i["id"] == goal["indicator"]), None)
    if lang == "zh":
        rule = indicator["name_zh"] if indicator else word("share_within_60", lang)
    else:
        rule = named(indicator["rule"], cores) if indicator else word("share_within_60", lang)
    target = f"{word(goal['direction'], lang)} {_amount(goal['threshold'], goal['unit'], lang)}"
    figure = _with_range(goal, lang)
    colon = "：" if lang == "zh" else ": "
    lines = [
        "",
        f"{word('commute_goal', lang)}{colon}{word(goal['verdict'], lang)} — "
        f"{printable(rule)} {target}{colon}{word('measured_value', lang)} {figure}",
        INDENT + word("holds_over_range" if goal["holds_over_range"] else "flips_in_range", lang),
    ]
    if goal["reason"]:
        reason = word(needed_data(goal["reason"]), lang) if lang == "zh" else goal["reason"]
        lines.append(INDENT + printable(named(reason, cores)))
    return lines


def comparison_lines(
    comparison: ScenarioComparison, catalog: Catalog, lang: str = "zh"
) -> list[str]:
    """Render scenarios side by side: core-to-core minutes, then coverage shares.

    The cores are named by the ``catalog``'s city cores.
    """
    column = "name_zh" if lang == "zh" else "name_en"
    cores = {i: getattr(core, column).split(" ")[0] for i, core in catalog.cores.items()}
    origins = {NEAREST: word("nearest", lang), **cores}
    names = [scenario_word(n, lang) for n in comparison.scenarios]
    rows = [
        [
            f"{cores.get(row['from'], row['from'])} – {cores.get(row['to'], row['to'])}",
            *(planner_number(row[n], "minutes") for n in comparison.scenarios),
        ]
        for row in comparison.core_pairs.to_dict(orient="records")
    ]
    lines = [word("best_between_cores", lang), *table_lines(["", *names], rows)]
    rows = [
        [
            f"{origins.get(row['origin'], row['origin'])} {_amount(row['minutes'], 'min', lang)}",
            *(planner_number(row[n], "share") for n in comparison.scenarios),
        ]
        for row in comparison.coverage.to_dict(orient="records")
    ]
    return [*lines, "", word("share_within_by_scenario", lang), *table_lines(["", *names], rows)]


def _service_lines(services: list[dict[str, Any]], lang: str) -> list[str]:
    """Return the rail and transit services: each feed's, then how many catalog sketches run."""
    if not services:
        return []
    lines = ["", word("services", lang)]
    colon = "：" if lang == "zh" else ": "
    feeds = sorted({s["source"] for s in services if s["use"] == "timetable"})
    for feed in feeds:
        named_services = [
            quoted(s["name"], lang) + _aside(sentence(s["note"], lang), lang)
            for s in services
            if s["source"] == feed and s["use"] == "timetable"
        ]
        listed = ("、" if lang == "zh" else ", ").join(named_services)
        lines.append(f"{INDENT}{word('timetable', lang)} {printable(feed)}{colon}{listed}")
    sketches = sum(s["use"] == "sketch" for s in services)
    replaced = sum(s["use"] == "replaced" for s in services)
    lines.append(INDENT + word("sketch_lines", lang).format(sketches, replaced))
    return lines


def _aside(text: str, lang: str) -> str:
    """Return ``text`` in brackets after a name (none when empty)."""
    if not text:
        return ""
    return f"（{printable(text)}）" if lang == "zh" else f" ({printable(text)})"


def _contribution_lines(contributions: list[dict[str, Any]], lang: str) -> list[str]:
    """Return what the scenario adds, item by item, with the reason when an item adds nothing.

    The reason is the check's English sentence; Chinese says the verdict only.
    """
    if not contributions:
        return []
    rows = []
    for row in contributions:
        verdict = word(row["verdict"], lang)
        why = verdict if lang == "zh" else f"{verdict}: {named(row['reason'], {})}"
        rows.append(
            [
                quoted(row.get("name_zh") or row["item_id"], lang),
                planner_number(row["people_newly_within_60"], "people"),
                why,
            ]
        )
    header = ["", word("newly_within_60", lang), ""]
    return ["", word("contributions", lang), *table_lines(header, rows)]

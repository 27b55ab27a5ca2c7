"""Every word a reader sees, in Chinese and English, and numbers written as a planner writes them.

One table, :data:`WORDS`, holds the visible words of the reports: verdicts,
item statuses and kinds, units, table headers and the phrases of the findings.
:func:`word` picks a language; :func:`planner_number` formats a value by what it
measures (minutes to 1 min, shares to 0.1 %, people with thousands separators,
counts without decimals). It sits below every stage so that the notebook views
of ``checks`` and ``catalog`` speak the same words as the reports of ``maps``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

MISSING = "—"
"""How a missing value is written."""

WORDS: dict[str, tuple[str, str]] = {
    # verdicts
    "met": ("达标", "met"),
    "not_met": ("未达标", "not met"),
    "unknown": ("未知", "unknown"),
    # item statuses
    "existing": ("已建成", "built"),
    "under_construction": ("在建", "under construction"),
    "planned": ("规划", "planned"),
    "study": ("研究", "under study"),
    "upgrade": ("改扩建", "upgrade"),
    # item kinds
    "expressway": ("高速公路", "expressway"),
    "trunk_road": ("干线公路", "trunk road"),
    "urban_road": ("城市道路", "urban road"),
    "intercity_rail": ("城际铁路", "intercity rail"),
    "high_speed_rail": ("高速铁路", "high-speed rail"),
    "metro": ("城市轨道交通", "metro"),
    "maglev": ("磁浮", "maglev"),
    "station": ("车站", "station"),
    "hub": ("综合交通枢纽", "transport hub"),
    "airport": ("机场", "airport"),
    "port": ("港口", "port"),
    "waterway": ("航道", "waterway"),
    "lock": ("船闸", "lock"),
    "green_heart": ("绿心", "green heart"),
    "park": ("公园 / 绿道", "park or greenway"),
    "logistics": ("物流园区", "logistics park"),
    "water_works": ("水利工程", "water works"),
    "boundary": ("规划范围", "plan area"),
    # units
    "min": ("分钟", "min"),
    "km": ("公里", "km"),
    "pairs/day": ("对/日", "pairs/day"),
    "km2": ("平方公里", "km²"),
    "%": ("%", "%"),
    "pp": ("个百分点", "pp"),
    "count": ("个", ""),
    "class": ("级", "class"),
    "GW": ("吉瓦", "GW"),
    "m2/person": ("平方米/人", "m²/person"),
    "people": ("人", "people"),
    "% of area beyond radius": ("%（半径外面积）", "% of area beyond radius"),
    "% of people": ("%（人口）", "% of people"),
    # table headers
    "goal": ("目标", "Goal"),
    "goal_id": ("目标编号", "Goal id"),
    "verdict": ("结论", "Verdict"),
    "measured": ("实测", "Measured"),
    "target": ("目标值", "Target"),
    "unit": ("单位", "Unit"),
    "summary": ("说明", "Summary"),
    "plans": ("规划出处", "Plan clauses"),
    "from": ("起点", "From"),
    "to": ("终点", "To"),
    "road_min": ("公路（分钟）", "Road (min)"),
    "rail_min": ("轨道（分钟）", "Rail (min)"),
    "best_min": ("最快（分钟）", "Best (min)"),
    "best_today_min": ("现状最快（分钟）", "Best today (min)"),
    "within_min": ("时间圈（分钟）", "Within (min)"),
    "today_share": ("现状占比", "Today"),
    "scenario_share": ("情景占比", "Scenario"),
    "scenario_people": ("情景人口（人）", "Scenario (people)"),
    "code": ("行政区划代码", "Code"),
    "name": ("名称", "Name"),
    "population": ("人口（人）", "Population"),
    "within_60_today": ("现状60分钟内", "Within 60 min today"),
    "within_60_scenario": ("情景60分钟内", "Within 60 min, scenario"),
    "change_pp": ("变化（百分点）", "Change (pp)"),
    "rank": ("排名", "Rank"),
    "item_id": ("项目编号", "Item id"),
    "newly_within_60": ("新增60分钟内人口（人）", "Newly within 60 min (people)"),
    "share_of_population": ("占总人口", "Share of population"),
    "kind": ("类别", "Kind"),
    "status": ("状态", "Status"),
    "target_year": ("目标年份", "Target year"),
    "length_km": ("规划长度（公里）", "Plan length (km)"),
    "citations": ("出处", "Citations"),
    "document": ("文件编号", "Document"),
    "measure": ("项目", "Measure"),
    "value": ("数值", "Value"),
    "source": ("来源", "Source"),
    "credit": ("版权说明", "Credit"),
    # data sources
    "embedded": ("内置示意数据（离线）", "embedded sketches (offline)"),
    "osm": ("OpenStreetMap（在线）", "OpenStreetMap (live)"),
    "auto": ("自动（已下载的数据，否则内置示意）", "auto (the downloaded extract, else sketches)"),
    # the commute model's road network (CommuteResult.road_network + "_roads")
    "osm_roads": ("OpenStreetMap 道路", "OpenStreetMap roads"),
    "embedded_roads": ("内置示意路网（离线）", "embedded sketches (offline)"),
    # data-coverage rows
    "geometry_source": ("几何数据来源", "Geometry source"),
    "road_network": ("通勤路网", "Commute road network"),
    "scenario": ("通勤情景", "Commute scenario"),
    "grid_km": ("人口网格边长（公里）", "Population grid cell (km)"),
    "study_area_share": ("OpenStreetMap数据覆盖研究区", "Study area covered by OpenStreetMap"),
    "items": ("规划项目数", "Catalog items"),
    "items_matched": ("在OpenStreetMap中匹配的项目", "Items matched in OpenStreetMap"),
    "warning": ("提示", "Warning"),
    "command": ("命令", "Command"),
    "about": ("关于", "About"),
    "date": ("日期", "Date"),
    # sections of the briefing
    "findings": ("主要结论", "Findings"),
    "key_numbers": ("关键数字", "Key numbers"),
    "figures": ("图", "Figures"),
    "tables": ("表", "Tables"),
    "appendix": ("附录", "Appendix"),
    "figure": ("图", "Figure"),
    "table": ("表", "Table"),
    "page": ("页", "page"),
    # phrases of the findings and the map's title area
    "against_target": ("目标", "target"),
    "needs_osm": (
        "需要OpenStreetMap数据：运行 `ctz data get`",
        "needs OpenStreetMap data: run `ctz data get`",
    ),
    "needs_time_series": (
        "需要不同年份的数据对比，一次快照无法判断",
        "needs data from more than one year; one snapshot cannot show it",
    ),
    "needs_survey": (
        "需要测绘边界或官方统计数据",
        "needs a surveyed boundary or official statistics",
    ),
    "needs_monitoring": (
        "需要环境监测数据（不在OpenStreetMap中）",
        "needs monitoring data, which OpenStreetMap does not hold",
    ),
    "needs_method": (
        "ctz尚无此项测算方法，需要官方统计数据",
        "ctz has no measurement for it yet; needs official statistics",
    ),
    "at_most": ("不超过", "at most"),
    "at_least": ("不少于", "at least"),
    "measured_value": ("实测", "measured"),
    "today": ("现状", "today"),
    "people_total": ("研究区人口", "people in the study area"),
    "core_pair_time": ("核心间最快通行时间", "fastest time between cores"),
    "schematic": ("示意线位，未经测绘", "Schematic lines, not surveyed"),
    "made": ("制图", "Made"),
    "data": ("数据", "Data"),
    "slowest_pair": ("最慢核心间", "slowest core pair"),
    "share_within_60": (
        "60分钟内可达最近核心的人口占比",
        "people within 60 min of their nearest core",
    ),
    "range": ("范围", "range"),
    "no_data": ("无数据", "no data"),
    # plan progress (ctz progress, the briefing's progress tables)
    "plan status": ("规划状态", "plan status"),
    "plan status as of": ("规划状态日期", "plan status as of"),
    "plan status source": ("规划状态出处", "plan status source"),
    "OSM state": ("OSM 状态", "OSM state"),
    "overdue": ("逾期", "overdue"),
    "status outdated": ("规划状态已过时", "status outdated"),
    "open [km]": ("已通车（公里）", "open [km]"),
    "under construction [km]": ("在建（公里）", "under construction [km]"),
    "not started [km]": ("未开工（公里）", "not started [km]"),
    "opened [km]": ("新通车（公里）", "opened [km]"),
    "started [km]": ("新开工（公里）", "started [km]"),
    "opening_date": ("通车日期（OSM）", "opening date (OSM)"),
    "OSM ids": ("OSM 编号", "OSM ids"),
    "plan": ("规划文件", "plan"),
    "open [items]": ("已通车（项）", "open [items]"),
    "construction [items]": ("在建（项）", "under construction [items]"),
    "proposed [items]": ("OSM 标为规划（项）", "proposed [items]"),
    "absent [items]": ("数据中未见（项）", "absent [items]"),
    "outside_data [items]": ("数据范围外（项）", "outside the data [items]"),
    "done (open) of known [%]": ("已建成占比（%）", "done (open) of known [%]"),
    # the terminal's commute report (ctz check commute)
    "all": ("全部规划", "all planned"),
    "scenario_label": ("情景", "scenario"),
    "compared_with": ("对比", "compared with"),
    "cells": ("个网格", "cells"),
    "roads": ("路网", "roads"),
    "pbf": ("OpenStreetMap（本地数据文件）", "OpenStreetMap (local extract)"),
    "core_minutes": ("核心间通行时间（分钟）", "core-to-core minutes"),
    "road": ("公路", "road"),
    "rail": ("轨道", "rail"),
    "best": ("最快", "best"),
    "best_today": ("现状最快", "best today"),
    "station_to_station": ("站到站", "station to station"),
    "no_direct_service": ("无直达班次", "no direct service"),
    "share_within": ("时间圈内人口占比（变化，百分点）", "share of people within (change, pp)"),
    "nearest": ("最近核心", "nearest core"),
    "within_60_by_city": (
        "距最近核心60分钟内人口占比，分市：情景（变化，百分点）",
        "within 60 min of the nearest core, by city: scenario (change, pp)",
    ),
    "within_60_by_county": (
        "距最近核心60分钟内人口占比，分区县：情景（变化，百分点）",
        "within 60 min of the nearest core, by county: scenario (change, pp)",
    ),
    "indicators": (
        "指标（范围：拥堵、绕行、接驳速度与候车模型的不确定取值）",
        "indicators (range over congestion, circuity, access speed and wait model)",
    ),
    "commute_goal": ("一小时通勤圈", "one-hour commute circle"),
    "holds_over_range": (
        "在不确定假设的整个范围内结论不变",
        "the verdict holds over the whole range of the uncertain assumptions",
    ),
    "flips_in_range": (
        "在不确定假设的范围内结论可能改变",
        "the verdict flips inside the range of the uncertain assumptions",
    ),
    "services": ("轨道与公交班次", "rail and transit services"),
    "timetable": ("时刻表", "timetable"),
    "sketch_lines": (
        "{} 条规划线路按其类别的固定发车间隔计；{} 条由时刻表替代",
        "{} catalog lines at their kind's constant headway; {} replaced by a feed",
    ),
    "contributions": (
        "情景新增项目的作用（每个项目单独加到现状路网上）",
        "what the scenario adds (each item alone on today's network)",
    ),
    "adds people": ("新增60分钟内人口", "adds people"),
    "speeds up a core pair": ("缩短核心间通行时间", "speeds up a core pair"),
    "not connected": ("未与现状路网连通", "not connected"),
    "slower than what exists": ("不快于现有线路", "slower than what exists"),
    "outside the 60-minute reach": ("提速但无人跨过60分钟", "outside the 60-minute reach"),
    "marginal": (
        "规划项目按新增60分钟内人口排序（每个项目单独加到现状路网上）",
        "planned items by people newly within 60 min (each alone on today's network)",
    ),
    "more_add_nobody": ("另有 {} 个项目单独不新增人口", "{} more items add nobody on their own"),
    "best_between_cores": ("核心间最快方式通行时间（分钟）", "best-mode minutes between cores"),
    "share_within_by_scenario": ("时间圈内人口占比", "population share within"),
    "note": ("提示", "note"),
    "validated figure": ("公布数据", "figure"),
    "published value": ("公布值", "published"),
    "model value": ("模型值", "model"),
    "model/published": ("比值", "ratio"),
    "within bound": ("是否在允许范围内", "within"),
    "cited source": ("出处", "source"),
    "why": ("说明", "note"),
    "yes": ("是", "yes"),
    "NO": ("否", "NO"),
    "not modelled": ("未建模", "not modelled"),
    "goal check title": (
        "长株潭一体化目标核查",
        "Changsha–Zhuzhou–Xiangtan integration goal check",
    ),
    "goal_zh": ("目标", "goal (zh)"),
    "goal_en": ("目标（英文）", "goal (en)"),
    "data coverage": ("数据覆盖", "Data coverage"),
    "study area covered": (
        "研究区中有该数据源OpenStreetMap数据的比例",
        "study area covered by the source's OpenStreetMap data",
    ),
    "sketches only": ("无（仅示意线位）", "none (sketches only)"),
    "items matched": (
        "在OpenStreetMap中匹配到的规划项目",
        "catalog items matched in OpenStreetMap",
    ),
    "n of m": ("{1} 个中的 {0} 个", "{0} of {1}"),
    "markdown credit": (
        "地图数据 © OpenStreetMap 贡献者（ODbL）；地名 © GeoNames（CC BY 4.0）。",
        "Map data © OpenStreetMap contributors (ODbL); places © GeoNames (CC BY 4.0).",
    ),
}
"""Key to its (Chinese, English) words."""


def word(key: str, lang: str) -> str:
    """Return the word for ``key`` in ``lang``; an unknown key is returned as it is.

    Parameters
    ----------
    key
        A key of :data:`WORDS` (a verdict, status, kind, unit, header or phrase).
    lang
        ``zh`` or ``en``.
    """
    pair = WORDS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


SENTENCES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (
            r"^source '(?P<source>[^']*)' holds no OpenStreetMap data",
            "数据源 {source} 不含OpenStreetMap数据：项目几何为经规划锚点的示意线位，未经测绘",
        ),
        (
            r"^the (?P<source>\S+) data covers (?P<share>[\d.]+%) of the study area",
            "{source} 数据只覆盖研究区（三市）的 {share}：范围以外的数值依据示意线位或缺失",
        ),
        (
            r"^(?P<missing>\d+) of (?P<items>\d+) catalog items were not found in the "
            r"(?P<source>\S+) data",
            "{items} 个规划项目中有 {missing} 个在 {source} 数据中未找到，按示意线位绘制",
        ),
        (
            r"^(?P<people>[\d,]+) people \((?P<share>[\d.]+%)\) live more than (?P<km>[\d.]+) km "
            r"from every road of the network open today.* at (?P<kmh>[\d.]+) km/h "
            r"\(detour ×(?P<detour>[\d.]+)\)",
            "{people} 人（{share}）居住在距现状路网任何道路 {km} 公里以外：其接驳段按乡村道路"
            "每小时 {kmh} 公里（绕行系数 {detour}）计算，路网中没有这些道路",
        ),
        (
            r"^the population raster (?P<file>.+) has data for (?P<share>[\d.]+%) of the study",
            "人口栅格 {file} 只覆盖研究区的 {share}：其余地区的人口未计入",
        ),
        (
            r"^the (?P<source>\S+) road network does not reach every city core",
            "{source} 路网未到达每个城市核心：那里的通行时间依据示意线位",
        ),
        (
            r"^the (?P<source>\S+) data holds no .+: missing data, not a measurement",
            "{source} 数据中缺少此项所需的要素：属于数据缺失，不是测量结果",
        ),
        (r"^no departure (?P<window>\S+)$", "{window} 无发车"),
    )
)
"""The checks' English sentences (data-coverage warnings, service notes) and their Chinese:
a pattern of the English and a template filled with its named groups (``source`` by its
:data:`WORDS` name)."""


def sentence(line: str, lang: str) -> str:
    """Return one of the checks' English sentences in ``lang``.

    English is returned as it is; Chinese through the first pattern of :data:`SENTENCES`
    that matches, else the English as it is (a sentence no pattern knows yet).
    """
    if lang != "zh":
        return line
    for pattern, chinese in SENTENCES:
        found = pattern.search(line)
        if found:
            groups = found.groupdict()
            if "source" in groups:
                groups["source"] = word(groups["source"], lang)
            return chinese.format(**groups)
    return line


REASON_NEEDS: tuple[tuple[str, str], ...] = (
    ("over time", "needs_time_series"),
    ("monitoring", "needs_monitoring"),
    ("no measurement is defined", "needs_method"),
    ("in OSM", "needs_osm"),
    ("OpenStreetMap", "needs_osm"),
    ("embedded", "needs_osm"),
    ("sketch", "needs_osm"),
)
"""A phrase of an ``unknown`` goal's reason and the :data:`WORDS` key of the data
that would settle it; the first phrase found wins, else ``needs_survey``."""


def needed_data(reason: str) -> str:
    """Return the :data:`WORDS` key of what data would settle an unknown goal."""
    lowered = reason.lower()
    for phrase, key in REASON_NEEDS:
        if phrase.lower() in lowered:
            return key
    return "needs_survey"


def unit_word(unit: str, lang: str) -> str:
    """Return a unit as the reader writes it (``km2`` → 平方公里 / km²; ``count`` → 个 / "")."""
    return word(unit, lang)


def planner_number(value: Any, kind: str) -> str:
    """Write ``value`` as a planner would.

    Parameters
    ----------
    value
        A number (``int``, ``float``, numpy scalar), or None / NaN for a missing one.
    kind
        ``minutes`` (to 1 min), ``share`` (a fraction, as a percentage to 0.1 %),
        ``people`` and ``count`` (whole, thousands separators), ``change``
        (signed, one decimal), ``km`` and ``plain`` (at most one decimal, none
        when whole).

    Returns
    -------
    str
        The text; :data:`MISSING` for a missing value.
    """
    if value is None or value is pd.NA:
        return MISSING
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return MISSING
    if kind == "share":
        return f"{number * 100:,.1f}%"
    if kind in ("minutes", "people", "count"):
        return f"{round(number):,}"
    if kind == "change":
        return f"{number:+,.1f}"
    if not number.is_integer():
        return f"{number:,.1f}"
    return f"{round(number):,}"


UNIT_NUMBER_KINDS: dict[str, str] = {
    "min": "minutes",
    "count": "count",
    "people": "people",
    "class": "count",
    "km": "km",
}
"""How a goal's value in each unit is written (others: :func:`planner_number` ``plain``)."""


def goal_number(value: Any, unit: str) -> str:
    """Write a goal's measured or target value in its unit's manner (no unit word)."""
    return planner_number(value, UNIT_NUMBER_KINDS.get(unit, "plain"))

"""Check results ready to draw: a Report's evidence and a CommuteResult's travel-time bands.

Each becomes one or more :class:`ctz.maps.render.Drawable` layers, drawn by the
same renderer as the plan layers (basemap, GCJ-02 shift, offline assets, labels).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.base import STORAGE_CRS
from ctz.checks.commute.result import NEAREST, CommuteGoal, CommuteResult
from ctz.checks.progress import ProgressResult
from ctz.checks.result import Report
from ctz.maps.display import Datum, display_geometry, shapes
from ctz.maps.drawable import Drawable, source_credits
from ctz.maps.labels import label_table
from ctz.maps.legend import LegendEntry, LegendSection
from ctz.maps.popup import escape, escape_text
from ctz.maps.style import label
from ctz.maps.views import View, clip_to_margin
from ctz.words import planner_number, word

ROLE_STYLES: dict[str, tuple[str, str, str]] = {
    "gap": ("#d62728", "缺口（断头路）", "Gap (missing link)"),
    "piece": ("#1f77b4", "已找到的路段", "Piece found"),
    "uncovered": ("#ff7f0e", "未覆盖区域", "Not covered"),
    "zone": ("#2ca02c", "范围", "Zone"),
    "greenway": ("#17becf", "绿道", "Greenway"),
    "core": ("#212529", "城市核心", "City core"),
}
"""Evidence role to (colour, Chinese name, English name); other roles are grey."""
OTHER_ROLE = ("#7f7f7f", "其他", "Other")

BAND_COLOURS: dict[int, str] = {30: "#1a9850", 45: "#91cf60", 60: "#fee08b", 90: "#fc8d59"}
"""Fill colour of each travel-time band (minutes)."""

VERDICT_LABELS: dict[str, tuple[str, str]] = {
    "met": ("达标", "met"),
    "not_met": ("未达标", "not met"),
    "unknown": ("未知", "unknown"),
}
BANDS_TITLE = ("通勤时间圈（至最近核心）", "Travel time to the nearest core")
CORES_TITLE = ("城市核心", "City cores")
CORE_STYLE: dict[str, Any] = {
    "color": "#212529",
    "weight": 2.0,
    "opacity": 1.0,
    "fill": True,
    "fillColor": "#ffffff",
    "fillOpacity": 1.0,
    "radius": 6.0,
    "dashArray": None,
}
"""A city core: a white dot ringed in black."""


def _role_options(role: str, shape: str) -> dict[str, Any]:
    color = ROLE_STYLES.get(role, OTHER_ROLE)[0]
    options: dict[str, Any] = {"color": color, "weight": 4.0, "opacity": 0.9, "dashArray": None}
    if shape == "line":
        return options | {"fill": False}
    options |= {"fill": True, "fillColor": color, "fillOpacity": 0.3, "weight": 2.0}
    return options | ({"radius": 6.0} if shape == "point" else {})


def evidence_drawables(
    report: Report, lang: str, datum: Datum, view: View
) -> list[tuple[str, Drawable]]:
    """Return each goal with evidence as a layer titled by the goal's name and verdict.

    Parameters
    ----------
    report
        A goal check's report (its goals' ``evidence`` frames).
    lang
        ``zh`` or ``en``.
    datum
        Datum of the basemap tiles.
    view
        Cuts the drawing at the study margin where the view does.

    Returns
    -------
    list
        ``(title, drawable)`` per goal with evidence, in report order.
    """
    layers = []
    credits = source_credits(pd.Series([report.source]))
    for result in report.results:
        evidence = result.evidence
        if not len(evidence):
            continue
        shape = shapes(evidence.geometry)
        keys = evidence["role"].astype(str) + "|" + shape
        styles = {key: _role_options(*key.split("|")) for key in keys.unique()}
        name = label((result.name_zh, result.name_en), lang)
        verdict = label(VERDICT_LABELS[result.verdict], lang)
        value = evidence["value"].astype("Float64").round(2).astype("string").fillna("")
        size = (value + " " + escape(evidence["unit"])).where(value != "", "")
        popup = (
            f'<div class="ctz-popup"><div class="ctz-name"><b>{escape_text(name)}</b> '
            f"({escape_text(verdict)})</div>"
            + escape(evidence["label"])
            + ("<br>" + size).where(size != "", "")
            + "</div>"
        )
        geometry = clip_to_margin(evidence.geometry)[0] if view.clip else evidence.geometry
        features = gpd.GeoDataFrame(
            {"s": keys, "popup": popup, "tip": escape(evidence["label"]), "x": 0},
            geometry=display_geometry(geometry, datum),
        )
        kinds = pd.DataFrame({"key": keys, "role": evidence["role"], "form": shape})
        entries = tuple(
            LegendEntry(((styles[key], form),), label(_role_names(role), lang))
            for key, role, form in kinds.drop_duplicates("key").itertuples(index=False)
        )
        layers.append((f"{name} · {verdict}", Drawable(features, styles, entries, credits)))
    return layers


NO_DATA_HEADING = ("无证据的目标（无数据）", "Goals without evidence (no data)")
NO_DATA_SYMBOL: dict[str, Any] = {
    "color": "#868e96",
    "weight": 1.0,
    "opacity": 0.9,
    "fill": False,
    "dashArray": "2 3",
}
"""An empty dotted box: nothing on the map shows this goal."""


def no_evidence_section(report: Report, lang: str) -> LegendSection:
    """Return a legend key naming every goal with nothing to draw, with its verdict.

    Together with :func:`evidence_drawables` every goal of the report is on the
    map: as evidence, or here, marked as having no data to show.
    """
    entries = tuple(
        LegendEntry(
            ((NO_DATA_SYMBOL, "area"),),
            f"{label((r.name_zh, r.name_en), lang)} · {word(r.verdict, lang)} · "
            f"{word('no_data', lang)}",
        )
        for r in report.results
        if not len(r.evidence)
    )
    return LegendSection(label(NO_DATA_HEADING, lang), entries)


def _role_names(role: str) -> tuple[str, str]:
    _, name_zh, name_en = ROLE_STYLES.get(role, OTHER_ROLE)
    return name_zh, name_en


def commute_drawables(result: CommuteResult, lang: str, datum: Datum) -> list[tuple[str, Drawable]]:
    """Return the scenario's travel-time bands around the nearest core, and the cores.

    Parameters
    ----------
    result
        A commute run.
    lang
        ``zh`` or ``en``.
    datum
        Datum of the basemap tiles.

    Returns
    -------
    list
        ``(title, drawable)`` for the bands (widest first, one legend entry each,
        with the people inside) and for the cores.
    """
    credits = source_credits(pd.Series([result.road_network]))
    bands = result.isochrones[result.isochrones["origin"] == NEAREST]
    bands = bands.sort_values("minutes", ascending=False)
    keys = "band|" + bands["minutes"].astype(str)
    styles = {f"band|{minutes}": _band_options(color) for minutes, color in BAND_COLOURS.items()}
    total = max(result.population, 1)
    share = (bands["people"] / total * 100).round(1).astype(str) + " %"
    text = (
        "≤ "
        + bands["minutes"].astype(str)
        + f" {word('min', lang)}: "
        + bands["people"].map("{:,}".format)
        + " "
        + label(("人", "people"), lang)
        + " ("
        + share
        + ")"
    )
    scenario = escape_text(label(("情景", "Scenario"), lang) + f" {result.scenario}")
    popup = '<div class="ctz-popup"><b>' + escape(text) + f"</b><br>{scenario}</div>"
    band_features = gpd.GeoDataFrame(
        {"s": keys, "popup": popup, "tip": escape(text), "x": 0},
        geometry=display_geometry(bands.geometry, datum),
    )
    band_entries = tuple(
        LegendEntry(((styles[key], "area"),), entry) for key, entry in zip(keys, text, strict=True)
    )
    cores = result.cores
    names = cores["name_zh"] if lang == "zh" else cores["name_en"]
    core_features = gpd.GeoDataFrame(
        {
            "s": "core",
            "popup": '<div class="ctz-popup"><b>' + escape(names) + "</b></div>",
            "tip": escape(names),
            "x": 0,
        },
        geometry=display_geometry(cores.geometry, datum),
    )
    core_entry = LegendEntry(((CORE_STYLE, "point"),), label(CORES_TITLE, lang))
    return [
        (
            label(BANDS_TITLE, lang) + f" · {result.scenario}",
            Drawable(band_features, styles, band_entries, credits),
        ),
        (label(ISOLINE_TITLE, lang), isoline_drawable(result, lang, datum)),
        (label(PAIRS_TITLE, lang), core_pair_drawable(result, lang, datum)),
        (
            label(CORES_TITLE, lang),
            Drawable(core_features, {"core": CORE_STYLE}, (core_entry,), ()),
        ),
    ]


ISOLINE_TITLE = ("60分钟等时线", "60-minute line")
ISOLINE_STYLE: dict[str, Any] = {
    "color": "#212529",
    "weight": 2.5,
    "opacity": 0.9,
    "fill": False,
    "dashArray": None,
}
"""The goal's isoline: the edge of the 60-minute band, a dark line."""
PAIRS_TITLE = ("核心间最快通行时间", "Fastest times between cores")
PAIR_STYLES: dict[str, dict[str, Any]] = {
    "pair|met": {
        "color": "#2b8a3e",
        "weight": 2.0,
        "opacity": 0.9,
        "fill": False,
        "dashArray": "6 5",
    },
    "pair|not_met": {
        "color": "#c92a2a",
        "weight": 2.0,
        "opacity": 0.9,
        "fill": False,
        "dashArray": "6 5",
    },
}
"""A pair of cores within the goal time (green) or beyond it (red), dashed: not a route."""


def isoline_drawable(result: CommuteResult, lang: str, datum: Datum) -> Drawable:
    """Return the edge of the goal-time band around the nearest core as a line."""
    bands = result.isochrones
    edge = bands[(bands["origin"] == NEAREST) & (bands["minutes"] == result.goal.minutes)]
    features = gpd.GeoDataFrame(
        {"s": "isoline", "popup": "", "tip": escape_text(label(ISOLINE_TITLE, lang)), "x": 0},
        geometry=display_geometry(edge.geometry.boundary, datum),
        index=edge.index,
    )
    entry = LegendEntry(((ISOLINE_STYLE, "line"),), label(ISOLINE_TITLE, lang))
    return Drawable(features, {"isoline": ISOLINE_STYLE}, (entry,), ())


def core_pair_drawable(result: CommuteResult, lang: str, datum: Datum) -> Drawable:
    """Return a straight dashed line per pair of cores, labelled with its fastest time.

    The legend lists every pair with its time (red beyond the goal time), so a time
    whose label has no room on the map is still shown.
    """
    points = dict(zip(result.cores["id"], result.cores.geometry, strict=True))
    core_names = result.cores["name_zh" if lang == "zh" else "name_en"].str.split(" ").str[0]
    names = dict(zip(result.cores["id"], core_names, strict=True))
    pairs = result.core_pairs
    lines = shapely.linestrings(
        [
            [(points[a].x, points[a].y), (points[b].x, points[b].y)]
            for a, b in zip(pairs["from"], pairs["to"], strict=True)
        ]
    )
    within = pairs["best"].to_numpy() <= result.goal.minutes
    keys = pd.Series(np.where(within, "pair|met", "pair|not_met"), index=pairs.index)
    text = pairs["best"].map(lambda m: f"{planner_number(m, 'minutes')} {word('min', lang)}")
    geometry = display_geometry(gpd.GeoSeries(lines, index=pairs.index, crs=STORAGE_CRS), datum)
    features = gpd.GeoDataFrame(
        {"s": keys, "popup": "", "tip": escape(text), "x": 0}, geometry=geometry
    )
    labels = label_table(
        text,
        pd.Series("core_pair", index=pairs.index),
        gpd.GeoSeries(
            shapely.line_interpolate_point(geometry.to_numpy(), 0.5, normalized=True),
            index=pairs.index,
        ),
        pd.Series("point", index=pairs.index),  # tried around the middle of the line
        pd.Series("", index=pairs.index),
    )
    entries = tuple(
        LegendEntry(((PAIR_STYLES[key], "line"),), f"{names[a]} – {names[b]}: {minutes}")
        for key, a, b, minutes in zip(keys, pairs["from"], pairs["to"], text, strict=True)
    )
    return Drawable(features, PAIR_STYLES, entries, (), labels)


def _band_options(color: str) -> dict[str, Any]:
    return {
        "color": color,
        "weight": 1.0,
        "opacity": 0.8,
        "fill": True,
        "fillColor": color,
        "fillOpacity": 0.35,
        "dashArray": None,
    }


RESULT_TITLES = {
    "report": ("长株潭一体化规划目标核查", "CZT integration plans: goal check"),
    "commute": ("一小时通勤圈", "One-hour commute circle"),
    "progress": ("长株潭一体化规划项目进展", "CZT integration plans: progress"),
}
"""Map titles of check results in (Chinese, English)."""


def goal_figure(goal: CommuteGoal, lang: str) -> str:
    """Return the figure behind the commute verdict, for a title.

    A goal judged on an indicator against a threshold (``value``, ``threshold``,
    ``direction``: the model's rule) gives the value against the threshold; otherwise
    the slowest pair of cores' time.
    """
    value, threshold = getattr(goal, "value", None), getattr(goal, "threshold", None)
    if value is None or threshold is None:
        minutes = planner_number(goal.slowest_pair_minutes, "minutes")
        return f"{word('slowest_pair', lang)} {minutes} {word('min', lang)}"
    kind = "share" if threshold <= 1 else "minutes"
    bound = word(str(getattr(goal, "direction", "")), lang)
    target = f"{word('against_target', lang)} {bound} {planner_number(threshold, kind)}"
    return (
        f"{planner_number(value, kind)}，{target}"
        if lang == "zh"
        else (f"{planner_number(value, kind)}, {target}")
    )


def result_title(result: Report | CommuteResult | ProgressResult, lang: str) -> str:
    """Return the map title of a check result in ``lang``.

    A commute title names its scenario, its verdict and the figure behind it
    (:func:`goal_figure`).
    """
    if isinstance(result, CommuteResult):
        figure = goal_figure(result.goal, lang)
        name = label(RESULT_TITLES["commute"], lang) + f" · {result.scenario}"
        verdict = word(result.goal.verdict, lang)
        if lang == "zh":
            return f"{name}：{verdict}（{figure}）"
        return f"{name}: {verdict} ({figure})"
    if isinstance(result, ProgressResult):
        return label(RESULT_TITLES["progress"], lang) + f" · {result.as_of.isoformat()}"
    return label(RESULT_TITLES["report"], lang)

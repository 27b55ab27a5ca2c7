"""Plan progress ready to draw: each item coloured by how far OSM shows it has come.

Open, under construction, not started, overdue or outside the data, with a
legend and a popup giving the plan status and the OSM evidence.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from ctz.checks.progress import ABSENT, OUTSIDE_DATA, ProgressResult
from ctz.maps.display import Datum, display_geometry, shapes
from ctz.maps.drawable import Drawable, source_credits
from ctz.maps.legend import LegendEntry
from ctz.maps.popup import escape
from ctz.maps.style import label
from ctz.maps.views import View, clip_to_margin

PROGRESS_STYLES: dict[str, tuple[str, str, str]] = {
    "open": ("#2b8a3e", "已通车/建成", "Open"),
    "construction": ("#f08c00", "在建", "Under construction"),
    "not_started": ("#5c7cfa", "未开工", "Not started"),
    "overdue": ("#e03131", "逾期（目标年已过，未通车）", "Overdue (target year passed, not open)"),
    OUTSIDE_DATA: ("#adb5bd", "数据范围外（未知）", "Outside the data (unknown)"),
}
"""Progress class to (colour, Chinese name, English name), in legend order."""
PROGRESS_TITLE = ("规划项目进展", "Plan progress")


def progress_class(items: pd.DataFrame) -> pd.Series:
    """Return each item's class on the map: overdue first, else its OSM state grouped.

    ``proposed`` and ``absent`` are both *not started*.
    """
    state = items["osm_state"].replace({"proposed": "not_started", ABSENT: "not_started"})
    return state.where(items["overdue"] != True, "overdue")  # noqa: E712


def progress_drawables(
    result: ProgressResult, lang: str, datum: Datum, view: View
) -> list[tuple[str, Drawable]]:
    """Return the progress layer: one feature per item, styled by :func:`progress_class`.

    Items not found in the data are drawn from their sketches and marked schematic;
    the legend has one entry per class, with a symbol for each shape drawn.

    Parameters
    ----------
    result
        Measured plan progress.
    lang
        ``zh`` or ``en``.
    datum
        Datum of the basemap tiles.
    view
        Cuts the drawing at the study margin where the view does.

    Returns
    -------
    list
        One ``(title, drawable)``.
    """
    layer = result.layer
    classes = progress_class(layer)
    shape = shapes(layer.geometry)
    keys = classes + "|" + shape
    styles = {key: _options(*key.split("|")) for key in keys.unique()}
    name = escape(layer["name_zh"] if lang == "zh" else layer["item_id"])
    words = classes.map(lambda c: label(PROGRESS_STYLES[c][1:], lang))
    target = layer["target_year"].astype("Int64").astype("string").fillna("—")
    ids = layer["osm_ids"].map(lambda found: ", ".join(found[:5]))
    popup = (
        '<div class="ctz-popup"><div class="ctz-name"><b>'
        + name
        + "</b></div>"
        + escape(words)
        + "<br>"
        + label(("规划状态", "Plan status"), lang)
        + ": "
        + escape(layer["plan_status"] + " (" + layer["plan_status_as_of"] + ")")
        + "<br>OSM: "
        + escape(layer["osm_state"])
        + "<br>"
        + label(("目标年", "Target year"), lang)
        + ": "
        + escape(target)
        + ("<br>" + escape(ids)).where(ids != "", "")
        + "</div>"
    )
    geometry = clip_to_margin(layer.geometry)[0] if view.clip else layer.geometry
    features = gpd.GeoDataFrame(
        {"s": keys, "popup": popup, "tip": name, "x": layer["sketch"].astype(int)},
        geometry=display_geometry(geometry, datum),
    )
    present = pd.DataFrame({"key": keys, "cls": classes, "form": shape}).drop_duplicates("key")
    entries = tuple(
        LegendEntry(
            tuple((styles[key], form) for key, _, form in group.itertuples(index=False)),
            label(PROGRESS_STYLES[cls][1:], lang),
        )
        for cls in PROGRESS_STYLES
        for group in [present[present["cls"] == cls]]
        if len(group)
    )
    credits = source_credits(pd.Series([result.source]))
    return [(label(PROGRESS_TITLE, lang), Drawable(features, styles, entries, credits))]


def _options(cls: str, shape: str) -> dict[str, Any]:
    color = PROGRESS_STYLES[cls][0]
    options: dict[str, Any] = {"color": color, "weight": 4.0, "opacity": 0.9, "dashArray": None}
    if cls == OUTSIDE_DATA:
        options |= {"dashArray": "4 6", "weight": 2.5}
    if shape == "line":
        return options | {"fill": False}
    options |= {"fill": True, "fillColor": color, "fillOpacity": 0.3, "weight": 2.0}
    return options | ({"radius": 6.0} if shape == "point" else {})

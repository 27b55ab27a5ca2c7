"""The legend and title boxes: every symbol on the map, explained in one language.

Each legend section carries the name of the map layer it describes in a
``data-layer`` attribute, so a test (or a reader) can match it to the layer control.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from ctz.maps.popup import escape_text
from ctz.maps.style import STATUS_STYLES, Shape, label, path_options

STATUS_HEADING = ("状态（线型）", "Status (line style)")
NEUTRAL = "#495057"
"""Colour of the status samples, which show line style only."""


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One or more symbols and what they mean.

    Attributes
    ----------
    symbols
        Pairs of Leaflet path options (as the map uses them) and shape
        (``line``, ``point`` or ``area``).
    text
        Plain-text meaning (escaped when written).
    """

    symbols: tuple[tuple[dict[str, Any], Shape], ...]
    text: str


@dataclass(frozen=True, slots=True)
class LegendSection:
    """The symbols of one map layer, headed by the layer's display name."""

    layer: str
    entries: tuple[LegendEntry, ...]


def symbol_svg(options: dict[str, Any], shape: Shape) -> str:
    """Draw a legend sample as inline SVG with the map's own stroke, dash and fill.

    Parameters
    ----------
    options
        Leaflet path options (``color``, ``weight``, ``dashArray``, ``fillOpacity`` …).
    shape
        ``line`` for a stroke, ``point`` for a circle, ``area`` for a filled square.

    Returns
    -------
    str
        An ``<svg>`` element 34 × 16 pixels.
    """
    stroke = (
        f'stroke="{options["color"]}" stroke-width="{options["weight"]}" '
        f'stroke-opacity="{options["opacity"]}" stroke-linecap="round"'
    )
    if options.get("dashArray"):
        stroke += f' stroke-dasharray="{options["dashArray"]}"'
    fill = (
        f'fill="{options.get("fillColor", "none")}" fill-opacity="{options.get("fillOpacity", 0)}"'
        if options.get("fill")
        else 'fill="none"'
    )
    if shape == "line":
        body = f'<line x1="3" y1="8" x2="31" y2="8" {stroke}/>'
    elif shape == "point":
        radius = min(float(options.get("radius", 5)), 6.5)
        body = f'<circle cx="17" cy="8" r="{radius}" {stroke} {fill}/>'
    else:
        body = f'<rect x="5" y="2" width="24" height="12" {stroke} {fill}/>'
    return f'<svg width="34" height="16" aria-hidden="true">{body}</svg>'


def status_section(statuses: Sequence[str], lang: str) -> LegendSection:
    """Legend samples for the statuses on the map, as a line and a marker each."""
    entries = []
    for status in (s for s in STATUS_STYLES if s in statuses):
        text = label((STATUS_STYLES[status].label_zh, STATUS_STYLES[status].label_en), lang)
        line = path_options("expressway", status, "line") | {"color": NEUTRAL, "weight": 3}
        point = path_options("station", status, "point") | {"color": NEUTRAL, "fillColor": NEUTRAL}
        entries.append(LegendEntry(((line, "line"), (point, "point")), text))
    return LegendSection(label(STATUS_HEADING, lang), tuple(entries))


def legend_html(sections: Sequence[LegendSection], status: LegendSection | None) -> str:
    """Write the legend box: one section per map layer, then the status key."""
    parts = ['<div class="ctz-legend" id="ctz-legend">']
    for section in sections:
        parts.append(_section_html(section, "ctz-legend-layer"))
    if status is not None and status.entries:
        parts.append(_section_html(status, "ctz-legend-status"))
    parts.append("</div>")
    return "".join(parts)


def _section_html(section: LegendSection, css_class: str) -> str:
    name = escape_text(section.layer)
    rows = "".join(
        f'<div class="ctz-legend-row">{"".join(symbol_svg(o, s) for o, s in e.symbols)}'
        f"<span>{escape_text(e.text)}</span></div>"
        for e in section.entries
    )
    return (
        f'<div class="{css_class}" data-layer="{name}">'
        f'<div class="ctz-legend-head">{name}</div>{rows}</div>'
    )


class MapFrame(MacroElement):
    """The title bar, legend box and their stylesheet, added to a folium Map.

    Parameters
    ----------
    title
        Plain-text map title (escaped when written).
    legend
        HTML from :func:`legend_html`.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .ctz-title {position: absolute; z-index: 1000; top: 10px; left: 50%;
            transform: translateX(-50%); background: rgba(255,255,255,0.92);
            padding: 6px 14px; border-radius: 4px; font: 600 17px/1.3 sans-serif;
            box-shadow: 0 1px 4px rgba(0,0,0,0.3); pointer-events: none;}
        .ctz-legend {position: absolute; z-index: 1000; bottom: 48px; left: 10px;
            max-height: 70%; overflow-y: auto; background: rgba(255,255,255,0.94);
            padding: 6px 10px; border-radius: 4px; font: 12px/1.35 sans-serif;
            box-shadow: 0 1px 4px rgba(0,0,0,0.3);}
        .ctz-legend-head {font-weight: 600; margin: 4px 0 2px;}
        .ctz-legend-row {display: flex; align-items: center; gap: 4px; min-height: 16px;}
        .ctz-popup table {border-collapse: collapse; margin-top: 4px;}
        .ctz-popup th {text-align: left; padding-right: 8px; vertical-align: top;
            font-weight: normal; color: #555; white-space: nowrap;}
        .ctz-popup ul {margin: 0; padding-left: 14px;}
        .leaflet-container {background: #f4f3ef;}
        </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <div class="ctz-title" id="ctz-title">{{ this.title|e }}</div>
        {{ this.legend }}
        {% endmacro %}
        """
    )

    def __init__(self, title: str, legend: str) -> None:
        super().__init__()
        self._name = "MapFrame"
        self.title = title
        self.legend = legend

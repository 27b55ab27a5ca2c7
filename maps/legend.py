"""The legend and title boxes: every symbol on the map, explained in one language.

Each legend section carries the name of the map layer it describes in a
``data-layer`` attribute, so a test (or a reader) can match it to the layer control.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from branca.element import MacroElement
from jinja2 import Template

from ctz.base import installed_version
from ctz.maps.geojson import HALO_EXTRA_PX, HALO_OPACITY
from ctz.maps.popup import escape_text
from ctz.maps.style import STATUS_STYLES, Shape, label, path_options
from ctz.words import word

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
        Leaflet path options (``color``, ``weight``, ``dashArray``, ``fillOpacity`` …);
        ``halo`` True draws a line over its schematic halo.
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
        if options.get("halo"):
            halo = float(options["weight"]) + HALO_EXTRA_PX
            body = (
                f'<line x1="3" y1="8" x2="31" y2="8" stroke="{options["color"]}" '
                f'stroke-width="{min(halo, 14)}" stroke-opacity="{HALO_OPACITY}" '
                f'stroke-linecap="round"/>' + body
            )
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


LEGEND_HEADING = ("图例", "Legend")
SCHEMATIC_TEXT = ("示意线位（未经测绘），名称为斜体", "Schematic — not surveyed (names in italics)")


def schematic_section(lang: str) -> LegendSection:
    """Return the legend key of sketched items: a line over its pale halo."""
    line = path_options("expressway", "existing", "line") | {"color": NEUTRAL, "weight": 3}
    return LegendSection(
        label(("示意", "Schematic"), lang),
        (LegendEntry(((line | {"halo": True}, "line"),), label(SCHEMATIC_TEXT, lang)),),
    )


def legend_html(sections: Sequence[LegendSection], lang: str, *extra: LegendSection) -> str:
    """Write the legend box: one section per map layer, then ``extra`` keys (status, schematic).

    The box is a ``<details>`` element, open at first, that a reader can fold
    away; on short screens its sections flow into two or three columns.
    """
    parts = [
        '<details class="ctz-legend" id="ctz-legend" open>',
        f"<summary>{escape_text(label(LEGEND_HEADING, lang))}</summary>",
        '<div class="ctz-legend-body">',
    ]
    for section in sections:
        parts.append(_section_html(section, "ctz-legend-layer"))
    for section in extra:
        if section.entries:
            parts.append(_section_html(section, "ctz-legend-key"))
    parts.append("</div></details>")
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
    """The title bar and legend box, added to a folium Map (styled by ``static/ctz-map.css``).

    Parameters
    ----------
    title
        Plain-text map title (escaped when written).
    legend
        HTML from :func:`legend_html`.
    slide
        Hide the zoom buttons and the layer list (for a still picture).
    notes
        Plain-text lines under the title (date made, data, version), from
        :func:`title_notes`.
    schematic
        Plain-text warning under the title that the drawing is a sketch, or empty.
    legend_beside
        Put the legend in a column right of the map, never over it or the title
        (for print).
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {%- if this.slide %}
        <style>
        .leaflet-control-zoom, .leaflet-control-layers, .ctz-legend summary {display: none;}
        </style>
        {%- endif %}
        {% endmacro %}
        {% macro html(this, kwargs) %}
        {%- if this.legend_beside %}
        <script>document.body.classList.add("ctz-legend-beside");</script>
        {%- endif %}
        <div class="ctz-title" id="ctz-title">{{ this.title|e }}
        {%- for note in this.notes %}<small>{{ note|e }}</small>{% endfor %}
        {%- if this.schematic %}<small class="ctz-schematic">{{ this.schematic|e }}</small>
        {%- endif %}</div>
        {{ this.legend }}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        legend: str,
        *,
        slide: bool = False,
        notes: Sequence[str] = (),
        schematic: str = "",
        legend_beside: bool = False,
    ) -> None:
        super().__init__()
        self._name = "MapFrame"
        self.title = title
        self.legend = legend
        self.slide = slide
        self.notes = tuple(notes)
        self.schematic = schematic
        self.legend_beside = legend_beside


def title_notes(lang: str, made: date, data: str) -> list[str]:
    """Return the line under a map's title: the date made, the data and its date, the version.

    Parameters
    ----------
    lang
        ``zh`` or ``en``.
    made
        The day the map was made.
    data
        What the map is drawn from, with its date when known (e.g. the source spec).
    """
    made_text = f"{word('made', lang)} {made.isoformat()}"
    return [f"{made_text} · {word('data', lang)} {data} · ctz {installed_version()}"]

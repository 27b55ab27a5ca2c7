"""Write a briefing by file ending: ``.html``, ``.xlsx``, ``.md`` or ``.csv`` (a folder)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd

from ctz.base import InputError
from ctz.checks.goals.registry import FAMILIES
from ctz.checks.result import Report
from ctz.maps.export import map_html
from ctz.maps.render import DEFAULT_TITLE, MapOptions, render_map
from ctz.maps.report.briefing import Briefing
from ctz.maps.report.csv_folder import write_csv_folder
from ctz.maps.report.html import MapPages, write_html
from ctz.maps.report.markdown import write_markdown
from ctz.maps.report.xlsx import write_xlsx
from ctz.maps.results import result_title
from ctz.maps.style import label

REPORT_FORMATS: tuple[str, ...] = (".html", ".xlsx", ".md", ".csv")
"""File endings a briefing can be written to."""


def check_report_output(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` ends in one of :data:`REPORT_FORMATS`."""
    if path.suffix.lower() not in REPORT_FORMATS:
        raise InputError(f"{path}: write a briefing ending in {', '.join(REPORT_FORMATS)}")


def briefing_maps(briefing: Briefing, layers: dict[str, gpd.GeoDataFrame]) -> MapPages:
    """Return the briefing's maps as standalone pages, one message each.

    ``overview``: the plan layers; ``commute``: the travel-time bands, the
    60-minute line and the core-to-core times over the roads and rail drawn faint,
    titled with the verdict; one per goal family of :data:`FAMILY_TITLES`: each
    goal's evidence, or its "no data" key. Each keeps its legend beside the map and drops the
    zoom buttons and layer list, for print.
    """
    lang = briefing.lang
    overview = MapOptions(
        title=label(DEFAULT_TITLE, lang),
        lang=lang,
        view="cities",
        legend_beside=True,
        made=briefing.made,
        slide=True,
    )
    commute = replace(overview, title=result_title(briefing.commute, lang), faint=True)
    outlines = {k: v for k, v in layers.items() if k == "boundaries"}
    network = {k: v for k, v in layers.items() if k in ("boundaries", "roads", "rail")}
    progress = [briefing.progress] if briefing.progress is not None else []
    pages = {
        "overview": map_html(render_map(layers, briefing.catalog, overview, progress)),
        "commute": map_html(render_map(network, briefing.catalog, commute, [briefing.commute])),
    }
    for family, (zh, en) in FAMILY_TITLES.items():
        report = family_report(briefing.report, family)
        options = replace(overview, title=zh if lang == "zh" else en)
        pages[family] = map_html(render_map(outlines, briefing.catalog, options, [report]))
    return pages


FAMILY_TITLES: dict[str, tuple[str, str]] = {
    "corridors": ("交通走廊目标：缺口与已找到路段", "Corridor goals: gaps and pieces found"),
    "green-heart": ("生态绿心目标", "Green-heart goals"),
    "charging": ("公共充电覆盖目标", "Public charging coverage goal"),
}
"""The goal families drawn one map each, with the map's (Chinese, English) title."""


def family_report(report: Report, family: str) -> Report:
    """Return the part of ``report`` that one family of goals (:data:`FAMILIES`) makes up."""
    kinds = FAMILIES[family]
    return Report(report.source, [r for r in report.results if r.kind in kinds], report.coverage)


def write_briefing(
    briefing: Briefing, path: Path, layers: dict[str, gpd.GeoDataFrame]
) -> list[Path]:
    """Write the briefing in the format its ending names.

    Parameters
    ----------
    briefing
        Results, command and date.
    path
        ``.html`` (one self-contained page with the map), ``.xlsx`` (a sheet per
        table), ``.md``, or ``NAME.csv`` (a folder ``NAME`` of CSV files).
    layers
        The plan layers for the HTML page's map (as :func:`ctz.maps.render.map_layers`
        returns them); other formats ignore them.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        For another file ending.
    """
    check_report_output(path)
    suffix = path.suffix.lower()
    if suffix == ".html":
        write_html(briefing, briefing_maps(briefing, layers), path)
    elif suffix == ".xlsx":
        write_xlsx(briefing, path)
    elif suffix == ".md":
        write_markdown(briefing, path)
    else:
        return write_csv_folder(briefing, path)
    return [path]

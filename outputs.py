"""What the command line offers, writes and prints: the one layer under :mod:`ctz.cli`.

The CLI calls the public API (:mod:`ctz`) for every measurement; what it needs beyond
that lives here, at the API's level, so that ``cli.py`` imports nothing deeper:

- the choices its options offer (item kinds, mention themes, basemaps, map layers,
  views, access modes, the commute defaults) and the terminal-safe text of shared
  names (:func:`printable`);
- the files it writes and checks before a long run (maps, PNGs, layers, briefings,
  progress tables, isochrones and grids);
- the tables and text reports it prints (goal rows, coverage, commute and
  comparison lines, progress tables, timetable validation, numbers and sizes);
- the road network ``ctz network build`` and ``ctz data get`` build into the cache;
- what its commands check their input against: a catalog folder's schema problems
  (``seeds validate``) and the goals a family's ``check`` command reports.

The choices are light and imported with the module; everything else is imported on
first use (PEP 562), so ``ctz --help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ctz.catalog.extract import KEYWORDS as MENTION_THEMES
from ctz.catalog.extract import UNCATALOGUED
from ctz.catalog.load import catalog_problems, default_seeds_dir
from ctz.catalog.model import ITEM_KINDS, Catalog
from ctz.checks.commute.options import ACCESS_MODES
from ctz.checks.commute.options import DEFAULTS as COMMUTE
from ctz.maps.choices import BASEMAPS, MAP_LAYERS, VIEWS
from ctz.maps.terminal import printable

if TYPE_CHECKING:
    from ctz.checks.commute.validate import validation_records
    from ctz.checks.goals.registry import family_goals
    from ctz.geo.extract.progress import size_text
    from ctz.geo.network.model import RoadNetwork
    from ctz.geo.source import GeometrySource, data_credit, serves_osm_data, source_spec
    from ctz.geo.write import check_output, write_layer
    from ctz.maps.analysis_layers import write_grid, write_isochrones
    from ctz.maps.commute_text import commute_lines, comparison_lines
    from ctz.maps.export import check_png_name, parse_size
    from ctz.maps.make import MapJob, make_map, write_result_map
    from ctz.maps.markdown import report_markdown
    from ctz.maps.render import MapOptions, map_layers
    from ctz.maps.report.briefing import Briefing
    from ctz.maps.report.progress import (
        check_progress_output,
        item_table,
        kind_table,
        plan_table,
        write_progress,
    )
    from ctz.maps.report.write import check_report_output, write_briefing
    from ctz.maps.text import coverage_lines, goal_rows
    from ctz.maps.validation_text import validation_rows
    from ctz.words import planner_number

__all__ = [
    "ACCESS_MODES",
    "BASEMAPS",
    "COMMUTE",
    "ITEM_KINDS",
    "MAP_LAYERS",
    "MENTION_THEMES",
    "UNCATALOGUED",
    "VIEWS",
    "Briefing",
    "Catalog",
    "CityNetwork",
    "GeometrySource",
    "MapJob",
    "MapOptions",
    "catalog_problems",
    "check_output",
    "check_png_name",
    "check_progress_output",
    "check_report_output",
    "city_network",
    "commute_lines",
    "comparison_lines",
    "coverage_lines",
    "data_credit",
    "default_seeds_dir",
    "family_goals",
    "goal_rows",
    "item_table",
    "kind_table",
    "make_map",
    "map_layers",
    "parse_size",
    "plan_table",
    "planner_number",
    "printable",
    "report_markdown",
    "serves_osm_data",
    "size_text",
    "source_line",
    "source_spec",
    "validation_records",
    "validation_rows",
    "write_briefing",
    "write_grid",
    "write_isochrones",
    "write_layer",
    "write_progress",
    "write_result_map",
]

LAZY: dict[str, str] = {
    "Briefing": "ctz.maps.report.briefing",
    "MapJob": "ctz.maps.make",
    "MapOptions": "ctz.maps.render",
    "check_output": "ctz.geo.write",
    "check_png_name": "ctz.maps.export",
    "check_progress_output": "ctz.maps.report.progress",
    "check_report_output": "ctz.maps.report.write",
    "commute_lines": "ctz.maps.commute_text",
    "comparison_lines": "ctz.maps.commute_text",
    "coverage_lines": "ctz.maps.text",
    "data_credit": "ctz.geo.source",
    "GeometrySource": "ctz.geo.source",
    "family_goals": "ctz.checks.goals.registry",
    "goal_rows": "ctz.maps.text",
    "item_table": "ctz.maps.report.progress",
    "kind_table": "ctz.maps.report.progress",
    "make_map": "ctz.maps.make",
    "map_layers": "ctz.maps.render",
    "parse_size": "ctz.maps.export",
    "plan_table": "ctz.maps.report.progress",
    "planner_number": "ctz.words",
    "report_markdown": "ctz.maps.markdown",
    "serves_osm_data": "ctz.geo.source",
    "size_text": "ctz.geo.extract.progress",
    "source_spec": "ctz.geo.source",
    "validation_records": "ctz.checks.commute.validate",
    "validation_rows": "ctz.maps.validation_text",
    "write_briefing": "ctz.maps.report.write",
    "write_grid": "ctz.maps.analysis_layers",
    "write_isochrones": "ctz.maps.analysis_layers",
    "write_layer": "ctz.geo.write",
    "write_progress": "ctz.maps.report.progress",
    "write_result_map": "ctz.maps.make",
}
"""Name to the module that defines it, for the names imported on first use."""


def __getattr__(name: str) -> object:
    """Import a name of :data:`LAZY` from its module when it is first asked for."""
    if name not in LAZY:
        raise AttributeError(f"module 'ctz.outputs' has no attribute '{name}'")
    return getattr(import_module(LAZY[name]), name)


def source_line(source: GeometrySource, lang: str = "en") -> str:
    """Return the line saying which data an output rests on: ``data: pbf:PATH (credit)``.

    In ``lang`` (``zh``: ``数据：pbf:PATH（…）``); the licence notice stays as OSM words it.
    """
    from ctz.geo.source import credit_line, data_date, source_spec

    credit = credit_line(source.name, data_date(source), lang=lang)
    if lang == "zh":
        return f"数据：{source_spec(source)}（{credit}）"
    return f"data: {source_spec(source)} ({credit})"


@dataclass(frozen=True)
class CityNetwork:
    """The three cities' drive network of an extract, and the cache file that keeps it.

    Attributes
    ----------
    network
        Nodes, edges and :meth:`~ctz.geo.network.model.RoadNetwork.summary`.
    cache_file
        Where the cache keeps it for later commands.
    from_cache
        True when it was read back, False when it was built (and cached) now.
    """

    network: RoadNetwork
    cache_file: Path
    from_cache: bool


def city_network(source: GeometrySource) -> CityNetwork | None:
    """Read the three cities' road network of an extract from the cache, else build and cache it.

    Parameters
    ----------
    source
        An opened source; only an extract (``pbf:PATH``) has a network to build.

    Returns
    -------
    CityNetwork or None
        None when ``source`` is not an extract.

    Raises
    ------
    SourceError
        When the extract holds no drivable road in the three cities.
    """
    from ctz.geo.pbf.extract_source import PbfSource
    from ctz.layers.boundaries import study_area

    if not isinstance(source, PbfSource):
        return None
    outline = study_area()
    cached = source.cached_network(outline)  # None when missing or damaged: built again
    network = cached if cached is not None else source.road_network(outline)
    return CityNetwork(network, source.network_file(outline), cached is not None)

"""Run the commute check end to end for the CLI: catalog → network → cells → report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctz.base import InputError, RasterError
from ctz.catalog.model import Catalog
from ctz.checks.commute.coverage import Measurement, Study, measure
from ctz.checks.commute.marginal import marginal_gains
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.population import open_population_raster
from ctz.checks.commute.report import commute_report
from ctz.checks.commute.scenario import scenario_items
from ctz.checks.commute.study import catalog_study, unit_names
from ctz.geo.source import GeometrySource, serves_osm_data

WALK_KMH = 4.5
"""Access speed when ``--access walk``."""


@dataclass
class CommuteRun:
    """The report plus what the map needs: the study and the scenario's times."""

    report: dict[str, Any]
    study: Study
    scenario: Measurement


@dataclass(frozen=True)
class CommuteOptions:
    """Command-line choices of ``ctz check commute``.

    ``source`` is the opened geometry source: when it serves a road graph (osm,
    pbf), the three cities' OSM drive graph carries the roads open today;
    otherwise (None, embedded) the catalog's road sketches do. Rail and planned
    roads are the catalog sketches either way.
    """

    scenario: str = "2025"
    population: Path | None = None
    grid_km: float = 1.0
    congestion: float = 1.2
    access: str = "drive"
    marginal: bool = False
    source: GeometrySource | None = None


def run_commute(catalog: Catalog, options: CommuteOptions) -> CommuteRun:
    """Measure the one-hour commute goal on the embedded strategic network or OSM roads.

    Parameters
    ----------
    catalog
        The plan catalog (cores, road and rail items).
    options
        Scenario, population raster, grid size, congestion, access mode,
        marginal ranking and geometry source.

    Returns
    -------
    CommuteRun
        The report of :func:`~ctz.checks.commute.report.commute_report` and its inputs.

    Raises
    ------
    CtzError
        On bad input: unknown scenario, empty year, missing/ill-projected raster,
        core off the network, unreadable OSM data.
    """
    from ctz.geo.embedded import EmbeddedSource
    from ctz.layers.boundaries import county_boundaries
    from ctz.layers.themes import build_layers

    if options.population is not None:
        if not options.population.is_file():
            raise RasterError(f"{options.population}: no such population raster")
        open_population_raster(options.population).close()
    if options.grid_km <= 0 or options.congestion <= 0:
        raise InputError("--grid-km and --congestion must be positive")
    params = CommuteParams(
        grid_km=options.grid_km,
        congestion=options.congestion,
        access_kmh=WALK_KMH if options.access == "walk" else CommuteParams.access_kmh,
    )
    layers, _ = build_layers(catalog, EmbeddedSource(catalog), ["roads", "rail"])
    counties = county_boundaries()
    study, items = catalog_study(
        catalog, layers, counties, params, options.population, options.source
    )
    baseline, chosen = scenario_items(items, options.scenario)
    before = measure(study, baseline)
    after = measure(study, chosen)
    gains = marginal_gains(study, baseline, chosen) if options.marginal else None
    report = commute_report(study, before, after, options.scenario, unit_names(counties), gains)
    report["road_network"] = "osm" if serves_osm_data(options.source) else "embedded"
    return CommuteRun(report, study, after)

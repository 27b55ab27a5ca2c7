"""One commute run end to end: catalog → network → cells → measurements → :class:`CommuteResult`."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from ctz.base import InputError
from ctz.catalog.model import Catalog
from ctz.checks.commute.assemble import RunFindings, commute_result
from ctz.checks.commute.cells import populated_cells
from ctz.checks.commute.collector import collector_paused
from ctz.checks.commute.contributions import Effect, change_contribution, item_contributions
from ctz.checks.commute.coverage import Measurement, Study, measure
from ctz.checks.commute.gtfs import DepartureWindow
from ctz.checks.commute.indicators import station_ranges
from ctz.checks.commute.marginal import marginal_gains
from ctz.checks.commute.options import ACCESS_MODES, WALK_KMH, CommuteOptions
from ctz.checks.commute.params import ROAD_VERTEX_SPACING_M, CommuteParams
from ctz.checks.commute.result import CommuteResult
from ctz.checks.commute.scenario import BASELINE, Scenario, load_scenario, scenario_items
from ctz.checks.commute.seats import seat_drive_times
from ctz.checks.commute.sensitivity import corner_measurements
from ctz.checks.commute.study import (
    CORE_REACH_M,
    NetworkInputs,
    StudyNetwork,
    central_districts,
    commute_rule,
    core_sites,
    core_stations,
    network_inputs,
    osm_road_gap_m,
    scenario_network,
    study_network,
    unit_names,
)
from ctz.checks.commute.transit import ServiceLines
from ctz.checks.data_coverage import source_coverage
from ctz.checks.population import RasterPeople
from ctz.geo.source import GeometrySource, serves_osm_data


@dataclass
class Prepared:
    """The parts of a run every scenario shares: inputs, today's network and study.

    Attributes
    ----------
    inputs
        What the networks are built from.
    params
        The run's parameters.
    today
        Today's network, items and services.
    study
        Today's network with the cores and the populated cells.
    baseline
        Items open today.
    before
        Today's travel times.
    counties
        County polygons (for unit names).
    """

    inputs: NetworkInputs
    params: CommuteParams
    today: StudyNetwork
    study: Study
    baseline: set[str]
    before: Measurement
    counties: gpd.GeoDataFrame


@dataclass
class ScenarioRun:
    """One scenario measured on top of a :class:`Prepared` run.

    Attributes
    ----------
    scenario
        The scenario.
    study
        Its study (today's, unless it changes services or adds feeds).
    items
        Its network's items.
    chosen
        Items switched on.
    after
        Its travel times.
    """

    scenario: Scenario
    study: Study
    items: pd.DataFrame
    chosen: set[str]
    after: Measurement


def prepare_run(
    catalog: Catalog,
    source: GeometrySource,
    options: CommuteOptions,
    people: RasterPeople | None = None,
) -> Prepared:
    """Check the options, read the inputs and measure today.

    Raises
    ------
    InputError
        On a non-positive grid or congestion, an unknown access mode or a bad
        departure window.
    CatalogError
        When the catalog names no city cores.
    FeedError
        When a feed cannot be used.
    SourceError
        When the source's road data cannot be had.
    """
    from ctz.geo.embedded import EmbeddedSource
    from ctz.layers.boundaries import county_boundaries
    from ctz.layers.themes import build_layers

    if options.grid_km <= 0 or options.congestion <= 0:
        raise InputError("the grid size and the congestion factor must be positive")
    if options.access not in ACCESS_MODES:
        raise InputError(f"unknown access mode '{options.access}': use drive or walk")
    window = DepartureWindow.parse(options.depart)
    params = CommuteParams(
        grid_km=options.grid_km,
        congestion=options.congestion,
        access_kmh=WALK_KMH if options.access == "walk" else CommuteParams.access_kmh,
        congestion_areas=central_districts(),
        road_vertex_spacing_m=dict(ROAD_VERTEX_SPACING_M),
    )
    cores = core_sites(catalog)
    layers, _ = build_layers(catalog, EmbeddedSource(catalog), ["roads", "rail"])
    counties = county_boundaries()
    inputs = network_inputs(catalog, layers, source, options.feeds, window)
    today = study_network(inputs, params)
    cells = populated_cells(counties, params, people)
    baseline, _ = scenario_items(today.items, BASELINE)
    study = Study(today.network, cores, cells, today.params, today.services, baseline, today.lines)
    before = measure(study, baseline, modes=False)
    return Prepared(inputs, params, today, study, baseline, before, counties)


def run_scenario(prepared: Prepared, scenario: Scenario) -> ScenarioRun:
    """Measure one scenario: today's network, or its own when it changes services or feeds.

    Raises
    ------
    InputError
        When the scenario names an item the network lacks or asks for an
        impossible change.
    """
    study, items, feed_items = prepared.study, prepared.today.items, set[str]()
    if scenario.changes_network:
        built, feed_items = scenario_network(prepared.inputs, prepared.params, scenario)
        study = Study(
            built.network,
            study.cores,
            study.cells,
            built.params,
            built.services,
            prepared.baseline,
            built.lines,
        )
        items = built.items
    _, chosen = scenario_items(items, scenario)
    chosen |= feed_items
    return ScenarioRun(scenario, study, items, chosen, measure(study, chosen))


@collector_paused
def run_commute(
    catalog: Catalog,
    source: GeometrySource,
    options: CommuteOptions | None = None,
    people: RasterPeople | None = None,
) -> CommuteResult:
    """Measure the one-hour commute goal on the embedded strategic network or OSM roads.

    Parameters
    ----------
    catalog
        The plan catalog (cores, road and rail items).
    source
        The geometry source: when it serves OpenStreetMap data (osm, pbf), its drive
        graph of the three cities carries the roads open today; else the catalog's
        road sketches do. Rail and planned roads are the catalog's either way.
    options
        Scenario, grid, congestion, access mode, marginal ranking, feeds and
        their departure window.
    people
        A population raster read over the study area; the 2020 census spread over
        GeoNames places when None.

    Returns
    -------
    CommuteResult
        With what each item the scenario switches on contributes. When the
        OpenStreetMap roads do not reach a city core, the goal is ``unknown``
        with that reason and the data coverage says so.

    Raises
    ------
    InputError
        On bad options: unknown scenario or bad scenario file, a year with no
        planned items, a non-positive grid or congestion, an unknown access mode.
    FeedError
        When a feed cannot be used.
    SourceError
        When the source's road data cannot be had.
    """
    options = options or CommuteOptions()
    scenario = load_scenario(options.scenario)
    prepared = prepare_run(catalog, source, options, people)
    study, baseline = prepared.study, prepared.baseline
    # before the scenario: its roads searched from today's (study.core_times)
    seats = seat_drive_times(study, prepared.inputs.seats, catalog, baseline)
    run = run_scenario(prepared, scenario)
    names = dict(zip(run.items["item_id"], run.items["name_zh"], strict=True))
    contributions = _contributions(prepared, run, names)
    # on the scenario's own network: a feed's new line is an item only there
    gains = marginal_gains(run.study, baseline, run.chosen) if options.marginal else None
    osm = serves_osm_data(source)
    coverage = source_coverage(source).with_raster(people)
    reason = ""
    if osm:
        gaps = osm_road_gap_m(study)
        far = [
            f"{core.name_zh} lies {gap / 1000:.1f} km"
            for core, gap in zip(study.cores, gaps, strict=True)
            if not gap <= CORE_REACH_M
        ]
        if far:
            reason = (
                f"the {source.name} road network does not reach every city core "
                f"({'; '.join(far)} from the nearest OpenStreetMap road): travel times "
                "there rest on sketches"
            )
            coverage = coverage.warn(reason)
    remote = int(study.population[study.far_from_network].sum())
    if remote:
        coverage = coverage.warn(
            f"{remote:,} people ({remote / study.population.sum():.1%}) live more than "
            f"{study.params.local_access_km:g} km from every road of the network open today: "
            f"their access leg runs on rural roads at {study.params.rural_access_kmh:g} km/h "
            f"(detour ×{study.params.rural_detour:g}), which the network does not hold"
        )
    rule, area = commute_rule(catalog)
    stations = station_ranges(
        run.study.lines or ServiceLines.empty(),
        run.study.services,
        core_stations(catalog),
        [c.id for c in study.cores],
        run.chosen,
        run.study.params.sketch_circuity,
    )
    findings = RunFindings(
        scenario_name=scenario.name,
        names=unit_names(prepared.counties),
        road_network="osm" if osm else "embedded",
        data_coverage=coverage,
        gains=gains,
        item_names=names,
        unknown_reason=reason,
        services=run.study.services,
        contributions=contributions,
        county_seats=seats,
        rule=rule,
        area=area,
        corners=corner_measurements(run.study, run.chosen),
        stations=stations,
    )
    return commute_result(study, prepared.before, run.after, findings)


def _contributions(prepared: Prepared, run: ScenarioRun, names: dict[str, str]) -> pd.DataFrame:
    """Return what the scenario's service changes and each item it switches on contribute.

    Service changes (headways, speeds, added feeds) are measured together, as
    today's items on the scenario's network against today; each item alone on
    top of today's items on the scenario's network.
    """
    baseline = prepared.baseline
    frames = [item_contributions(run.study, baseline, run.chosen - baseline, names)]
    if run.scenario.changes_network:
        effect = Effect.of(prepared.before, measure(run.study, baseline, modes=False))
        frames.insert(0, change_contribution(run.study, "(service changes)", effect))
    return pd.concat(frames, ignore_index=True)

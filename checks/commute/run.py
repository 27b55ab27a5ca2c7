"""One commute run end to end: catalog → network → cells → measurements → :class:`CommuteResult`."""

from __future__ import annotations

from dataclasses import dataclass

from ctz.base import InputError
from ctz.catalog.model import Catalog
from ctz.checks.commute.coverage import measure
from ctz.checks.commute.marginal import marginal_gains
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.result import CommuteResult, commute_result
from ctz.checks.commute.scenario import scenario_items
from ctz.checks.commute.study import CORE_REACH_M, catalog_study, osm_road_gap_m, unit_names
from ctz.checks.data_coverage import source_coverage
from ctz.checks.population import RasterPeople
from ctz.geo.source import GeometrySource, serves_osm_data

WALK_KMH = 4.5
"""Access speed when ``access`` is ``walk``."""


@dataclass(frozen=True)
class CommuteOptions:
    """The choices of one commute run.

    Attributes
    ----------
    scenario
        ``existing``, ``all`` or a target year (planned items due by then switched on).
    grid_km
        Side of the origin grid cells.
    congestion
        Road time multiplier (1.0 = free flow).
    access
        ``drive`` (30 km/h on local streets) or ``walk`` (:data:`WALK_KMH`).
    marginal
        Also rank planned items by the people each brings within 60 minutes alone.
    """

    scenario: str = "2025"
    grid_km: float = 1.0
    congestion: float = 1.2
    access: str = "drive"
    marginal: bool = False


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
        Scenario, grid, congestion, access mode and marginal ranking.
    people
        A population raster read over the study area; the 2020 census spread over
        GeoNames places when None.

    Returns
    -------
    CommuteResult
        When the OpenStreetMap roads do not reach a city core, the goal is
        ``unknown`` with that reason and the data coverage says so.

    Raises
    ------
    InputError
        On bad options: unknown scenario, a year with no planned items, a
        non-positive grid or congestion, an unknown access mode.
    SourceError
        When the source's road data cannot be had.
    """
    from ctz.geo.embedded import EmbeddedSource
    from ctz.layers.boundaries import county_boundaries
    from ctz.layers.themes import build_layers

    options = options or CommuteOptions()
    if options.grid_km <= 0 or options.congestion <= 0:
        raise InputError("the grid size and the congestion factor must be positive")
    if options.access not in ("drive", "walk"):
        raise InputError(f"unknown access mode '{options.access}': use drive or walk")
    params = CommuteParams(
        grid_km=options.grid_km,
        congestion=options.congestion,
        access_kmh=WALK_KMH if options.access == "walk" else CommuteParams.access_kmh,
    )
    layers, _ = build_layers(catalog, EmbeddedSource(catalog), ["roads", "rail"])
    counties = county_boundaries()
    study, items = catalog_study(catalog, layers, counties, params, people, source)
    baseline, chosen = scenario_items(items, options.scenario)
    before = measure(study, baseline)
    after = measure(study, chosen)
    gains = marginal_gains(study, baseline, chosen) if options.marginal else None
    osm = serves_osm_data(source)
    coverage = source_coverage(source)
    reason = ""
    if osm:
        gaps = osm_road_gap_m(study)
        far = [
            f"{core.name_zh} ({gap / 1000:.1f} km)"
            for core, gap in zip(study.cores, gaps, strict=True)
            if not gap <= CORE_REACH_M
        ]
        if far:
            reason = (
                f"the {source.name} road network does not reach the city cores "
                f"{', '.join(far)} from the nearest OpenStreetMap road): travel times "
                "there rest on sketches"
            )
            coverage = coverage.warn(reason)
    names = dict(zip(items["item_id"], items["name_zh"], strict=True))
    return commute_result(
        study,
        before,
        after,
        scenario_name=options.scenario,
        names=unit_names(counties),
        road_network="osm" if osm else "embedded",
        data_coverage=coverage,
        gains=gains,
        item_names=names,
        unknown_reason=reason,
    )

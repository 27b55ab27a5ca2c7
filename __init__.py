"""CZT planner: make the Changsha-Zhuzhou-Xiangtan integration plans checkable on a map.

The public API, one function per step of the data flow::

    import ctz

    catalog = ctz.load_catalog()                  # the cited plan items and goals
    roads = ctz.geocode(kind="expressway")        # GeoDataFrame, layer schema, EPSG:4326
    themes = ctz.theme_layers()                   # {"roads": GeoDataFrame, "rail": ...}
    report = ctz.check()                          # every goal: report.to_frame()
    result = ctz.commute(scenario="2025")         # result.core_pairs, result.isochrones
    ctz.explore(result=result)                    # a folium.Map, shown inline in Jupyter

Every function takes ``source="embedded"`` (offline sketches), ``"osm"`` (live
OpenStreetMap) or ``"pbf:PATH"`` (a local extract). Errors are typed: a
:class:`InputError` (a ``ValueError``) for bad input, a :class:`SourceError`
(an ``OSError``) for data that cannot be had, both :class:`CtzError`. Nothing
here writes a file; heavy libraries are imported when a function first needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctz.base import CatalogError, CtzError, InputError, RasterError, SourceError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

    from ctz.catalog.model import Catalog
    from ctz.checks.commute.compare import ScenarioComparison
    from ctz.checks.commute.result import CommuteResult
    from ctz.checks.population import RasterPeople
    from ctz.checks.result import Report
    from ctz.geo.source import GeometrySource


def __getattr__(name: str) -> str:
    """``ctz.__version__``, read from the installed metadata on first use."""
    if name == "__version__":
        from ctz.base import installed_version

        return installed_version()
    raise AttributeError(f"module 'ctz' has no attribute '{name}'")


__all__ = [
    "CatalogError",
    "CtzError",
    "InputError",
    "RasterError",
    "SourceError",
    "check",
    "commute",
    "compare",
    "explore",
    "geocode",
    "load_catalog",
    "open_source",
    "theme_layers",
]

CHECK_FAMILIES: tuple[str, ...] = ("all", "corridors", "green-heart", "charging", "commute")
"""Values of :func:`check`'s ``goal`` that name a family of goals rather than one goal."""


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate the plan catalog.

    Parameters
    ----------
    path
        A seeds folder; the catalog shipped with ctz when None.

    Returns
    -------
    Catalog
        ``.items``, ``.goals``, ``.anchors``, ``.cores`` and ``.documents``, each a
        dict by id.

    Raises
    ------
    CatalogError
        When a file is missing or malformed (the message names file and entry).

    Notes
    -----
    The validated catalog is kept in the cache folder (``$CTZ_CACHE``), keyed by
    the seeds' content and the loading code, and read back while neither changes.
    """
    from ctz.geo.cache.catalogs import stored_catalog

    return stored_catalog(None if path is None else Path(path))


def open_source(
    source: str = "embedded",
    *,
    catalog: Catalog | None = None,
    cache_dir: str | Path | None = None,
    overpass_url: str | None = None,
    nominatim_url: str | None = None,
    region: Sequence[float] | None = None,
    refresh: bool = False,
    max_wait_s: float | None = None,
    progress: bool = False,
) -> GeometrySource:
    """Open a geometry source by name, to share one between several calls.

    Parameters
    ----------
    source
        ``embedded``, ``osm`` or ``pbf:PATH``.
    catalog
        The catalog the source resolves items of; the shipped one when None.
    cache_dir
        Cache of OpenStreetMap answers and built networks (``$CTZ_CACHE`` or
        ``~/.cache/ctz`` when None).
    overpass_url, nominatim_url
        API endpoints, e.g. a mirror (``$CTZ_OVERPASS_URL``/``$CTZ_NOMINATIM_URL`` or
        the public servers when None).
    region
        Search box ``(west, south, east, north)`` in degrees; the three cities when None.
    refresh
        Ignore cached OpenStreetMap answers and fetch them again.
    max_wait_s
        Wall-clock bound, in seconds, on all the live requests this source makes
        (busy servers answering HTTP 429/504 included); 600 when None.
    progress
        Show progress bars on stderr.

    Returns
    -------
    GeometrySource

    Raises
    ------
    InputError
        For an unknown source name or a bad region.
    SourceError
        For a ``pbf:`` file that does not exist.
    """
    from dataclasses import replace

    from ctz.geo.item_tags import region_box
    from ctz.geo.registry.open import SourceOptions
    from ctz.geo.registry.open import open_source as open_by_name

    options = SourceOptions(progress=progress)
    changes: dict[str, Any] = {}
    if cache_dir is not None:
        changes["cache_dir"] = Path(cache_dir)
    if overpass_url:
        changes["overpass_url"] = overpass_url
    if nominatim_url:
        changes["nominatim_url"] = nominatim_url
    if region is not None:
        changes["region"] = region_box(region)
    if refresh:
        changes["refresh"] = True
    if max_wait_s is not None:
        if max_wait_s <= 0:
            raise InputError(f"the wait bound must be positive, not {max_wait_s:g} s")
        changes["max_wait"] = float(max_wait_s)
    return open_by_name(source, catalog or load_catalog(), replace(options, **changes))


def geocode(
    ids: str | Sequence[str] | None = None,
    *,
    kind: str | None = None,
    source: str | GeometrySource = "embedded",
    catalog: Catalog | None = None,
) -> gpd.GeoDataFrame:
    """Geometry for catalog items, one row per item.

    Parameters
    ----------
    ids
        An item id or ids; every item (of ``kind``) when None.
    kind
        Only items of this kind (``expressway``, ``station`` …).
    source
        A source name (see :func:`open_source` for its options) or an opened source.
    catalog
        The catalog; the shipped one when None.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`ctz.base.LAYER_COLUMNS` in EPSG:4326; ``source`` says where each
        geometry came from (``embedded`` rows are schematic sketches) and
        ``match_score`` how sure an OpenStreetMap match is. The source's account of
        matches is in ``frame.attrs["resolution"]`` (counts and ids).

    Raises
    ------
    InputError
        For an unknown id or kind, or a selection with no item.
    SourceError
        When the source's data cannot be had.
    """
    from ctz.catalog.model import ITEM_KINDS

    catalog = catalog or load_catalog()
    wanted = [ids] if isinstance(ids, str) else list(ids or [])
    unknown = [i for i in wanted if i not in catalog.items]
    if unknown:
        raise InputError(f"unknown item id '{unknown[0]}'")
    if kind is not None and kind not in ITEM_KINDS:
        raise InputError(f"unknown item kind '{kind}' (known: {', '.join(ITEM_KINDS)})")
    items = catalog.select(ids=wanted, kind=kind)
    if not items:
        raise InputError("no catalog item matches the given ids and kind")
    resolution = _source(source, catalog).resolve(items)
    layer = resolution.layer
    layer.attrs["resolution"] = resolution.summary()
    return layer


def theme_layers(
    *,
    source: str | GeometrySource = "embedded",
    themes: Sequence[str] | None = None,
    catalog: Catalog | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Every catalog item resolved once and split into one GeoDataFrame per theme.

    Parameters
    ----------
    source
        A source name or an opened source.
    themes
        Theme names (``roads``, ``rail``, ``stations``, ``ports``, ``logistics``,
        ``green_heart``, ``areas``); all when None.
    catalog
        The catalog; the shipped one when None.

    Returns
    -------
    dict of str to geopandas.GeoDataFrame
        Theme to its layer (layer schema, EPSG:4326); themes with no item left out.

    Raises
    ------
    InputError
        For an unknown theme.
    """
    from ctz.layers.themes import THEMES, build_layers

    unknown = [t for t in themes or () if t not in THEMES]
    if unknown:
        raise InputError(f"unknown theme '{unknown[0]}' (known: {', '.join(THEMES)})")
    catalog = catalog or load_catalog()
    built, _ = build_layers(catalog, _source(source, catalog), themes)
    return built


def check(
    goal: str | Sequence[str] = "all",
    *,
    source: str | GeometrySource = "embedded",
    population: str | Path | None = None,
    catalog: Catalog | None = None,
) -> Report:
    """Measure plan goals: value, target, verdict with its reason, evidence and data coverage.

    Parameters
    ----------
    goal
        ``all``, a family (``corridors``, ``green-heart``, ``charging``, ``commute``),
        or one or more goal ids from ``catalog.goals``.
    source
        A source name or an opened source; lengths, land use and charging need
        OpenStreetMap data (``osm`` or ``pbf:PATH``), else those goals are ``unknown``.
    population
        A population raster (e.g. WorldPop GeoTIFF, any CRS) for population shares.
    catalog
        The catalog; the shipped one when None.

    Returns
    -------
    Report
        ``.to_frame()`` (one row per goal: ``goal_id, name_zh, value, target, unit,
        verdict, reason``), ``.to_json()``, ``.evidence`` (GeoDataFrame),
        ``.coverage`` and ``.results``.

    Raises
    ------
    InputError
        For an unknown goal or family; :class:`RasterError` for an unusable raster.
    SourceError
        When the source's data cannot be had.
    """
    from ctz.checks.goals.run import run_checks

    catalog = catalog or load_catalog()
    label = source if isinstance(source, str) else source.name
    opened = _source(source, catalog)
    people = _people(population)
    if isinstance(goal, str) and goal in CHECK_FAMILIES:
        family = None if goal == "all" else goal
        return run_checks(catalog, opened, label=label, family=family, people=people)
    ids = [goal] if isinstance(goal, str) else list(goal)
    return run_checks(catalog, opened, label=label, goal_ids=ids, people=people)


def commute(
    *,
    scenario: str | Path = "2025",
    source: str | GeometrySource = "embedded",
    population: str | Path | None = None,
    grid_km: float = 1.0,
    congestion: float = 1.2,
    access: str = "drive",
    marginal: bool = False,
    feeds: Sequence[str | Path] | None = None,
    depart: str = "07:00-09:00",
    catalog: Catalog | None = None,
) -> CommuteResult:
    """Measure the one-hour commute circle between the three city cores.

    Parameters
    ----------
    scenario
        ``existing`` (today), ``all`` (every planned item), a year such as
        ``"2025"`` (items due by then) or a scenario file (YAML: items switched
        on or off, service headways and speeds, extra GTFS feeds; see
        :mod:`ctz.checks.commute.scenario`), compared with today.
    source
        Roads open today: the embedded sketches, or the OpenStreetMap drive graph
        of ``osm`` / ``pbf:PATH`` (planned roads and rail come from the catalog).
    population
        A population raster (any CRS); the 2020 census spread over GeoNames places
        when None.
    grid_km
        Side of the origin grid cells.
    congestion
        Road travel-time multiplier (1.0 = free flow).
    access
        ``drive`` or ``walk`` from each cell to the network.
    marginal
        Also rank planned items by the people each brings within 60 minutes alone.
    feeds
        GTFS feeds (zip files or folders) of today's rail and transit services;
        the timetable shipped with the catalog when None.
    depart
        Departure window the feeds' waits are measured in, ``HH:MM-HH:MM``.
    catalog
        The catalog; the shipped one when None.

    Returns
    -------
    CommuteResult
        ``.core_pairs``, ``.coverage``, ``.by_county``, ``.by_city``,
        ``.isochrones`` (30/45/60/90-minute bands), ``.grid``, ``.goal``,
        ``.contributions`` (what each item of the scenario adds, or why not),
        ``.services`` (which service came from which feed), ``.marginal`` and
        ``.data_coverage``.

    Raises
    ------
    InputError
        For a bad scenario or option; :class:`RasterError` for an unusable raster.
    SourceError
        When the source's road data cannot be had.
    """
    from ctz.checks.commute.run import CommuteOptions, run_commute

    catalog = catalog or load_catalog()
    options = CommuteOptions(
        scenario=scenario,
        grid_km=grid_km,
        congestion=congestion,
        access=access,
        marginal=marginal,
        feeds=_paths(feeds),
        depart=depart,
    )
    return run_commute(catalog, _source(source, catalog), options, _people(population))


def compare(
    scenarios: Sequence[str | Path],
    *,
    source: str | GeometrySource = "embedded",
    population: str | Path | None = None,
    grid_km: float = 1.0,
    congestion: float = 1.2,
    access: str = "drive",
    feeds: Sequence[str | Path] | None = None,
    depart: str = "07:00-09:00",
    catalog: Catalog | None = None,
) -> ScenarioComparison:
    """Measure several commute scenarios and set them side by side with today.

    Parameters
    ----------
    scenarios
        Built-in scenario names (``existing``, ``all``, a year) or scenario files.
    source, population, grid_km, congestion, access, feeds, depart, catalog
        As in :func:`commute`.

    Returns
    -------
    ScenarioComparison
        ``.core_pairs`` (best minutes between cores) and ``.coverage``
        (population shares within 30/45/60/90 minutes), one column per
        scenario, ``existing`` first.

    Raises
    ------
    InputError
        For a bad scenario, file or option.
    SourceError
        When the source's road data cannot be had.
    """
    from ctz.checks.commute.compare import compare_scenarios
    from ctz.checks.commute.run import CommuteOptions

    catalog = catalog or load_catalog()
    options = CommuteOptions(
        grid_km=grid_km, congestion=congestion, access=access, feeds=_paths(feeds), depart=depart
    )
    people = _people(population)
    return compare_scenarios(catalog, _source(source, catalog), scenarios, options, people)


def explore(
    *,
    source: str | GeometrySource = "embedded",
    layers: Sequence[str] | None = None,
    result: Report | CommuteResult | None = None,
    basemap: str = "osm",
    lang: str = "zh",
    m: folium.Map | None = None,
    catalog: Catalog | None = None,
) -> folium.Map:
    """Draw the plan layers, or a check or commute result, on an interactive map.

    Parameters
    ----------
    source
        Where plan-layer geometry comes from (ignored when ``result`` is given).
    layers
        Map layers to draw (``boundaries``, ``roads``, ``rail`` …); all when None.
    result
        A :class:`Report` (its evidence) or :class:`CommuteResult` (travel-time
        bands and cores) to draw instead of the plan layers.
    basemap
        ``osm``, ``carto``, ``tianditu`` or ``gaode`` (vectors shifted to GCJ-02).
    lang
        ``zh`` or ``en`` for names, legend and popups.
    m
        An existing map to draw onto, as ``GeoDataFrame.explore(m=...)`` does.
    catalog
        The catalog; the shipped one when None.

    Returns
    -------
    folium.Map
        Displays inline in Jupyter; save it with ``m.save("map.html")``.
    """
    from ctz.maps.explore import explore_map

    catalog = catalog or load_catalog()
    return explore_map(
        catalog,
        source=None if result is not None else _source(source, catalog),
        layers=layers,
        result=result,
        basemap=basemap,
        lang=lang,
        m=m,
    )


def _people(population: str | Path | None) -> RasterPeople | None:
    """Read a population raster over the study area (None stays None)."""
    from ctz.checks.population import read_raster_people
    from ctz.layers.boundaries import study_area

    return None if population is None else read_raster_people(Path(population), study_area())


def _paths(files: Sequence[str | Path] | None) -> tuple[Path, ...] | None:
    return None if files is None else tuple(Path(f) for f in files)


def _source(source: str | GeometrySource, catalog: Catalog) -> GeometrySource:
    return open_source(source, catalog=catalog) if isinstance(source, str) else source

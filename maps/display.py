"""Display copies of layer geometry: simplified, rounded and in the basemap's datum.

Analysis and exports keep the full geometry; only the copy written into a map is
thinned, so a map's size and drawing time follow what the screen can show, not
how densely the input was mapped:

1. the pieces of a multi-part line that continue each other (the OSM ways of one
   road) are merged into one line;
2. every part is simplified on its own (Douglas–Peucker, :data:`SIMPLIFY_DEG`)
   without topology preservation, which costs time proportional to the vertices
   where the topology-preserving variant stalls on long multi-part roads; a
   polygon part too small to survive keeps its full outline, so no part is lost;
3. vertices are rounded to a :data:`GRID_DEG` grid, which keeps the written
   coordinates short.

Every display vertex lies within ``SIMPLIFY_DEG + GRID_DEG`` of the original.
"""

from __future__ import annotations

from collections.abc import Callable
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

_LINES = (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING)
_AREAS = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


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
        Same index; connected line pieces merged, every part simplified on its
        own (none dropped), vertices on a 1 m grid.
    """
    values = np.asarray(geometry.values, dtype=object)
    if datum == "gcj02":
        values = shift_geometry(values, to="gcj02")
    values = thin(values, SIMPLIFY_DEG)
    values = shapely.set_precision(values, GRID_DEG, mode="pointwise")
    return gpd.GeoSeries(values, index=geometry.index, crs=geometry.crs)


def thin(values: np.ndarray, tolerance: float) -> np.ndarray:
    """Merge connected line pieces and simplify every line and polygon part on its own.

    Parameters
    ----------
    values
        Shapely geometries (None allowed).
    tolerance
        Douglas–Peucker tolerance, in the geometries' units.

    Returns
    -------
    numpy.ndarray
        One geometry per input: lines stay lines (a multi-line whose pieces join
        up becomes one line), polygons stay polygons with every part kept;
        points, collections and empty geometries are returned as they were.
    """
    values = np.array(values, dtype=object)
    kind = shapely.get_type_id(values)
    lines = np.isin(kind, _LINES) & ~shapely.is_empty(values)
    if lines.any():
        merged = shapely.line_merge(values[lines])
        values[lines] = _per_part(merged, tolerance, shapely.multilinestrings)
    areas = np.isin(kind, _AREAS) & ~shapely.is_empty(values)
    if areas.any():
        values[areas] = _per_part(values[areas], tolerance, shapely.multipolygons)
    return values


def _per_part(
    values: np.ndarray, tolerance: float, assemble: Callable[..., np.ndarray]
) -> np.ndarray:
    """Simplify each part of ``values`` alone and put the parts back together."""
    parts, owner = shapely.get_parts(values, return_index=True)
    simple = shapely.simplify(parts, tolerance, preserve_topology=False)
    lost = shapely.is_empty(simple)
    simple[lost] = parts[lost]
    single = np.bincount(owner, minlength=len(values)) == 1
    result = np.empty(len(values), dtype=object)
    result[single] = simple[single[owner]]
    several = ~single[owner]
    if several.any():
        relabel = np.unique(owner[several], return_inverse=True)[1]
        result[~single] = assemble(simple[several], indices=relabel)
    return result

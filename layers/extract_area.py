"""The area ``ctz data get`` clips an extract to: the three cities plus a margin."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.layers.boundaries import study_area

SIMPLIFY_M = 500.0
"""Tolerance (metres) the margin's outline is simplified to: few vertices, a fast node test."""


def extract_area(margin_km: float = 20.0) -> BaseGeometry:
    """Return the three cities' outline grown by ``margin_km`` (EPSG:4326).

    The outline is simplified by :data:`SIMPLIFY_M`, well inside the margin, so
    nothing of the three cities is lost.
    """
    outline = gpd.GeoSeries([study_area()], crs=STORAGE_CRS).to_crs(METRIC_CRS)
    grown = outline.buffer(margin_km * 1000).simplify(SIMPLIFY_M)
    return grown.to_crs(STORAGE_CRS).iloc[0]

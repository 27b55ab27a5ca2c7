"""Hand-built commute networks: layers, cells and cores in local kilometres near Xiangtan.

Geometry is drawn in kilometres around (:data:`X0`, :data:`Y0`) in UTM 49N
(EPSG:32649), so travel times are exact hand figures under :data:`EXACT`.
"""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import LineString, Point

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.checks.commute.coverage import CoreSite
from ctz.checks.commute.params import CommuteParams

KM = 1000.0
X0, Y0 = 700_000.0, 3_100_000.0  # a spot in UTM 49N near Xiangtan

KMH = {"expressway": 100.0, "trunk_road": 60.0, "urban_road": 40.0}
"""Road speeds the hand figures use (not the defaults, which may change)."""

EXACT = CommuteParams(congestion=1.0, sketch_circuity=1.0, access_circuity=1.0, road_kmh=KMH)
"""Free flow, straight lines, no detours: every time is distance / speed."""


def layer(rows: list[tuple[str, str, str, list[tuple[float, float]]]]) -> gpd.GeoDataFrame:
    """Rows of (item_id, kind, status, [(x_km, y_km), ...]) as a layer in EPSG:4326."""
    frame = gpd.GeoDataFrame(
        {
            "item_id": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "status": [r[2] for r in rows],
            "target_year": [2025] * len(rows),
            "name_zh": [r[0] for r in rows],
        },
        geometry=[LineString([(X0 + x * KM, Y0 + y * KM) for x, y in r[3]]) for r in rows],
        crs=METRIC_CRS,
    )
    return frame.to_crs(STORAGE_CRS)


def cells_at(points_km: list[tuple[float, float]], population: list[int]) -> gpd.GeoDataFrame:
    """Origin cells at local kilometre points with the given people."""
    return gpd.GeoDataFrame(
        {
            "code": ["430102"] * len(points_km),
            "city": ["430100"] * len(points_km),
            "population": population,
        },
        geometry=[Point(X0 + x * KM, Y0 + y * KM) for x, y in points_km],
        crs=METRIC_CRS,
    )


def core(name: str, x_km: float, y_km: float = 0.0) -> CoreSite:
    """A city core at local kilometres."""
    return CoreSite(name, name, name, X0 + x_km * KM, Y0 + y_km * KM)


NO_RAIL = layer([])[0:0]
"""An empty rail layer."""

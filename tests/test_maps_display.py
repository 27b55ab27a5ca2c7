"""Display geometry: pieces of a road merged, every part kept, every vertex within tolerance."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, box

from ctz.maps.display import GRID_DEG, SIMPLIFY_DEG, display_geometry

TOLERANCE = SIMPLIFY_DEG + GRID_DEG


def wiggly_road(rng: np.random.Generator, start: tuple[float, float], pieces: int) -> list:
    """Return a road mapped as ``pieces`` ways of 50 vertices, each starting where the last ends."""
    parts, here = [], np.array(start)
    for _ in range(pieces):
        steps = np.column_stack([np.full(50, 1e-4), rng.normal(0, 2e-5, 50)])
        points = here + np.cumsum(steps, axis=0)
        parts.append(LineString(np.vstack([here, points])))
        here = points[-1]
    return parts


def test_connected_pieces_merge_and_stay_within_tolerance() -> None:
    rng = np.random.default_rng(5)
    road = MultiLineString(wiggly_road(rng, (112.9, 28.1), 40))
    (thin,) = display_geometry(gpd.GeoSeries([road], crs=4326))
    assert thin.geom_type == "LineString"  # the 40 ways are one line on screen
    assert shapely.get_num_coordinates(thin) < 0.1 * shapely.get_num_coordinates(road)
    assert shapely.hausdorff_distance(thin, road) <= TOLERANCE
    assert thin.coords[0] == pytest.approx(on_grid(road.geoms[0].coords[0]), abs=1e-9)


def on_grid(point: tuple[float, float]) -> tuple[float, float]:
    """Snap a point to the display grid."""
    return tuple(round(c / GRID_DEG) * GRID_DEG for c in point)  # type: ignore[return-value]


def test_every_part_is_kept() -> None:
    rng = np.random.default_rng(6)
    apart = MultiLineString(
        [LineString(p.coords) for p in wiggly_road(rng, (113.0, 28.0), 3)][::2]  # a gap between
    )
    specks = MultiPolygon(
        [box(113.0, 28.0, 113.05, 28.05)]
        + [box(113.1 + k * 1e-3, 28.1, 113.1 + k * 1e-3 + 5e-5, 28.1 + 5e-5) for k in range(5)]
    )
    tiny = Polygon([(113.2, 28.2), (113.2 + 3e-5, 28.2), (113.2, 28.2 + 3e-5)])
    frame = gpd.GeoSeries([apart, specks, tiny, Point(113.123456789, 28.0), None], crs=4326)
    thin = display_geometry(frame)
    assert shapely.get_num_geometries(thin.iloc[0]) == 2
    assert shapely.get_num_geometries(thin.iloc[1]) == 6  # specks under the tolerance stay
    assert not thin.iloc[2].is_empty
    assert thin.iloc[3].x == pytest.approx(113.12346, abs=1e-9)
    assert thin.iloc[4] is None
    for original, shown in zip(frame.iloc[:4], thin.iloc[:4], strict=True):
        assert shapely.hausdorff_distance(original, shown) <= TOLERANCE


def test_gcj02_copy_is_thinned_the_same_way() -> None:
    rng = np.random.default_rng(7)
    road = MultiLineString(wiggly_road(rng, (112.95, 28.2), 10))
    wgs = display_geometry(gpd.GeoSeries([road], crs=4326)).iloc[0]
    gcj = display_geometry(gpd.GeoSeries([road], crs=4326), datum="gcj02").iloc[0]
    assert gcj.geom_type == wgs.geom_type == "LineString"
    offset = np.asarray(gcj.coords)[0] - np.asarray(wgs.coords)[0]
    assert 0.001 < np.hypot(*offset) < 0.01  # GCJ-02 moves Changsha by a few hundred metres

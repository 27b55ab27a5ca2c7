"""Where people live: census county totals spread over a grid, or a population raster.

One policy for every check: a raster (e.g. WorldPop GeoTIFF) may be in any
coordinate system. Its pixels over the study area are read once; each pixel's
people are placed at the pixel's centre, transformed to the metric CRS, and
counted in whatever cell or polygon holds that centre. A raster that does not
overlap the study area, covers less than half of it, holds nobody there, or
holds values no place on earth has (infinite, negative, denser than any city
block) is refused; the share of the study area it covers is kept for the
data coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

from ctz.base import METRIC_CRS, STORAGE_CRS, CatalogError, InputError, RasterError
from ctz.catalog.load import default_seeds_dir
from ctz.catalog.yaml_files import read_yaml

if TYPE_CHECKING:
    from affine import Affine  # rasterio's transforms: a raster run imports it

PLACE_SIGMA_M = 3000.0
"""Spread of a place's weight around its point (Gaussian, metres)."""

MIN_RASTER_COVER = 0.5
"""A raster with data over less than this share of the study area is refused."""
FULL_RASTER_COVER = 0.99
"""A raster with data over less than this share of the study area is warned about."""
MAX_PEOPLE_PER_KM2 = 2_000_000.0
"""Denser than any city block has been (Kowloon Walled City: about 1.3 million per km²)."""
COVER_SAMPLES = 200
"""Points per side of the sample grid that measures the raster's cover of the study area."""

RURAL_WEIGHT = 1.0
"""Weight every cell gets before places are added; a place adds ``population / 1000``
at its centre, so a town of 1 000 people doubles the weight of its own cell."""


@dataclass(frozen=True)
class RasterPeople:
    """The people of a population raster over the study area, one entry per populated pixel.

    Attributes
    ----------
    path
        The raster file, for messages.
    x_m, y_m
        Pixel centres in the metric CRS (EPSG:32649).
    people
        People in each pixel (pixels holding nobody or no data dropped).
    cover
        Share (0–1) of the study area where the raster has data (a nodata or NaN
        pixel, or none at all, is no data; a pixel of 0 people is data).
    """

    path: Path
    x_m: np.ndarray
    y_m: np.ndarray
    people: np.ndarray
    cover: float = 1.0

    def warnings(self) -> tuple[str, ...]:
        """One line when the raster leaves part of the study area without data."""
        if self.cover >= FULL_RASTER_COVER:
            return ()
        return (
            f"the population raster {self.path.name} has data for {self.cover:.1%} of the "
            "study area: people elsewhere are not counted",
        )

    def in_cells(self, centres_xy_m: np.ndarray, size_km: float) -> np.ndarray:
        """Sum the pixels into square grid cells.

        Parameters
        ----------
        centres_xy_m
            Cell centres in the metric CRS, shape ``(n, 2)``, on a grid of ``size_km``.
        size_km
            Cell side.

        Returns
        -------
        numpy.ndarray
            People per cell; pixels whose centre falls in no cell are left out.
        """
        size = size_km * 1000.0
        keys = _cell_keys(self.x_m, self.y_m, size)
        cell_keys = _cell_keys(centres_xy_m[:, 0], centres_xy_m[:, 1], size)
        order = np.argsort(cell_keys)
        at = np.clip(np.searchsorted(cell_keys, keys, sorter=order), 0, max(len(order) - 1, 0))
        hit = cell_keys[order[at]] == keys if len(order) else np.zeros(len(keys), dtype=bool)
        return np.bincount(order[at[hit]], self.people[hit], len(centres_xy_m))

    def in_polygons(self, polygons_m: list[BaseGeometry]) -> list[float]:
        """People whose pixel centre lies inside each polygon (metric CRS)."""
        return [
            float(self.people[shapely.contains_xy(polygon, self.x_m, self.y_m)].sum())
            if not polygon.is_empty
            else 0.0
            for polygon in polygons_m
        ]


def read_raster_people(path: Path, area: BaseGeometry) -> RasterPeople:
    """Read a single-band population raster over ``area``, whatever its CRS.

    Parameters
    ----------
    path
        A GeoTIFF (or any raster rasterio reads) of people per pixel.
    area
        The study area in EPSG:4326; only the window over its bounds is read.

    Returns
    -------
    RasterPeople

    Raises
    ------
    RasterError
        When the file is missing or unreadable, has no CRS, does not overlap
        ``area``, covers less than :data:`MIN_RASTER_COVER` of it, holds nobody
        inside it, or holds impossible values (see :func:`check_people_values`).
    """
    import rasterio
    import rasterio.errors
    from rasterio.windows import Window, from_bounds

    if not path.is_file():
        raise RasterError(f"{path}: no such population raster")
    try:
        with rasterio.open(path) as source:
            if source.crs is None:
                raise RasterError(f"{path}: the raster has no coordinate system")
            to_raster = Transformer.from_crs(STORAGE_CRS, source.crs, always_xy=True)
            bounds = to_raster.transform_bounds(*area.bounds)
            whole = Window(0, 0, source.width, source.height)
            try:
                window = from_bounds(*bounds, transform=source.transform)
                window = window.round_offsets().round_lengths().intersection(whole)
            except rasterio.errors.WindowError:
                window = None
            if window is None or window.width < 1 or window.height < 1:
                raise RasterError(f"{path}: the raster does not overlap the study area")
            masked = source.read(1, window=window, masked=True)
            transform = source.window_transform(window)
            raster_crs = source.crs
    except (rasterio.errors.RasterioError, OSError) as error:
        raise RasterError(f"{path}: cannot read population raster ({error})") from error
    raw = masked.astype(np.float64).filled(np.nan)
    check_people_values(path, raw, pixel_area_km2(transform, raster_crs, raw.shape))
    cover = raster_cover(~np.isnan(raw), transform, raster_crs, area)
    if cover < MIN_RASTER_COVER:
        raise RasterError(
            f"{path}: the raster has data for only {cover:.1%} of the study area "
            f"(at least {MIN_RASTER_COVER:.0%} needed)"
        )
    values = np.where(raw > 0, raw, 0.0)
    rows, cols = np.nonzero(values)
    x, y = transform @ (cols + 0.5, rows + 0.5)
    to_metric = Transformer.from_crs(raster_crs, METRIC_CRS, always_xy=True)
    x_m, y_m = (np.asarray(v, dtype=float) for v in to_metric.transform(x, y))
    people = RasterPeople(path, x_m, y_m, values[rows, cols], cover)
    area_m = gpd.GeoSeries([area], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
    if people.in_polygons([area_m])[0] <= 0:
        raise RasterError(f"{path}: the raster holds no population inside the study area")
    return people


def pixel_area_km2(transform: Affine, crs: Any, shape: tuple[int, int]) -> float:
    """Area (km², metric CRS) of the pixel at the middle of a window of ``shape``."""
    row, col = shape[0] // 2, shape[1] // 2
    corners = np.array([(0, 0), (1, 0), (1, 1), (0, 1)]) + np.array([col, row])
    x, y = transform @ (corners[:, 0], corners[:, 1])
    to_metric = Transformer.from_crs(crs, METRIC_CRS, always_xy=True)
    return float(shapely.Polygon(np.column_stack(to_metric.transform(x, y))).area / 1e6)


def check_people_values(path: Path, values: np.ndarray, pixel_km2: float) -> None:
    """Refuse pixel values that cannot be people counts (NaN is no data and passes).

    Raises
    ------
    RasterError
        For an infinite or negative value, or one denser than :data:`MAX_PEOPLE_PER_KM2`.
    """
    bad = np.isinf(values) | (values < 0) | (values > MAX_PEOPLE_PER_KM2 * pixel_km2)
    if not bad.any():
        return
    worst = values[bad].flat[np.argmax(np.abs(values[bad]))]
    raise RasterError(
        f"{path}: {int(bad.sum())} pixels hold values that are no people count (e.g. {worst:g} "
        f"in a pixel of {pixel_km2:.4g} km²; at most {MAX_PEOPLE_PER_KM2:,.0f} per km², "
        "none negative; is the nodata value declared?)"
    )


def raster_cover(valid: np.ndarray, transform: Affine, crs: Any, area: BaseGeometry) -> float:
    """Share of ``area`` (EPSG:4326) where the raster window has data, on a grid of samples.

    Parameters
    ----------
    valid
        True per pixel of the window that holds data.
    transform, crs
        The window's transform and the raster's CRS.
    area
        The study area.
    """
    area_m = gpd.GeoSeries([area], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
    west, south, east, north = area_m.bounds
    step = max(east - west, north - south) / COVER_SAMPLES
    xs, ys = np.meshgrid(
        np.arange(west + step / 2, east, step), np.arange(south + step / 2, north, step)
    )
    inside = shapely.contains_xy(area_m, xs.ravel(), ys.ravel())
    to_raster = Transformer.from_crs(METRIC_CRS, crs, always_xy=True)
    x, y = to_raster.transform(xs.ravel()[inside], ys.ravel()[inside])
    col, row = (np.floor(v).astype(np.int64) for v in ~transform @ (np.asarray(x), np.asarray(y)))
    within = (row >= 0) & (row < valid.shape[0]) & (col >= 0) & (col < valid.shape[1])
    hit = np.zeros(len(row), dtype=bool)
    hit[within] = valid[row[within], col[within]]
    return float(hit.mean()) if len(hit) else 0.0


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
    CatalogError
        When the file is missing or malformed.
    """
    path = path or default_seeds_dir() / "population.yaml"
    try:
        data = read_yaml(path)
        counties = pd.DataFrame(data["counties"])
        cities = pd.DataFrame(data["cities"]).set_index("code")["population"]
    except (OSError, ValueError, yaml.YAMLError, KeyError, TypeError) as error:
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
    InputError
        When a county with people has no cell (the grid is too coarse).
    """
    empty = sorted(set(counties["code"]) - set(cells["code"]))
    if empty:
        raise InputError(f"counties {', '.join(empty)} have no grid cell: use a smaller grid")
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

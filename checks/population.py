"""Population inside polygons, summed from a raster such as WorldPop."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import rasterio.errors
import rasterio.features
import rasterio.windows
from shapely.geometry.base import BaseGeometry

from ctz.base import STORAGE_CRS, RasterError


def population_within(raster: Path, polygons: Sequence[BaseGeometry]) -> list[float]:
    """Sum the raster's cells whose centres fall inside each polygon.

    Parameters
    ----------
    raster
        A single-band population raster (people per cell); nodata and negative cells count 0.
    polygons
        Polygons in EPSG:4326.

    Returns
    -------
    list of float
        People inside each polygon.

    Raises
    ------
    RasterError
        When the raster is missing or cannot be read.
    """
    try:
        with rasterio.open(raster) as data:
            shapes = gpd.GeoSeries(list(polygons), crs=STORAGE_CRS).to_crs(data.crs)
            window = rasterio.windows.from_bounds(*shapes.total_bounds, transform=data.transform)
            window = (
                window.round_offsets()
                .round_lengths()
                .intersection(rasterio.windows.Window(0, 0, data.width, data.height))
            )
            cells = data.read(1, window=window, masked=True).filled(0).astype("float64")
            transform = data.window_transform(window)
    except (rasterio.errors.RasterioError, rasterio.errors.WindowError) as error:
        raise RasterError(f"cannot read population raster {raster}: {error}") from error
    cells = np.where(np.isfinite(cells) & (cells > 0), cells, 0.0)
    totals = []
    for shape in shapes:
        if shape.is_empty:
            totals.append(0.0)
            continue
        inside = rasterio.features.geometry_mask(
            [shape], out_shape=cells.shape, transform=transform, invert=True
        )
        totals.append(float(cells[inside].sum()))
    return totals

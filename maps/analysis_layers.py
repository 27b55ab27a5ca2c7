"""The commute check's analysis layers as GIS files: travel-time bands and the origin grid.

Written with :func:`ctz.geo.write.write_layer` (GeoPackage, Parquet or GeoJSON by
file ending; atomic; the same bytes for the same result), so a planner can open
them next to the plan layers in QGIS.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely

from ctz.checks.commute.result import CommuteResult
from ctz.geo.write import write_layer

EMPTY_AREA = shapely.from_wkt("MULTIPOLYGON EMPTY")
"""Stands in for a band no cell falls in, so every band keeps its row."""


def isochrone_layer(result: CommuteResult) -> gpd.GeoDataFrame:
    """Return the scenario's bands as a layer.

    Returns
    -------
    GeoDataFrame
        ``scenario, origin, minutes, people, geometry`` (EPSG:4326): one row per
        origin (``nearest`` or a core id) and band (30/45/60/90 minutes); the
        people are those of the cells inside.
    """
    bands = result.isochrones.copy()
    bands["geometry"] = _as_areas(bands.geometry)
    bands.insert(0, "scenario", result.scenario)
    return bands[["scenario", "origin", "minutes", "people", "geometry"]]


def grid_layer(result: CommuteResult) -> gpd.GeoDataFrame:
    """Return the origin grid as a layer: each cell's population and minutes to the cores.

    Returns
    -------
    GeoDataFrame
        The columns of :attr:`CommuteResult.grid` after ``scenario`` (EPSG:4326).
    """
    grid = result.grid.copy()
    grid.insert(0, "scenario", result.scenario)
    return grid


def write_isochrones(result: CommuteResult, path: Path) -> None:
    """Write :func:`isochrone_layer` to ``path`` (``.gpkg``, ``.parquet`` or ``.geojson``).

    Raises
    ------
    InputError
        For another file ending.
    """
    write_layer(isochrone_layer(result), path)


def write_grid(result: CommuteResult, path: Path) -> None:
    """Write :func:`grid_layer` to ``path`` (``.gpkg``, ``.parquet`` or ``.geojson``).

    Raises
    ------
    InputError
        For another file ending.
    """
    write_layer(grid_layer(result), path)


def _as_areas(geometry: gpd.GeoSeries) -> gpd.GeoSeries:
    """Empty bands (a geometry collection) become empty multipolygons; the others stay."""
    values = geometry.to_numpy().copy()
    values[shapely.is_empty(values)] = EMPTY_AREA
    return gpd.GeoSeries(values, index=geometry.index, crs=geometry.crs)

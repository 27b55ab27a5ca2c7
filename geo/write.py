"""Write a resolved layer to .gpkg, .geojson or .parquet, the same bytes for the same layer.

A GeoPackage holds one layer per kind of geometry (``points``, ``lines``,
``polygons``), each of a single multi-geometry type, as GIS software expects; a
GeoJSON file's layer is named after the file; every write goes through a
temporary file (:func:`ctz.files.replacing`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely

from ctz.base import InputError
from ctz.files import replacing

if TYPE_CHECKING:
    import geopandas as gpd

FORMATS: tuple[str, ...] = (".gpkg", ".geojson", ".parquet")
"""File endings a layer can be written to."""

GEOMETRY_LAYERS: dict[str, tuple[int, ...]] = {
    "points": (shapely.GeometryType.POINT, shapely.GeometryType.MULTIPOINT),
    "lines": (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING),
    "polygons": (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON),
}
"""GeoPackage layer name to the shapely geometry types it holds (as multi-geometries)."""


def check_output(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` ends in one of :data:`FORMATS`."""
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"{path}: write a file ending in {', '.join(FORMATS)}")


def write_layer(layer: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``layer`` to ``path``; a failure leaves any earlier file untouched.

    Parameters
    ----------
    layer
        A layer GeoDataFrame (EPSG:4326).
    path
        Output file; the ending chooses the format.

    Raises
    ------
    InputError
        For an unknown ending, or (GeoPackage) a geometry type no layer holds.
    """
    check_output(path)
    suffix = path.suffix.lower()
    types = shapely.get_type_id(layer.geometry.to_numpy())
    if suffix == ".gpkg":
        known = [t for group in GEOMETRY_LAYERS.values() for t in group]
        odd = layer.geometry[(types >= 0) & ~np.isin(types, known)]
        if len(odd):
            raise InputError(f"{path}: no GeoPackage layer holds a {odd.iloc[0].geom_type}")
    with replacing(path) as temp:
        if suffix == ".parquet":
            layer.to_parquet(temp, index=False)
        elif suffix == ".gpkg":
            for name, group in GEOMETRY_LAYERS.items():
                part = layer[np.isin(types, group)]
                if len(part):
                    part.to_file(
                        temp, driver="GPKG", layer=name, engine="pyogrio", promote_to_multi=True
                    )
        else:
            layer.to_file(temp, driver="GeoJSON", engine="pyogrio", layer=path.stem)

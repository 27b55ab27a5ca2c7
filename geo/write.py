"""Write a resolved layer to .gpkg, .geojson or .parquet (temp file + ``os.replace``)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from ctz.base import InputError
from ctz.files import replacing

FORMATS: tuple[str, ...] = (".gpkg", ".geojson", ".parquet")
"""File endings ``ctz geocode --out`` accepts."""


def check_output(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` ends in one of :data:`FORMATS`."""
    if path.suffix.lower() not in FORMATS:
        raise InputError(f"--out {path}: use a file ending in {', '.join(FORMATS)}")


def write_layer(layer: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``layer`` to ``path``; a failure leaves any earlier file untouched.

    Parameters
    ----------
    layer
        A layer GeoDataFrame (EPSG:4326).
    path
        Output file; the ending chooses the format.
    """
    check_output(path)
    suffix = path.suffix.lower()
    with replacing(path) as temp:
        if suffix == ".parquet":
            layer.to_parquet(temp)
        elif suffix == ".gpkg":
            layer.to_file(temp, driver="GPKG", layer="items", engine="pyogrio")
        else:
            layer.to_file(temp, driver="GeoJSON", engine="pyogrio")

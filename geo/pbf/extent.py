"""The extent of an extract without a header box, found once and kept in the cache folder.

Without a bounding box in its header, an extract's extent is the bounds of all its
nodes: a pass over every node (seconds on a provincial extract). It depends only on
the extract's content, so it is stored (:mod:`ctz.geo.cache.values`) under the
extract's digest and read back by every later command on the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from ctz.geo.cache.keys import code_digest
from ctz.geo.cache.values import cached_value, value_path

EXTENT_CODE: tuple[str, ...] = ("ctz.geo.pbf.extract_source",)
"""Where the extent is derived: its key covers this module and all it imports."""


def stored_extent(
    path: Path, digest: str, cache_dir: Path, node_bounds: Callable[[], BaseGeometry]
) -> BaseGeometry:
    """Return the extent of the extract at ``path``, from the cache or from ``node_bounds``.

    Parameters
    ----------
    path
        The extract (for the cache listing).
    digest
        SHA-256 of its content (:func:`~ctz.geo.cache.keys.file_digest`).
    cache_dir
        The cache folder.
    node_bounds
        Finds the extent with a pass over the nodes when the cache has none; its
        errors (:class:`~ctz.base.SourceError`) propagate and nothing is stored.

    Returns
    -------
    shapely.Polygon
        The box ``west, south, east, north`` in EPSG:4326.
    """
    key = {"kind": "extent", "extract": digest, "code": code_digest(*EXTENT_CODE)}
    bounds = cached_value(
        value_path(cache_dir, "extent", key),
        key,
        lambda: tuple(float(v) for v in node_bounds().bounds),
        tuple,
        check=_check_bounds,
        about=f"extent of the nodes of {path}",
    )
    return box(*bounds)


def _check_bounds(bounds: tuple[float, ...]) -> None:
    """Raise ValueError unless ``bounds`` is a box in degrees."""
    values = np.asarray(bounds, dtype=float)
    if values.shape != (4,) or not np.isfinite(values).all():
        raise ValueError(f"bounds {bounds}")
    west, south, east, north = values
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(f"bounds {bounds} are not a box in degrees")

"""What every stage of ctz shares: coordinate systems, the study region, the layer schema, errors.

This is the bottom of the data flow (``catalog ← geo ← layers ← checks ← maps ←
cli``): every module may import it, and it imports nothing of ctz.
"""

from __future__ import annotations

from functools import cache

DISTRIBUTION = "czt-planner"
"""Name of the installed distribution that carries the ``ctz`` package."""


@cache
def installed_version() -> str:
    """Version of ctz from the installed package metadata (``0+unknown`` when not installed).

    The version is written once, in ``pyproject.toml``; ``ctz --version``, ``ctz.__version__``
    and the cache keys all read it from here. It is read on first use, not at import
    (``importlib.metadata`` costs a cached run a tenth of a second).
    """
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


STORAGE_CRS = "EPSG:4326"
"""Coordinate system of every GeoDataFrame ctz returns or writes (WGS-84 lon/lat)."""

METRIC_CRS = "EPSG:32649"
"""UTM zone 49N: lengths and areas in metres across Changsha, Zhuzhou and Xiangtan."""

REGION_BOUNDS: tuple[float, float, float, float] = (111.85, 26.0, 114.3, 28.7)
"""West, south, east, north (degrees) of the box around the Changsha, Zhuzhou and Xiangtan
prefectures (their outlines' extent): the default search region and the map's home view."""

LAYER_COLUMNS: tuple[str, ...] = (
    "item_id",
    "name_zh",
    "name_en",
    "kind",
    "status",
    "source",
    "osm_ids",
    "match_score",
    "plans",
    "target_year",
    "geometry",
)
"""Columns of every layer GeoDataFrame, in order; ``geometry`` is in :data:`STORAGE_CRS`."""

LAYER_STATUS: dict[str, str] = {
    "existing": "existing",
    "upgrade": "existing",
    "under_construction": "under_construction",
    "planned": "planned",
    "study": "planned",
}
"""Catalog status to layer status (``existing | under_construction | planned | unknown``)."""


class CtzError(Exception):
    """Base of the errors ctz raises on purpose; the message is one line meant for people.

    The command line prints it on stderr and exits with code 2, never with a traceback.
    """


class InputError(CtzError, ValueError):
    """Bad input from the caller: an unknown id or option value, a file of the wrong kind."""


class CatalogError(InputError):
    """The plan catalog (``seeds/``) is malformed; the message names the file and entry."""


class RasterError(InputError):
    """A population raster cannot be used: unreadable, off the study area, or empty there."""


class SourceError(CtzError, OSError):
    """Data that cannot be had: an unreachable or busy server, a bad answer, a corrupt extract."""


class FeedError(InputError):
    """A GTFS feed cannot be used: not a zip or folder, a file missing, bad times, or no service.

    The message names the feed's path and the problem in one line.
    """


class CacheWarning(UserWarning):
    """A cache file could not be read or written; it was dropped and is fetched or built again."""

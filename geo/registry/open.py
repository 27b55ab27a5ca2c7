"""Open a geometry source from its command-line name: ``embedded``, ``osm`` or ``pbf:PATH``.

Each kind's source class is imported when that kind is opened: a command on an extract
does not import the live client's libraries, nor the extract reader the sketches.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ctz.base import InputError, SourceError
from ctz.files import default_cache_dir, not_a_file
from ctz.geo.osm.client import NOMINATIM_URL, OVERPASS_URL, Endpoints
from ctz.geo.source import AUTO

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from ctz.catalog.model import Catalog
    from ctz.geo.source import GeometrySource


@dataclass(frozen=True)
class SourceOptions:
    """Settings of the live and extract sources; the defaults read the environment.

    Attributes
    ----------
    cache_dir
        Cache of OpenStreetMap answers (``osm``), and where ``auto`` finds the
        extracts ``ctz data get`` fetched.
    overpass_url, nominatim_url
        API endpoints (``$CTZ_OVERPASS_URL``, ``$CTZ_NOMINATIM_URL`` or the public servers).
    region
        Search region (EPSG:4326); None for the three cities' box.
    progress
        Show progress on stderr (bars, downloads, waits on a busy server).
    refresh
        Ignore cached OpenStreetMap answers: fetch them again and overwrite them.
    max_wait
        Seconds the whole command may spend on OpenStreetMap servers (all
        requests, pauses and retries), from its first request; then it stops
        with a :class:`~ctz.base.SourceError`.
    """

    cache_dir: Path = field(default_factory=default_cache_dir)
    overpass_url: str = field(
        default_factory=lambda: os.environ.get("CTZ_OVERPASS_URL", OVERPASS_URL)
    )
    nominatim_url: str = field(
        default_factory=lambda: os.environ.get("CTZ_NOMINATIM_URL", NOMINATIM_URL)
    )
    region: BaseGeometry | None = None
    progress: bool = True
    refresh: bool = False
    max_wait: float = Endpoints.max_wait


def open_source(
    spec: str, catalog: Catalog, options: SourceOptions | None = None
) -> GeometrySource:
    """Return the geometry source named by ``spec``.

    Parameters
    ----------
    spec
        ``auto`` (the extract ``ctz data get`` fetched last into the cache folder,
        else ``embedded``), ``embedded`` (offline sketches), ``osm`` (live
        OpenStreetMap) or ``pbf:PATH`` (a local extract).
    catalog
        The plan catalog.
    options
        Cache, endpoints, region and progress of ``osm`` and ``pbf``.

    Raises
    ------
    CtzError
        When ``spec`` names no known source, or ``pbf:`` a missing file.
    """
    options = options or SourceOptions()
    if spec == AUTO:
        from ctz.geo.extract.store import latest_extract

        record = latest_extract(options.cache_dir)
        spec = "embedded" if record is None else f"pbf:{record.path}"
    if spec == "embedded":
        from ctz.geo.embedded import EmbeddedSource

        return EmbeddedSource(catalog)
    if spec == "osm":
        from ctz.geo.osm.overpass_source import OsmSource  # osmnx's path: imported only when used

        endpoints = Endpoints(
            options.overpass_url, options.nominatim_url, max_wait=options.max_wait
        )
        return OsmSource(
            catalog,
            options.cache_dir / "osm",
            endpoints,
            options.region,
            progress=options.progress,
            refresh=options.refresh,
        )
    if spec.startswith("pbf:"):
        path = Path(spec[4:]).expanduser()
        if not path.is_file():
            raise SourceError(not_a_file(path, "an OSM file"))
        from ctz.geo.pbf.extract_source import PbfSource

        return PbfSource(
            path,
            catalog,
            options.region,
            progress=options.progress,
            cache_dir=options.cache_dir,
            refresh=options.refresh,
        )
    raise InputError(f"unknown source '{spec}': use auto, embedded, osm or pbf:PATH")

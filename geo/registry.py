"""Open a geometry source from its command-line name: ``embedded``, ``osm`` or ``pbf:PATH``."""

from __future__ import annotations

from ctz.catalog.model import Catalog
from ctz.errors import CtzError
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.source import GeometrySource


def open_source(spec: str, catalog: Catalog) -> GeometrySource:
    """Return the geometry source named by ``spec``.

    Parameters
    ----------
    spec
        ``embedded`` (offline sketches), ``osm`` (live OpenStreetMap) or
        ``pbf:PATH`` (a local extract).
    catalog
        The plan catalog.

    Raises
    ------
    CtzError
        When ``spec`` names no known source.
    """
    if spec == "embedded":
        return EmbeddedSource(catalog)
    raise CtzError(f"unknown source '{spec}': use embedded, osm or pbf:PATH")

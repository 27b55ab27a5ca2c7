"""Draw plan layers or a check result on a folium map, for :func:`ctz.explore`."""

from __future__ import annotations

from collections.abc import Sequence

import folium

from ctz.catalog.model import Catalog
from ctz.checks.commute.result import CommuteResult
from ctz.checks.commute.webmap import commute_map
from ctz.checks.evidence_map import evidence_map
from ctz.checks.result import Report
from ctz.geo.source import GeometrySource
from ctz.maps.choices import MAP_LAYERS
from ctz.maps.render import MapOptions, map_layers, render_map


def explore_map(
    catalog: Catalog,
    *,
    source: GeometrySource | None,
    layers: Sequence[str] | None = None,
    result: Report | CommuteResult | None = None,
    basemap: str = "osm",
    lang: str = "zh",
    m: folium.Map | None = None,
) -> folium.Map:
    """Return a map of the plan layers of ``source``, or of ``result``; onto ``m`` when given."""
    if isinstance(result, Report):
        drawn = evidence_map(result.results)
    elif isinstance(result, CommuteResult):
        drawn = commute_map(result)
    else:
        if source is None:
            raise ValueError("explore_map needs a source or a result")
        built, _ = map_layers(catalog, source, tuple(layers or MAP_LAYERS))
        drawn = render_map(built, catalog, MapOptions(lang=lang, basemap=basemap))
    if m is None:
        return drawn
    for child in list(drawn._children.values()):
        if isinstance(child, folium.FeatureGroup | folium.GeoJson):
            child.add_to(m)
    return m

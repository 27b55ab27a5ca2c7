"""Draw plan layers or a check result on a folium map, for :func:`ctz.explore`."""

from __future__ import annotations

from collections.abc import Sequence

import folium

from ctz.base import InputError
from ctz.catalog.model import Catalog
from ctz.geo.source import GeometrySource
from ctz.maps.choices import MAP_LAYERS
from ctz.maps.render import MapOptions, Result, draw_onto, map_layers, render_map

RESULT_CONTEXT: tuple[str, ...] = ("boundaries",)
"""Plan layers drawn under a check result: the city and county outlines."""


def explore_map(
    catalog: Catalog,
    *,
    source: GeometrySource | None,
    layers: Sequence[str] | None = None,
    result: Result | None = None,
    basemap: str = "osm",
    lang: str = "zh",
    m: folium.Map | None = None,
) -> folium.Map:
    """Return a map of the plan layers of ``source``, or of ``result``; onto ``m`` when given.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        Where plan-layer geometry comes from; None draws no item layers.
    layers
        Map layers to draw. When None: all of :data:`MAP_LAYERS` (with a
        source), or under a result the outlines on a new map and nothing on ``m``.
    result
        A check Report (evidence per goal) or a CommuteResult (bands and cores).
    basemap
        ``osm``, ``carto``, ``tianditu`` or ``gaode`` (vectors in GCJ-02).
    lang
        ``zh`` or ``en``.
    m
        An existing map: the layers are added to it (its tiles and view are kept).

    Returns
    -------
    folium.Map
        A new ctz map (offline assets, labels, legend), or ``m``.

    Raises
    ------
    InputError
        For an unknown layer or basemap, or neither a source nor a result.
    """
    if source is None and result is None:
        raise InputError("nothing to draw: give a geometry source or a result")
    context = RESULT_CONTEXT if m is None else ()  # a map drawn onto has its own context
    names = tuple(layers or (MAP_LAYERS if result is None else context))
    built, _ = map_layers(catalog, source, names)
    options = MapOptions(lang=lang, basemap=basemap, view="cities" if result else "core")
    results = [result] if result is not None else []
    if m is None:
        return render_map(built, catalog, options, results)
    return draw_onto(m, built, catalog, options, results)

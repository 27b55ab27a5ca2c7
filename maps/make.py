"""One ``ctz map`` run: build the layers, draw them, and write HTML, PNG and embed snippet."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd

from ctz.catalog.model import Catalog
from ctz.checks.data_coverage import source_coverage
from ctz.geo.source import GeometrySource, serves_osm_data
from ctz.maps.choices import MAP_LAYERS
from ctz.maps.export import EMBED_SIZE, PNG_SIZE, Picture, embed_snippet, save_html, save_png
from ctz.maps.render import (
    DEFAULT_TITLE,
    MapOptions,
    Result,
    check_layer_names,
    map_layers,
    render_map,
)
from ctz.maps.results import result_title
from ctz.maps.style import label


@dataclass(frozen=True, slots=True)
class MapJob:
    """What to draw and where to write it.

    Attributes
    ----------
    output
        The HTML file.
    source
        The opened geometry source (``embedded``, ``osm`` or ``pbf:PATH``).
    layers
        Layer names from :data:`ctz.maps.choices.MAP_LAYERS`.
    options
        Title, language, basemap, keys, view, self-containment.
    png
        Also photograph the map to this file, from a self-contained slide copy
        (no zoom buttons or layer list) of the same view, so that offline the
        layers still show on the offline base.
    size
        Picture size, or the iframe size with ``embed``; defaults differ per use.
    embed
        Also return an ``<iframe>`` snippet for the HTML file.
    """

    output: Path
    source: GeometrySource
    layers: tuple[str, ...] = MAP_LAYERS
    options: MapOptions = field(default_factory=MapOptions)
    png: Path | None = None
    size: tuple[int, int] | None = None
    embed: bool = False


@dataclass(frozen=True, slots=True)
class MapResult:
    """What a run wrote: sizes, layers drawn, the picture and the embed snippet.

    ``picture.tiles`` is 0 when the basemap tiles could not be loaded for the
    picture (it then shows the offline base only). ``warnings`` say what the
    source's OpenStreetMap data covers when it leaves part of the map to sketches.
    """

    html_bytes: int
    layers: tuple[str, ...]
    picture: Picture | None = None
    snippet: str | None = None
    summary: dict[str, object] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


def _photograph(
    layers: dict[str, gpd.GeoDataFrame],
    catalog: Catalog,
    options: MapOptions,
    png: Path,
    size: tuple[int, int],
) -> Picture:
    """Photograph a self-contained slide copy of the map, so only the tiles need the network."""
    slide = replace(options, self_contained=True, slide=True)
    with tempfile.TemporaryDirectory(prefix="ctz-map-") as folder:
        html = Path(folder) / "map.html"
        save_html(render_map(layers, catalog, slide), html)
        return save_png(html, png, size)


def make_map(job: MapJob, catalog: Catalog) -> MapResult:
    """Run one map job.

    Parameters
    ----------
    job
        What to draw and write.
    catalog
        The plan catalog.

    Returns
    -------
    MapResult

    Raises
    ------
    CtzError
        For an unknown layer, source, view or basemap, a missing key, a bad size,
        or Chromium missing when a picture is asked for.
    """
    check_layer_names(job.layers)
    layers, resolution = map_layers(catalog, job.source, job.layers)
    m = render_map(layers, catalog, job.options)
    html_bytes = save_html(m, job.output)
    picture = None
    if job.png:
        picture = _photograph(layers, catalog, job.options, job.png, job.size or PNG_SIZE)
    snippet = None
    if job.embed:
        src = Path(os.path.relpath(job.output.resolve(), Path.cwd())).as_posix()
        title = job.options.title or label(DEFAULT_TITLE, job.options.lang)
        snippet = embed_snippet(src, job.size or EMBED_SIZE, title)
    return MapResult(
        html_bytes,
        tuple(name for name in MAP_LAYERS if name in layers),
        picture,
        snippet,
        resolution.summary() if resolution else {},
        osm_coverage(job.source, resolution.layer if resolution else None),
    )


def osm_coverage(source: GeometrySource, layer: gpd.GeoDataFrame | None) -> tuple[str, ...]:
    """Return what the source's OpenStreetMap data covers, as ``check`` says (none: sketches)."""
    osm = serves_osm_data(source)  # kept a GeometrySource: no narrowing to FeatureSource
    if not osm:
        return ()
    return source_coverage(source, layer).warnings


def write_result_map(result: Result, catalog: Catalog, path: Path, lang: str = "zh") -> int:
    """Write a check result's map (goal evidence, or commute bands and cores) as HTML.

    The result is drawn over the city and county outlines and the offline base,
    on the ``cities`` view, with Leaflet inlined, like every ctz map.

    Parameters
    ----------
    result
        A check Report or a CommuteResult.
    catalog
        The plan catalog (river sketch and city cores of the offline base).
    path
        The HTML file to write (atomically).
    lang
        ``zh`` or ``en``.

    Returns
    -------
    int
        The file's size in bytes.
    """
    layers, _ = map_layers(catalog, None, ("boundaries",))
    options = MapOptions(title=result_title(result, lang), lang=lang, view="cities")
    return save_html(render_map(layers, catalog, options, [result]), path)

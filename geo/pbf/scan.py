"""One streaming pass over an .osm/.osm.pbf file, keeping the elements a predicate wants."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import osmium
import shapely

from ctz.base import SourceError
from ctz.files import not_a_file
from ctz.geo.item_tags import AREA_KEYS

if TYPE_CHECKING:
    from ctz.geo.matching import Candidate

Keep = Callable[[Mapping[str, str]], bool]


def scan(
    path: Path,
    keys: Iterable[str],
    keep: Keep,
    *,
    and_keys: Iterable[str] = (),
    progress: bool = True,
) -> list[Candidate]:
    """Read ``path`` once and return the elements with one of ``keys`` that ``keep`` accepts.

    Nodes become points, ways lines, closed ways with an area key (``landuse``,
    ``harbour`` …) and multipolygon relations become (multi)polygons.

    Parameters
    ----------
    path
        An OSM file (``.osm``, ``.osm.pbf``).
    keys
        Tag keys pre-filtered in C++; only elements with one of them reach ``keep``.
    keep
        Called with an element's tags (a read-only mapping valid during the call);
        True keeps it.
    and_keys
        When given, elements must also have one of these keys (filtered in C++).
    progress
        Show a tqdm counter on stderr (when it is a terminal).

    Returns
    -------
    list of Candidate
        Geometry in EPSG:4326.

    Raises
    ------
    SourceError
        When the file is missing or not a readable OSM file.
    """
    from ctz.geo.matching import Candidate  # the matcher: not for the road pass or a cached run

    if not path.is_file():
        raise SourceError(not_a_file(path, "an OSM file"))
    keys = sorted(set(keys))
    processor = (
        osmium.FileProcessor(str(path))
        .with_locations()
        .with_areas(osmium.filter.KeyFilter(*(AREA_KEYS & set(keys)) or ("area",)))
        .with_filter(osmium.filter.KeyFilter(*keys))
    )
    if and_keys:
        processor = processor.with_filter(osmium.filter.KeyFilter(*and_keys))
    factory = osmium.geom.WKBFactory()
    ids: list[str] = []
    tags: list[dict[str, str]] = []
    wkbs: list[str] = []
    for element in stream_elements(path, processor, "reading", progress=progress):
        if not keep(element.tags):
            continue
        element_tags = {tag.k: tag.v for tag in element.tags}
        found = _geometry(element, element_tags, factory)
        if found is not None:
            ids.append(found[0])
            tags.append(element_tags)
            wkbs.append(found[1])
    geometries = shapely.from_wkb(np.array(wkbs, dtype=object))
    return [Candidate(i, t, g) for i, t, g in zip(ids, tags, geometries, strict=True)]


def stream_elements(
    path: Path, processor: osmium.FileProcessor, what: str, *, progress: bool
) -> Iterator[Any]:
    """Yield a file processor's elements with a progress bar on stderr.

    Parameters
    ----------
    path
        The OSM file the processor reads (for messages).
    processor
        A configured ``osmium.FileProcessor``.
    what
        Progress-bar label, e.g. ``"reading"``.
    progress
        Show the bar (only on a terminal).

    Raises
    ------
    SourceError
        When the file is corrupt or not an OSM file.
    """
    from tqdm import tqdm  # imported by a pass over a file only, not by a cached run

    try:
        with tqdm(
            desc=f"{what} {path.name}",
            unit=" elements",
            leave=False,
            disable=None if progress else True,
        ) as bar:
            for element in processor:
                bar.update()
                yield element
    except RuntimeError as error:
        raise SourceError(f"cannot read OSM file {path}: {error}") from error


def _geometry(
    element: osmium.osm.OSMObject[Any], tags: Mapping[str, str], factory: osmium.geom.WKBFactory
) -> tuple[str, str] | None:
    try:
        if isinstance(element, osmium.osm.Node):
            return f"node/{element.id}", factory.create_point(element)
        if isinstance(element, osmium.osm.Way):
            if element.is_closed() and AREA_KEYS.intersection(tags):
                return None  # comes again as an Area
            return f"way/{element.id}", factory.create_linestring(element)
        if isinstance(element, osmium.osm.Area):
            kind = "way" if element.from_way() else "relation"
            return f"{kind}/{element.orig_id()}", factory.create_multipolygon(element)
    except (osmium.InvalidLocationError, RuntimeError):
        return None  # nodes missing from an extract's edge, or a broken ring
    return None

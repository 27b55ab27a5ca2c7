"""Turn matched candidates into a :class:`Resolution`, falling back to sketches (osm and pbf)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shapely.geometry.base import BaseGeometry

from ctz.catalog.model import Item
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.matching import Candidate, match_item
from ctz.geo.rows import item_row, to_layer
from ctz.geo.source import Resolution


def resolve_by_matching(
    items: Sequence[Item],
    candidates_of: Callable[[Item], Sequence[Candidate]],
    sketcher: EmbeddedSource,
    region: BaseGeometry,
    source_name: str,
) -> Resolution:
    """Match every item against its candidates; sketch the ones not found.

    Parameters
    ----------
    items
        Items to resolve, in output order.
    candidates_of
        Returns the OSM candidates to consider for one item.
    sketcher
        Draws the sketch used for the distance test and for fallbacks.
    region
        Search region (EPSG:4326).
    source_name
        Written to the ``source`` column of matched rows (``osm`` or ``pbf``);
        fallback rows say ``embedded``.

    Returns
    -------
    Resolution
    """
    rows, matched, fallback, ambiguous, notes, lifecycle = [], [], [], {}, {}, {}
    for item in items:
        sketch = sketcher.sketch(item)
        found = match_item(item, candidates_of(item), sketch, region)
        if found is None:
            rows.append(item_row(item, sketch, sketcher.name))
            fallback.append(item.id)
            continue
        rows.append(item_row(item, found.geometry, source_name, found.osm_ids, found.score))
        matched.append(item.id)
        if found.lifecycle is not None:
            lifecycle[item.id] = found.lifecycle
        if found.ambiguous:
            ambiguous[item.id] = list(found.ambiguous)
        if found.section_km is not None:
            notes[item.id] = _section_note(item, found.section_km, sketcher)
    return Resolution(
        to_layer(rows),
        matched=matched,
        fallback=fallback,
        ambiguous=ambiguous,
        notes=notes,
        lifecycle=lifecycle,
    )


def _section_note(item: Item, section_km: tuple[float, float], sketcher: EmbeddedSource) -> str:
    anchors = sketcher.catalog.anchors
    ends = "–".join(anchors[a].name_zh for a in (item.from_anchor, item.to_anchor) if a)
    return f"clipped to {ends}: {section_km[0]:.1f} of {section_km[1]:.1f} km of OSM ways"

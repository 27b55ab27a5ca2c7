"""The offline default source: sketch geometry drawn through the catalog's anchors."""

from __future__ import annotations

from collections.abc import Sequence

from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from ctz.catalog.model import Catalog, Item
from ctz.geo.rows import item_row, to_layer
from ctz.geo.source import Resolution


class EmbeddedSource:
    """Sketch geometry from ``seeds/``: points, polylines through anchors, outlines.

    Parameters
    ----------
    catalog
        The catalog whose anchors the sketches run through.
    """

    name = "embedded"

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def sketch(self, item: Item) -> BaseGeometry:
        """Return the sketch geometry of one item (EPSG:4326).

        A line through ``from``, ``via`` and ``to`` (with ``branches``, a
        multi-line: the main line, then each branch); a polygon through
        ``outline``; else the point ``at``.
        """
        if item.from_anchor and item.to_anchor:
            main = LineString(self._coords((item.from_anchor, *item.via, item.to_anchor)))
            if not item.branches:
                return main
            return MultiLineString([main, *(LineString(self._coords(b)) for b in item.branches)])
        if len(item.outline) >= 3:
            return Polygon(self._coords(item.outline))
        return Point(self._coords((item.at,))[0])

    def resolve(self, items: Sequence[Item]) -> Resolution:
        """Sketch every item; all are reported as sketch fallbacks."""
        rows = [item_row(item, self.sketch(item), self.name) for item in items]
        return Resolution(to_layer(rows), fallback=[item.id for item in items])

    def _coords(self, anchor_ids: Sequence[str | None]) -> list[tuple[float, float]]:
        anchors = self.catalog.anchors
        return [(anchors[a].lon, anchors[a].lat) for a in anchor_ids if a]

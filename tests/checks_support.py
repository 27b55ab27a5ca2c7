"""Small built catalogs and a fake OSM source for the goal-check tests.

Geometry is drawn in metres (UTM 49N, EPSG:32649) around a local origin near
Xiangtan and converted to lon/lat, so expected lengths and areas are exact
hand-computed figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import METRIC_CRS, REGION_BOUNDS, STORAGE_CRS
from ctz.catalog.model import Anchor, Catalog, Citation, Direction, Goal, Item
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.rows import item_row, to_layer
from ctz.geo.source import Resolution

ORIGIN = (700_000.0, 3_090_000.0)
"""Local origin in EPSG:32649 (about 113.05 E, 27.92 N)."""


def to_lonlat(geometry: BaseGeometry) -> BaseGeometry:
    """Shift a geometry drawn in km around :data:`ORIGIN` to metres, then to EPSG:4326."""
    metres = shapely.transform(geometry, lambda xy: xy * 1000 + np.array(ORIGIN))
    return gpd.GeoSeries([metres], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]


def anchor(anchor_id: str, name_zh: str, x_km: float, y_km: float) -> Anchor:
    """An anchor at local kilometre coordinates."""
    point = to_lonlat(shapely.Point(x_km, y_km))
    return Anchor(anchor_id, name_zh, anchor_id, "place", point.x, point.y, "test")


def item(item_id: str, name_zh: str, kind: str, **fields: Any) -> Item:
    """A catalog item citing document 001 §5."""
    return Item(
        id=item_id,
        name_zh=name_zh,
        name_zh_hant=name_zh,
        name_en=item_id,
        kind=kind,
        status=fields.pop("status", "existing"),
        plans=(Citation("001", "5"),),
        **fields,
    )


def goal(
    goal_id: str,
    kind: str,
    value: float | None,
    unit: str,
    items: Sequence[str],
    direction: Direction = "at_least",
) -> Goal:
    """A catalog goal citing document 001 §5 (reach at least ``value`` unless told)."""
    return Goal(
        id=goal_id,
        name_zh=f"目标{goal_id}",
        name_zh_hant=f"目標{goal_id}",
        name_en=goal_id,
        kind=kind,
        target_value=value,
        target_unit=unit,
        target_year=2025,
        items=tuple(items),
        plans=(Citation("001", "5"),),
        direction=direction,
    )


def catalog(anchors: Sequence[Anchor], items: Sequence[Item], goals: Sequence[Goal]) -> Catalog:
    """A catalog of the given anchors, items and goals."""
    return Catalog(
        {},
        {a.id: a for a in anchors},
        {i.id: i for i in items},
        {g.id: g for g in goals},
        {},
    )


class FakeOsmSource:
    """A geometry and feature source answering from fixed data, as the osm source would.

    Parameters
    ----------
    catalog
        The catalog (sketches for items without OSM geometry).
    geometry
        Item id to its "OSM" geometry in EPSG:4326; other items fall back to sketches.
    features
        OSM features in EPSG:4326 with one column per tag key.
    """

    name = "osm"

    def __init__(
        self,
        catalog: Catalog,
        geometry: dict[str, BaseGeometry],
        features: gpd.GeoDataFrame | None = None,
    ) -> None:
        self.sketches = EmbeddedSource(catalog)
        self.geometry = geometry
        self.frame = features if features is not None else features_frame([])
        self.queries: list[dict[str, Any]] = []

    def resolve(self, items: Sequence[Item]) -> Resolution:
        """OSM geometry where given, sketches elsewhere."""
        rows = [
            item_row(i, self.geometry[i.id], "osm", match_score=1.0)
            if i.id in self.geometry
            else item_row(i, self.sketches.sketch(i), "embedded")
            for i in items
        ]
        return Resolution(to_layer(rows))

    def features(self, tags: dict[str, Any], polygon: BaseGeometry) -> gpd.GeoDataFrame:
        """Rows matching any of ``tags`` (osmnx semantics) that intersect ``polygon``."""
        self.queries.append(tags)
        frame = self.frame
        keep = np.zeros(len(frame), dtype=bool)
        for key, wanted in tags.items():
            if key not in frame:
                continue
            column = frame[key]
            if wanted is True:
                keep |= column.notna().to_numpy()
            else:
                values = [wanted] if isinstance(wanted, str) else list(wanted)
                keep |= column.isin(values).to_numpy()
        keep &= shapely.intersects(frame.geometry.to_numpy(), polygon)
        return frame[keep].reset_index(drop=True)

    def road_graph(self, polygon: BaseGeometry) -> None:
        """Not needed by these checks."""
        raise NotImplementedError

    def extent(self) -> BaseGeometry:
        """The fixed data cover the whole region box."""
        return shapely.box(*REGION_BOUNDS)


def features_frame(rows: list[tuple[dict[str, str], BaseGeometry]]) -> gpd.GeoDataFrame:
    """OSM-like features from ``(tags, geometry in local km)`` pairs."""
    records = [dict(tags) for tags, _ in rows]
    geometry = [to_lonlat(g) for _, g in rows]
    return gpd.GeoDataFrame(records, geometry=geometry, crs=STORAGE_CRS)

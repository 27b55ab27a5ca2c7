"""Rows of a layer GeoDataFrame (:data:`ctz.base.LAYER_COLUMNS`) for resolved catalog items."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ctz.base import LAYER_COLUMNS, LAYER_STATUS, STORAGE_CRS

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    from ctz.catalog.model import Item


def item_row(
    item: Item,
    geometry: BaseGeometry,
    source: str,
    osm_ids: Sequence[str] = (),
    match_score: float | None = None,
) -> dict[str, Any]:
    """Build one layer row for a catalog item.

    Parameters
    ----------
    item
        The catalog item.
    geometry
        Its geometry in EPSG:4326.
    source
        Where the geometry came from: ``embedded``, ``osm`` or ``pbf``.
    osm_ids
        OpenStreetMap element ids such as ``way/123``.
    match_score
        How sure the name match is, in [0, 1]; None for sketches.

    Returns
    -------
    dict
        Keys are :data:`~ctz.base.LAYER_COLUMNS`.
    """
    return {
        "item_id": item.id,
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "kind": item.kind,
        "status": LAYER_STATUS.get(item.status, "unknown"),
        "source": source,
        "osm_ids": ";".join(osm_ids),
        "match_score": match_score,
        "plans": "; ".join(map(str, item.plans)),
        "target_year": item.target_year,
        "geometry": geometry,
    }


def to_layer(rows: Iterable[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Assemble rows (see :func:`item_row`) into a layer GeoDataFrame in EPSG:4326."""
    import geopandas as gpd  # a row is a dict: only the layer needs geopandas

    frame = gpd.GeoDataFrame(list(rows), columns=list(LAYER_COLUMNS), geometry="geometry")
    frame = frame.set_crs(STORAGE_CRS, allow_override=True)
    frame["match_score"] = frame["match_score"].astype("float64")
    frame["target_year"] = frame["target_year"].astype("Int64")
    return frame

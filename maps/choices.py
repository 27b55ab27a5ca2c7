"""What ``ctz map`` accepts for ``--layers``, ``--basemap`` and ``--view``; light to import."""

from __future__ import annotations

LAYER_LABELS: dict[str, tuple[str, str]] = {
    "boundaries": ("行政区界", "Boundaries"),
    "areas": ("规划范围", "Plan areas"),
    "green_heart": ("绿心与公园", "Green heart and parks"),
    "roads": ("道路", "Roads"),
    "rail": ("轨道交通", "Rail"),
    "ports": ("港口与航道", "Ports and waterways"),
    "logistics": ("物流园区", "Logistics"),
    "stations": ("车站与枢纽", "Stations and hubs"),
}
"""Map layer name to its (Chinese, English) display name, in drawing order (bottom first)."""

MAP_LAYERS: tuple[str, ...] = tuple(LAYER_LABELS)
"""Layer names ``ctz map --layers`` accepts, in drawing order (bottom first)."""

BASEMAPS: tuple[str, ...] = ("osm", "carto", "tianditu", "gaode")
"""Basemap names accepted by ``ctz map --basemap``."""

VIEWS: tuple[str, ...] = ("core", "cities", "region")
"""View names accepted by ``ctz map --view`` (see :mod:`ctz.maps.views`); the first is default."""

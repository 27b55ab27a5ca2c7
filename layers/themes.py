"""Split resolved catalog items into one layer per theme."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd

from ctz.catalog.model import Catalog, Item
from ctz.geo.source import GeometrySource, Resolution

THEMES: dict[str, tuple[str, ...]] = {
    "roads": ("expressway", "trunk_road", "urban_road"),
    "rail": ("high_speed_rail", "intercity_rail", "metro", "maglev"),
    "stations": ("station", "hub", "airport"),
    "ports": ("port", "waterway", "lock", "water_works"),
    "logistics": ("logistics",),
    "green_heart": ("green_heart", "park"),
    "areas": ("boundary",),
}
"""Theme name to the item kinds it holds; every kind belongs to exactly one theme."""


def theme_items(catalog: Catalog, themes: Sequence[str] | None = None) -> list[Item]:
    """Catalog items belonging to the given themes (all themes when None)."""
    kinds = {k for name in (themes or THEMES) for k in THEMES[name]}
    return [item for item in catalog.items.values() if item.kind in kinds]


def build_layers(
    catalog: Catalog, source: GeometrySource, themes: Sequence[str] | None = None
) -> tuple[dict[str, gpd.GeoDataFrame], Resolution]:
    """Resolve the items of ``themes`` once and split them into per-theme layers.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        Where geometry comes from (embedded, osm, pbf).
    themes
        Theme names from :data:`THEMES`; all when None.

    Returns
    -------
    layers
        Theme name to its GeoDataFrame (layer schema), empty themes left out.
    resolution
        The source's account of matched, sketched and ambiguous items.
    """
    resolution = source.resolve(theme_items(catalog, themes))
    layer = resolution.layer
    layers = {
        name: layer[layer["kind"].isin(kinds)].reset_index(drop=True)
        for name, kinds in THEMES.items()
        if themes is None or name in themes
    }
    return {name: frame for name, frame in layers.items() if len(frame)}, resolution

"""OSM features inside a zone, measured in a metric CRS: land-use areas, line lengths."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import METRIC_CRS
from ctz.checks.continuity import centreline_length
from ctz.geo.item_tags import union_tags
from ctz.geo.source import FeatureSource

LAND_USE: dict[str, dict[str, list[str]]] = {
    "water": {"natural": ["water"], "landuse": ["reservoir", "basin"], "waterway": ["riverbank"]},
    "industrial": {"landuse": ["industrial", "quarry"]},
    "built_up": {"landuse": ["residential", "commercial", "retail", "construction"]},
    "forest": {"landuse": ["forest"], "natural": ["wood"]},
    "farmland": {"landuse": ["farmland", "orchard", "meadow", "farmyard", "plant_nursery"]},
}
"""Land-use class to the OSM tags that make it; where areas overlap, the earlier class wins."""

CROSSING: dict[str, list[str]] = {
    "highway": ["motorway", "trunk", "primary", "secondary"],
    "railway": ["rail", "subway", "light_rail", "monorail"],
}
"""Roads and rail lines counted as crossing a zone."""


def _matches(frame: gpd.GeoDataFrame, keys: dict[str, list[str]]) -> np.ndarray:
    mask = np.zeros(len(frame), dtype=bool)
    for key, values in keys.items():
        if key in frame:
            mask |= frame[key].isin(values).to_numpy()
    return mask


def land_use_areas(features: FeatureSource, zone: BaseGeometry) -> pd.DataFrame:
    """Area of each :data:`LAND_USE` class inside ``zone`` and the unmapped rest.

    Parameters
    ----------
    features
        An OSM feature source.
    zone
        The zone polygon in EPSG:4326.

    Returns
    -------
    DataFrame
        Index: class names plus ``unmapped``; columns ``area_km2`` and ``share``
        (of the zone's area, 0–1). Overlapping areas count once, for the earlier class.
    """
    frame = features.features(union_tags(list(LAND_USE.values())), zone)
    zone_m = gpd.GeoSeries([zone], crs=frame.crs or "EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    frame = frame.to_crs(METRIC_CRS)
    polygonal = np.isin(shapely.get_type_id(frame.geometry.to_numpy()), (3, 6))
    frame = frame[polygonal]
    taken = shapely.Polygon()
    areas: dict[str, float] = {}
    for name, keys in LAND_USE.items():
        shape = shapely.union_all(frame.geometry.to_numpy()[_matches(frame, keys)])
        shape = shapely.difference(shapely.intersection(shape, zone_m), taken)
        areas[name] = shape.area / 1e6
        taken = shapely.union(taken, shape)
    areas["unmapped"] = max(zone_m.area / 1e6 - sum(areas.values()), 0.0)
    table = pd.DataFrame({"area_km2": pd.Series(areas)})
    table["share"] = table["area_km2"] / (zone_m.area / 1e6)
    return table


def crossing_lengths(features: FeatureSource, zone: BaseGeometry) -> pd.Series:
    """Kilometres of major roads and rail lines inside ``zone``, by OSM class.

    Parameters
    ----------
    features
        An OSM feature source.
    zone
        The zone polygon in EPSG:4326.

    Returns
    -------
    Series
        ``highway=motorway`` … ``railway=rail`` to km inside the zone (two
        carriageways counted once); classes with nothing found are left out.
    """
    frame = features.features(CROSSING, zone)
    zone_m = gpd.GeoSeries([zone], crs=frame.crs or "EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    frame = frame.to_crs(METRIC_CRS)
    lengths: dict[str, float] = {}
    for key, values in CROSSING.items():
        if key not in frame:
            continue
        for value in values:
            lines = shapely.intersection(frame.geometry.to_numpy()[frame[key] == value], zone_m)
            parts = shapely.get_parts(shapely.get_parts(lines))
            parts = parts[shapely.get_type_id(parts) == 1]
            if len(parts):
                lengths[f"{key}={value}"] = centreline_length(parts) / 1000
    return pd.Series(lengths, dtype="float64")


def named_line_length(
    frame: gpd.GeoDataFrame, zone: BaseGeometry, name_part: str
) -> tuple[float, BaseGeometry]:
    """Length of the lines of ``frame`` whose name contains ``name_part``, inside ``zone``.

    Parameters
    ----------
    frame
        OSM features (EPSG:4326), as a :class:`FeatureSource` returns them.
    zone
        The zone polygon in EPSG:4326.
    name_part
        Text the name must contain.

    Returns
    -------
    length_km
        Centreline length in km.
    lines
        The lines found, clipped to the zone (EPSG:4326).
    """
    if "name" not in frame or frame.empty:
        return 0.0, shapely.MultiLineString()
    named = frame[frame["name"].fillna("").str.contains(name_part, regex=False)]
    clipped = shapely.intersection(named.geometry.to_numpy(), zone)
    parts = shapely.get_parts(shapely.get_parts(clipped))
    parts = parts[shapely.get_type_id(parts) == 1]
    metric = gpd.GeoSeries(parts, crs=frame.crs).to_crs(METRIC_CRS).to_numpy()
    return centreline_length(metric) / 1000, shapely.MultiLineString(list(parts))

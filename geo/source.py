"""The interface every geometry source offers, and how to open one by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeGuard

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    from ctz.catalog.model import Item
    from ctz.geo.lifecycle import Lifecycle
    from ctz.geo.network.model import RoadNetwork


@dataclass
class Resolution:
    """Geometry for a set of catalog items, with an honest account of each match.

    Attributes
    ----------
    layer
        One row per item in the layer schema (:data:`ctz.base.LAYER_COLUMNS`).
    matched
        Ids resolved from OpenStreetMap data.
    fallback
        Ids drawn from their embedded sketch (not found, or the source is ``embedded``).
    ambiguous
        Id to the candidate descriptions that scored alike; the best was kept.
    notes
        Id to a one-line remark on how the match was made, e.g. ``clipped to
        广福–王十万: 46.8 of 236.0 km of OSM ways`` for a section of a longer road.
    lifecycle
        Id of each matched item to the stage its OSM elements have reached
        (open, construction, proposed) with the evidence.
    kinds_present
        The item kinds the source's data holds any named element of (a roads-only
        extract holds no railway); None when the source does not say.
    """

    layer: gpd.GeoDataFrame
    matched: list[str] = field(default_factory=list)
    fallback: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    lifecycle: dict[str, Lifecycle] = field(default_factory=dict)
    kinds_present: list[str] | None = None

    def summary(self) -> dict[str, object]:
        """Return counts and ids for the stderr summary or ``--json`` output."""
        return {
            "items": len(self.layer),
            "matched": len(self.matched),
            "sketch_fallback": len(self.fallback),
            "ambiguous": len(self.ambiguous),
            "fallback_ids": self.fallback,
            "ambiguous_ids": self.ambiguous,
            "notes": self.notes,
        }


class GeometrySource(Protocol):
    """Turns catalog items into geometry."""

    name: str

    def resolve(self, items: Sequence[Item]) -> Resolution:
        """Return geometry for ``items``, one row each, in their order."""
        ...


class FeatureSource(Protocol):
    """A source that also serves raw OpenStreetMap features and the road network (osm, pbf)."""

    def extent(self) -> BaseGeometry:
        """Return the area the source's OSM data covers.

        Returns
        -------
        BaseGeometry
            A polygon in EPSG:4326: the region a live source downloads, or the
            part of the study region an extract holds.  Features and matches
            outside it are unknown, not absent.
        """
        ...

    def features(
        self, tags: Mapping[str, bool | Sequence[str]], polygon: BaseGeometry
    ) -> gpd.GeoDataFrame:
        """Return OSM features matching ``tags`` inside ``polygon`` (EPSG:4326).

        ``tags`` follows osmnx: ``{"amenity": "charging_station"}``,
        ``{"landuse": True}``; the frame has a ``geometry`` column and one column
        per tag key found.
        """
        ...

    def road_network(self, polygon: BaseGeometry) -> RoadNetwork:
        """Return the drivable road network inside ``polygon`` (EPSG:4326).

        Raises
        ------
        SourceError
            When the data cannot be had, or holds no drivable road inside ``polygon``.
        """
        ...


def serves_osm_data(source: object) -> TypeGuard[FeatureSource]:
    """Return whether ``source`` serves OSM features and a road network (osm, pbf; not embedded)."""
    return callable(getattr(source, "features", None)) and callable(
        getattr(source, "road_network", None)
    )


def road_network_identity(source: object, polygon: BaseGeometry) -> str | None:
    """Return what names ``source.road_network(polygon)`` by its content, without reading it.

    A source whose road network is fixed by its data (an extract: its content digest,
    the area, the classes and the building code) says so through a
    ``road_network_identity(polygon)`` method; for any other (a live server, whose
    answer may change) this is None.
    """
    found = getattr(source, "road_network_identity", None)
    return str(found(polygon)) if callable(found) else None


OSM_LICENCE = "OpenStreetMap © contributors, ODbL"
"""How OpenStreetMap data is credited (https://www.openstreetmap.org/copyright)."""

AUTO = "auto"
"""The source name that means: the latest extract from ``ctz data get``, else ``embedded``."""


def data_date(source: object) -> date | None:
    """Return the day the source's OpenStreetMap data is of; None for sketches or when unknown."""
    found = getattr(source, "data_date", None)
    return found if isinstance(found, date) else None


def data_path(source: object) -> Path | None:
    """Return the file the source reads (an extract), None for the other sources."""
    found = getattr(source, "path", None)
    return found if isinstance(found, Path) else None


def source_spec(source: GeometrySource) -> str:
    """Return the name that opens ``source`` again: ``pbf:PATH`` for an extract, else its name."""
    path = data_path(source)
    return f"{source.name}:{path}" if path is not None else source.name


def spec_label(spec: str, source: GeometrySource) -> str:
    """Return what a report names as its source: ``spec`` as asked, ``auto`` resolved."""
    return source_spec(source) if spec == AUTO else spec


def credit_line(kind: str, day: date | None, *, lang: str = "en") -> str:
    """Return the data credit of a source kind: ``OpenStreetMap © contributors, ODbL, data of …``.

    Parameters
    ----------
    kind
        ``embedded``, ``osm`` or ``pbf``.
    day
        The day the data is of, when known.
    lang
        ``en`` or ``zh``; the licence notice itself stays as OpenStreetMap words it.
    """
    zh = lang == "zh"
    if kind not in ("osm", "pbf"):
        if zh:
            return "离线示意线位（按目录锚点绘制，无 OpenStreetMap 数据）"
        return "offline sketches through the catalog's anchors (no OpenStreetMap data)"
    if day is not None:
        return f"{OSM_LICENCE}{'，数据日期 ' if zh else ', data of '}{day.isoformat()}"
    if kind == "osm":
        return f"{OSM_LICENCE}{'，实时数据' if zh else ', live data'}"
    return f"{OSM_LICENCE}{'，数据日期不详' if zh else ', data of unknown date'}"


def data_credit(source: GeometrySource) -> str:
    """Return the credit line naming what ``source``'s figures rest on and the data's date."""
    return credit_line(source.name, data_date(source))

"""Which OpenStreetMap tags each kind of catalog item may carry, and the default region."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from shapely.geometry import Polygon, box

from ctz.base import REGION_BOUNDS, InputError
from ctz.catalog.model import Item

TagFilter = Mapping[str, bool | Sequence[str]]
"""osmnx-style tag filter: key to ``True`` (any value) or a list of accepted values."""

_STATIONS: TagFilter = {"railway": ["station", "halt"], "public_transport": ["station"]}

KIND_TAGS: dict[str, TagFilter] = {
    "expressway": {"highway": ["motorway", "trunk"]},
    "trunk_road": {"highway": ["motorway", "trunk", "primary", "secondary"]},
    "urban_road": {
        "highway": ["trunk", "primary", "secondary", "tertiary", "unclassified", "residential"]
    },
    "intercity_rail": {"railway": ["rail", "construction", "proposed"]},
    "high_speed_rail": {"railway": ["rail", "construction", "proposed"]},
    "metro": {"railway": ["subway", "light_rail", "construction", "proposed"]},
    "maglev": {"railway": ["monorail", "maglev", "construction"]},
    "station": _STATIONS,
    "hub": {**_STATIONS, "amenity": ["bus_station"]},
    "airport": {"aeroway": ["aerodrome"]},
    "port": {"harbour": True, "landuse": ["port"], "industrial": ["port"]},
    "waterway": {"waterway": ["river", "canal"]},
    "lock": {"lock": ["yes"], "waterway": ["lock_gate"]},
    "water_works": {"waterway": ["canal", "dam", "weir"], "man_made": ["pumping_station"]},
    "green_heart": {"boundary": ["protected_area", "national_park"], "leisure": ["nature_reserve"]},
    "park": {"leisure": ["park", "nature_reserve"], "boundary": ["protected_area"]},
    "logistics": {"landuse": ["industrial", "commercial"], "industrial": True},
    "boundary": {"boundary": ["administrative"]},
}
"""Default tag filter of each item kind; an item's ``osm.tags`` hint extends it."""

LIFECYCLE_KEYS: tuple[str, ...] = ("highway", "railway")
"""Keys whose value says an element is being built or proposed rather than in use."""

LIFECYCLE_STAGES: tuple[str, ...] = ("construction", "proposed")
"""Values of :data:`LIFECYCLE_KEYS` for a way being built (``highway=construction``) or
proposed; a tag of the same name carries the class it will have (``construction=primary``)."""

OPEN = "open"
"""Lifecycle state of an element in use (no lifecycle value)."""

AREA_KEYS: frozenset[str] = frozenset(
    {"harbour", "landuse", "industrial", "leisure", "boundary", "aeroway", "amenity"}
)
"""Keys whose closed ways are areas rather than rings of road or rail."""


def default_region() -> Polygon:
    """Return the default search region: the box around the three cities."""
    return box(*REGION_BOUNDS)


def region_box(bounds: Sequence[float]) -> Polygon:
    """Return the region box of ``(west, south, east, north)`` in degrees.

    Raises
    ------
    InputError
        When ``bounds`` is not four numbers with W < E and S < N.
    """
    values = [float(v) for v in bounds]
    if len(values) != 4 or not (values[0] < values[2] and values[1] < values[3]):
        raise InputError(f"region {values} is not (west, south, east, north) with W < E, S < N")
    return box(*values)


def item_tags(item: Item) -> TagFilter:
    """Return the tag filter for ``item``: its kind's default merged with its ``osm.tags`` hint."""
    merged: dict[str, bool | Sequence[str]] = dict(KIND_TAGS.get(item.kind, {}))
    hint = item.osm.get("tags", {}) or {}
    for key, value in hint.items():
        merged[key] = _merge(merged.get(key), value)
    return merged


def union_tags(filters: Sequence[TagFilter]) -> TagFilter:
    """Merge several tag filters into one that accepts what any of them accepts."""
    merged: dict[str, bool | Sequence[str]] = {}
    for tag_filter in filters:
        for key, value in tag_filter.items():
            merged[key] = _merge(merged.get(key), value)
    return merged


def tags_match(tags: Mapping[str, str], tag_filter: TagFilter) -> bool:
    """Return True when ``tags`` satisfy any key of ``tag_filter``."""
    for key, accepted in tag_filter.items():
        value = tags.get(key)
        if value is not None and (
            accepted is True or (accepted is not False and value in accepted)
        ):
            return True
    return False


def tags_match_any_stage(tags: Mapping[str, str], tag_filter: TagFilter) -> bool:
    """Return True when ``tags`` satisfy ``tag_filter`` in use, being built or proposed.

    An element being built or proposed matches by the class it will have:
    ``highway=construction`` + ``construction=primary`` satisfies ``{"highway": ["primary"]}``.
    Item matching uses this; feature requests (land use, crossings, greenways) keep
    to :func:`tags_match`, what is in use.
    """
    if tags_match(tags, tag_filter):
        return True
    for key in LIFECYCLE_KEYS:
        stage = tags.get(key)
        accepted = tag_filter.get(key)
        future = tags.get(str(stage))
        if stage in LIFECYCLE_STAGES and isinstance(accepted, Sequence) and future in accepted:
            return True
    return False


def lifecycle_state(tags: Mapping[str, str]) -> str:
    """Return ``construction``, ``proposed`` or :data:`OPEN` for an element's tags.

    Read from ``highway``/``railway`` (:data:`LIFECYCLE_KEYS`); an element with
    neither lifecycle value is in use.
    """
    for key in LIFECYCLE_KEYS:
        value = tags.get(key)
        if value in LIFECYCLE_STAGES:
            return str(value)
    return OPEN


class KindsSeen:
    """Which item kinds an OSM source holds any element of, noted element by element.

    Parameters
    ----------
    kinds
        The kinds to look for (:data:`KIND_TAGS` keys).
    """

    def __init__(self, kinds: Iterable[str]) -> None:
        self._unseen = {kind: KIND_TAGS[kind] for kind in kinds if kind in KIND_TAGS}
        self.seen: set[str] = set()

    def note(self, tags: Mapping[str, str]) -> None:
        """Note an element: the kinds whose tags it carries are seen (checked until seen)."""
        for kind, tag_filter in list(self._unseen.items()):
            if tags_match_any_stage(tags, tag_filter):
                self.seen.add(kind)
                del self._unseen[kind]


def _merge(
    old: bool | Sequence[str] | None,  # noqa: FBT001  # a tag value (True or names), not a switch
    new: object,
) -> bool | list[str]:
    if old is True or new is True:
        return True
    values = [new] if isinstance(new, str) else list(new or [])  # type: ignore[call-overload]
    return sorted({*(old or []), *map(str, values)})

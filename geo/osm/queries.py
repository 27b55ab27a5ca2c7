"""Overpass QL for region downloads: one query per theme of item kinds, one per feature request.

A theme query asks for every element of the theme's tags that carries a name
or a route number (:data:`~ctz.geo.candidate_index.LOOKUP_TAGS`) inside the
region's bounding box (ways being built or proposed as one of the theme's
classes too: ``highway=construction`` + ``construction=primary``), with its full
geometry (``out body geom``); the items of the theme are then matched locally.
Feature queries ask for every element of the given tags, named or not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ctz.geo.candidate_index import LOOKUP_TAGS
from ctz.geo.item_tags import LIFECYCLE_KEYS, LIFECYCLE_STAGES, TagFilter


@dataclass(frozen=True)
class Theme:
    """Item kinds whose OSM elements are downloaded together."""

    name: str
    kinds: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme("roads", ("expressway", "trunk_road", "urban_road")),
    Theme("railways", ("intercity_rail", "high_speed_rail", "metro", "maglev")),
    Theme("stations", ("station", "hub", "airport")),
    Theme("waterways and ports", ("waterway", "port", "lock", "water_works")),
    Theme("parks and land use", ("green_heart", "park", "logistics", "boundary")),
)
"""One Overpass query each for the whole catalog (every kind of
:data:`~ctz.catalog.model.ITEM_KINDS` is in exactly one)."""

EXTRA_FILTERS: dict[str, str] = {"boundary": '["admin_level"!~"^[1-4]$"]'}
"""Filters added to a theme's statement for a key: administrative boundaries of
countries and provinces (``admin_level`` 2–4, the country outline alone is tens
of MB) are left out of region downloads."""

_ERE_SPECIAL = frozenset(".[]()*+?{}|^$\\")


def theme_of(kind: str) -> Theme:
    """Return the theme an item kind is downloaded with.

    Raises
    ------
    KeyError
        When no theme holds ``kind``.
    """
    for theme in THEMES:
        if kind in theme.kinds:
            return theme
    raise KeyError(kind)


@dataclass(frozen=True)
class OverpassQuery:
    """One Overpass request: union statements inside a bounding box, answered ``out body geom``.

    Attributes
    ----------
    statements
        Overpass QL statements without the closing ``;``, e.g. ``nwr["harbour"]``.
    bounds
        West, south, east, north in degrees.
    """

    statements: tuple[str, ...]
    bounds: tuple[float, float, float, float]

    def text(self, timeout_s: float | None = None) -> str:
        """Return the Overpass QL; ``timeout_s`` sets the server's ``[timeout:]`` (else its own)."""
        west, south, east, north = self.bounds
        timeout = "" if timeout_s is None else f"[timeout:{max(round(timeout_s), 1)}]"
        union = "".join(f"  {statement};\n" for statement in self.statements)
        return (
            f"[out:json]{timeout}[bbox:{south:.6f},{west:.6f},{north:.6f},{east:.6f}];\n"
            f"(\n{union});\nout body geom;"
        )

    @property
    def key(self) -> str:
        """What the answer depends on: the query without its timeout (cache key)."""
        return self.text()

    def tiles(self) -> list[OverpassQuery]:
        """Split the box into four quarters, for a server that cannot answer it whole."""
        west, south, east, north = self.bounds
        middle_lon, middle_lat = (west + east) / 2, (south + north) / 2
        return [
            OverpassQuery(self.statements, box)
            for box in (
                (west, south, middle_lon, middle_lat),
                (middle_lon, south, east, middle_lat),
                (west, middle_lat, middle_lon, north),
                (middle_lon, middle_lat, east, north),
            )
        ]


def region_query(
    tags: TagFilter, bounds: tuple[float, float, float, float], *, named: bool
) -> OverpassQuery:
    """Build the query for elements matching any key of ``tags`` inside ``bounds``.

    Parameters
    ----------
    tags
        osmnx-style filter: key to ``True`` (any value), a value, or a list of values.
    bounds
        West, south, east, north in degrees.
    named
        Only elements with a name or ref tag, and without :data:`EXTRA_FILTERS`'
        exclusions (theme downloads); False asks for every element (features).
    """
    lookup = f'[~"{_regex(LOOKUP_TAGS)}"~"."]' if named else ""
    statements = []
    for key, accepted in sorted(tags.items()):
        if accepted is False:
            continue
        values = "" if accepted is True else f'~"{_regex(_as_list(accepted))}"'
        extra = EXTRA_FILTERS.get(key, "") if named else ""
        statements.append(f'nwr["{_ql_text(key)}"{values}]{extra}{lookup}')
        if named and key in LIFECYCLE_KEYS and accepted is not True:
            statements += _lifecycle_statements(key, _as_list(accepted), lookup)
    west, south, east, north = bounds
    return OverpassQuery(tuple(statements), (west, south, east, north))


def _lifecycle_statements(key: str, classes: list[str], lookup: str) -> list[str]:
    """Statements for ways being built or proposed as one of ``classes`` (``construction=…``)."""
    return [
        f'nwr["{key}"="{stage}"]["{stage}"~"{_regex(classes)}"]{lookup}'
        for stage in LIFECYCLE_STAGES
        if stage not in classes
    ]


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _regex(values: Iterable[str]) -> str:
    """Return the QL string of the POSIX regular expression ``^(v1|v2…)$`` for exact values."""
    escaped = ("".join(f"\\{c}" if c in _ERE_SPECIAL else c for c in v) for v in sorted(values))
    return _ql_text(f"^({'|'.join(escaped)})$")


def _ql_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')

"""Typed records of the plan catalog: documents, anchors, items, goals and city cores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ITEM_KINDS: tuple[str, ...] = (
    "expressway",
    "trunk_road",
    "urban_road",
    "intercity_rail",
    "high_speed_rail",
    "metro",
    "maglev",
    "station",
    "hub",
    "airport",
    "port",
    "waterway",
    "lock",
    "green_heart",
    "park",
    "logistics",
    "boundary",
)
"""Every ``kind`` an item may have."""

ITEM_STATUSES: tuple[str, ...] = ("existing", "upgrade", "under_construction", "planned", "study")
"""Every ``status`` an item may have, as of the latest plan that mentions it."""

LINE_KINDS: frozenset[str] = frozenset(
    {
        "expressway",
        "trunk_road",
        "urban_road",
        "intercity_rail",
        "high_speed_rail",
        "metro",
        "maglev",
        "waterway",
    }
)
"""Kinds drawn as lines between ``from``/``via``/``to`` anchors."""

AREA_KINDS: frozenset[str] = frozenset({"green_heart", "park", "boundary"})
"""Kinds drawn as polygons through their ``outline`` anchors."""


Direction = Literal["at_least", "at_most"]
"""Which side of its target a goal's measured value must be on."""

GOAL_DIRECTIONS: tuple[Direction, ...] = ("at_least", "at_most")
"""Every ``direction`` a goal may have: ``at_least`` (a length, a count, an area to
reach) or ``at_most`` (a travel time, a service radius, a cost share to stay under)."""


@dataclass(frozen=True, slots=True)
class Citation:
    """A reference to a clause of one plan document, written ``"001 §5"``."""

    document: str
    clause: str

    def __str__(self) -> str:
        return f"{self.document} §{self.clause}"


@dataclass(frozen=True, slots=True)
class Document:
    """One of the five plan documents the catalog cites."""

    number: str
    title_zh: str
    title_en: str
    year: int
    script: str
    file: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """A named place that planned items start, pass or end at."""

    id: str
    name_zh: str
    name_en: str
    kind: str
    lon: float
    lat: float
    source: str


@dataclass(frozen=True, slots=True)
class Item:
    """One infrastructure item named by the plans."""

    id: str
    name_zh: str
    name_zh_hant: str
    name_en: str
    kind: str
    status: str
    plans: tuple[Citation, ...]
    aliases: tuple[str, ...] = ()
    target_year: int | None = None
    from_anchor: str | None = None
    via: tuple[str, ...] = ()
    to_anchor: str | None = None
    branches: tuple[tuple[str, ...], ...] = ()
    at: str | None = None
    outline: tuple[str, ...] = ()
    length_km: float | None = None
    osm: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """All names the item is known by: simplified, traditional and aliases."""
        return (self.name_zh, self.name_zh_hant, *self.aliases)

    @property
    def anchor_ids(self) -> tuple[str, ...]:
        """Every anchor the item refers to, in drawing order."""
        ends = (self.from_anchor, *self.via, self.to_anchor) if self.from_anchor else self.via
        branched = (a for branch in self.branches for a in branch)
        return tuple(a for a in (*ends, *branched, self.at, *self.outline) if a)


@dataclass(frozen=True, slots=True)
class Goal:
    """A measurable target set by a plan, linked to the items it covers.

    ``direction`` says whether the measured value must reach the target
    (``at_least``) or stay at or under it (``at_most``). Every goal read from the
    catalog has one; ``None`` is left only for goals built in code that do not say.
    """

    id: str
    name_zh: str
    name_zh_hant: str
    name_en: str
    kind: str
    target_value: float | None
    target_unit: str
    target_year: int | None
    items: tuple[str, ...]
    plans: tuple[Citation, ...]
    target_count: int | None = None
    direction: Direction | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Core:
    """A city core that the one-hour commute goal is measured from."""

    id: str
    name_zh: str
    name_en: str
    anchor: str
    reason: str


@dataclass(frozen=True)
class Catalog:
    """The whole plan catalog, with lookups by id, kind and plan."""

    documents: dict[str, Document]
    anchors: dict[str, Anchor]
    items: dict[str, Item]
    goals: dict[str, Goal]
    cores: dict[str, Core]

    def _repr_html_(self) -> str:
        """Show the catalog in a notebook: items by kind and status."""
        from ctz.catalog.notebook import catalog_html

        return catalog_html(self)

    def item(self, item_id: str) -> Item:
        """Return the item with this id.

        Raises
        ------
        KeyError
            When no item has this id.
        """
        return self.items[item_id]

    def select(
        self,
        ids: tuple[str, ...] | list[str] = (),
        kind: str | None = None,
        plan: str | None = None,
    ) -> list[Item]:
        """Items filtered by id, kind and citing document, in catalog order.

        Parameters
        ----------
        ids
            Keep only these ids (all items when empty).
        kind
            Keep only items of this kind.
        plan
            Keep only items cited by this document number, e.g. ``"001"``.

        Returns
        -------
        list of Item
        """
        wanted = set(ids)
        return [
            item
            for item in self.items.values()
            if (not wanted or item.id in wanted)
            and (kind is None or item.kind == kind)
            and (plan is None or any(c.document == plan for c in item.plans))
        ]

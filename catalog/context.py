"""Context the plans do not list but the commute check needs, read from ``seeds/``.

* ``context/roads.yaml`` — existing roads that are not plan items (expressways
  and national roads linking the county seats and the cores), each drawn
  through catalog anchors and carrying a ``source``.
* ``context/county_seats.yaml`` — each county seat, its city core and a
  reference drive time with its source, to check the road network against.
* ``transit/<feed>/`` — the shipped GTFS timetable: folders of GTFS tables
  whose ``stop_id`` values are catalog anchor ids (stations sit at anchors).

The context is written against the shipped catalog's anchors and cores. A
catalog that has none of them (a user's own, or a test's) gets an empty
context; one that has only some of them is a broken catalog.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ctz.base import CatalogError
from ctz.catalog.load import default_seeds_dir
from ctz.catalog.model import Catalog
from ctz.catalog.validate import ID_PATTERN
from ctz.catalog.yaml_files import read_yaml

ROAD_KINDS: tuple[str, ...] = ("expressway", "trunk_road", "urban_road")
"""Kinds a context road may have."""

ROAD_FIELDS = ({"id", "name_zh", "name_en", "kind", "from", "to", "source"}, {"via", "kmh", "note"})
"""Required and optional fields of a context road."""

SEAT_FIELDS = (
    {"county", "name_zh", "anchor", "core", "reference_min", "route", "source"},
    set[str](),
)
"""Required and optional fields of a county seat."""


@dataclass(frozen=True, slots=True)
class ContextRoad:
    """An existing road that is not a plan item, drawn through catalog anchors.

    ``kmh`` is its free-flow speed when it differs from its kind's (None: the kind's).
    """

    id: str
    name_zh: str
    name_en: str
    kind: str
    anchors: tuple[str, ...]
    source: str
    kmh: float | None = None


@dataclass(frozen=True, slots=True)
class CountySeat:
    """A county seat, the city core it belongs to and a reference drive time between them."""

    county: str
    name_zh: str
    anchor: str
    core: str
    reference_min: float
    route: str
    source: str


@dataclass(frozen=True)
class Context:
    """Existing roads, county seats and the shipped timetable feeds."""

    roads: tuple[ContextRoad, ...] = ()
    seats: tuple[CountySeat, ...] = ()
    feeds: tuple[Path, ...] = ()


def load_context(catalog: Catalog, seeds_dir: Path | None = None) -> Context:
    """Read the context that goes with ``catalog``.

    Parameters
    ----------
    catalog
        The catalog whose anchors and cores the context names.
    seeds_dir
        The seeds folder; the packaged one when omitted.

    Returns
    -------
    Context
        Empty when the catalog has none of the anchors and cores the context names.

    Raises
    ------
    CatalogError
        On the first problem found (naming file and entry), with the number of others.
    """
    seeds_dir = seeds_dir or default_seeds_dir()
    roads, seats, feeds, problems = _read(seeds_dir)
    named = {a for r in roads for a in r.anchors} | {s.anchor for s in seats}
    named |= {stop for feed in feeds for stop in _stop_ids(feed)}
    cores = {s.core for s in seats}
    if not (named & catalog.anchors.keys() or cores & catalog.cores.keys()):
        return Context()
    problems += [
        f"{seeds_dir}/transit/{f.name}/stops.txt: stop '{s}' is not a catalog anchor"
        for f in feeds
        for s in _stop_ids(f)
        if s not in catalog.anchors
    ]
    problems += _reference_problems(seeds_dir, roads, seats, catalog)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CatalogError(problems[0] + more)
    return Context(tuple(roads), tuple(seats), tuple(feeds))


def _read(
    seeds_dir: Path,
) -> tuple[list[ContextRoad], list[CountySeat], list[Path], list[str]]:
    """Entries of both context files and the feed folders, with the problems of their fields."""
    problems: list[str] = []
    roads: list[ContextRoad] = []
    seats: list[CountySeat] = []
    for data, label in _entries(seeds_dir / "context" / "roads.yaml", "roads", problems):
        found = _field_problems(data, ROAD_FIELDS)
        if not found and not ID_PATTERN.match(str(data["id"])):
            found.append("id is not lower-case ascii letters, digits and '_'")
        if not found and data["kind"] not in ROAD_KINDS:
            found.append(f"kind '{data['kind']}' is not one of {', '.join(ROAD_KINDS)}")
        kmh = data.get("kmh") if isinstance(data, dict) else None
        if kmh is not None and not (isinstance(kmh, int | float) and kmh > 0):
            found.append(f"kmh {kmh!r} is not a positive speed")
        problems += [f"{label}: {data.get('id', '?')}: {p}" for p in found]
        if not found:
            anchors = (data["from"], *data.get("via", []), data["to"])
            roads.append(
                ContextRoad(
                    data["id"],
                    data["name_zh"],
                    data["name_en"],
                    data["kind"],
                    anchors,
                    data["source"],
                    None if kmh is None else float(kmh),
                )
            )
    for data, label in _entries(seeds_dir / "context" / "county_seats.yaml", "seats", problems):
        found = _field_problems(data, SEAT_FIELDS)
        reference = data.get("reference_min")
        if not found and not (isinstance(reference, int | float) and reference > 0):
            found.append(f"reference_min {reference!r} is not a positive number of minutes")
        problems += [f"{label}: {data.get('county', '?')}: {p}" for p in found]
        if not found:
            seats.append(
                CountySeat(
                    str(data["county"]),
                    data["name_zh"],
                    data["anchor"],
                    data["core"],
                    float(reference),
                    data["route"],
                    data["source"],
                )
            )
    transit = seeds_dir / "transit"
    folders = transit.iterdir() if transit.is_dir() else iter(())
    feeds = sorted(p for p in folders if (p / "stops.txt").is_file())
    return roads, seats, feeds, problems


def _entries(path: Path, section: str, problems: list[str]) -> list[tuple[Any, str]]:
    """Return the entries of one context file with their label; file problems go to ``problems``."""
    label = f"{path.parent.parent}/{path.parent.name}/{path.name}"
    try:
        data = read_yaml(path)
    except FileNotFoundError:
        problems.append(f"{label}: file missing")
        return []
    except UnicodeDecodeError as error:
        problems.append(f"{label}: not UTF-8 text (byte {error.start})")
        return []
    except yaml.YAMLError:
        problems.append(f"{label}: not valid YAML")
        return []
    if not isinstance(data, dict) or not isinstance(data.get(section), list):
        problems.append(f"{label}: expected a mapping with a '{section}' list")
        return []
    return [(entry, label) for entry in data[section]]


def _field_problems(data: Any, fields: tuple[set[str], set[str]]) -> list[str]:
    if not isinstance(data, dict):
        return ["entry is not a mapping"]
    required, optional = fields
    problems = [f"missing field '{f}'" for f in sorted(required - data.keys())]
    problems += [f"unknown field '{f}'" for f in sorted(data.keys() - required - optional)]
    problems += [f"'{f}' is empty" for f in sorted(required & data.keys()) if data[f] in ("", None)]
    return problems


def _reference_problems(
    seeds_dir: Path, roads: list[ContextRoad], seats: list[CountySeat], catalog: Catalog
) -> list[str]:
    """Anchors and cores the entries name that the catalog lacks; ids that clash with items."""
    roads_file = f"{seeds_dir}/context/roads.yaml"
    seats_file = f"{seeds_dir}/context/county_seats.yaml"
    problems = [
        f"{roads_file}: {r.id}: unknown anchor '{a}'"
        for r in roads
        for a in r.anchors
        if a not in catalog.anchors
    ]
    problems += [
        f"{roads_file}: {r.id}: id is also a catalog item" for r in roads if r.id in catalog.items
    ]
    problems += [
        f"{seats_file}: {s.county}: unknown anchor '{s.anchor}'"
        for s in seats
        if s.anchor not in catalog.anchors
    ]
    problems += [
        f"{seats_file}: {s.county}: unknown core '{s.core}'"
        for s in seats
        if s.core not in catalog.cores
    ]
    return problems


def _stop_ids(feed: Path) -> list[str]:
    """Return the ``stop_id`` column of a feed folder's ``stops.txt``."""
    with (feed / "stops.txt").open(encoding="utf-8-sig", newline="") as table:
        return [row["stop_id"] for row in csv.DictReader(table) if row.get("stop_id")]

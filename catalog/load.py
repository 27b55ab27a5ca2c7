"""Load the YAML files of a seeds folder into a validated :class:`Catalog`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ctz.base import CatalogError
from ctz.catalog.geonames import geonames_lonlat
from ctz.catalog.model import (
    Anchor,
    Catalog,
    Citation,
    Core,
    Document,
    Goal,
    GoalArea,
    GoalRule,
    Item,
    StatusEntry,
)
from ctz.catalog.validate import RawEntry, validate_entries
from ctz.catalog.yaml_files import read_yaml

SECTIONS: dict[str, str] = {
    "documents.yaml": "documents",
    "cores.yaml": "cores",
    "goals.yaml": "goals",
    "anchors": "anchors",
    "items": "items",
}
"""Where each section of the catalog lives below the seeds folder (file or folder)."""


def default_seeds_dir() -> Path:
    """Return the seeds folder shipped with the package."""
    return Path(__file__).resolve().parent.parent / "seeds"


def read_entries(seeds_dir: Path) -> tuple[list[RawEntry], list[str]]:
    """Read every catalog YAML file below ``seeds_dir``.

    Parameters
    ----------
    seeds_dir
        Folder holding ``documents.yaml``, ``cores.yaml``, ``goals.yaml``,
        ``anchors/*.yaml`` and ``items/*.yaml``.

    Returns
    -------
    entries
        Every entry found, tagged with its section and file.
    problems
        One line per file that could not be read, naming it relative to ``seeds_dir``.
    """
    entries: list[RawEntry] = []
    problems: list[str] = []
    for place, section in SECTIONS.items():
        target = seeds_dir / place
        files = sorted(target.glob("*.yaml")) if target.is_dir() else [target]
        for path in files:
            label = str(path.relative_to(seeds_dir))
            try:
                data = read_yaml(path)
            except FileNotFoundError:
                problems.append(f"{label}: file missing")
                continue
            except UnicodeDecodeError as error:
                problems.append(f"{label}: not UTF-8 text (byte {error.start})")
                continue
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                problem = getattr(error, "problem", None)
                where = f"line {mark.line + 1}" if mark else ""
                detail = ": ".join(p for p in (where, problem) if p)
                problems.append(f"{label}: not valid YAML" + (f" ({detail})" if detail else ""))
                continue
            if not isinstance(data, dict) or not isinstance(data.get(section), list):
                problems.append(f"{label}: expected a mapping with a '{section}' list")
                continue
            entries.extend(RawEntry(section, label, entry) for entry in data[section])
    return entries, problems


def catalog_problems(seeds_dir: Path) -> tuple[list[RawEntry], list[str]]:
    """Read a seeds folder and check it against the schema.

    Returns
    -------
    entries
        Every entry read.
    problems
        One line per unreadable file or schema problem, each starting with the file's
        path; empty when the catalog is valid.
    """
    if not seeds_dir.is_dir():
        return [], [f"{seeds_dir}: no such catalog folder"]
    entries, problems = read_entries(seeds_dir)
    return entries, [f"{seeds_dir}/{p}" for p in problems + validate_entries(entries)]


def load_catalog(seeds_dir: Path | None = None) -> Catalog:
    """Load and validate the catalog.

    Parameters
    ----------
    seeds_dir
        The seeds folder; the packaged one when omitted.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        On the first problem found, naming file and entry.
    """
    entries, problems = catalog_problems(seeds_dir or default_seeds_dir())
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CatalogError(problems[0] + more)
    by_section: dict[str, list[dict[str, Any]]] = {s: [] for s in SECTIONS.values()}
    for entry in entries:
        by_section[entry.section].append(entry.data)
    return Catalog(
        documents={str(d["number"]): _document(d) for d in by_section["documents"]},
        anchors={a["id"]: _anchor(a) for a in by_section["anchors"]},
        items={i["id"]: _item(i) for i in by_section["items"]},
        goals={g["id"]: _goal(g) for g in by_section["goals"]},
        cores={c["id"]: _core(c) for c in by_section["cores"]},
    )


def parse_citation(text: str) -> Citation:
    """Split ``"001 §5"`` into document ``"001"`` and clause ``"5"``."""
    document, _, clause = text.partition(" §")
    return Citation(document, clause)


def _citations(data: dict[str, Any]) -> tuple[Citation, ...]:
    return tuple(parse_citation(p) for p in data.get("plans", []))


def _document(d: dict[str, Any]) -> Document:
    return Document(
        number=str(d["number"]),
        title_zh=d["title_zh"],
        title_en=d["title_en"],
        year=int(d["year"]),
        script=d["script"],
        file=d["file"],
    )


def _anchor(a: dict[str, Any]) -> Anchor:
    found = geonames_lonlat(a["geonames"]) if "geonames" in a else (a["lon"], a["lat"])
    if found is None:  # validation rejects unknown ids first
        raise CatalogError(f"anchor {a['id']}: geonames id {a['geonames']} not found")
    lon, lat = found
    return Anchor(
        id=a["id"],
        name_zh=a["name_zh"],
        name_en=a["name_en"],
        kind=a["kind"],
        lon=float(lon),
        lat=float(lat),
        source=a["source"],
    )


def _item(i: dict[str, Any]) -> Item:
    history = tuple(
        StatusEntry(str(e["value"]), str(e["as_of"]), str(e["source"])) for e in i["status"]
    )
    return Item(
        id=i["id"],
        name_zh=i["name_zh"],
        name_zh_hant=i["name_zh_hant"],
        name_en=i["name_en"],
        kind=i["kind"],
        status=history[-1].value,
        plans=_citations(i),
        aliases=tuple(i.get("aliases", ())),
        target_year=i.get("target_year"),
        from_anchor=i.get("from"),
        via=tuple(i.get("via", ())),
        to_anchor=i.get("to"),
        branches=tuple(tuple(branch) for branch in i.get("branches", ())),
        at=i.get("at"),
        outline=tuple(i.get("outline", ())),
        length_km=i.get("length_km"),
        osm=dict(i.get("osm", {})),
        note=i.get("note", ""),
        status_as_of=history[-1].as_of,
        status_source=history[-1].source,
        status_history=history,
    )


def _goal(g: dict[str, Any]) -> Goal:
    target = g.get("target", {})
    return Goal(
        id=g["id"],
        name_zh=g["name_zh"],
        name_zh_hant=g["name_zh_hant"],
        name_en=g["name_en"],
        kind=g["kind"],
        target_value=target.get("value"),
        target_unit=target.get("unit", ""),
        target_year=g.get("target_year"),
        items=tuple(g.get("items", ())),
        plans=_citations(g),
        target_count=target.get("count"),
        direction=g["direction"],
        note=g.get("note", ""),
        rule=GoalRule(**g["rule"]) if "rule" in g else None,
        area=_goal_area(g["area"]) if "area" in g else None,
    )


def _goal_area(a: dict[str, Any]) -> GoalArea:
    return GoalArea(
        name_zh=a["name_zh"],
        name_en=a["name_en"],
        counties=tuple(str(c) for c in a["counties"]),
        centre=a["centre"],
        area_km2=float(a["area_km2"]),
        population=int(a["population"]),
        population_year=int(a["population_year"]),
        source=a["source"],
    )


def _core(c: dict[str, Any]) -> Core:
    return Core(
        id=c["id"],
        name_zh=c["name_zh"],
        name_en=c["name_en"],
        anchor=c["anchor"],
        reason=c["reason"],
        stations=tuple(c.get("stations", ())),
    )

"""Overpass and Nominatim answers, checked for the shape that was asked for, as candidates.

An answer is trusted only when it is JSON of the expected shape: Overpass JSON
of an ``out body geom`` query (an ``elements`` list of typed, numbered elements
carrying their coordinates) or a Nominatim ``format=json`` list of places with
``geojson``.  Anything else (a captive portal's HTML page, a body cut short,
JSON of another shape) raises :class:`BadAnswerError`, so it is never cached.
Geometry is built as the ``pbf`` source builds it: nodes are points, ways
lines, closed ways with an area key and multipolygon/boundary relations
(multi)polygons.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.errors import GEOSException
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from ctz.geo.item_tags import AREA_KEYS
from ctz.geo.matching import Candidate

_TYPES = ("node", "way", "relation")
_AREA_RELATIONS = frozenset({"multipolygon", "boundary"})


class BadAnswerError(ValueError):
    """An answer that is not what was asked for; the message says what is wrong, in one line."""


class IncompleteAnswerError(BadAnswerError):
    """Overpass stopped early (a ``runtime error`` remark: out of time or memory)."""


def read_overpass(body: bytes) -> dict[str, Any]:
    """Return the Overpass JSON document in ``body``, checked at the top level.

    Raises
    ------
    IncompleteAnswerError
        When the server says it stopped early (its elements are a part only).
    BadAnswerError
        When ``body`` is not a JSON object with an ``elements`` list.
    """
    document = _json(body)
    if not isinstance(document, dict) or not isinstance(document.get("elements"), list):
        raise BadAnswerError("JSON without an 'elements' list (not an Overpass answer)")
    remark = document.get("remark")
    if isinstance(remark, str) and "runtime error" in remark:
        raise IncompleteAnswerError(" ".join(remark.split()))
    return document


def overpass_candidates(document: Mapping[str, Any]) -> list[Candidate]:
    """Turn the elements of an ``out body geom`` answer into candidates.

    Parameters
    ----------
    document
        As :func:`read_overpass` returns it.

    Returns
    -------
    list of Candidate
        Nodes, then ways, then area relations; elements without a usable
        geometry (a one-node way, a ring that does not close) are left out.

    Raises
    ------
    BadAnswerError
        When an element lacks its type, id, tags or coordinates.
    """
    by_type: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _TYPES}
    for element in document["elements"]:
        if (
            not isinstance(element, dict)
            or element.get("type") not in _TYPES
            or not _is_id(element.get("id"))
        ):
            raise BadAnswerError(
                f"an element without a node/way/relation type and id: {element!r:.60}"
            )
        by_type[element["type"]].append(element)
    found: list[Candidate] = []
    for kind, build in (
        ("node", _node_shapes),
        ("way", _way_shapes),
        ("relation", _relation_shapes),
    ):
        elements = by_type[kind]
        tags = [_tags(element) for element in elements]
        shapes = build(elements, tags)
        found += [
            Candidate(f"{kind}/{element['id']}", element_tags, geometry)
            for element, element_tags, geometry in zip(elements, tags, shapes, strict=True)
            if geometry is not None
        ]
    return found


def nominatim_candidates(body: bytes) -> list[Candidate]:
    """Turn a Nominatim ``format=json&polygon_geojson=1`` search answer into candidates.

    Each place becomes one candidate tagged with its name and ``class=type``
    (e.g. ``harbour=yes``).

    Raises
    ------
    BadAnswerError
        When ``body`` is not a JSON list of places with an OSM type, id, class,
        type and GeoJSON geometry.
    """
    places = _json(body)
    if not isinstance(places, list):
        raise BadAnswerError("JSON that is not a list of places (not a Nominatim search answer)")
    found = []
    for place in places:
        try:
            kind, osm_id = place["osm_type"], place["osm_id"]
            category, value = str(place["class"]), str(place["type"])
            geometry = shape(place["geojson"])
        except (KeyError, TypeError, ValueError, AttributeError, GEOSException) as error:
            raise BadAnswerError(
                f"a place without its osm_type, osm_id, class, type and geojson: {place!r:.60}"
            ) from error
        if kind not in _TYPES or not _is_id(osm_id) or geometry.is_empty:
            raise BadAnswerError(f"a place without an OSM type, id and geometry: {place!r:.60}")
        name = place.get("name") or str(place.get("display_name", "")).split(",")[0].strip()
        found.append(Candidate(f"{kind}/{osm_id}", {"name": str(name), category: value}, geometry))
    return found


def _json(body: bytes) -> Any:
    if not body.strip():
        raise BadAnswerError("an empty body")
    if body.lstrip()[:1] == b"<":
        raise BadAnswerError("an HTML or XML page, not JSON")
    try:
        return json.loads(body)
    except UnicodeDecodeError as error:
        raise BadAnswerError("bytes that are not UTF-8 text") from error
    except json.JSONDecodeError as error:
        raise BadAnswerError(
            f"broken or cut-short JSON ({error.msg}: byte {error.pos} of {len(body)})"
        ) from error


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _tags(element: Mapping[str, Any]) -> dict[str, str]:
    tags = element.get("tags", {})
    if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
        raise BadAnswerError(f"{element['type']} {element['id']} has tags that are not text")
    return tags


def _coordinates(points: Sequence[Any], what: str) -> np.ndarray:
    """Return the ``(n, 2)`` lon/lat array of Overpass points (``{"lat": …, "lon": …}``)."""
    try:
        lon = np.fromiter((p["lon"] for p in points), dtype=float, count=len(points))
        lat = np.fromiter((p["lat"] for p in points), dtype=float, count=len(points))
    except (KeyError, TypeError, ValueError) as error:
        raise BadAnswerError(f"{what} without lat/lon coordinates") from error
    if not (np.all(np.abs(lon) <= 180) and np.all(np.abs(lat) <= 90)):  # NaN fails too
        raise BadAnswerError(f"{what} with coordinates off the globe")
    return np.column_stack([lon, lat])


def _node_shapes(nodes: list[dict[str, Any]], tags: list[dict[str, str]]) -> np.ndarray:
    return shapely.points(_coordinates(nodes, "a node").reshape(-1, 2))


def _way_shapes(ways: list[dict[str, Any]], tags: list[dict[str, str]]) -> np.ndarray:
    """Lines, or polygons for closed ways with an area key; None for a way of one point."""
    geometries: list[list[Any]] = []
    for way in ways:
        points = way.get("geometry")
        if not isinstance(points, list):
            raise BadAnswerError("a way without its 'geometry' list (not an 'out geom' answer)")
        geometries.append(points)
    counts = np.array([len(points) for points in geometries], dtype=np.int64)
    coords = _coordinates([p for g in geometries for p in g], "a way point").reshape(-1, 2)
    owner = np.repeat(np.arange(len(ways)), counts)
    first = np.cumsum(counts) - counts
    usable = counts >= 2
    shapes = np.full(len(ways), None, dtype=object)
    shapely.linestrings(coords[usable[owner]], indices=owner[usable[owner]], out=shapes)
    closed = counts >= 4
    closed[closed] = np.all(
        coords[first[closed]] == coords[first[closed] + counts[closed] - 1], axis=1
    )
    area = closed & np.array([not AREA_KEYS.isdisjoint(t) for t in tags], dtype=bool)
    if area.any():
        rings = np.full(len(ways), None, dtype=object)
        shapely.linearrings(coords[area[owner]], indices=owner[area[owner]], out=rings)
        shapes[area] = shapely.polygons(rings[area])
    return shapes


def _relation_shapes(
    relations: list[dict[str, Any]], tags: list[dict[str, str]]
) -> list[BaseGeometry | None]:
    """(Multi)polygons of multipolygon and boundary relations; None for other relations."""
    shapes: list[BaseGeometry | None] = []
    for relation, relation_tags in zip(relations, tags, strict=True):
        members = relation.get("members")
        if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
            raise BadAnswerError(f"relation {relation['id']} without its 'members' list")
        shapes.append(
            _area(relation["id"], members) if relation_tags.get("type") in _AREA_RELATIONS else None
        )
    return shapes


def _area(relation_id: int, members: list[dict[str, Any]]) -> BaseGeometry | None:
    rings: dict[bool, list[BaseGeometry]] = {True: [], False: []}
    for member in members:
        if member.get("type") != "way":
            continue
        points = member.get("geometry")
        if not isinstance(points, list):
            raise BadAnswerError(f"relation {relation_id}: a way member without its 'geometry'")
        if len(points) >= 2:
            line = shapely.linestrings(_coordinates(points, f"relation {relation_id}'s way"))
            rings[member.get("role") == "inner"].append(line)
    outer = shapely.union_all(shapely.get_parts(shapely.polygonize(rings[False])))
    inner = shapely.union_all(shapely.get_parts(shapely.polygonize(rings[True])))
    area = shapely.difference(outer, inner)
    return None if area.is_empty else area

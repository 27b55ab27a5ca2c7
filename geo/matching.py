"""Match one catalog item against OpenStreetMap candidates: name, ref, kind, region, distance.

Shared by the ``osm`` and ``pbf`` sources.  A candidate is one OSM element; the
elements that pass the name, kind and region tests are grouped by proximity
(a road is many ways), each group is scored in [0, 1] and the best is kept.
Groups scoring close to the best are reported as ambiguous; candidates outside
the region or far from the item's sketch are namesakes and never match.  A line
item whose ``from``/``to`` anchors lie on a longer road keeps only the stretch
between them (:func:`section_between_ends`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import substring

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import LINE_KINDS, Item
from ctz.geo.item_tags import item_tags, tags_match_any_stage
from ctz.geo.lifecycle import Lifecycle, lifecycle_of
from ctz.geo.names import (
    OTHER_NAME_TAGS,
    PRIMARY_NAME_TAGS,
    REF_TAGS,
    normalize,
    split_refs,
    split_values,
    variant_key,
)

EXACT_SCORE = 1.0
"""Name score of an exact primary name or route-number match."""
OTHER_NAME_SCORE = 0.9
"""Name score of an exact ``alt_name``/``old_name``/… match."""
VARIANT_SCORE = 0.8
"""Name score of a segment/suffix/extension variant match."""
NEAR_M = 5_000.0
"""Candidates this close to the item's sketch lose nothing for distance."""
FAR_M = 25_000.0
"""Candidates this far from the sketch (or farther) are namesakes, not matches."""
AMBIGUITY_MARGIN = 0.1
"""A second group scoring within this margin of the best makes the item ambiguous."""
LINE_GROUP_M = 2_000.0
POINT_GROUP_M = 300.0
SECTION_MARGIN_M = 1_000.0
"""A section keeps this much road beyond each projected end (anchors mark a town or an
interchange, not the exact end); ends this close to the road's ends leave it whole."""
_SAMPLES = 21
_ON_LINE_M = 1.0
"""A way shares more than twice this length with a section's stretch to be one of its ways."""

_TO_METRIC = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
_TO_STORAGE = Transformer.from_crs(METRIC_CRS, STORAGE_CRS, always_xy=True)


@dataclass(frozen=True)
class Candidate:
    """One OpenStreetMap element that may be (part of) an item.

    Attributes
    ----------
    osm_id
        ``node/1``, ``way/2`` or ``relation/3``.
    tags
        The element's tags.
    geometry
        Its geometry in EPSG:4326.
    """

    osm_id: str
    tags: Mapping[str, str]
    geometry: BaseGeometry


@dataclass(frozen=True)
class ItemQuery:
    """What an item is looked up by: exact names, variant keys and route numbers."""

    names: frozenset[str]
    keys: frozenset[str]
    refs: frozenset[str]

    @classmethod
    def of(cls, item: Item) -> ItemQuery:
        """Build the query from an item's names, aliases and ``osm`` hints."""
        raw = [*item.names, *item.osm.get("names", [])]
        refs = {r for ref in item.osm.get("refs", []) for r in split_refs(str(ref))}
        return cls(
            names=frozenset(normalize(n) for n in raw),
            keys=frozenset(k for k in map(variant_key, raw) if k),
            refs=frozenset(refs),
        )


@dataclass(frozen=True)
class Match:
    """The best candidate group for an item.

    Attributes
    ----------
    geometry
        Merged lines for line kinds, else the best element's geometry (EPSG:4326).
    osm_ids
        Every element of the group.
    score
        In [0, 1]: name score × distance factor × sketch coverage factor.
    ambiguous
        Descriptions of other groups that scored within :data:`AMBIGUITY_MARGIN`.
    section_km
        ``(kept, whole)`` km of OSM ways when the item was clipped to the
        stretch between its ends (:func:`section_between_ends`), else None.
    lifecycle
        The stage the matched elements have reached (open, construction, proposed).
    """

    geometry: BaseGeometry
    osm_ids: tuple[str, ...]
    score: float
    ambiguous: tuple[str, ...] = ()
    section_km: tuple[float, float] | None = None
    lifecycle: Lifecycle | None = None


@dataclass(frozen=True)
class Section:
    """The stretch of a matched road between an item's two ends.

    Attributes
    ----------
    stretch_m
        The kept lines in :data:`METRIC_CRS`.
    ways
        Which of the road's ways (positions in the input) run along the stretch.
    kept_km, whole_km
        Length of the stretch and of the whole road (every carriageway counted).
    """

    stretch_m: BaseGeometry
    ways: np.ndarray
    kept_km: float
    whole_km: float


def name_score(query: ItemQuery, tags: Mapping[str, str]) -> float:
    """Score how well an element's name and ref tags fit the item (0 when they do not).

    Parameters
    ----------
    query
        The item's names, keys and refs.
    tags
        The element's OSM tags.

    Returns
    -------
    float
        1.0 for an exact primary name or a shared route number, 0.9 for an exact
        alternative/old name, 0.8 for a variant of any name, else 0.
    """
    if query.refs and any(query.refs.intersection(split_refs(tags.get(t, ""))) for t in REF_TAGS):
        return EXACT_SCORE
    primary = [v for t in PRIMARY_NAME_TAGS for v in split_values(tags.get(t, ""))]
    other = [v for t in OTHER_NAME_TAGS for v in split_values(tags.get(t, ""))]
    if query.names.intersection(map(normalize, primary)):
        return EXACT_SCORE
    if query.names.intersection(map(normalize, other)):
        return OTHER_NAME_SCORE
    if query.keys.intersection(map(variant_key, primary + other)):
        return VARIANT_SCORE
    return 0.0


def to_metric(geometries: Sequence[BaseGeometry] | np.ndarray) -> np.ndarray:
    """Project EPSG:4326 geometries to :data:`METRIC_CRS` (vectorised)."""
    return _transform(geometries, _TO_METRIC)


def to_storage(geometries: Sequence[BaseGeometry] | np.ndarray) -> np.ndarray:
    """Project :data:`METRIC_CRS` geometries back to EPSG:4326 (vectorised)."""
    return _transform(geometries, _TO_STORAGE)


def _transform(
    geometries: Sequence[BaseGeometry] | np.ndarray, transformer: Transformer
) -> np.ndarray:
    return shapely.transform(
        np.asarray(geometries, dtype=object),
        lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])),
    )


def match_item(
    item: Item,
    candidates: Sequence[Candidate],
    sketch: BaseGeometry,
    region: BaseGeometry,
) -> Match | None:
    """Pick the candidate group that is ``item``, or None when none qualifies.

    Parameters
    ----------
    item
        The catalog item.
    candidates
        Elements to consider (any superset of the real ones).
    sketch
        The item's embedded sketch (EPSG:4326): a candidate group farther than
        :data:`FAR_M` from it is a namesake.  For a section item (``osm:
        {section: true}`` in the catalog: a widening, a stretch of a longer road)
        drawn as one line, its first and last points are the item's ends: the
        road is clipped to the stretch between them. Other items keep every way
        found, however much of the road their sketch draws.
    region
        Only elements intersecting this polygon (EPSG:4326) are considered.

    Returns
    -------
    Match or None
    """
    query, tag_filter = ItemQuery.of(item), item_tags(item)
    names = np.array([name_score(query, c.tags) for c in candidates], dtype=float)
    kept = [
        (c, s)
        for c, s in zip(candidates, names, strict=True)
        if s > 0 and tags_match_any_stage(c.tags, tag_filter) and c.geometry.intersects(region)
    ]
    if not kept:
        return None
    is_line = item.kind in LINE_KINDS
    metric = to_metric([c.geometry for c, _ in kept])
    groups = _groups(metric, LINE_GROUP_M if is_line else POINT_GROUP_M)
    sketch_m = to_metric([sketch])[0]
    scored = []
    for label in range(groups.max() + 1):
        members = np.flatnonzero(groups == label)
        scored.append(_score_group(kept, metric, members, sketch_m, is_line=is_line))
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    scored.sort(key=lambda s: -s[0])
    best_score, best_members = scored[0]
    rivals = tuple(
        f"{_describe(kept, members)} (score {score:.2f})"
        for score, members in scored[1:]
        if score >= best_score - AMBIGUITY_MARGIN
    )
    section = None
    if is_line and item.osm.get("section") and isinstance(sketch_m, LineString):
        ends = (Point(sketch_m.coords[0]), Point(sketch_m.coords[-1]))
        section = section_between_ends(metric[best_members], ends)
    if section is None:
        return Match(
            geometry=_group_geometry(kept, best_members, is_line=is_line),
            osm_ids=tuple(kept[i][0].osm_id for i in best_members),
            score=round(best_score, 3),
            ambiguous=rivals,
            lifecycle=_lifecycle(kept, metric, best_members),
        )
    members = best_members[section.ways]
    return Match(
        geometry=to_storage([section.stretch_m])[0],
        osm_ids=tuple(kept[i][0].osm_id for i in members),
        score=round(best_score, 3),
        ambiguous=rivals,
        section_km=(round(section.kept_km, 1), round(section.whole_km, 1)),
        lifecycle=_lifecycle(kept, metric, members),
    )


def section_between_ends(ways_m: np.ndarray, ends_m: tuple[Point, Point]) -> Section | None:
    """Clip a road to the stretch between an item's two ends, or None when it runs whole.

    The ways are merged into lines (one per carriageway, or more where the road
    has gaps); both ends are projected onto each line, and each keeps what lies
    between its two projections, widened by :data:`SECTION_MARGIN_M`.  A line
    onto which both ends project at the same point (it lies wholly beyond one
    end) is dropped.

    Parameters
    ----------
    ways_m
        The road's ways (LineStrings) in :data:`METRIC_CRS`.
    ends_m
        The item's ``from`` and ``to`` points in :data:`METRIC_CRS`.

    Returns
    -------
    Section or None
        None when the ends lie at or beyond the road's ends (within the margin),
        or when no line runs between them: the road is then taken whole.
    """
    merged = shapely.get_parts(shapely.line_merge(shapely.union_all(ways_m)))
    lines = merged[shapely.get_type_id(merged) == shapely.GeometryType.LINESTRING]
    lengths = shapely.length(lines)
    at_from = shapely.line_locate_point(lines, ends_m[0])
    at_to = shapely.line_locate_point(lines, ends_m[1])
    between = np.abs(at_to - at_from) > 2 * _ON_LINE_M
    start = np.clip(np.minimum(at_from, at_to) - SECTION_MARGIN_M, 0.0, lengths)
    stop = np.clip(np.maximum(at_from, at_to) + SECTION_MARGIN_M, 0.0, lengths)
    whole = between & (start == 0.0) & (stop == lengths)
    if whole.all() or not between.any():
        return None
    pieces = [
        substring(line, a, b)
        for line, a, b in zip(lines[between], start[between], stop[between], strict=True)
    ]
    stretch = pieces[0] if len(pieces) == 1 else MultiLineString(pieces)
    overlap_m = shapely.length(shapely.intersection(ways_m, shapely.buffer(stretch, _ON_LINE_M)))
    return Section(
        stretch_m=stretch,
        ways=np.flatnonzero(overlap_m > 2 * _ON_LINE_M),
        kept_km=stretch.length / 1000,
        whole_km=float(lengths.sum()) / 1000,
    )


def _groups(metric: np.ndarray, tolerance: float) -> np.ndarray:
    tree = shapely.STRtree(metric)
    left, right = tree.query(metric, predicate="dwithin", distance=tolerance)
    n = len(metric)
    adjacency = coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
    return connected_components(adjacency, directed=False)[1]


def _score_group(
    kept: list[tuple[Candidate, float]],
    metric: np.ndarray,
    members: np.ndarray,
    sketch_m: BaseGeometry,
    *,
    is_line: bool,
) -> tuple[float, np.ndarray]:
    shape = shapely.union_all(metric[members])
    distance = shapely.distance(shape, sketch_m)
    nearness = float(np.clip((FAR_M - distance) / (FAR_M - NEAR_M), 0.0, 1.0))
    coverage = 1.0
    if is_line and sketch_m.length > 0:
        samples = shapely.line_interpolate_point(
            sketch_m, np.linspace(0, 1, _SAMPLES), normalized=True
        )
        coverage = float(np.mean(shapely.distance(samples, shape) <= NEAR_M))
    best_name = max(kept[i][1] for i in members)
    return best_name * nearness * (0.5 + 0.5 * coverage), members


def _group_geometry(
    kept: list[tuple[Candidate, float]], members: np.ndarray, *, is_line: bool
) -> BaseGeometry:
    geometries = np.array([kept[i][0].geometry for i in members], dtype=object)
    if is_line:
        return shapely.line_merge(shapely.union_all(geometries))
    areas = shapely.area(geometries)
    names = np.array([kept[i][1] for i in members])
    return geometries[np.lexsort((-areas, -names))[0]]


def _lifecycle(
    kept: list[tuple[Candidate, float]], metric: np.ndarray, members: np.ndarray
) -> Lifecycle:
    lines = np.isin(
        shapely.get_type_id(metric[members]),
        [shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING],
    )
    lengths_km = np.where(lines, shapely.length(metric[members]), 0.0) / 1000
    elements = [kept[i][0] for i in members]
    return lifecycle_of([c.osm_id for c in elements], [c.tags for c in elements], lengths_km)


def _describe(kept: list[tuple[Candidate, float]], members: np.ndarray) -> str:
    first = kept[members[0]][0]
    name = first.tags.get("name") or first.tags.get("ref") or "?"
    more = f" +{len(members) - 1}" if len(members) > 1 else ""
    return f"{first.osm_id}{more} {name}"

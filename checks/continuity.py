"""One road's lines in a metric CRS: connected pieces, the gaps between, centreline length."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree, shortest_path
from shapely.geometry.base import BaseGeometry

SNAP_M = 30.0
"""Lines closer than this (metres) are one piece: junction slop, not a missing road."""

PAIR_M = 40.0
"""Parallel lines side by side within this distance are two carriageways of one road."""

SEGMENT_M = 50.0
"""Segment length used when pairing carriageways."""

PARALLEL_COS = float(np.cos(np.radians(25.0)))
"""Two segments are parallel when the angle between them is under 25°."""


@dataclass(frozen=True)
class Gap:
    """A missing stretch (断头) between two pieces of one road.

    Attributes
    ----------
    line
        Shortest line between the two pieces (metric CRS).
    length_m
        Its length in metres.
    pieces
        Indices of the two pieces it separates (into :attr:`Continuity.pieces`).
    """

    line: shapely.LineString
    length_m: float
    pieces: tuple[int, int]


@dataclass(frozen=True)
class Continuity:
    """How one road's geometry holds together between its two ends.

    Attributes
    ----------
    pieces
        Connected pieces (metric CRS), numbered from the ``start`` end towards ``end``.
    gaps
        Gaps on the way from the piece nearest ``start`` to the piece nearest ``end``.
    length_m
        Centreline length of all pieces (two carriageways counted once).
    """

    pieces: list[BaseGeometry]
    gaps: list[Gap]
    length_m: float

    @property
    def continuous(self) -> bool:
        """True when the road runs without a gap from one end to the other."""
        return not self.gaps


def split_lines(geometry: BaseGeometry) -> np.ndarray:
    """Return the single LineStrings of a (multi)line geometry or collection."""
    parts = shapely.get_parts(shapely.get_parts(geometry))
    lines = parts[shapely.get_type_id(parts) == 1]
    return lines[~shapely.is_empty(lines)]


def connected_pieces(lines: np.ndarray, snap_m: float = SNAP_M) -> list[BaseGeometry]:
    """Group lines that touch (within ``snap_m``) into pieces.

    Parameters
    ----------
    lines
        LineStrings in a metric CRS.
    snap_m
        Largest distance still treated as connected, in metres.

    Returns
    -------
    list of geometry
        One merged (Multi)LineString per connected group.
    """
    tree = shapely.STRtree(lines)
    left, right = tree.query(lines, predicate="dwithin", distance=snap_m)
    graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(len(lines), len(lines)))
    _, labels = connected_components(graph, directed=False)
    order = np.argsort(labels, kind="stable")
    groups = np.split(lines[order], np.flatnonzero(np.diff(labels[order])) + 1)
    return [shapely.line_merge(shapely.union_all(group)) for group in groups]


def centreline_length(lines: np.ndarray) -> float:
    """Length of a road in metres, counting parallel carriageways once.

    Lines are cut into segments of about :data:`SEGMENT_M`; a segment is dropped
    when a parallel segment with a lower index lies beside it (not end to end)
    within :data:`PAIR_M`.

    Parameters
    ----------
    lines
        LineStrings in a metric CRS.
    """
    coords, index = shapely.get_coordinates(shapely.segmentize(lines, SEGMENT_M), return_index=True)
    same = index[1:] == index[:-1]
    start, end = coords[:-1][same], coords[1:][same]
    if not len(start):
        return 0.0
    vector = end - start
    length = np.hypot(vector[:, 0], vector[:, 1])
    keep = length > 0
    start, end, vector, length = start[keep], end[keep], vector[keep], length[keep]
    direction = vector / length[:, None]
    middle = (start + end) / 2
    segments = shapely.linestrings(np.stack([start, end], axis=1))
    a, b = shapely.STRtree(segments).query(segments, predicate="dwithin", distance=PAIR_M)
    offset = middle[b] - middle[a]
    along = np.abs(np.einsum("ij,ij->i", direction[a], offset))
    across = np.abs(direction[a, 0] * offset[:, 1] - direction[a, 1] * offset[:, 0])
    parallel = np.abs(np.einsum("ij,ij->i", direction[a], direction[b])) > PARALLEL_COS
    beside = (b < a) & parallel & (across > 2.0) & (along < (length[a] + length[b]) / 2)
    dropped = np.zeros(len(segments), dtype=bool)
    dropped[a[beside]] = True
    return float(length[~dropped].sum())


def continuity(
    geometry: BaseGeometry, start: shapely.Point, end: shapely.Point, snap_m: float = SNAP_M
) -> Continuity:
    """Find the pieces of a road and the gaps between its two ends.

    The pieces are joined by a minimum spanning tree of their distances; the
    gaps are the tree's edges on the way from the piece nearest ``start`` to
    the piece nearest ``end``. Pieces off that way are side stubs, not gaps.

    Parameters
    ----------
    geometry
        The road's lines in a metric CRS.
    start, end
        Where the road should begin and end (e.g. its two city-side anchors), same CRS.
    snap_m
        Largest distance still treated as connected, in metres.

    Returns
    -------
    Continuity
    """
    lines = split_lines(geometry)
    if not len(lines):
        return Continuity([], [], 0.0)
    pieces = np.array(connected_pieces(lines, snap_m), dtype=object)
    axis = shapely.LineString([start, end])
    pieces = pieces[np.argsort(shapely.line_locate_point(axis, shapely.centroid(pieces)))]
    length = centreline_length(lines)
    if len(pieces) == 1:
        return Continuity(list(pieces), [], length)
    distance = shapely.distance(pieces[:, None], pieces[None, :])
    tree = minimum_spanning_tree(distance)
    first = int(np.argmin(shapely.distance(pieces, start)))
    last = int(np.argmin(shapely.distance(pieces, end)))
    _, predecessors = shortest_path(tree, directed=False, indices=first, return_predecessors=True)
    gaps = []
    node = last
    while node != first:
        previous = int(predecessors[node])
        line = shapely.shortest_line(pieces[previous], pieces[node])
        gaps.append(Gap(line, float(line.length), (min(previous, node), max(previous, node))))
        node = previous
    return Continuity(list(pieces), gaps[::-1], length)

"""The multimodal graph: nodes in metres, directed edges in minutes tagged by mode and item."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ctz.checks.commute.adjacency import EdgeSets, mask_key
from ctz.geo.network.adjacency import EdgePattern, lightest_adjacency

ROAD, RIDE, BOARD, ALIGHT, TRANSFER, ENTER, EXIT = range(7)
"""Edge modes: road link; in-vehicle rail; station to line (the wait); line to station;
station to another line (wait plus transfer penalty); street to station; station to street."""

ALWAYS_ON = -1
"""``Network.item`` value of edges that belong to no catalog item (OSM roads, synthetic graphs)."""

TINY_MINUTES = 1e-6
"""Stand-in for zero-cost edges: sparse matrices drop explicit zeros."""

EdgeGroup = tuple[np.ndarray, ...]
"""Edges of one kind: ``(tail, head, minutes, mode, item, congested, straightness,
access_min, wait_min)`` — see :func:`edges` and :class:`EdgeTerms`."""


@dataclass(frozen=True)
class Assumptions:
    """The uncertain assumptions of the model, each at one value.

    Attributes
    ----------
    congestion
        Peak congestion factor on roads inside the central districts.
    circuity
        Route length over straight length of a straight sketch.
    access_speed_share
        Access speeds as a share of the defaults (1.0: the defaults).
    wait_share
        Share of the half-headway wait a rider waits (1.0: random arrival).
    """

    congestion: float
    circuity: float
    access_speed_share: float = 1.0
    wait_share: float = 1.0


@dataclass
class EdgeTerms:
    """What each edge's minutes are made of, so that weights change without a rebuild.

    Attributes
    ----------
    congested
        True where the edge's minutes include the peak congestion factor.
    straightness
        Straight (end-to-end) length over path length of the sketch chain the
        edge belongs to, in (0, 1]; NaN where no circuity factor applies.
    access_min
        Minutes of the edge spent on an access leg (at the access speed).
    wait_min
        Minutes of the edge spent waiting for a service.
    """

    congested: np.ndarray
    straightness: np.ndarray
    access_min: np.ndarray
    wait_min: np.ndarray


def circuity_factor(circuity: float, straightness: np.ndarray) -> np.ndarray:
    """Length factor of sketch segments: ``max(1, circuity × straightness)``.

    A straight chain (straightness 1) gets the whole ``circuity``; a chain whose
    anchors already bend it to ``1 / circuity`` of its path length or less gets
    none: its bends stand for the detours.
    """
    return np.maximum(1.0, circuity * np.nan_to_num(straightness, nan=0.0))


@dataclass
class Network:
    """A directed graph of roads and rail services.

    Attributes
    ----------
    xy
        Node coordinates in the metric CRS (EPSG:32649), shape ``(n, 2)``.
    street
        True where a node is on the road network (origins attach there).
    arrive, depart
        True where a node is a station's arrival / departure side: origins are
        reached from ``arrive`` nodes and sources enter rail at ``depart`` nodes.
    tail, head, minutes, mode, item
        One entry per directed edge; ``item`` indexes :attr:`item_ids`
        (:data:`ALWAYS_ON` for edges of no catalog item).
    item_ids
        Catalog ids of the items the edges belong to.
    station_entry_min
        Extra minutes to enter a station from outside (charged on source links).
    terms
        What the minutes are made of (None: fixed weights).
    assumptions
        The assumptions the minutes were computed with (None: not known).
    """

    xy: np.ndarray
    street: np.ndarray
    arrive: np.ndarray
    depart: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    minutes: np.ndarray
    mode: np.ndarray
    item: np.ndarray
    item_ids: list[str]
    station_entry_min: float = 0.0
    terms: EdgeTerms | None = None
    assumptions: Assumptions | None = None
    _access: dict[str, tuple[np.ndarray, cKDTree]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _edge_sets: EdgeSets = field(init=False, repr=False, compare=False)
    _adjacency: dict[str, sp.csr_matrix] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._edge_sets = EdgeSets(self.n_nodes, self.tail, self.head)

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.xy)

    def item_mask(self, item_ids: set[str] | None) -> np.ndarray:
        """Edges switched on when exactly ``item_ids`` are built (all items when None)."""
        if item_ids is None:
            return np.ones(len(self.tail), dtype=bool)
        on = np.array([i in item_ids for i in self.item_ids] + [True], dtype=bool)
        return on[self.item]

    def sort_edges(self) -> None:
        """Sort the edges by ``(tail, head)`` now, as the first :meth:`adjacency` would.

        For a network that is stored: the sort, the longest step of building an
        edge set's matrix, is then stored with it instead of done once a run.
        """
        self._edge_sets.sort()

    def node_tree(self, mask: np.ndarray) -> tuple[np.ndarray, cKDTree]:
        """Return the nodes where ``mask`` holds and their k-d tree (built once per mask)."""
        key = mask_key(mask)
        if key not in self._access:
            nodes = np.flatnonzero(mask)
            self._access[key] = (nodes, cKDTree(self.xy[nodes].reshape(-1, 2)))
        return self._access[key]

    def adjacency(self, active: np.ndarray) -> sp.csr_matrix:
        """Return the CSR matrix of the ``active`` edges (see :func:`csr`), built once per mask.

        The edges are sorted by ``(tail, head)`` once per network
        (:class:`~ctz.checks.commute.adjacency.EdgeSets`); networks that differ only
        in their minutes (:meth:`reweighted`) share that sort and each edge set's
        placements; the matrix itself is kept per network. Treat it as read-only.
        """
        key = mask_key(active)
        if key not in self._adjacency:
            minutes = np.maximum(self.minutes, TINY_MINUTES)
            self._adjacency[key] = self.edge_pattern(active).matrix(minutes)
        return self._adjacency[key]

    def edge_pattern(self, active: np.ndarray) -> EdgePattern:
        """Return where the ``active`` edges land in :meth:`adjacency`'s matrix (kept per mask)."""
        return self._edge_sets.pattern(active)

    def open_nodes(self, item_ids: set[str] | None) -> np.ndarray:
        """Street nodes that a road edge switched on with ``item_ids`` touches."""
        road = self.item_mask(item_ids) & (self.mode == ROAD)
        touched = np.zeros(self.n_nodes, dtype=bool)
        touched[self.tail[road]] = True
        touched[self.head[road]] = True
        return touched & self.street

    def reweighted(self, assumptions: Assumptions) -> Network:
        """Return this network with its edge minutes under other ``assumptions``.

        Only the weights change (one vectorised pass over the edges): road and
        rail minutes by the ratio of the circuity and congestion factors, access
        legs by the speed share, waits by the wait share.

        Raises
        ------
        ValueError
            When the network does not know its terms or its own assumptions.
        """
        if self.terms is None or self.assumptions is None:
            raise ValueError("this network cannot be reweighted: its edge terms are unknown")
        terms, now = self.terms, self.assumptions
        moving = self.minutes - terms.access_min - terms.wait_min
        ratio = circuity_factor(assumptions.circuity, terms.straightness) / circuity_factor(
            now.circuity, terms.straightness
        )
        ratio = ratio * np.where(terms.congested, assumptions.congestion / now.congestion, 1.0)
        minutes = (
            moving * ratio
            + terms.access_min * (now.access_speed_share / assumptions.access_speed_share)
            + terms.wait_min * (assumptions.wait_share / now.wait_share)
        )
        other = replace(self, minutes=minutes, assumptions=assumptions)
        other._edge_sets = self._edge_sets
        return other

    def edges_of(self, item_id: str) -> np.ndarray:
        """Boolean mask of the edges of one item."""
        return self.item == self.item_ids.index(item_id)


def csr(n_nodes: int, tail: np.ndarray, head: np.ndarray, minutes: np.ndarray) -> sp.csr_matrix:
    """Build a CSR adjacency matrix, keeping the fastest of parallel edges.

    Parameters
    ----------
    n_nodes
        Matrix size.
    tail, head, minutes
        Directed edges.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``n_nodes`` square, weights in minutes (zero costs raised to :data:`TINY_MINUTES`).
    """
    return lightest_adjacency(n_nodes, tail, head, np.maximum(minutes, TINY_MINUTES))


def edges(  # noqa: PLR0913  # each term of the edges' minutes named, by keyword
    tail: np.ndarray,
    head: np.ndarray,
    minutes: np.ndarray,
    mode: int,
    item: np.ndarray,
    *,
    congested: np.ndarray | bool = False,
    straightness: np.ndarray | float = np.nan,
    access_min: np.ndarray | float = 0.0,
    wait_min: np.ndarray | float = 0.0,
) -> EdgeGroup:
    """One group of directed edges of a single mode, with the terms of their minutes.

    Returns
    -------
    EdgeGroup
        ``(tail, head, minutes, mode, item, congested, straightness, access_min,
        wait_min)``, the terms broadcast to one value per edge (see :class:`EdgeTerms`).
    """
    n = len(tail)
    return (
        tail,
        head,
        minutes,
        np.full(n, mode),
        item,
        np.broadcast_to(np.asarray(congested, dtype=bool), n),
        np.broadcast_to(np.asarray(straightness, dtype=float), n),
        np.broadcast_to(np.asarray(access_min, dtype=float), n),
        np.broadcast_to(np.asarray(wait_min, dtype=float), n),
    )


def snap_points(xy: np.ndarray, tolerance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Merge points closer than ``tolerance_m`` (transitively).

    Returns
    -------
    label
        Merged node of each point.
    centre
        Mean position of each merged node's points.
    """
    if not len(xy):
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    pairs = cKDTree(xy).query_pairs(tolerance_m, output_type="ndarray")
    graph = sp.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(xy),) * 2)
    n, label = connected_components(graph, directed=False)
    count = np.bincount(label, minlength=n)
    centre = np.column_stack([np.bincount(label, xy[:, k], n) / count for k in range(2)])
    return label, centre

"""The multimodal graph: nodes in metres, directed edges in minutes tagged by mode and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ctz.geo.network.model import lightest_adjacency

ROAD, RIDE, BOARD, ALIGHT, TRANSFER, ENTER, EXIT = range(7)
"""Edge modes: road link; in-vehicle rail; station to line (the wait); line to station;
station to another line (wait plus transfer penalty); street to station; station to street."""

ALWAYS_ON = -1
"""``Network.item`` value of edges that belong to no catalog item (OSM roads, synthetic graphs)."""

TINY_MINUTES = 1e-6
"""Stand-in for zero-cost edges: sparse matrices drop explicit zeros."""


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
    _access: dict[str, tuple[np.ndarray, cKDTree]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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

    def access_nodes(self, towards: Literal["arrive", "depart"]) -> tuple[np.ndarray, cKDTree]:
        """Nodes a point may link to and their k-d tree (built once per direction).

        ``arrive``: street nodes and station arrival sides (reaching a point);
        ``depart``: street nodes and station departure sides (leaving one).
        """
        if towards not in self._access:
            station = self.arrive if towards == "arrive" else self.depart
            nodes = np.flatnonzero(self.street | station)
            self._access[towards] = (nodes, cKDTree(self.xy[nodes]))
        return self._access[towards]

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


def edges(
    tail: np.ndarray, head: np.ndarray, minutes: np.ndarray, mode: int, item: np.ndarray
) -> tuple[np.ndarray, ...]:
    """One group of directed edges of a single mode: ``(tail, head, minutes, mode, item)``."""
    return tail, head, minutes, np.full(len(tail), mode), item


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

"""Shortest travel times from source points on a CSR graph.

Sources (city cores) are virtual nodes appended to the graph, linked to their
nearest network nodes by access links; one compiled Dijkstra per source runs
over the whole graph, the sources side by side on threads — no Python loop per node.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from ctz.checks.commute.adjacency import placed, with_rows
from ctz.checks.commute.dijkstra import KERNEL_MIN_NODES, times_from
from ctz.checks.commute.network import EXIT, ROAD, Network, csr
from ctz.checks.commute.origins import Attachment


@dataclass
class Router:
    """A graph ready for Dijkstra: the active edges plus one virtual node per source.

    Attributes
    ----------
    graph
        CSR matrix of size ``n_nodes + n_sources``.
    n_nodes
        Network nodes; sources are ``n_nodes .. n_nodes + n_sources - 1``.
    n_sources
        Number of sources.
    """

    graph: sp.csr_matrix
    n_nodes: int
    n_sources: int

    @property
    def sources(self) -> np.ndarray:
        """Node indices of the virtual sources."""
        return self.n_nodes + np.arange(self.n_sources)

    def times(self, limit: float = np.inf) -> np.ndarray:
        """Minutes from each source to every network node, shape ``(n_sources, n_nodes)``.

        Nodes beyond ``limit`` minutes or unreachable are ``inf``.
        """
        return times_from(self.graph, self.sources, limit=limit)[:, : self.n_nodes]

    def nearest(self, limit: float = np.inf) -> np.ndarray:
        """Minutes from the nearest source to every network node (one multi-source run)."""
        return dijkstra(self.graph, indices=self.sources, min_only=True, limit=limit)[
            : self.n_nodes
        ]


def source_links(network: Network, access: Attachment) -> tuple[np.ndarray, ...]:
    """Edges from virtual source nodes (numbered after the network's) to their attachments."""
    rows, cols = np.nonzero(np.isfinite(access.minutes))
    return network.n_nodes + rows, access.nodes[rows, cols], access.minutes[rows, cols]


def router(network: Network, active: np.ndarray, access: Attachment) -> Router:
    """Build the :class:`Router` of the ``active`` edges and the sources' access links.

    The network's matrix of the ``active`` edges is built once per run
    (:meth:`~ctz.checks.commute.network.Network.adjacency`); the sources' rows are
    appended to it.
    """
    n = network.n_nodes + len(access.nodes)
    links = csr(n, *source_links(network, access))
    graph = with_rows(network.adjacency(active), links)
    return Router(graph, network.n_nodes, len(access.nodes))


def rail_times(network: Network, active: np.ndarray, access: Attachment) -> np.ndarray:
    """Minutes from each source to every node over paths that ride rail at least once.

    Runs on a two-layer copy of the graph: layer 0 holds every active edge but
    the station exits, which lead into layer 1, where only roads continue.
    A street node's time is its layer-1 time; a station arrival side's is its own.
    Its blocks are the network's matrices of the edge sets (the road one the
    road-only router already built), placed side by side.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_sources, n_nodes)``; ``inf`` where no rail path exists.
    """
    n, k = network.n_nodes, len(access.nodes)
    size = 2 * n + k
    exits = active & (network.mode == EXIT)
    s_tail, s_head, s_min = source_links(network, access)
    # the blocks share no (tail, head) pair: their sum is one build of all their edges
    graph = (
        placed(network.adjacency(active & ~exits), 0, 0, size)
        + placed(network.adjacency(exits), 0, n, size)
        + placed(network.adjacency(active & (network.mode == ROAD)), n, n, size)
        + csr(size, s_tail + n, s_head, s_min)
    )
    # numba's start-up repays only over a run's many searches, not this lone one on a
    # graph twice the network's size: the kernel runs it when it runs the network's
    lone = n < KERNEL_MIN_NODES
    times = times_from(graph, 2 * n + np.arange(k), workers=1 if lone else None)
    return np.where(network.arrive, times[:, :n], times[:, n : 2 * n])

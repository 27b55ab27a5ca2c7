"""Shortest travel times from source points on a CSR graph.

Sources (city cores) are virtual nodes appended to the graph, linked to their
nearest network nodes by access links; one compiled Dijkstra per source runs
over the whole graph, the sources side by side on threads — no Python loop per node.
Edges added to a graph already searched (an item, a scenario's items) are
searched from where they gain (:func:`improved_times`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ctz.checks.commute.adjacency import with_edges, with_rows
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

    Searches :func:`two_layer_graph`: a street node's time is its layer-1 time; a
    station arrival side's is its own.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_sources, n_nodes)``; ``inf`` where no rail path exists.
    """
    n, k = network.n_nodes, len(access.nodes)
    graph = two_layer_graph(network, active, access)
    # numba's start-up repays only over a run's many searches, not this lone one on a
    # graph twice the network's size: the kernel runs it when it runs the network's
    lone = n < KERNEL_MIN_NODES
    times = times_from(graph, 2 * n + np.arange(k), workers=1 if lone else None)
    return np.where(network.arrive, times[:, :n], times[:, n : 2 * n])


def two_layer_graph(network: Network, active: np.ndarray, access: Attachment) -> sp.csr_matrix:
    """Return the graph whose paths from the sources ride rail before they reach layer 1.

    Layer 0 (nodes ``0 .. n-1``) holds every active edge, the station exits leading
    into layer 1 (``n .. 2n-1``), where only roads continue; the sources
    (``2n ..``) link into layer 0. Its blocks are the matrices the run has built
    already (every active edge, the roads), laid side by side without another
    sort or sparse sum.
    """
    n, k = network.n_nodes, len(access.nodes)
    size = 2 * n + k
    layer_0 = exits_to_layer_1(network, active)
    roads = network.adjacency(active & (network.mode == ROAD))
    s_tail, s_head, s_min = source_links(network, access)
    links = csr(size, s_tail + n, s_head, s_min)  # entries only in the sources' rows
    start = links.indptr[2 * n]
    return sp.csr_matrix(
        (
            np.r_[layer_0.data, roads.data, links.data[start:]],
            np.r_[layer_0.indices, roads.indices + n, links.indices[start:]],
            np.r_[
                layer_0.indptr,
                layer_0.nnz + roads.indptr[1:],
                layer_0.nnz + roads.nnz + links.indptr[2 * n + 1 :] - start,
            ],
        ),
        shape=(size, size),
    )


def exits_to_layer_1(network: Network, active: np.ndarray) -> sp.csr_matrix:
    """Return the rows of the ``active`` edges' matrix with each station exit led into layer 1.

    An exit's column moves from its street node ``j`` to ``n + j`` (and to the end of
    its row, which stays sorted). An exit never shares its two ends with another
    kind of edge (it alone leads from a station's arrival side to a street), so the
    matrix's entries are each an exit or not.

    Returns
    -------
    scipy.sparse.csr_matrix
        Shape ``(n_nodes, 2 * n_nodes)``.

    Raises
    ------
    ValueError
        When an exit shares its ends with an edge of another kind.
    """
    n = network.n_nodes
    graph = network.adjacency(active)
    pattern = network.edge_pattern(active)
    exit_edge = (network.mode[pattern.order] == EXIT).astype(np.int8)
    exit_entry = np.maximum.reduceat(exit_edge, pattern.first) if len(exit_edge) else exit_edge
    if len(exit_edge) and (np.minimum.reduceat(exit_edge, pattern.first) != exit_entry).any():
        raise ValueError("a station exit shares its ends with an edge of another kind")
    row = np.repeat(np.arange(n), np.diff(graph.indptr))
    order = np.argsort(2 * row + exit_entry, kind="stable")
    indices = np.where(exit_entry == 1, graph.indices + n, graph.indices)[order]
    return sp.csr_matrix((graph.data[order], indices, graph.indptr), shape=(n, 2 * n))


def improved_times(
    network: Network,
    base: sp.csr_matrix,
    extra: np.ndarray,
    today: np.ndarray,
    minutes: float | np.ndarray,
) -> np.ndarray:
    """Node times with the ``extra`` edges added, by Dijkstra bounded by ``minutes``.

    Parameters
    ----------
    network
        The network.
    base
        The baseline's CSR matrix
        (:meth:`~ctz.checks.commute.network.Network.adjacency`).
    extra
        Mask of the edges added.
    today
        Baseline minutes to every node, shape ``(n_nodes,)`` (from the nearest
        core) or ``(n_sources, n_nodes)`` (from each core: one search per row).
    minutes
        No time beyond this matters (``inf``: every time does); one bound for
        every row of ``today``, or one per row. A row's times beyond its bound
        are exact or ``today``'s. Rows with no bound and rows with one are
        searched apart (the first unbounded, the others up to the largest bound).

    Returns
    -------
    numpy.ndarray
        Minutes to every node with the edges added, shaped like ``today``.
    """
    rows = np.atleast_2d(today)
    bound = np.broadcast_to(np.asarray(minutes, dtype=float), (len(rows),))
    # rows without a bound are searched apart from the others, which go up to the largest
    unbounded = np.isinf(bound)
    limit = np.where(unbounded, np.inf, bound[~unbounded].max(initial=0.0))
    tail, head, cost = network.tail[extra], network.head[extra], network.minutes[extra]
    offer = rows[:, tail] + cost
    better = offer < np.minimum(rows[:, head], limit[:, None])
    if not better.any():
        return today
    # Each added edge runs through a node of its own, so no edge doubles a baseline one
    # and the added edges merge into the baseline's matrix without sorting it again;
    # one virtual source per row of ``today`` seeds the heads its offers improve.
    n, k = network.n_nodes, len(tail)
    via = n + np.arange(k)
    sources = n + k + np.arange(len(rows))
    seeded, edge = np.nonzero(better)
    added = csr(  # of a source's seeds at one head, the lightest
        sources[-1] + 1,
        np.r_[tail, via, sources[seeded]],
        np.r_[via, head, head[edge]],
        np.r_[cost, np.zeros(k), offer[seeded, edge]],
    )
    graph = with_edges(base, added)
    # The times to beat: today's, and at each edge's own node its offer. They hold along
    # every edge but those the sources' seeds (or the limit) stand for, so the kernel
    # need expand only the nodes whose times drop (see times_from).
    known = np.full((len(rows), graph.shape[0]), np.inf)
    known[:, :n] = rows
    known[:, via] = offer
    improved = np.array(rows, dtype=float)
    for group in (unbounded, ~unbounded):
        searched = np.unique(seeded[group[seeded]])
        if len(searched):
            found = times_from(
                graph, sources[searched], limit=float(limit[searched[0]]), known=known[searched]
            )
            improved[searched] = found[:, :n]
    return improved.reshape(np.shape(today))

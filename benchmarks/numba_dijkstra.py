"""The threaded numba Dijkstra kernel ctz used until ``bench_dijkstra.py`` measured it.

Kept here, outside the package, so the comparison with
``scipy.sparse.csgraph.dijkstra`` can be rerun (``pip install numba``). scipy
runs the searches of its ``indices`` one after another and holds the GIL; this
kernel is compiled by numba without the GIL, so each source's search runs on a
thread of its own. Its distances equal scipy's.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import scipy.sparse as sp

UNSEEN = -1
"""Heap position of a node no search has reached yet."""

SETTLED = -2
"""Heap position of a node whose distance is final."""

ARITY = 4
"""Children per heap node: a 4-ary heap sifts down in half the levels of a binary one."""


@numba.njit(nogil=True, cache=True)
def _search(indptr, indices, weights, source, limit):
    """Minutes from ``source`` to every node, ``inf`` beyond ``limit`` or unreachable.

    An indexed ``ARITY``-ary heap with decrease-key: ``heap`` holds the reached,
    unsettled nodes ordered by ``dist``, and ``where`` each node's slot in it (or
    :data:`UNSEEN` / :data:`SETTLED`). The sifts are written out in the loop
    rather than called: as separate compiled functions they cost a third more time.
    """
    n = len(indptr) - 1
    dist = np.full(n, np.inf)
    where = np.full(n, UNSEEN, dtype=np.int32)
    heap = np.empty(n, dtype=indices.dtype)
    dist[source] = 0.0
    heap[0] = source
    where[source] = 0
    size = 1
    while size > 0:
        node = heap[0]
        where[node] = SETTLED
        size -= 1
        if size > 0:
            # Sift the last node down from the root.
            moving = heap[size]
            key = dist[moving]
            i = 0
            while True:
                first = ARITY * i + 1
                if first >= size:
                    break
                least, least_key = first, dist[heap[first]]
                for child in range(first + 1, min(first + ARITY, size)):
                    child_key = dist[heap[child]]
                    if child_key < least_key:
                        least, least_key = child, child_key
                if least_key >= key:
                    break
                heap[i] = heap[least]
                where[heap[i]] = i
                i = least
            heap[i] = moving
            where[moving] = i
        reached = dist[node]
        for edge in range(indptr[node], indptr[node + 1]):
            head = indices[edge]
            slot = where[head]
            if slot == SETTLED:
                continue
            offer = reached + weights[edge]
            if offer < dist[head] and offer <= limit:
                dist[head] = offer
                if slot == UNSEEN:
                    slot = size
                    size += 1
                # Sift the improved node up from its slot.
                i = slot
                while i > 0:
                    parent = (i - 1) // ARITY
                    if dist[heap[parent]] <= offer:
                        break
                    heap[i] = heap[parent]
                    where[heap[i]] = i
                    i = parent
                heap[i] = head
                where[head] = i
    return dist


def times_from(
    graph: sp.csr_matrix,
    sources: np.ndarray,
    limit: float = np.inf,
    workers: int | None = None,
) -> np.ndarray:
    """Minutes from each source to every node, the sources' searches run side by side.

    Parameters
    ----------
    graph
        Square CSR matrix of non-negative edge weights (minutes); explicit
        entries are edges, as in :func:`scipy.sparse.csgraph.dijkstra`.
    sources
        Node indices to search from.
    limit
        Nodes farther than this are left at ``inf``, like scipy's ``limit``.
    workers
        Threads to use; by default one per source, at most one per CPU.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(sources), n_nodes)``; ``inf`` where unreachable or beyond ``limit``.

    Raises
    ------
    ValueError
        On a source outside the graph or a negative weight.
    """
    graph = sp.csr_matrix(graph)
    sources = np.atleast_1d(np.asarray(sources, dtype=np.int64))
    n = graph.shape[0]
    if graph.shape != (n, n):
        raise ValueError(f"graph must be square, not {graph.shape}")
    if sources.size and (sources.min() < 0 or sources.max() >= n):
        raise ValueError(f"source outside the graph of {n} nodes: {sources.tolist()}")
    weights = graph.data.astype(np.float64, copy=False)
    if (weights < 0).any():
        raise ValueError("Dijkstra needs non-negative weights")

    def search(source: int) -> np.ndarray:
        return _search(graph.indptr, graph.indices, weights, source, float(limit))

    threads = max(1, min(len(sources), workers or os.cpu_count() or 1))
    with ThreadPoolExecutor(threads) as pool:
        rows = list(pool.map(search, sources))
    return np.stack(rows) if rows else np.empty((0, n))

"""Dijkstra searches from several sources side by side, one thread per source (numba).

``scipy.sparse.csgraph.dijkstra`` runs the searches of its ``indices`` one
after another and holds the GIL. The search below is compiled by numba without
the GIL, so each source's search runs on a thread of its own; its distances
equal scipy's (the tests compare them). Importing this module imports numba
(about 0.15 s, plus 0.25 s to load the compiled kernel, 1 s to compile it on
the first run after installing): :func:`ctz.checks.commute.dijkstra.times_from`
imports it only for graphs large enough to repay that.
"""

from __future__ import annotations

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
def _search(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    source: int,
    limit: float,
    dist: np.ndarray,
) -> np.ndarray:
    """Minutes from ``source`` to every node where they beat ``dist``; ``dist`` elsewhere.

    ``dist`` holds each node's bound on entry and is filled in place. A node is
    reached only when a path brings it under its bound and within ``limit``:
    with every bound ``inf`` this is the plain search. With bounds that hold
    along the edges (the condition is in :func:`~ctz.checks.commute.dijkstra.times_from`),
    a node whose time drops has a fastest path on which every node's time drops,
    so reaching only those nodes finds them all: after edges are added to a
    graph, the search is as small as the change (incremental shortest paths,
    as in Ramalingam and Reps 1996).

    An indexed ``ARITY``-ary heap with decrease-key: ``heap`` holds the reached,
    unsettled nodes ordered by ``dist``, and ``where`` each node's slot in it (or
    :data:`UNSEEN` / :data:`SETTLED`). The sifts are written out in the loop
    rather than called: as separate compiled functions they cost a third more time.
    """
    n = len(indptr) - 1
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


def threaded_times(
    graph: sp.csr_matrix,
    sources: np.ndarray,
    limit: float,
    threads: int,
    known: np.ndarray | None = None,
) -> np.ndarray:
    """Minutes from each source to every node, the sources' searches run on ``threads`` threads.

    Parameters
    ----------
    graph
        Square CSR matrix of non-negative edge weights (checked by the caller);
        explicit entries are edges, as in :func:`scipy.sparse.csgraph.dijkstra`.
    sources
        Node indices (int64) inside the graph.
    limit
        Nodes farther than this are left at ``inf``, like scipy's ``limit``.
    threads
        Threads to run the searches on.
    known
        Shape ``(len(sources), n_nodes)``: times each source's search has to beat
        (see :func:`_search`); ``inf`` everywhere when None.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(sources), n_nodes)``; ``inf`` where unreachable or beyond ``limit``,
        and no more than ``known``.
    """
    weights = graph.data.astype(np.float64, copy=False)
    n = graph.shape[0]

    def search(row: int) -> np.ndarray:
        dist = np.full(n, np.inf) if known is None else np.array(known[row], dtype=np.float64)
        return _search(graph.indptr, graph.indices, weights, sources[row], float(limit), dist)

    with ThreadPoolExecutor(max(1, threads)) as pool:
        rows = list(pool.map(search, range(len(sources))))
    return np.stack(rows) if rows else np.empty((0, n))

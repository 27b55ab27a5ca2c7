"""Shortest travel times from a few sources over a CSR graph (``scipy.sparse.csgraph``).

The per-core searches of the commute check run one after another in
``scipy.sparse.csgraph.dijkstra``. A numba kernel that ran them side by side
on threads was measured against it (``benchmarks/bench_dijkstra.py``, see
docs/commute.md): each search costs the same CPU time in both, the threads
gained at most about a third on two free cores, and numba's import, cache load
and first compile cost as much as that gain on a single ``ctz check commute``
run, so scipy alone is used.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra


def times_from(graph: sp.csr_matrix, sources: npt.ArrayLike, limit: float = np.inf) -> np.ndarray:
    """Minutes from each source to every node.

    Parameters
    ----------
    graph
        Square CSR matrix of non-negative edge weights (minutes); explicit
        entries are edges (a stored zero is a free edge).
    sources
        Node indices to search from.
    limit
        Nodes farther than this are left at ``inf``.

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
    indices = np.atleast_1d(np.asarray(sources, dtype=np.int64))
    n = graph.shape[0]
    if graph.shape != (n, n):
        raise ValueError(f"graph must be square, not {graph.shape}")
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise ValueError(f"source outside the graph of {n} nodes: {indices.tolist()}")
    if (graph.data < 0).any():
        raise ValueError("Dijkstra needs non-negative weights")
    if not indices.size:
        return np.empty((0, n))
    return np.atleast_2d(dijkstra(graph, indices=indices, limit=limit))

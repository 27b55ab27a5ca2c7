"""Shortest travel times from a few sources (the city cores) over a CSR graph.

The commute check searches from each of the three cores six times a run.
``scipy.sparse.csgraph.dijkstra`` runs those searches one after another; the
numba kernel of :mod:`~ctz.checks.commute.dijkstra_kernel` runs them side by
side on threads, at the same CPU cost per search. The kernel pays for importing
numba only on large graphs: ``benchmarks/bench_dijkstra.py`` measured it 24–28 %
faster per ``ctz check commute`` run at 1–3 M nodes and 12 % at 0.3 M (startup
counted, two cores), and a loss on the small graphs of the embedded network.
So scipy runs graphs below :data:`KERNEL_MIN_NODES`, single sources and
single-CPU machines, and numba is imported only when the kernel runs.
Measured again on 2026-12-05: numba's warm start-up (import and kernel load,
0.23 s wall) takes 4 searches at 0.3 M nodes and 2 at 0.6 M to repay, and a
cached run on the synthetic 3× extract, whose only search past the threshold
was the rail search on its two-layer graph (0.29 M nodes), spent a median 0.4 s
more CPU and 0.8 s more wall with the kernel than without (6 paired runs). So the rail search
(:func:`~ctz.checks.commute.paths.rail_times`) takes the kernel only when the
network's own searches do.

The searches that add edges to a graph searched already (an item, or a
scenario's items, on today's network: :func:`~ctz.checks.commute.paths.improved_times`)
pass today's times as ``known``: the kernel then reaches only the nodes the
added edges speed up, where scipy searches the whole graph. On the 360k-node
grid of ``benchmarks/bench_cached.py`` the 14 item searches took 0.08 s instead
of 0.37 s. That moved the threshold down (2026-12-05, 8 paired cached runs
each): on the synthetic 3× extract (0.14 M nodes) the kernel made the run
faster (wall best / median 1.43 / 1.46 s against 1.50 / 1.65 s, CPU even), on
the 1× extract (0.05 M) slower (1.25 / 1.29 s against 1.06 / 1.10 s).
"""

from __future__ import annotations

import os

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

KERNEL_MIN_NODES = 100_000
"""Smallest graph on which the threaded kernel repays numba's startup (see the module notes)."""


def times_from(
    graph: sp.csr_matrix,
    sources: npt.ArrayLike,
    limit: float = np.inf,
    workers: int | None = None,
    known: np.ndarray | None = None,
) -> np.ndarray:
    """Minutes from each source to every node, or the ``known`` time where that is no more.

    Parameters
    ----------
    graph
        Square CSR matrix of non-negative edge weights (minutes); explicit
        entries are edges (a stored zero is a free edge).
    sources
        Node indices to search from.
    limit
        Nodes farther than this are left at ``inf``.
    workers
        Threads for the searches; by default one per source, at most one per CPU.
        With one thread, or a graph under :data:`KERNEL_MIN_NODES` nodes, scipy runs them.
    known
        Shape ``(len(sources), n_nodes)``: times each source's row is no more than
        (``known`` where a node is not reached sooner). On a large graph the kernel
        then reaches only the nodes whose times drop, even on one thread: the search
        is as small as the change. For that to find every such node, ``known`` must
        hold along every edge ``v → w`` (``known[w] <= known[v] + weight``) unless
        the source has an edge to ``w`` no heavier than ``known[v] + weight``, or that
        sum exceeds ``limit``: e.g. times before some edges were added, with the
        source linked to where the added edges beat them
        (:func:`~ctz.checks.commute.paths.improved_times`). scipy searches every node.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(sources), n_nodes)``; ``inf`` where unreachable or beyond ``limit``
        and no more than ``known``.

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
    if known is not None and np.shape(known) != (len(indices), n):
        raise ValueError(f"known must have shape {(len(indices), n)}, not {np.shape(known)}")
    threads = min(len(indices), workers or os.cpu_count() or 1)
    if n < KERNEL_MIN_NODES or (threads < 2 and known is None):
        times = np.atleast_2d(dijkstra(graph, indices=indices, limit=limit))
        return times if known is None else np.minimum(known, times)
    from ctz.checks.commute.dijkstra_kernel import threaded_times

    return threaded_times(graph, indices, limit, threads, known)

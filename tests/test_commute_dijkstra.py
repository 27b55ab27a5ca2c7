"""Travel times from sources: scipy and the threaded kernel, against networkx and known sums."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from ctz.checks.commute import dijkstra_kernel
from ctz.checks.commute.dijkstra import KERNEL_MIN_NODES, times_from
from ctz.checks.commute.dijkstra_kernel import threaded_times

Search = Callable[[sp.csr_matrix, list[int], float], np.ndarray]


def kernel(graph: sp.csr_matrix, sources: list[int], limit: float = np.inf) -> np.ndarray:
    return threaded_times(sp.csr_matrix(graph), np.asarray(sources, dtype=np.int64), limit, 4)


def scipy_path(graph: sp.csr_matrix, sources: list[int], limit: float = np.inf) -> np.ndarray:
    return times_from(graph, sources, limit=limit)  # a small graph: scipy runs it


ENGINES = pytest.mark.parametrize("search", [scipy_path, kernel], ids=["scipy", "kernel"])


def random_graph(seed: int, n: int = 3000, m: int = 9000) -> sp.csr_matrix:
    """A sparse directed graph with a fifth of its nodes cut off (no edges in or out)."""
    rng = np.random.default_rng(seed)
    linked = rng.permutation(n)[: n * 4 // 5]
    tail, head = rng.choice(linked, m), rng.choice(linked, m)
    keep = tail != head
    minutes = rng.exponential(3.0, m)[keep]
    # Duplicate (tail, head) pairs are summed by the constructor, as scipy would see them.
    return sp.csr_matrix((minutes, (tail[keep], head[keep])), shape=(n, n))


@ENGINES
@pytest.mark.parametrize("seed", [1, 2])
def test_equals_networkx_on_random_graphs(search: Search, seed: int) -> None:
    graph = random_graph(seed)
    sources = [0, 17, 17, 2999, 1500]
    ours = search(graph, sources, np.inf)
    assert np.isinf(ours).any()  # the cut-off nodes are there, and unreachable
    coo = graph.tocoo()
    reference = nx.DiGraph()
    reference.add_nodes_from(range(graph.shape[0]))
    edges = zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
    reference.add_weighted_edges_from(edges)
    for row, source in zip(ours, sources, strict=True):
        lengths = nx.single_source_dijkstra_path_length(reference, source)
        expected = np.full(graph.shape[0], np.inf)
        expected[list(lengths)] = list(lengths.values())
        np.testing.assert_allclose(row, expected, rtol=1e-12)


@ENGINES
def test_limit_leaves_far_nodes_at_infinity(search: Search) -> None:
    graph = random_graph(4)
    full = search(graph, [5], np.inf)
    limited = search(graph, [5], 8.0)
    assert np.isfinite(full[full > 8.0]).any()
    assert np.isinf(limited[full > 8.0]).all()
    np.testing.assert_array_equal(limited[full <= 8.0], full[full <= 8.0])


@ENGINES
def test_path_graph_times_are_sums_of_edges(search: Search) -> None:
    # 0 -> 1 -> 2 -> 3 with 1, 2, 4 minutes, and a slower direct 0 -> 3 of 10.
    graph = sp.csr_matrix(([1.0, 2.0, 4.0, 10.0], ([0, 1, 2, 0], [1, 2, 3, 3])), shape=(5, 5))
    np.testing.assert_array_equal(
        search(graph, [0, 2], np.inf), [[0, 1, 3, 7, np.inf], [np.inf, np.inf, 0, 4, np.inf]]
    )


@ENGINES
def test_stored_zero_is_a_free_edge(search: Search) -> None:
    # CSR built from its arrays keeps the 0 -> 1 entry of weight zero.
    graph = sp.csr_matrix(([0.0, 1.0], [1, 2], [0, 1, 2, 2]), shape=(3, 3))
    np.testing.assert_array_equal(search(graph, [0], np.inf), [[0.0, 0.0, 1.0]])


def test_one_thread_and_many_agree() -> None:
    graph = random_graph(5)
    sources = np.arange(0, 3000, 250)
    one = threaded_times(graph, sources, np.inf, 1)
    np.testing.assert_array_equal(one, threaded_times(graph, sources, np.inf, 4))


def with_added_edges(
    seed: int, base: sp.csr_matrix, known: np.ndarray, limit: float
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """``base`` with edges added, a source per row of ``known``, and the times to beat.

    Built as the commute model adds an item (``improved_times``): each added edge
    ``a → b`` runs ``a → via → b``; each row's source links to every ``b`` that
    an added edge, taken from ``a`` at its known time, reaches sooner than known
    and within ``limit``; a ``via`` node's time to beat is that offer. Few ends
    are shared by many added edges, so trips chain several of them.
    """
    rng = np.random.default_rng(seed)
    n, k, rows = base.shape[0], 60, len(known)
    ends = rng.integers(0, n, 25)
    a, b = rng.choice(ends, k), rng.choice(ends, k)
    minutes = rng.exponential(1.0, k)
    via, sources = n + np.arange(k), n + k + np.arange(rows)
    offer = known[:, a] + minutes
    row, edge = np.nonzero(offer < np.minimum(known[:, b], limit))
    coo = base.tocoo()
    tail = np.r_[coo.row, a, via, sources[row]]
    head = np.r_[coo.col, via, b, b[edge]]
    weights = np.r_[coo.data, minutes, np.full(k, 1e-3), offer[row, edge]]
    size = n + k + rows
    to_beat = np.full((rows, size), np.inf)
    to_beat[:, :n] = known
    to_beat[:, via] = offer
    return lightest(size, tail, head, weights), sources, to_beat


def lightest(size: int, tail: np.ndarray, head: np.ndarray, weights: np.ndarray) -> sp.csr_matrix:
    """The CSR matrix of the edges, the lightest of parallel ones kept (a sum would add them)."""
    order = np.lexsort((weights, head, tail))
    tail, head, weights = tail[order], head[order], weights[order]
    first = np.r_[True, (tail[1:] != tail[:-1]) | (head[1:] != head[:-1])]
    return sp.csr_matrix((weights[first], (tail[first], head[first])), shape=(size, size))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("limit", [np.inf, 12.0])
def test_search_that_only_expands_nodes_beating_known_times_equals_a_full_one(
    seed: int, limit: float
) -> None:
    # The law of incremental search after edges are added: seeded where the added
    # edges beat the known times, expanding only the nodes that beat them finds
    # every node a full search makes faster, at the full search's time.
    base = random_graph(seed, n=2000, m=6000)
    cores = np.random.default_rng(seed).integers(0, 2000, 3)
    today = dijkstra(base, indices=cores)
    graph, sources, known = with_added_edges(seed, base, today, limit)
    full = np.minimum(known, dijkstra(graph, indices=sources, limit=limit))
    pruned = threaded_times(graph, sources, limit, 2, known)
    np.testing.assert_allclose(pruned, full, rtol=1e-12)
    assert (pruned[:, :2000] < today).any()  # the added edges do speed trips up
    np.testing.assert_array_equal(times_from(graph, sources, limit=limit, known=known), full)


def test_known_times_of_the_wrong_shape_are_refused() -> None:
    graph = random_graph(3, n=50, m=200)
    with pytest.raises(ValueError, match="known must have shape"):
        times_from(graph, [0, 1], known=np.zeros((1, 50)))


@pytest.mark.parametrize(
    ("sources", "weights", "message"),
    [
        ([7], [1.0], "outside the graph"),
        ([-1], [1.0], "outside the graph"),
        ([0], [-1.0], "non-negative"),
    ],
)
def test_bad_input_is_refused(sources: list[int], weights: list[float], message: str) -> None:
    graph = sp.csr_matrix((weights, ([0], [1])), shape=(3, 3))
    with pytest.raises(ValueError, match=message):
        times_from(graph, sources)


SMALL_GRAPH_RUN = """
import sys
import scipy.sparse as sp
from ctz.checks.commute.dijkstra import times_from
times_from(sp.csr_matrix(([1.0, 2.0], ([0, 1], [1, 2])), shape=(3, 3)), [0, 1, 2])
print("numba" in sys.modules)
"""


def test_small_graphs_do_not_import_numba() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SMALL_GRAPH_RUN], check=True, capture_output=True, text=True
    )
    assert done.stdout.strip() == "False"


def test_large_graph_runs_on_the_kernel_with_scipy_s_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[int] = []

    def spy(*args: Any) -> np.ndarray:  # times_from passes (graph, sources, limit, threads, known)
        ran.append(args[3])
        return threaded_times(*args)

    monkeypatch.setattr(dijkstra_kernel, "threaded_times", spy)
    side = int(np.ceil(np.sqrt(KERNEL_MIN_NODES)))
    n = side * side
    node = np.arange(n)
    right, up = node[node % side < side - 1], node[node < n - side]
    rng = np.random.default_rng(9)
    tail, head = np.r_[right, up, right + 1, up + side], np.r_[right + 1, up + side, right, up]
    graph = sp.csr_matrix((rng.uniform(0.1, 1.0, len(tail)), (tail, head)), shape=(n, n))
    sources = [0, n // 2, n - 1]
    ours = times_from(graph, sources, workers=3)
    assert ran == [3]  # the kernel ran, three sources on three threads
    np.testing.assert_allclose(ours, dijkstra(graph, indices=sources), rtol=1e-12)

"""Travel times from sources: known sums on small graphs, networkx's distances on random ones."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from ctz.checks.commute.dijkstra import times_from


def random_graph(seed: int, n: int = 3000, m: int = 9000) -> sp.csr_matrix:
    """A sparse directed graph with a fifth of its nodes cut off (no edges in or out)."""
    rng = np.random.default_rng(seed)
    linked = rng.permutation(n)[: n * 4 // 5]
    tail, head = rng.choice(linked, m), rng.choice(linked, m)
    keep = tail != head
    minutes = rng.exponential(3.0, m)[keep]
    # Duplicate (tail, head) pairs are summed by the constructor, as scipy would see them.
    return sp.csr_matrix((minutes, (tail[keep], head[keep])), shape=(n, n))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_equals_networkx_on_random_graphs(seed: int) -> None:
    graph = random_graph(seed)
    sources = np.array([0, 17, 17, 2999, 1500])
    ours = times_from(graph, sources)
    assert np.isinf(ours).any()  # the cut-off nodes are there, and unreachable
    coo = graph.tocoo()
    reference = nx.DiGraph()
    reference.add_nodes_from(range(graph.shape[0]))
    edges = zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
    reference.add_weighted_edges_from(edges)
    for row, source in zip(ours, sources.tolist(), strict=True):
        lengths = nx.single_source_dijkstra_path_length(reference, source)
        expected = np.full(graph.shape[0], np.inf)
        expected[list(lengths)] = list(lengths.values())
        np.testing.assert_allclose(row, expected, rtol=1e-12)


def test_limit_leaves_far_nodes_at_infinity_like_scipy() -> None:
    graph = random_graph(4)
    full = times_from(graph, [5])
    limited = times_from(graph, [5], limit=8.0)
    assert np.isfinite(full[full > 8.0]).any()
    assert np.isinf(limited[full > 8.0]).all()
    np.testing.assert_array_equal(limited[full <= 8.0], full[full <= 8.0])


def test_path_graph_times_are_sums_of_edges() -> None:
    # 0 -> 1 -> 2 -> 3 with 1, 2, 4 minutes, and a slower direct 0 -> 3 of 10.
    graph = sp.csr_matrix(([1.0, 2.0, 4.0, 10.0], ([0, 1, 2, 0], [1, 2, 3, 3])), shape=(5, 5))
    np.testing.assert_array_equal(
        times_from(graph, [0, 2]), [[0, 1, 3, 7, np.inf], [np.inf, np.inf, 0, 4, np.inf]]
    )


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


def test_stored_zero_is_a_free_edge() -> None:
    # CSR built from its arrays keeps the 0 -> 1 entry of weight zero.
    graph = sp.csr_matrix(([0.0, 1.0], [1, 2], [0, 1, 2, 2]), shape=(3, 3))
    np.testing.assert_array_equal(times_from(graph, [0]), [[0.0, 0.0, 1.0]])

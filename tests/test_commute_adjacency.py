"""CSR matrices of edge sets: sorted once, weighted again, rows and edges merged.

Each law is checked over seeded random edge sets with parallel edges, loops
and empty rows; a failure names its seed. The reference is a dense matrix
filled by ``np.minimum.at`` (the lightest of parallel edges, absent = inf).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp

from ctz.checks.commute import paths
from ctz.checks.commute.adjacency import placed, with_edges, with_rows
from ctz.checks.commute.dijkstra import times_from
from ctz.checks.commute.network import (
    ALWAYS_ON,
    EXIT,
    RIDE,
    ROAD,
    TINY_MINUTES,
    Assumptions,
    EdgeTerms,
    Network,
    csr,
)
from ctz.checks.commute.origins import Attachment
from ctz.geo.network.adjacency import EdgePattern

SEEDS = range(12)


def random_edges(rng: np.random.Generator, n: int, m: int) -> tuple[np.ndarray, ...]:
    """``m`` directed edges on ``n`` nodes, many of them parallel, weights in (0, 10)."""
    tail = rng.integers(0, n, m)
    head = rng.integers(0, n, m)
    return tail, head, rng.uniform(0.01, 10.0, m)


def dense_lightest(n: int, tail: np.ndarray, head: np.ndarray, weights: np.ndarray) -> np.ndarray:
    dense = np.full((n, n), np.inf)
    np.minimum.at(dense, (tail, head), weights)
    return dense


def as_dense(graph: sp.csr_matrix) -> np.ndarray:
    dense = np.full(graph.shape, np.inf)
    coo = graph.tocoo()
    dense[coo.row, coo.col] = coo.data
    return dense


def same_matrix(a: sp.csr_matrix, b: sp.csr_matrix) -> bool:
    """Entry for entry the same CSR arrays (what Dijkstra reads, in the order it reads them)."""
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data, b.data)
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_pattern_keeps_the_lightest_of_parallel_edges(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 30))
    tail, head, weights = random_edges(rng, n, int(rng.integers(0, 4 * n * n)))
    pattern = EdgePattern.of(n, tail, head)
    for w in (weights, rng.uniform(0.01, 10.0, len(weights))):  # the same sort, new weights
        graph = pattern.matrix(w)
        assert graph.has_sorted_indices
        assert graph.nnz == len({*zip(tail.tolist(), head.tolist(), strict=True)})
        np.testing.assert_array_equal(as_dense(graph), dense_lightest(n, tail, head, w))


@pytest.mark.parametrize("seed", SEEDS)
def test_appended_rows_and_merged_edges_equal_one_build(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(2, 30)), int(rng.integers(1, 5))
    tail, head, weights = random_edges(rng, n, int(rng.integers(0, 3 * n * n)))
    graph = csr(n, tail, head, weights)
    # new nodes' out-edges into the old ones (sources), parallel ones among them
    s_tail, s_head, s_min = n + rng.integers(0, k, 3 * k), rng.integers(0, n, 3 * k), np.ones(3 * k)
    one_build = csr(n + k, np.r_[tail, s_tail], np.r_[head, s_head], np.r_[weights, s_min])
    assert same_matrix(with_rows(graph, csr(n + k, s_tail, s_head, s_min)), one_build)
    # edges into and out of new nodes (an item's edges through nodes of their own)
    via = n + np.arange(k)
    a_tail = np.r_[rng.integers(0, n, k), via]
    a_head = np.r_[via, rng.integers(0, n, k)]
    a_min = rng.uniform(0.0, 5.0, 2 * k)
    added = sp.csr_matrix((np.maximum(a_min, TINY_MINUTES), (a_tail, a_head)), shape=(n + k,) * 2)
    one_build = csr(n + k, np.r_[tail, a_tail], np.r_[head, a_head], np.r_[weights, a_min])
    assert same_matrix(with_edges(graph, added), one_build)


def small_network(rng: np.random.Generator, n: int, m: int) -> Network:
    tail, head, minutes = random_edges(rng, n, m)
    return Network(
        xy=rng.uniform(0, 1000, (n, 2)),
        street=np.ones(n, dtype=bool),
        arrive=np.zeros(n, dtype=bool),
        depart=np.zeros(n, dtype=bool),
        tail=tail,
        head=head,
        minutes=minutes,
        mode=np.full(m, ROAD),
        item=np.where(rng.random(m) < 0.3, 0, ALWAYS_ON),
        item_ids=["planned"],
        terms=EdgeTerms(
            congested=rng.random(m) < 0.5,
            straightness=np.full(m, np.nan),
            access_min=np.zeros(m),
            wait_min=np.zeros(m),
        ),
        assumptions=Assumptions(congestion=1.2, circuity=1.2),
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_network_adjacency_follows_its_minutes(seed: int) -> None:
    rng = np.random.default_rng(seed)
    network = small_network(rng, int(rng.integers(2, 30)), int(rng.integers(1, 200)))
    slow = network.reweighted(Assumptions(congestion=1.6, circuity=1.2))
    for items in (set(), {"planned"}):
        active = network.item_mask(items)
        for net in (network, slow):
            expected = csr(net.n_nodes, net.tail[active], net.head[active], net.minutes[active])
            assert same_matrix(net.adjacency(active), expected)
            assert net.adjacency(active) is net.adjacency(active)  # built once


@pytest.mark.parametrize("seed", SEEDS)
def test_placed_blocks_sum_to_one_build_of_shifted_edges(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 20))
    size = 2 * n + 2
    corners = ((0, 0), (0, n), (n, n))
    edges = [random_edges(rng, n, int(rng.integers(0, 3 * n * n))) for _ in corners]
    total = sp.csr_matrix((size, size))
    for (t, h, w), (r, c) in zip(edges, corners, strict=True):
        total = total + placed(csr(n, t, h, w), r, c, size)
    one_build = csr(
        size,
        np.concatenate([t + r for (t, _, _), (r, _) in zip(edges, corners, strict=True)]),
        np.concatenate([h + c for (_, h, _), (_, c) in zip(edges, corners, strict=True)]),
        np.concatenate([w for _, _, w in edges]),
    )
    assert same_matrix(total, one_build)


def station_network(rng: np.random.Generator, n: int, m: int) -> Network:
    """A network whose every edge from a station's arrival side to a street is its exit."""
    network = small_network(rng, n, m)
    arrive = rng.random(n) < 0.3
    exits = arrive[network.tail] & ~arrive[network.head]
    modes = np.where(exits, EXIT, rng.choice([ROAD, RIDE], m))
    network.arrive[:] = arrive
    network.street[:] = ~arrive
    return replace(network, mode=modes)


@pytest.mark.parametrize("seed", SEEDS)
def test_two_layer_graph_is_one_build_of_its_shifted_edges(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 30))
    network = station_network(rng, n, int(rng.integers(1, 300)))
    active = network.item_mask(set())
    k = int(rng.integers(1, 4))
    access = Attachment(
        rng.integers(0, n, (k, 2)), rng.uniform(0.0, 5.0, (k, 2)), np.zeros((k, 2)), np.zeros(k)
    )
    t, h, w = network.tail, network.head, np.maximum(network.minutes, TINY_MINUTES)
    exit_, road = active & (network.mode == EXIT), active & (network.mode == ROAD)
    layer_0 = active & ~exit_
    s_tail, s_head, s_min = paths.source_links(network, access)
    one_build = csr(
        2 * n + k,
        np.r_[t[layer_0], t[exit_], t[road] + n, s_tail + n],
        np.r_[h[layer_0], h[exit_] + n, h[road] + n, s_head],
        np.r_[w[layer_0], w[exit_], w[road], s_min],
    )
    assert same_matrix(paths.two_layer_graph(network, active, access), one_build)


def test_an_exit_sharing_its_ends_with_another_edge_is_refused() -> None:
    network = station_network(np.random.default_rng(1), 10, 60)
    first = int(np.flatnonzero(network.mode == EXIT)[0])
    twin = replace(
        network,
        tail=np.r_[network.tail, network.tail[first]],
        head=np.r_[network.head, network.head[first]],
        minutes=np.r_[network.minutes, 1.0],
        mode=np.r_[network.mode, ROAD],
        item=np.r_[network.item, ALWAYS_ON],
    )
    with pytest.raises(ValueError, match="exit shares its ends"):
        paths.exits_to_layer_1(twin, np.ones(len(twin.tail), dtype=bool))


@pytest.mark.parametrize("network_nodes_past_threshold", [False, True])
def test_rail_search_takes_the_kernel_only_when_the_networks_do(
    monkeypatch: pytest.MonkeyPatch, *, network_nodes_past_threshold: bool
) -> None:
    network = small_network(np.random.default_rng(3), 40, 300)
    cores = np.array([[0], [7]])
    at_cores = Attachment(cores, np.zeros((2, 1)), np.zeros((2, 1)), np.zeros(2))
    asked: list[int | None] = []

    def spy(graph: sp.csr_matrix, sources: np.ndarray, workers: int | None = None) -> np.ndarray:
        asked.append(workers)
        return times_from(graph, sources)

    # the two-layer graph (2 × 40 + 2 nodes) is past the threshold either way
    threshold = 40 if network_nodes_past_threshold else 41
    monkeypatch.setattr(paths, "KERNEL_MIN_NODES", threshold)
    monkeypatch.setattr(paths, "times_from", spy)
    rail = paths.rail_times(network, np.ones(len(network.tail), dtype=bool), at_cores)
    assert rail.shape == (2, 40)
    assert asked == [None if network_nodes_past_threshold else 1]

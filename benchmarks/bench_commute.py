"""Speed of the commute engine on a seeded metro-like road graph of 300 000 nodes.

Measures side by side, in one run:
- ours: times from 3 cores to every node (``times_from``: on this graph, above
  ``KERNEL_MIN_NODES``, the threaded kernel) plus the population aggregation at
  30/45/60/90 min of each core and the nearest core;
- floor: one multi-source Dijkstra (min_only) over the same CSR graph;
- networkx: single_source_dijkstra_path_length from the same 3 cores, on a
  DiGraph and on a MultiDiGraph (the graph type osmnx returns for road networks);
- marginal: 20 planned items ranked by people newly within 60 min;
and the peak resident memory of the process before the networkx graphs are built.

With ``--runs SOURCE`` (``embedded`` or ``pbf:PATH``, e.g. the 1× extract of
``synthetic_osm.py``) it times instead, on the real pipeline: one whole
commute run (``run_commute``, default options, after a first run that fills
the caches; its wall time and its CPU time, the model's own cost with every
import done), and the sensitivity set alone (the scenario at the optimistic and
the pessimistic corner: reweighted edges, no rebuild). On code without the
sensitivity set (main before issue 17) only the run is timed.

Run: /work/venv/bin/python benchmarks/bench_commute.py [--runs SOURCE]
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

from ctz.checks.commute.coverage import shares
from ctz.checks.commute.dijkstra import times_from
from ctz.checks.commute.network import ROAD, Network, csr
from ctz.checks.commute.origins import Attachment
from ctz.checks.commute.paths import Router, improved_times, router
from ctz.geo.network.model import locality_order

T = TypeVar("T")

SIDE = 548  # 548 x 548 = 300 304 nodes
SPACING_M = 150.0
SEED = 20231


def metro_graph(rng: np.random.Generator) -> tuple[Network, np.ndarray]:
    """A jittered street grid: local streets, arterials every 8th line, expressways every 60th.

    About 12 % of street links are missing (blocks, rivers); two-way links.
    Population per node falls off from three centres.
    """
    i, j = np.divmod(np.arange(SIDE * SIDE), SIDE)
    xy = np.column_stack([j, i]) * SPACING_M + rng.normal(0, 30, (SIDE * SIDE, 2))
    right = np.flatnonzero(j < SIDE - 1)
    up = np.flatnonzero(i < SIDE - 1)
    tail = np.r_[right, up]
    head = np.r_[right + 1, up + SIDE]
    line = np.r_[i[right], j[up]]
    kmh = np.where(line % 60 == 0, 90.0, np.where(line % 8 == 0, 45.0, 25.0))
    keep = (rng.random(len(tail)) > 0.12) | (kmh > 25)
    tail, head, kmh = tail[keep], head[keep], kmh[keep]
    minutes = np.hypot(*(xy[head] - xy[tail]).T) / (kmh * 1000 / 60)
    # 20 planned items: fast diagonal links of 8-15 km.
    n_items = 20
    a = rng.integers(0, SIDE * SIDE, n_items)
    b = np.clip(a + rng.integers(40, 80, n_items) * (SIDE + 1), 0, SIDE * SIDE - 1)
    item_minutes = np.hypot(*(xy[b] - xy[a]).T) / (100 * 1000 / 60)
    item = np.r_[np.full(2 * len(tail), -1), np.arange(n_items), np.arange(n_items)]
    network = Network(
        xy=xy,
        street=np.ones(len(xy), bool),
        arrive=np.zeros(len(xy), bool),
        depart=np.zeros(len(xy), bool),
        tail=np.r_[tail, head, a, b],
        head=np.r_[head, tail, b, a],
        minutes=np.r_[minutes, minutes, item_minutes, item_minutes],
        mode=np.zeros(2 * len(tail) + 2 * n_items, np.int8) + ROAD,
        item=item.astype(np.int32),
        item_ids=[f"item{k}" for k in range(n_items)],
    )
    centres = np.array([[0.3, 0.6], [0.6, 0.35], [0.45, 0.25]]) * SIDE * SPACING_M
    d = np.min(np.linalg.norm(xy[:, None, :] - centres[None], axis=2), axis=1)
    population = rng.poisson(400 * np.exp(-d / 8000.0) + 5).astype(float)
    return network, population


def engine_run(ready: Router, population: np.ndarray) -> tuple[np.ndarray, list[dict[int, float]]]:
    """The engine's own path on a built router: one Dijkstra per core, then the shares."""
    times = ready.times()
    return times, [shares(row, population) for row in (*times, times.min(axis=0))]


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of ``runs`` calls and the last result."""
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    best = min(seconds)
    return best, result


def best_cpu_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """Best CPU time (user + system of this process) of ``runs`` calls and the last result."""
    seconds = []
    for _ in range(runs):
        start = time.process_time()
        result = work()
        seconds.append(time.process_time() - start)
    return min(seconds), result


def main() -> None:
    rng = np.random.default_rng(SEED)
    network, population = metro_graph(rng)
    base = network.item < 0
    cores = np.array(
        [
            int(0.6 * SIDE) * SIDE + int(0.3 * SIDE),
            int(0.35 * SIDE) * SIDE + int(0.6 * SIDE),
            int(0.25 * SIDE) * SIDE + int(0.45 * SIDE),
        ]
    )
    graph = csr(network.n_nodes, network.tail[base], network.head[base], network.minutes[base])
    print(f"graph: {network.n_nodes:,} nodes, {graph.nnz:,} directed edges")

    zeros = np.zeros((len(cores), 1))
    at_cores = Attachment(cores[:, None], zeros, zeros, np.zeros(len(cores)))
    # a fresh copy each time: a network keeps its matrices once built
    build, ready = best_of(3, lambda: router(replace(network), base, at_cores))
    ours, (times, _) = best_of(3, lambda: engine_run(ready, population))
    single, _ = best_of(3, lambda: dijkstra(graph, indices=cores[:1]))
    floor, nearest = best_of(3, lambda: dijkstra(graph, indices=cores, min_only=True))
    assert np.allclose(times.min(axis=0), nearest, atol=1e-3)  # access links cost TINY_MINUTES

    def rank() -> list[int]:
        today = nearest
        covered = today <= 60
        edges = network.adjacency(base)
        gains = []
        for k in range(len(network.item_ids)):
            improved = improved_times(network, edges, network.item == k, today, 60.0)
            gains.append(int(population[(improved <= 60) & ~covered].sum()))
        return gains

    marginal, gains = best_of(1, rank)
    check_k = int(np.argmax(gains))
    full = dijkstra(
        csr(
            network.n_nodes,
            *(
                a[base | (network.item == check_k)]
                for a in (network.tail, network.head, network.minutes)
            ),
        ),
        indices=cores,
        min_only=True,
    )
    assert gains[check_k] == int(population[(full <= 60) & ~(nearest <= 60)].sum())

    # OSM node ids follow editing history, not geography: shuffle them, then renumber
    # the way the road network builder does for --source osm|pbf.
    n = network.n_nodes
    shuffle = rng.permutation(n)
    s_tail, s_head = shuffle[network.tail[base]], shuffle[network.head[base]]
    s_minutes = network.minutes[base]
    osm_like = csr(n, s_tail, s_head, s_minutes)
    order = locality_order(n, s_tail, s_head)
    position = np.empty_like(order)
    position[order] = np.arange(n)
    renumbered = csr(n, position[s_tail], position[s_head], s_minutes)
    shuffled_run, _ = best_of(3, lambda: times_from(osm_like, shuffle[cores]))
    renumbered_run, _ = best_of(3, lambda: times_from(renumbered, position[shuffle[cores]]))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before networkx

    coo = graph.tocoo()
    edges = list(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True))
    nx_graph, nx_multi = nx.DiGraph(), nx.MultiDiGraph()
    nx_graph.add_weighted_edges_from(edges)
    nx_multi.add_weighted_edges_from(edges)
    networkx, nx_times = best_of(
        3, lambda: [nx.single_source_dijkstra_path_length(nx_graph, int(c)) for c in cores]
    )
    networkx_multi, _ = best_of(
        3, lambda: [nx.single_source_dijkstra_path_length(nx_multi, int(c)) for c in cores]
    )
    sample = rng.integers(0, network.n_nodes, 1000)
    assert np.allclose([nx_times[0].get(int(s), np.inf) for s in sample], times[0, sample])

    print(f"{'measure':<48} {'seconds':>8}  target")
    print(f"{'ours: 3 cores to all nodes + aggregation':<48} {ours:8.3f}  <= 0.5")
    print(f"{'  (building the CSR router, once per network)':<48} {build:8.3f}")
    print(f"{'  (one single-source search)':<48} {single:8.3f}")
    label = "floor: one multi-source Dijkstra (min_only)"
    print(f"{label:<48} {floor:8.3f}  ours/floor = {ours / floor:.2f} (<= 3)")
    label = "networkx single_source_dijkstra_path_length x3"
    print(f"{label:<48} {networkx:8.3f}  networkx/ours = {networkx / ours:.1f} (>= 25)")
    label = "  same on a MultiDiGraph (as osmnx returns)"
    print(f"{label:<48} {networkx_multi:8.3f}  networkx/ours = {networkx_multi / ours:.1f}")
    print(f"{'3 cores on an OSM-like (shuffled) node order':<48} {shuffled_run:8.3f}")
    print(f"{'  the same renumbered by locality (RoadNetwork)':<48} {renumbered_run:8.3f}")
    print(f"{'marginal: 20 planned items':<48} {marginal:8.3f}  <= 5")
    label = "peak memory of the engine (before the networkx graphs)"
    print(f"{label}: {peak_mb:,.0f} MB (<= 1536); best item adds {max(gains):,.0f} people")


def runs_main(source_name: str) -> None:
    """Time one commute run and the sensitivity set on a source (see the module docstring)."""
    import ctz
    from ctz.catalog import load_catalog
    from ctz.checks.commute.options import CommuteOptions
    from ctz.checks.commute.run import prepare_run, run_commute, run_scenario
    from ctz.checks.commute.scenario import load_scenario

    catalog = load_catalog()
    source = ctz.open_source(source_name, catalog=catalog)
    run_commute(catalog, source, CommuteOptions())  # fills the network and feed caches
    one, result = best_of(3, lambda: run_commute(catalog, source, CommuteOptions()))
    cpu, _ = best_cpu_of(5, lambda: run_commute(catalog, source, CommuteOptions()))
    print(f"source {source_name}: {len(result.grid):,} cells")
    print(f"{'one commute run (run_commute, default options)':<52} {one:8.2f} s")
    print(f"{'  its CPU time, best of 5 (the model in a warm process)':<52} {cpu:8.2f} s")
    try:
        from ctz.checks.commute.sensitivity import corner_measurements
    except ImportError:
        print("sensitivity set: not in this code")
        return
    prepared = prepare_run(catalog, source, CommuteOptions())
    scenario = run_scenario(prepared, load_scenario(CommuteOptions().scenario))
    corners, _ = best_of(3, lambda: corner_measurements(scenario.study, scenario.chosen))
    print(f"{'sensitivity set (two corners, reweighted)':<52} {corners:8.2f} s")
    goal = result.goal
    print(f"goal {goal.verdict}: {goal.rule}: {goal.value} ({goal.low}–{goal.high})")


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--runs":
        runs_main(sys.argv[2])
    else:
        main()

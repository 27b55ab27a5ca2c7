"""Rank planned items by the people each brings within the goal time when added alone.

Adding an item only lowers travel times, and only where a path through one of
its edges beats today's time. So instead of rerunning every core for every
item, each item gets one Dijkstra from a virtual source whose links start at
the heads of its improving edges with today's time already on them, cut off at
the goal time: ``new = min(today, that run)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ctz.checks.commute.coverage import GOAL_MINUTES, Study
from ctz.checks.commute.dijkstra import times_from
from ctz.checks.commute.network import TINY_MINUTES, Network, csr
from ctz.checks.commute.paths import router


@dataclass(frozen=True)
class Gain:
    """What one item adds on its own to the baseline."""

    item_id: str
    people: int
    share: float


def marginal_gains(
    study: Study, baseline: set[str], candidates: set[str], minutes: float = GOAL_MINUTES
) -> list[Gain]:
    """People newly within ``minutes`` of their nearest core for each candidate item alone.

    Parameters
    ----------
    study
        Network, cores and populated cells.
    baseline
        Items built today.
    candidates
        Items to try one at a time on top of the baseline.
    minutes
        The goal time.

    Returns
    -------
    list of Gain
        Largest gain first.
    """
    network = study.network
    base_active = network.item_mask(baseline)
    today = router(network, base_active, study.core_out).nearest()
    population = study.population
    covered = study.cell_in.times(today) <= minutes
    total = population.sum()
    base = base_edges(network, base_active)
    gains = []
    for item_id in sorted(candidates - baseline):
        improved = improved_times(network, base, network.edges_of(item_id), today, minutes)
        newly = (study.cell_in.times(improved) <= minutes) & ~covered
        people = int(population[newly].sum())
        gains.append(Gain(item_id, people, people / total if total else 0.0))
    return sorted(gains, key=lambda g: (-g.people, g.item_id))


def base_edges(network: Network, base: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the baseline's edges (tail, head, minutes), parallel ones reduced to the fastest."""
    graph = csr(network.n_nodes, network.tail[base], network.head[base], network.minutes[base])
    coo = graph.tocoo()
    return coo.row, coo.col, coo.data


def improved_times(
    network: Network,
    base: tuple[np.ndarray, ...],
    extra: np.ndarray,
    today: np.ndarray,
    minutes: float,
) -> np.ndarray:
    """Node times with the ``extra`` edges added, by one Dijkstra bounded by ``minutes``.

    Parameters
    ----------
    network
        The network.
    base
        The baseline's edges from :func:`base_edges`.
    extra
        Mask of the edges added.
    today
        Baseline minutes to every node, shape ``(n_nodes,)`` (from the nearest
        core) or ``(n_sources, n_nodes)`` (from each core: one search per row).
    minutes
        No time beyond this matters (``inf``: every time does).

    Returns
    -------
    numpy.ndarray
        Minutes to every node with the edges added, shaped like ``today``.
    """
    rows = np.atleast_2d(today)
    tail, head, cost = network.tail[extra], network.head[extra], network.minutes[extra]
    offer = rows[:, tail] + cost
    better = offer < np.minimum(rows[:, head], minutes)
    if not better.any():
        return today
    # Each added edge runs through a node of its own, so no edge doubles a baseline one
    # and the sparse matrix needs no de-duplication; one virtual source per row of
    # ``today`` seeds the heads its offers improve.
    n, k = network.n_nodes, len(tail)
    via = n + np.arange(k)
    sources = n + k + np.arange(len(rows))
    seeded, edge = np.nonzero(better)
    # A sparse matrix sums repeated entries: keep one seed per (source, head), the lowest.
    order = np.lexsort((offer[seeded, edge], head[edge], seeded))
    seeded, edge = seeded[order], edge[order]
    first = np.r_[True, (seeded[1:] != seeded[:-1]) | (head[edge][1:] != head[edge][:-1])]
    seeded, edge = seeded[first], edge[first]
    b_tail, b_head, b_cost = base
    graph = sp.csr_matrix(
        (
            np.maximum(np.r_[b_cost, cost, np.zeros(k), offer[seeded, edge]], TINY_MINUTES),
            (
                np.r_[b_tail, tail, via, sources[seeded]],
                np.r_[b_head, via, head, head[edge]],
            ),
        ),
        shape=(sources[-1] + 1,) * 2,
    )
    via_item = times_from(graph, sources, limit=minutes)[:, :n]
    return np.minimum(today, via_item.reshape(np.shape(today)))

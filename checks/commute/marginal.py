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

from ctz.checks.commute.adjacency import with_edges
from ctz.checks.commute.coverage import GOAL_MINUTES, Study
from ctz.checks.commute.dijkstra import times_from
from ctz.checks.commute.network import TINY_MINUTES, Network
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
    base = network.adjacency(base_active)
    gains = []
    for item_id in sorted(candidates - baseline):
        improved = improved_times(network, base, network.edges_of(item_id), today, minutes)
        newly = (study.cell_in.times(improved) <= minutes) & ~covered
        people = int(population[newly].sum())
        gains.append(Gain(item_id, people, people / total if total else 0.0))
    return sorted(gains, key=lambda g: (-g.people, g.item_id))


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
    # A sparse matrix sums repeated entries: keep one seed per (source, head), the lowest.
    order = np.lexsort((offer[seeded, edge], head[edge], seeded))
    seeded, edge = seeded[order], edge[order]
    first = np.r_[True, (seeded[1:] != seeded[:-1]) | (head[edge][1:] != head[edge][:-1])]
    seeded, edge = seeded[first], edge[first]
    added = sp.csr_matrix(
        (
            np.maximum(np.r_[cost, np.zeros(k), offer[seeded, edge]], TINY_MINUTES),
            (np.r_[tail, via, sources[seeded]], np.r_[via, head, head[edge]]),
        ),
        shape=(sources[-1] + 1,) * 2,
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

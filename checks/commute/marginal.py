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
from scipy.sparse.csgraph import dijkstra

from ctz.checks.commute.coverage import GOAL_MINUTES, Study
from ctz.checks.commute.network import Network, csr
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
    gains = []
    for item_id in sorted(candidates - baseline):
        improved = _improved_times(network, base_active, network.edges_of(item_id), today, minutes)
        newly = (study.cell_in.times(improved) <= minutes) & ~covered
        people = int(population[newly].sum())
        gains.append(Gain(item_id, people, people / total if total else 0.0))
    return sorted(gains, key=lambda g: (-g.people, g.item_id))


def _improved_times(
    network: Network, base: np.ndarray, extra: np.ndarray, today: np.ndarray, minutes: float
) -> np.ndarray:
    """Node times with ``extra`` edges added, by one bounded Dijkstra from their improving heads."""
    offer = today[network.tail[extra]] + network.minutes[extra]
    better = offer < np.minimum(today[network.head[extra]], minutes)
    if not better.any():
        return today
    active = base | extra
    n = network.n_nodes
    graph = csr(
        n + 1,
        np.r_[network.tail[active], np.full(better.sum(), n)],
        np.r_[network.head[active], network.head[extra][better]],
        np.r_[network.minutes[active], offer[better]],
    )
    via_item = dijkstra(graph, indices=n, limit=minutes)[:n]
    return np.minimum(today, via_item)

"""Rank planned items by the people each brings within the goal time when added alone.

Adding an item only lowers travel times, and only where a path through one of
its edges beats today's time. So instead of rerunning every core for every
item, each item gets one Dijkstra from a virtual source whose links start at
the heads of its improving edges with today's time already on them, cut off at
the goal time: ``new = min(today, that run)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctz.checks.commute.coverage import GOAL_MINUTES, Study
from ctz.checks.commute.paths import improved_times


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
    today = study.core_times(base_active).min(axis=0)
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

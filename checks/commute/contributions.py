"""What each item a scenario switches on contributes, and why an item contributes nothing.

Each item is added alone to the items open today, on the scenario's network:
one Dijkstra from the heads of the item's edges that beat today's times from
the nearest core (:func:`~ctz.checks.commute.paths.improved_times`,
unbounded), and one per core bounded by that core's slowest pair today (no
trip past it can make a pair faster), so both the people newly within 60
minutes of their nearest core and the minutes saved between cores are exact.
An item that changes nothing gets the reason:

* **not connected** — no edge of it starts at a node a core reaches today: its
  ends join no road or station of today's network;
* **slower than what exists** — reachable, but no trip through it beats today's
  route (it runs beside or around roads and lines as fast or faster);
* **outside the 60-minute reach** — it speeds trips up, but brings nobody
  across the 60-minute line: the places it serves are within 60 minutes
  already, or stay beyond it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ctz.checks.commute.coverage import GOAL_MINUTES, Measurement, Study
from ctz.checks.commute.network import BOARD, ROAD, Network
from ctz.checks.commute.paths import improved_times

ADDS_PEOPLE = "adds people"
"""Verdict: the item brings people within the goal time of their nearest core."""

SPEEDS_UP_PAIR = "speeds up a core pair"
"""Verdict: nobody new within the goal time, but a trip between cores gets faster."""

NOT_CONNECTED = "not connected"
"""Verdict: nothing the item touches can be reached from a core today."""

SLOWER = "slower than what exists"
"""Verdict: no trip through the item beats today's route."""

OUTSIDE_REACH = "outside the 60-minute reach"
"""Verdict: faster trips, but nobody crosses the goal time."""

MIN_SAVING_MIN = 0.5
"""A core pair counts as sped up when it saves at least this many minutes."""

_UNEXPLAINED = ("", "")
"""Verdict and reason :func:`explain` is handed for an item that speeds nothing up, until
:func:`item_contributions` looks for why (only then: the look compares every edge)."""

CONTRIBUTION_COLUMNS: tuple[str, ...] = (
    "item_id",
    "name_zh",
    "people_newly_within_60",
    "share",
    "minutes_saved",
    "pair",
    "verdict",
    "reason",
)
"""Columns of :func:`item_contributions`' frame."""


@dataclass(frozen=True)
class Effect:
    """Travel times before and after a change, at cells and between cores."""

    cells_before: np.ndarray
    cells_after: np.ndarray
    pairs_before: np.ndarray
    pairs_after: np.ndarray

    @classmethod
    def of(cls, before: Measurement, after: Measurement) -> Effect:
        """Take the cells' nearest-core minutes and the best core-pair minutes of two runs."""
        return cls(before.nearest, after.nearest, before.best, after.best)


def item_contributions(
    study: Study,
    baseline: set[str],
    candidates: set[str],
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Each candidate item alone on top of the baseline: what it adds, or why nothing.

    Parameters
    ----------
    study
        The scenario's network, cores and cells.
    baseline
        Items open today.
    candidates
        Items the scenario switches on; those already in ``baseline`` are skipped.
    names
        Chinese name of every item id.

    Returns
    -------
    pandas.DataFrame
        :data:`CONTRIBUTION_COLUMNS`, one row per item: most people first, then
        most minutes saved.
    """
    network = study.network
    active = network.item_mask(baseline)
    per_core = study.core_times(active)
    nearest = per_core.min(axis=0)
    cells_today = study.cell_in.times(nearest)
    pairs_today = _pairs(study, per_core)
    # a core's pairs only get faster where the item beats its slowest pair today
    bounds = np.r_[np.inf, pairs_today.max(axis=1)]
    base = network.adjacency(active)
    rows = []
    for item_id in sorted(candidates - baseline):
        extra = network.edges_of(item_id) if item_id in network.item_ids else np.zeros(0, bool)
        # one merge of the item's edges for both: the nearest core's row, then each core's
        both = improved_times(network, base, extra, np.vstack([nearest, per_core]), bounds)
        effect = Effect(
            cells_today, study.cell_in.times(both[0]), pairs_today, _pairs(study, both[1:])
        )
        verdict, reason = explain(study, effect, _UNEXPLAINED)
        if (verdict, reason) == _UNEXPLAINED:  # it speeds nothing up: look for why
            verdict, reason = _idle(network, extra, active, per_core, names or {})
        rows.append(_row(study, item_id, (names or {}).get(item_id, ""), effect, verdict, reason))
    frame = pd.DataFrame(rows, columns=list(CONTRIBUTION_COLUMNS))
    return frame.sort_values(
        ["people_newly_within_60", "minutes_saved", "item_id"], ascending=[False, False, True]
    ).reset_index(drop=True)


def change_contribution(study: Study, label: str, effect: Effect) -> pd.DataFrame:
    """One row of :data:`CONTRIBUTION_COLUMNS` for a change measured by two full runs."""
    verdict, reason = explain(study, effect, (SLOWER, "it makes no trip faster"))
    return pd.DataFrame([_row(study, label, "", effect, verdict, reason)])


def explain(study: Study, effect: Effect, idle: tuple[str, str]) -> tuple[str, str]:
    """Return the verdict and a plain sentence for one effect.

    Parameters
    ----------
    study
        For the cells' population and the cores' names.
    effect
        Times before and after.
    idle
        Verdict and sentence for when no cell and no core pair gets faster at all.
    """
    people = study.population
    goal = GOAL_MINUTES
    newly = (effect.cells_after <= goal) & ~(effect.cells_before <= goal)
    saved, pair = _best_saving(study, effect)
    crossing = f"{int(people[newly].sum()):,} people newly within {goal} minutes of a core"
    faster_pair = (
        f"makes {pair} reachable" if np.isinf(saved) else f"makes {pair} {saved:.0f} min faster"
    )
    if newly.any():
        extra = f" and {faster_pair}" if saved >= MIN_SAVING_MIN else ""
        return ADDS_PEOPLE, f"brings {crossing}{extra}"
    if saved >= MIN_SAVING_MIN:
        return SPEEDS_UP_PAIR, f"brings nobody new within {goal} minutes but {faster_pair}"
    faster = effect.cells_after < effect.cells_before - 1e-6
    if not faster.any():
        return idle
    within = int(people[faster & (effect.cells_before <= goal)].sum())
    beyond = int(people[faster & ~(effect.cells_after <= goal)].sum())
    return OUTSIDE_REACH, (
        f"speeds up trips for {within + beyond:,} people but brings none across {goal} "
        f"minutes: {within:,} were within {goal} minutes already, {beyond:,} stay beyond"
    )


def _idle(
    network: Network,
    extra: np.ndarray,
    active: np.ndarray,
    per_core: np.ndarray,
    names: dict[str, str],
) -> tuple[str, str]:
    """Verdict and reason for an item that speeds nothing up: unreachable, or never faster.

    When every edge of the item joins the same two nodes as an edge open today
    that is as fast, the reason names those roads or lines: the sketch runs
    along them, and the model has no congestion a parallel road could relieve.
    """
    tails = network.tail[extra]
    modes = network.mode[extra]
    if (modes != ROAD).any() and not (modes == BOARD).any():
        return NOT_CONNECTED, (
            "its trains stop nowhere: the catalog places no station on its sketch "
            "(high-speed lines stop only at station anchors)"
        )
    if not len(tails) or not np.isfinite(per_core[:, tails]).any():
        return NOT_CONNECTED, (
            "no edge of it starts where a core reaches today: its ends join no road or "
            "station of today's network"
        )
    key = network.tail * network.n_nodes + network.head
    new = np.flatnonzero(extra)
    same = np.flatnonzero(active & np.isin(key, key[new]))
    fastest = pd.Series(network.minutes[same]).groupby(key[same]).min()
    matched = fastest.reindex(key[new]).to_numpy()
    if len(same) and np.all(matched <= network.minutes[new] + 1e-9):
        owners = sorted({network.item_ids[i] for i in network.item[same] if i >= 0})
        along = ", ".join(names.get(o) or o for o in owners) or "roads open today"
        return SLOWER, (
            f"its sketch runs along {along} at no better speed, and the model has no "
            "congestion that a parallel road could relieve"
        )
    return SLOWER, (
        "every trip through it is slower than today's route: it runs beside or around "
        "roads and lines that are as fast or faster"
    )


def _pairs(study: Study, node_times: np.ndarray) -> np.ndarray:
    pairs = study.core_in.times(node_times)
    np.fill_diagonal(pairs, 0.0)
    return pairs


def _best_saving(study: Study, effect: Effect) -> tuple[float, str]:
    """Return the largest saving on a pair of cores (minutes, ``from–to``); 0 and '' if none.

    A pair that only becomes reachable saves ``inf``.
    """
    reachable_now = np.where(np.isfinite(effect.pairs_after), np.inf, 0.0)
    gain = np.where(
        np.isfinite(effect.pairs_before),
        effect.pairs_before - effect.pairs_after,
        reachable_now,
    )
    gain = np.triu(gain, k=1)  # pairs as the result lists them: from a core to a later one
    i, j = np.unravel_index(np.argmax(gain), gain.shape)
    if gain[i, j] <= 0:
        return 0.0, ""
    return float(gain[i, j]), f"{study.cores[i].name_zh}–{study.cores[j].name_zh}"


def _row(
    study: Study, item_id: str, name: str, effect: Effect, verdict: str, reason: str
) -> dict[str, object]:
    people = study.population
    newly = (effect.cells_after <= GOAL_MINUTES) & ~(effect.cells_before <= GOAL_MINUTES)
    total = people.sum()
    saved, pair = _best_saving(study, effect)
    return {
        "item_id": item_id,
        "name_zh": name,
        "people_newly_within_60": int(people[newly].sum()),
        "share": float(people[newly].sum() / total) if total else 0.0,
        "minutes_saved": saved if np.isfinite(saved) else np.nan,
        "pair": pair,
        "verdict": verdict,
        "reason": reason,
    }

"""Which catalog items a scenario switches on: the baseline, a target year, or everything."""

from __future__ import annotations

import pandas as pd

from ctz.base import InputError

BASELINE = "existing"
"""The scenario every other is compared with: items open today."""


def scenario_items(items: pd.DataFrame, scenario: str) -> tuple[set[str], set[str]]:
    """Split network items into the baseline and a scenario's set.

    Parameters
    ----------
    items
        Layer rows with ``item_id``, ``status`` (layer statuses) and ``target_year``.
    scenario
        ``existing`` (today), ``all`` (every item, whatever its year) or a year
        such as ``2025`` (today plus items under construction or planned with a
        target year up to it).

    Returns
    -------
    baseline, scenario
        Item ids switched on in each.

    Raises
    ------
    InputError
        When ``scenario`` is not one of those, or a year adds no items.
    """
    status = items["status"].to_numpy()
    ids = items["item_id"].to_numpy()
    baseline = set(ids[status == "existing"])
    if scenario == BASELINE:
        return baseline, set(baseline)
    if scenario == "all":
        return baseline, set(ids)
    if not scenario.isdigit():
        raise InputError(f"unknown scenario '{scenario}': use existing, all or a year such as 2025")
    year = int(scenario)
    due = items["target_year"].fillna(10_000).to_numpy(dtype=int) <= year
    added = set(ids[(status != "existing") & due])
    if not added:
        raise InputError(
            f"scenario {year}: no planned road or rail item has a target year ≤ {year}"
        )
    return baseline, baseline | added

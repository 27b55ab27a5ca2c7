"""What changed state between two OSM extracts: items opened, started, extended, km per kind."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ctz.checks.progress import ABSENT, OUTSIDE_DATA, ProgressResult
from ctz.geo.item_tags import OPEN

EXTENDED_KM = 0.5
"""An item open in both extracts was extended when its open length grew by more than this."""

CHANGE_COLUMNS = [
    "item_id",
    "name_zh",
    "kind",
    "before",
    "after",
    "change",
    "km_opened",
    "km_started",
    "opening_date",
]
"""Columns of :attr:`ProgressResult.changes`."""


def compare_progress(after: ProgressResult, before: ProgressResult) -> ProgressResult:
    """Set ``after`` (the newer extract) against ``before`` (an older one) item by item.

    An item *opened* when it is open now and was not; *started* when it is under
    construction now and was proposed or absent; *extended* when open in both with
    more km open now; any other move between known states is *changed*.  Items
    outside either extract's data are left out (their change is unknown).

    Parameters
    ----------
    after, before
        Progress measured on the newer and the older extract of the same catalog.

    Returns
    -------
    ProgressResult
        ``after`` with :attr:`~ProgressResult.changes` (one row per item that
        changed) and :attr:`~ProgressResult.changes_by_kind` (items and km opened and
        started per kind).
    """
    joined = after.items.merge(
        before.items[["item_id", "osm_state", "km_open", "km_construction"]],
        on="item_id",
        suffixes=("", "_before"),
    )
    known = (joined["osm_state"] != OUTSIDE_DATA) & (joined["osm_state_before"] != OUTSIDE_DATA)
    joined = joined[known].copy()
    now, then = joined["osm_state"], joined["osm_state_before"]
    km_opened = (joined["km_open"] - joined["km_open_before"]).clip(lower=0)
    km_started = (joined["km_construction"] - joined["km_construction_before"]).clip(lower=0)
    opened = (now == OPEN) & (then != OPEN)
    started = (now == "construction") & then.isin(["proposed", ABSENT])
    extended = (now == OPEN) & (then == OPEN) & (km_opened > EXTENDED_KM)
    changed = (now != then) & ~opened & ~started
    change = pd.Series("", index=joined.index)
    change[changed] = "changed"
    change[extended] = "extended"
    change[started] = "started"
    change[opened] = "opened"
    joined["change"], joined["km_opened"], joined["km_started"] = change, km_opened, km_started
    joined = joined.rename(columns={"osm_state_before": "before", "osm_state": "after"})
    changes = joined.loc[change != "", CHANGE_COLUMNS].reset_index(drop=True)
    changes[["km_opened", "km_started"]] = changes[["km_opened", "km_started"]].round(2)
    by_kind = {
        str(kind): {
            "opened": int((group["change"] == "opened").sum()),
            "started": int((group["change"] == "started").sum()),
            "extended": int((group["change"] == "extended").sum()),
            "km_opened": round(float(group["km_opened"].sum()), 1),
            "km_started": round(float(group["km_started"].sum()), 1),
        }
        for kind, group in changes.groupby("kind", sort=True)
    }
    return replace(
        after, changes=changes, changes_by_kind=by_kind, compared_data_date=before.data_date
    )

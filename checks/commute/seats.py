"""Drive times from each city core to its county seats, against reference figures.

A check of the road network itself: if the model cannot drive from 五一广场 to
宁乡 in about the time a route planner gives, its coverage figures for 宁乡's
people mean nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyproj import Transformer

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.context import CountySeat
from ctz.catalog.model import Catalog
from ctz.checks.commute.coverage import Study
from ctz.checks.commute.network import ROAD
from ctz.checks.commute.origins import attach
from ctz.checks.commute.paths import router

SEAT_TOLERANCE = 0.25
"""How far (as a share of the reference) a modelled drive time may be off and still agree."""


SEAT_COLUMNS: tuple[str, ...] = (
    "county",
    "name_zh",
    "core",
    "model_min",
    "reference_min",
    "ratio",
    "agrees",
    "route",
    "source",
)
"""Columns of :func:`seat_drive_times`' frame."""


def seat_drive_times(
    study: Study, seats: tuple[CountySeat, ...], catalog: Catalog, items: set[str]
) -> pd.DataFrame:
    """Minutes by road from each seat's city core to the seat, next to its reference.

    Parameters
    ----------
    study
        The study (network, cores, parameters).
    seats
        County seats with their core and reference drive time.
    catalog
        For the seats' anchors.
    items
        Items switched on (usually the baseline: roads open today).

    Returns
    -------
    pandas.DataFrame
        :data:`SEAT_COLUMNS`, one row per seat: ``ratio`` is model / reference,
        ``agrees`` says whether it is within :data:`SEAT_TOLERANCE`; ``model_min``
        is ``inf`` where the seat cannot be reached.
    """
    if not seats:
        return pd.DataFrame(columns=list(SEAT_COLUMNS))
    network = study.network
    roads = network.item_mask(items) & (network.mode == ROAD)
    core_times = router(network, roads, study.core_out).times()
    to_metric = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
    x, y = to_metric.transform(
        [catalog.anchors[s.anchor].lon for s in seats],
        [catalog.anchors[s.anchor].lat for s in seats],
    )
    at_seats = attach(network, np.column_stack([x, y]).reshape(-1, 2), study.params)
    minutes = at_seats.times(core_times)
    core_row = {core.id: k for k, core in enumerate(study.cores)}
    model = np.array([minutes[core_row[s.core], k] for k, s in enumerate(seats)])
    reference = np.array([s.reference_min for s in seats])
    ratio = model / reference
    return pd.DataFrame(
        {
            "county": [s.county for s in seats],
            "name_zh": [s.name_zh for s in seats],
            "core": [s.core for s in seats],
            "model_min": model,
            "reference_min": reference,
            "ratio": ratio,
            "agrees": np.abs(ratio - 1.0) <= SEAT_TOLERANCE,
            "route": [s.route for s in seats],
            "source": [s.source for s in seats],
        }
    )

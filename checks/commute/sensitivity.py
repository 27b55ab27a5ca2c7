"""How sure the figures are: the model's uncertain assumptions at their two corners.

Four assumptions are uncertain (:mod:`~ctz.checks.commute.params`): the peak
congestion factor in the central districts (:data:`CONGESTION_RANGE`), the
circuity of straight sketches (:data:`CIRCUITY_RANGE`), the access speeds
(:data:`ACCESS_SPEED_RANGE`) and the wait model (:data:`WAIT_SHARE_RANGE`).
Every edge and access link gets slower as each of them moves from its low end
to its high end, and no edge gets faster; shortest times are therefore
smallest with all four at their optimistic end and largest with all four at
their pessimistic end. So each figure's range over the whole box of
assumptions is the pair of figures at these two corners — two more runs, on
the same network with new edge weights
(:meth:`~ctz.checks.commute.coverage.Study.reweighted`), never a rebuild.
"""

from __future__ import annotations

from ctz.checks.commute.coverage import Measurement, Study, measure
from ctz.checks.commute.network import Assumptions
from ctz.checks.commute.params import (
    ACCESS_SPEED_RANGE,
    CIRCUITY_RANGE,
    CONGESTION_RANGE,
    WAIT_SHARE_RANGE,
)

OPTIMISTIC = Assumptions(
    congestion=CONGESTION_RANGE[0],
    circuity=CIRCUITY_RANGE[0],
    access_speed_share=ACCESS_SPEED_RANGE[0],
    wait_share=WAIT_SHARE_RANGE[0],
)
"""Every uncertain assumption at its fast end."""

PESSIMISTIC = Assumptions(
    congestion=CONGESTION_RANGE[1],
    circuity=CIRCUITY_RANGE[1],
    access_speed_share=ACCESS_SPEED_RANGE[1],
    wait_share=WAIT_SHARE_RANGE[1],
)
"""Every uncertain assumption at its slow end."""


def corner_measurements(study: Study, items: set[str]) -> tuple[Measurement, Measurement]:
    """Travel times with ``items`` built at the optimistic and at the pessimistic corner.

    Parameters
    ----------
    study
        A study whose network knows its edge terms (any network the builders make).
    items
        Items switched on.

    Returns
    -------
    tuple of Measurement
        Optimistic, pessimistic (core-to-cell and core-to-core times only).
    """
    return (
        measure(study.reweighted(OPTIMISTIC), items, modes=False),
        measure(study.reweighted(PESSIMISTIC), items, modes=False),
    )

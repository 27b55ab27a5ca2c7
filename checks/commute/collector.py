"""Python's cycle collector paused while a commute run works.

A run allocates many short-lived objects (frames, geometries, arrays) and makes
no reference cycles worth collecting, yet each allocation burst triggers the
collector, whose full passes walk every object of the process (numpy, pandas,
geopandas and their modules): about 0.05 s of a cached ``check commute`` run
on the synthetic extracts, for no memory returned (peak resident memory the
same either way). The collector is paused for the run and restored after.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(work: Callable[P, R]) -> Callable[P, R]:
    """Wrap ``work`` so that the cycle collector is off while it runs, as it was after.

    Parameters
    ----------
    work
        The function to run.

    Returns
    -------
    callable
        ``work`` with the same signature; an error from it propagates, the
        collector restored.
    """

    @functools.wraps(work)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return work(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return paused

"""Several scenarios side by side: core-to-core minutes and coverage shares, today first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ctz.base import InputError
from ctz.catalog.model import Catalog
from ctz.checks.commute.coverage import THRESHOLDS, Measurement, shares
from ctz.checks.commute.options import CommuteOptions
from ctz.checks.commute.result import NEAREST
from ctz.checks.commute.run import prepare_run, run_scenario
from ctz.checks.commute.scenario import BASELINE, load_scenario
from ctz.checks.population import RasterPeople
from ctz.geo.source import GeometrySource


@dataclass
class ScenarioComparison:
    """Scenarios side by side, one column per scenario (``existing`` first).

    Attributes
    ----------
    scenarios
        Their names, in column order.
    core_pairs
        Best-mode minutes between cores: columns ``from``, ``to`` and one per
        scenario (NaN where unreachable).
    coverage
        Population shares (0–1) within each of 30/45/60/90 minutes: columns
        ``origin`` (``nearest`` or a core id), ``minutes`` and one per scenario.
    """

    scenarios: list[str]
    core_pairs: pd.DataFrame
    coverage: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Return both tables as JSON-ready records (minutes to 0.1, shares to 4 decimals)."""
        pairs = self.core_pairs.round(1).astype(object)
        cover = self.coverage.round(4).astype(object)
        return {
            "scenarios": self.scenarios,
            "core_to_core_minutes": pairs.where(pairs.notna(), None).to_dict(orient="records"),
            "coverage": cover.where(cover.notna(), None).to_dict(orient="records"),
        }


def compare_scenarios(
    catalog: Catalog,
    source: GeometrySource,
    scenarios: Sequence[str | Path],
    options: CommuteOptions | None = None,
    people: RasterPeople | None = None,
) -> ScenarioComparison:
    """Measure each scenario on one prepared run and set them side by side with today.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        Geometry source (as in :func:`~ctz.checks.commute.run.run_commute`).
    scenarios
        Built-in names or scenario files; ``existing`` is always the first column.
    options
        Grid, congestion, access, feeds and window (its ``scenario`` is ignored).
    people
        A population raster's people, or None for the census spread.

    Returns
    -------
    ScenarioComparison

    Raises
    ------
    InputError
        When a scenario is unknown or its file is bad, or two scenarios share a name.
    """
    loaded = [load_scenario(s) for s in scenarios]
    names = [BASELINE, *[s.name for s in loaded if s.name != BASELINE]]
    if len(set(names)) < len(names):
        doubled = next(n for n in names if names.count(n) > 1)
        raise InputError(f"two scenarios are named '{doubled}': give them distinct names")
    prepared = prepare_run(catalog, source, options or CommuteOptions(), people)
    measured = {BASELINE: prepared.before}
    measured |= {s.name: run_scenario(prepared, s).after for s in loaded if s.name != BASELINE}
    study = prepared.study
    pairs = [
        {"from": a.id, "to": b.id} | {name: _finite(m.best[i, j]) for name, m in measured.items()}
        for i, a in enumerate(study.cores)
        for j, b in enumerate(study.cores)
        if i < j
    ]
    origins = {NEAREST: None} | {core.id: k for k, core in enumerate(study.cores)}
    coverage = [
        {"origin": origin, "minutes": t}
        | {name: _shares(m, k, study.population)[t] for name, m in measured.items()}
        for origin, k in origins.items()
        for t in THRESHOLDS
    ]
    return ScenarioComparison(
        scenarios=names,
        core_pairs=pd.DataFrame(pairs, columns=["from", "to", *names]),
        coverage=pd.DataFrame(coverage, columns=["origin", "minutes", *names]),
    )


def _shares(measurement: Measurement, core: int | None, population: np.ndarray) -> dict[int, float]:
    minutes = measurement.nearest if core is None else measurement.cell_minutes[core]
    return shares(minutes, population)


def _finite(value: float) -> float:
    return float(value) if np.isfinite(value) else np.nan

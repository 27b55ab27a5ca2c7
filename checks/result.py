"""The result every goal check returns: measured value, target, verdict and evidence."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.base import STORAGE_CRS, InputError
from ctz.catalog.model import Goal
from ctz.checks.data_coverage import DataCoverage

VERDICTS: tuple[str, ...] = ("met", "not_met", "unknown")
"""``met`` and ``not_met`` are measured; ``unknown`` carries the reason it could not be."""

EVIDENCE_COLUMNS: tuple[str, ...] = ("goal_id", "role", "label", "value", "unit", "geometry")
"""Columns of :attr:`GoalResult.evidence`: what each geometry shows (``gap``, ``piece``,
``uncovered``, ``zone`` …), a label for popups, and its size."""


def evidence_frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """Assemble evidence rows (keys :data:`EVIDENCE_COLUMNS`) into a frame in EPSG:4326."""
    return gpd.GeoDataFrame(
        rows, columns=list(EVIDENCE_COLUMNS), geometry="geometry", crs=STORAGE_CRS
    )


@dataclass
class GoalResult:
    """One plan goal, measured.

    Attributes
    ----------
    goal_id, name_zh, name_en, kind
        The catalog goal.
    measured
        The value found, in ``unit``; None when it could not be measured.
    target
        The plan's target value, in ``unit``.
    unit
        Unit of ``measured`` and ``target`` (``km``, ``km2``, ``%``, …).
    verdict
        One of :data:`VERDICTS`.
    summary
        One line for people, e.g. ``"7 links: 41.3 km found of 50 km target; 2 gaps"``.
    reason
        Why the verdict is ``unknown`` (empty otherwise).
    plans
        The clauses that set the goal, e.g. ``"001 §5"``.
    details
        Per-item or per-class rows (JSON-ready dicts).
    evidence
        Geometries behind the verdict (:data:`EVIDENCE_COLUMNS`), EPSG:4326.
    """

    goal_id: str
    name_zh: str
    name_en: str
    kind: str
    measured: float | None
    target: float | None
    unit: str
    verdict: str
    summary: str
    reason: str = ""
    plans: str = ""
    details: list[dict[str, Any]] = field(default_factory=list)
    evidence: gpd.GeoDataFrame = field(default_factory=lambda: evidence_frame([]))

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} is not one of {VERDICTS}")

    @classmethod
    def for_goal(cls, goal: Goal, **values: Any) -> GoalResult:
        """Build a result carrying the goal's ids, names, target and citations.

        Parameters
        ----------
        goal
            The catalog goal.
        **values
            The remaining fields (``measured``, ``verdict``, ``summary`` …);
            ``target`` and ``unit`` default to the goal's.
        """
        values.setdefault("target", goal.target_value)
        values.setdefault("unit", goal.target_unit)
        return cls(
            goal_id=goal.id,
            name_zh=goal.name_zh,
            name_en=goal.name_en,
            kind=goal.kind,
            plans="; ".join(map(str, goal.plans)),
            **values,
        )

    @classmethod
    def unknown(cls, goal: Goal, reason: str, **values: Any) -> GoalResult:
        """Build an ``unknown`` result that says why the goal could not be measured."""
        values.setdefault("measured", None)
        return cls.for_goal(goal, verdict="unknown", summary=reason, reason=reason, **values)

    def to_dict(self, *, with_geometry: bool = False) -> dict[str, Any]:
        """Return the result as JSON-ready data.

        Parameters
        ----------
        with_geometry
            Include each evidence geometry as GeoJSON; otherwise only its
            role, label, size and a representative lon/lat (None for an empty geometry).
        """
        geometries = self.evidence.geometry.to_numpy()
        points = shapely.point_on_surface(geometries)
        empty = shapely.is_empty(points) | shapely.is_missing(points)
        lon = np.where(empty, np.nan, shapely.get_x(np.where(empty, None, points)))
        lat = np.where(empty, np.nan, shapely.get_y(np.where(empty, None, points)))
        evidence = [
            {
                "role": row.role,
                "label": row.label,
                "value": _plain(row.value),
                "unit": row.unit,
                "lon": None if np.isnan(x) else round(float(x), 5),
                "lat": None if np.isnan(y) else round(float(y), 5),
                **({"geometry": shapely.geometry.mapping(row.geometry)} if with_geometry else {}),
            }
            for row, x, y in zip(self.evidence.itertuples(), lon, lat, strict=True)
        ]
        return {
            "goal_id": self.goal_id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "kind": self.kind,
            "measured": _plain(self.measured),
            "target": _plain(self.target),
            "unit": self.unit,
            "verdict": self.verdict,
            "summary": self.summary,
            "reason": self.reason,
            "plans": self.plans,
            "details": self.details,
            "evidence": evidence,
        }


def meets(goal: Goal, value: float, target: float | None = None, tolerance: float = 0.0) -> bool:
    """Return whether ``value`` meets the goal's target in the goal's direction.

    Parameters
    ----------
    goal
        The catalog goal; its ``direction`` is ``at_least`` or ``at_most``.
    value
        The measured value, in the target's unit.
    target
        The target to compare with; the goal's own when None.
    tolerance
        Relative slack for rounded plan figures (0.05: within 5 % of the target).

    Raises
    ------
    InputError
        When the goal has no direction or no target.
    """
    target = goal.target_value if target is None else target
    if target is None:
        raise InputError(f"goal {goal.id} has no numeric target")
    if goal.direction == "at_least":
        return value >= target * (1 - tolerance)
    if goal.direction == "at_most":
        return value <= target * (1 + tolerance)
    raise InputError(f"goal {goal.id} has no direction (at_least or at_most)")


STRICT_EXIT_CODES: dict[str, int] = {"met": 0, "not_met": 1, "unknown": 3}
"""Exit code of a ``--strict`` run by its worst verdict: a goal not met (1) outranks a goal
that could only be ``unknown`` (3); every goal met is 0. Code 2 is kept for bad input."""


def strict_exit_code(verdicts: Iterable[str]) -> int:
    """Return the exit code a scheduled (``--strict``) run should end with.

    Parameters
    ----------
    verdicts
        The verdict of every goal reported.

    Returns
    -------
    int
        1 when any goal is ``not_met``; else 3 when any is ``unknown``; else 0.
    """
    found = set(verdicts)
    for verdict in ("not_met", "unknown"):
        if verdict in found:
            return STRICT_EXIT_CODES[verdict]
    return STRICT_EXIT_CODES["met"]


@dataclass
class Report:
    """The goals one check measured and what data the figures rest on.

    Attributes
    ----------
    source
        The geometry source spec (``embedded``, ``osm``, ``pbf:PATH``).
    results
        One result per goal, in catalog order.
    coverage
        The data coverage: share of the study area, items matched, warnings.
    """

    source: str
    results: list[GoalResult]
    coverage: DataCoverage

    def to_frame(self) -> pd.DataFrame:
        """Return one row per goal: ``goal_id, name_zh, value, target, unit, verdict, reason``."""
        return pd.DataFrame(
            {
                "goal_id": [r.goal_id for r in self.results],
                "name_zh": [r.name_zh for r in self.results],
                "value": pd.array([r.measured for r in self.results], dtype="Float64"),
                "target": pd.array([r.target for r in self.results], dtype="Float64"),
                "unit": [r.unit for r in self.results],
                "verdict": [r.verdict for r in self.results],
                "reason": [r.reason for r in self.results],
            }
        )

    @property
    def verdicts(self) -> dict[str, int]:
        """How many goals have each verdict."""
        return {v: sum(r.verdict == v for r in self.results) for v in VERDICTS}

    @property
    def evidence(self) -> gpd.GeoDataFrame:
        """Every goal's evidence geometries in one frame (:data:`EVIDENCE_COLUMNS`, EPSG:4326)."""
        frames = [r.evidence for r in self.results if len(r.evidence)]
        if not frames:
            return evidence_frame([])
        joined = pd.concat(frames, ignore_index=True)
        return gpd.GeoDataFrame(joined, geometry="geometry", crs=STORAGE_CRS)

    def exit_code(self, *, strict: bool) -> int:
        """Exit code for the command line: 0 unless ``strict`` (see :func:`strict_exit_code`)."""
        return strict_exit_code(r.verdict for r in self.results) if strict else 0

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data: source, verdict counts, coverage and goals."""
        return {
            "source": self.source,
            "verdicts": self.verdicts,
            "data_coverage": self.coverage.to_dict(),
            "goals": [r.to_dict() for r in self.results],
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Return :meth:`to_dict` as a JSON string (UTF-8 text, Chinese kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def _repr_html_(self) -> str:
        """Show the goals in a notebook: a compact table, verdict first."""
        from ctz.checks.notebook import report_html

        return report_html(self)


def _plain(value: Any) -> Any:
    if value is None:
        return None
    return round(float(value), 3)

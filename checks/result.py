"""The result every goal check returns: measured value, target, verdict and evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import shapely

from ctz.base import STORAGE_CRS
from ctz.catalog.model import Goal

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

    def to_dict(self, with_geometry: bool = False) -> dict[str, Any]:
        """Return the result as JSON-ready data.

        Parameters
        ----------
        with_geometry
            Include each evidence geometry as GeoJSON; otherwise only its
            role, label, size and a representative lon/lat.
        """
        points = shapely.point_on_surface(self.evidence.geometry.to_numpy())
        evidence = [
            {
                "role": row.role,
                "label": row.label,
                "value": _plain(row.value),
                "unit": row.unit,
                "lon": round(float(shapely.get_x(point)), 5),
                "lat": round(float(shapely.get_y(point)), 5),
                **({"geometry": shapely.geometry.mapping(row.geometry)} if with_geometry else {}),
            }
            for row, point in zip(self.evidence.itertuples(), points, strict=True)
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


def _plain(value: Any) -> Any:
    if value is None:
        return None
    return round(float(value), 3)

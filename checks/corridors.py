"""Corridor goals: length found against the plan's target, and gaps (断头路) in each named road."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import LINE_KINDS, Catalog, Goal, Item
from ctz.checks.context import CheckContext
from ctz.checks.continuity import Continuity, continuity
from ctz.checks.data_coverage import SKETCH_SOURCE
from ctz.checks.result import GoalResult, evidence_frame, meets

LENGTH_TOLERANCE = 0.05
"""Plans round their totals ("共50公里"): a package within 5 % of its length target meets it."""


def check_corridor_goal(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure a corridor package: length found, gaps per road, items not in OSM.

    Parameters
    ----------
    goal
        A ``corridor_package`` goal whose items are roads or rail lines.
    ctx
        Catalog and geometry source.

    Returns
    -------
    GoalResult
        ``measured`` is the length found in km; ``met`` needs every item found
        in OSM without gaps and the length within :data:`LENGTH_TOLERANCE` of
        the target. Only sketches → ``unknown``.
    """
    rows = ctx.goal_rows(goal, LINE_KINDS)
    if rows.empty:
        return GoalResult.unknown(
            goal, "the goal lists no road or rail items to measure", unit="km"
        )
    metric = rows.to_crs(METRIC_CRS)
    anchors = _anchor_points(ctx.catalog)
    details: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for row in metric.itertuples():
        item = ctx.catalog.item(row.item_id)
        if row.source == SKETCH_SOURCE:
            details.append(_sketch_detail(item, row.geometry))
            continue
        start, end = _ends(item, row.geometry, anchors)
        found = continuity(row.geometry, start, end)
        details.append(_found_detail(item, found, anchors))
        evidence += _evidence(goal, item, found, anchors)
    return _package_result(goal, details, evidence, ctx.source.name)


def _package_result(
    goal: Goal, details: list[dict[str, Any]], evidence: list[dict[str, Any]], source: str
) -> GoalResult:
    """Sum the items up: km found against a ``km`` target, else whole items against a count."""
    measured = [d for d in details if d["status"] != "not in OSM"]
    missing = len(details) - len(measured)
    frame = evidence_frame(evidence)
    by_length = goal.target_unit == "km"
    unit = "km" if by_length else goal.target_unit
    if not measured:
        sketch = sum(d["sketch_km"] for d in details)
        reason = (
            f"none of the {len(details)} items is in OSM from source '{source}' "
            f"(sketch length {sketch:.1f} km is not a measurement)"
        )
        return GoalResult.unknown(goal, reason, unit=unit, details=details, evidence=frame)
    found_km = sum(d["length_km"] for d in measured)
    gaps = sum(len(d["gaps"]) for d in measured)
    whole = sum(d["status"] == "continuous" for d in measured)
    target = goal.target_value or 0.0
    summary = f"{len(details)} links: {found_km:.1f} km found"
    if by_length and target:
        summary += f" of {target:g} km target"
    elif not by_length:
        summary += f", {whole} whole of {target:g} targeted"
    summary += f"; {gaps} gaps"
    if missing:
        summary += f"; {missing} not in OSM"
    value = found_km if by_length else float(whole)
    enough = meets(goal, value, target, LENGTH_TOLERANCE if by_length else 0.0)
    return GoalResult.for_goal(
        goal,
        measured=value,
        unit=unit,
        verdict="met" if enough and not gaps and not missing else "not_met",
        summary=summary,
        details=details,
        evidence=frame,
    )


def _anchor_points(catalog: Catalog) -> gpd.GeoSeries:
    """Return anchors as metric points indexed by Chinese name; ``attrs['ids']``: id → position."""
    anchors = list(catalog.anchors.values())
    points = shapely.points([a.lon for a in anchors], [a.lat for a in anchors])
    series = gpd.GeoSeries(points, index=[a.name_zh for a in anchors], crs=STORAGE_CRS)
    series = series.to_crs(METRIC_CRS)
    series.attrs["ids"] = {a.id: i for i, a in enumerate(anchors)}
    return series


def _ends(
    item: Item, geometry: shapely.Geometry, anchors: gpd.GeoSeries
) -> tuple[shapely.Point, shapely.Point]:
    """Return the two city-side ends: the from/to anchors, else the bounding-box corners."""
    ids = anchors.attrs["ids"]
    if item.from_anchor in ids and item.to_anchor in ids:
        return anchors.iloc[ids[item.from_anchor]], anchors.iloc[ids[item.to_anchor]]
    west, south, east, north = shapely.bounds(geometry)
    return shapely.Point(west, south), shapely.Point(east, north)


def _nearest_place(point: shapely.Geometry, anchors: gpd.GeoSeries) -> str:
    if not len(anchors):
        return ""
    distance = shapely.distance(anchors.to_numpy(), point)
    nearest = int(np.argmin(distance))
    return f"{distance[nearest] / 1000:.1f} km from {anchors.index[nearest]}"


def _sketch_detail(item: Item, geometry: shapely.Geometry) -> dict[str, Any]:
    return {
        "item_id": item.id,
        "name_zh": item.name_zh,
        "status": "not in OSM",
        "length_km": None,
        "sketch_km": round(geometry.length / 1000, 3),
        "plan_km": item.length_km,
        "pieces": 0,
        "gaps": [],
    }


def _found_detail(item: Item, found: Continuity, anchors: gpd.GeoSeries) -> dict[str, Any]:
    gaps = []
    for gap in found.gaps:
        middle = gap.line.interpolate(0.5, normalized=True)
        left, right = gap.pieces
        gaps.append(
            {
                "length_km": round(gap.length_m / 1000, 3),
                "between": [
                    _piece_label(left, found.pieces[left]),
                    _piece_label(right, found.pieces[right]),
                ],
                "near": _nearest_place(middle, anchors),
            }
        )
    return {
        "item_id": item.id,
        "name_zh": item.name_zh,
        "status": "continuous" if found.continuous else "gaps",
        "length_km": round(found.length_m / 1000, 3),
        "sketch_km": None,
        "plan_km": item.length_km,
        "pieces": len(found.pieces),
        "gaps": gaps,
    }


def _piece_label(index: int, piece: shapely.Geometry) -> str:
    return f"piece {index + 1} ({piece.length / 1000:.1f} km)"


def _evidence(
    goal: Goal, item: Item, found: Continuity, anchors: gpd.GeoSeries
) -> list[dict[str, Any]]:
    rows = [
        {
            "goal_id": goal.id,
            "role": "piece",
            "label": f"{item.name_zh} {_piece_label(i, piece)}",
            "value": piece.length / 1000,
            "unit": "km",
            "geometry": piece,
        }
        for i, piece in enumerate(found.pieces)
    ]
    rows += [
        {
            "goal_id": goal.id,
            "role": "gap",
            "label": (
                f"{item.name_zh} 断头 {gap.length_m / 1000:.2f} km between "
                f"{_piece_label(gap.pieces[0], found.pieces[gap.pieces[0]])} and "
                f"{_piece_label(gap.pieces[1], found.pieces[gap.pieces[1]])}, "
                f"{_nearest_place(gap.line.interpolate(0.5, normalized=True), anchors)}"
            ),
            "value": gap.length_m / 1000,
            "unit": "km",
            "geometry": gap.line,
        }
        for gap in found.gaps
    ]
    if not rows:
        return rows
    metric = gpd.GeoSeries([r["geometry"] for r in rows], crs=METRIC_CRS).to_crs(STORAGE_CRS)
    for row, geometry in zip(rows, metric, strict=True):
        row["geometry"] = geometry
    return rows

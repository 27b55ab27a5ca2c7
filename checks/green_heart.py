"""Green-heart goals (生态绿心地区): zone area, land use inside it, forest share, core greenway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import Goal
from ctz.checks.context import CheckContext
from ctz.checks.corridors import LENGTH_TOLERANCE
from ctz.checks.data_coverage import SKETCH_SOURCE
from ctz.checks.osm_features import crossing_lengths, land_use_areas, named_line_length
from ctz.checks.result import GoalResult, evidence_frame, meets

AREA_TOLERANCE = 0.05
"""An OSM outline within 5 % of the statutory area counts as the whole zone."""

GREENWAY_TAGS: dict[str, list[str]] = {"highway": ["cycleway", "footway", "path", "track"]}
"""OSM ways that may carry a greenway (绿道) name."""

GREEN_HEART_KINDS = frozenset({"green_heart"})
"""Item kinds that can outline the zone."""


@dataclass(frozen=True)
class Zone:
    """The green-heart polygon and where it came from."""

    geometry: BaseGeometry
    item_id: str
    source: str

    @property
    def area_km2(self) -> float:
        """Area in km², measured in the metric CRS."""
        return (
            float(gpd.GeoSeries([self.geometry], crs=STORAGE_CRS).to_crs(METRIC_CRS).area[0]) / 1e6
        )

    @property
    def sketched(self) -> bool:
        """True when the outline is the embedded sketch, not an OSM boundary."""
        return self.source == SKETCH_SOURCE


def green_heart_zone(ctx: CheckContext, goal: Goal | None = None) -> Zone | None:
    """Return the green-heart zone: the largest green-heart polygon of the goal (else catalog).

    An outline resolved from OSM is preferred to a sketch.
    """
    layer = ctx.layer
    rows = ctx.goal_rows(goal) if goal is not None and goal.items else layer
    rows = rows[rows["kind"].isin(GREEN_HEART_KINDS)]
    rows = rows[shapely.get_type_id(rows.geometry.to_numpy()) >= 3]
    if rows.empty:
        return None
    areas = rows.to_crs(METRIC_CRS).area
    rank = pd.DataFrame({"osm": rows["source"] != SKETCH_SOURCE, "area": areas})
    best = rank.sort_values(["osm", "area"], ascending=False).index[0]
    row = rows.loc[best]
    return Zone(row.geometry, row["item_id"], row["source"])


def _zone_evidence(goal: Goal, zone: Zone) -> dict[str, Any]:
    kind = "sketch" if zone.sketched else "OSM boundary"
    return {
        "goal_id": goal.id,
        "role": "zone",
        "label": f"生态绿心地区 ({kind}) {zone.area_km2:.1f} km²",
        "value": zone.area_km2,
        "unit": "km2",
        "geometry": zone.geometry,
    }


def check_green_heart_area(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Compare the zone's area with the statutory figure and describe its land use.

    Returns
    -------
    GoalResult
        ``measured`` is the area of an OSM boundary in km² (``met`` within
        :data:`AREA_TOLERANCE` below the target); a sketch outline gives
        ``unknown`` with its area in the summary. ``details`` holds the land-use
        composition and the roads and rail crossing the zone when the source
        serves OSM features.
    """
    target = goal.target_value
    if target is None:
        return GoalResult.unknown(goal, "the goal gives no target area")
    zone = green_heart_zone(ctx, goal)
    if zone is None:
        return GoalResult.unknown(goal, "no green-heart outline in the catalog", target=target)
    area = zone.area_km2
    details = composition(ctx, zone)
    evidence = evidence_frame([_zone_evidence(goal, zone)])
    compare = f"{area:.1f} km² vs statutory {target:g} km²"
    if zone.sketched:
        reason = f"outline is the embedded sketch, not a surveyed boundary (sketch {compare})"
        return GoalResult.unknown(
            goal, reason, target=target, unit="km2", details=details, evidence=evidence
        )
    verdict = "met" if meets(goal, area, target, AREA_TOLERANCE) else "not_met"
    return GoalResult.for_goal(
        goal,
        measured=area,
        target=target,
        unit="km2",
        verdict=verdict,
        summary=f"OSM boundary {compare}" + _built_up_note(details),
        details=details,
        evidence=evidence,
    )


def composition(ctx: CheckContext, zone: Zone) -> list[dict[str, Any]]:
    """Land-use rows and crossing-line rows for the zone; empty when the source has no features."""
    features = ctx.features
    if features is None:
        return []
    areas = land_use_areas(features, zone.geometry)
    rows: list[dict[str, Any]] = [
        {"class": name, "area_km2": round(a, 3), "share": round(s, 4)}
        for name, a, s in zip(areas.index, areas["area_km2"], areas["share"], strict=True)
    ]
    built = areas.loc[["built_up", "industrial"], "share"].sum()
    rows.append({"class": "built_up_share", "share": round(float(built), 4)})
    lengths = crossing_lengths(features, zone.geometry)
    rows += [{"class": name, "km_inside": round(km, 3)} for name, km in lengths.items()]
    return rows


def _built_up_note(details: list[dict[str, Any]]) -> str:
    share = [d["share"] for d in details if d["class"] == "built_up_share"]
    return f"; built-up {share[0]:.1%}" if share else ""


def check_forest_cover(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Forest share of the green heart from OSM land use against a percentage target.

    The 2023 plan asks only for a "noticeable rise" (明显提升): without a numeric
    target in ``%`` the share is reported and the verdict stays ``unknown``.
    """
    zone = green_heart_zone(ctx, goal)
    if zone is None:
        return GoalResult.unknown(goal, "no green-heart outline in the catalog")
    features = ctx.features
    if features is None:
        return GoalResult.unknown(goal, ctx.no_features_reason())
    share = float(land_use_areas(features, zone.geometry)["share"]["forest"]) * 100
    outline = "sketch outline" if zone.sketched else "OSM boundary"
    found = f"OSM forest covers {share:.1f} % of the green heart ({outline})"
    if goal.target_unit != "%" or goal.target_value is None:
        reason = f"{found}; the plan sets no numeric target to compare (a rise needs a baseline)"
        return GoalResult.unknown(goal, reason, measured=share, unit="%")
    verdict = "met" if meets(goal, share) else "not_met"
    summary = f"{found}; target {goal.target_value:g} %"
    return GoalResult.for_goal(goal, measured=share, verdict=verdict, summary=summary)


def check_greenway(goal: Goal, ctx: CheckContext) -> GoalResult:
    """Core greenway length: the goal's items found in OSM, else OSM ways named 绿道 in the zone.

    ``unknown`` when the source holds no path of any kind in the zone (absent data).
    """
    rows = ctx.goal_rows(goal)
    lines_only = np.isin(shapely.get_type_id(rows.geometry.to_numpy()), (1, 5))
    found = rows[(rows["source"] != SKETCH_SOURCE) & lines_only]
    target = goal.target_value
    if not found.empty:
        km = float(found.to_crs(METRIC_CRS).length.sum()) / 1000
        lines = shapely.union_all(found.geometry.to_numpy())
        where = f"{len(found)} of {len(rows)} catalog greenways found in OSM"
    else:
        zone = green_heart_zone(ctx)
        features = ctx.features
        if zone is None or features is None:
            reason = ctx.no_features_reason() if zone else "no green-heart outline in the catalog"
            return GoalResult.unknown(goal, reason, unit="km")
        paths = features.features(GREENWAY_TAGS, zone.geometry)
        if paths.empty:
            where = f"in the green heart ({zone.area_km2:.0f} km²)"
            reason = ctx.lacks("footway, path, cycleway or track", where)
            return GoalResult.unknown(goal, reason, unit="km")
        km, lines = named_line_length(paths, zone.geometry, "绿道")
        where = "OSM paths named 绿道 inside the green heart"
    summary = f"{km:.1f} km of greenway ({where})" + (f" of {target:g} km target" if target else "")
    met = target is None or meets(goal, km, target, LENGTH_TOLERANCE)
    shown = [] if lines.is_empty else [lines]
    evidence = evidence_frame(
        [
            {
                "goal_id": goal.id,
                "role": "greenway",
                "label": f"绿道 {km:.1f} km",
                "value": km,
                "unit": "km",
                "geometry": geometry,
            }
            for geometry in shown
        ]
    )
    return GoalResult.for_goal(
        goal,
        measured=km,
        unit="km",
        verdict="met" if met else "not_met",
        summary=summary,
        evidence=evidence,
    )

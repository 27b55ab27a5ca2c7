"""Plan progress: each item's dated plan status next to the stage OpenStreetMap shows.

For every catalog item the source resolves, the OSM state is the lifecycle of
its matched elements (:class:`~ctz.geo.lifecycle.Lifecycle`: ``open``,
``construction``, ``proposed``); an item not found is ``absent`` when the
source's data covers its sketch, else ``outside_data`` — never absent for data
that is not there, nor for a theme it lacks (no railway at all).  Flags:
``overdue`` (target year passed, not open) and ``status_outdated`` (OSM shows a
later stage than the plan status).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import SourceError
from ctz.catalog.model import LINE_KINDS, Catalog, Item
from ctz.catalog.text import to_simplified
from ctz.checks.data_coverage import DataCoverage, source_coverage
from ctz.geo.item_tags import OPEN
from ctz.geo.lifecycle import Lifecycle
from ctz.geo.matching import to_metric
from ctz.geo.source import GeometrySource, data_date, serves_osm_data

ABSENT = "absent"
"""OSM state of an item the data covers but does not hold."""
OUTSIDE_DATA = "outside_data"
"""OSM state of an item whose area the data does not cover: unknown, not absent."""
OSM_STATES: tuple[str, ...] = (OPEN, "construction", "proposed", ABSENT, OUTSIDE_DATA)
"""Every OSM state an item may have, most advanced first."""

COVERED_SHARE = 0.5
"""An unmatched item is ``absent`` when at least this share of its sketch lies in the data."""

PLAN_STAGE: dict[str, int] = {
    "study": 0,
    "planned": 0,
    "under_construction": 1,
    "upgrade": 2,
    "existing": 2,
}
"""How far each plan status says an item has come (an upgrade is of something in use)."""
OSM_STAGE: dict[str, int] = {"proposed": 0, "construction": 1, OPEN: 2}
"""How far each OSM lifecycle state shows an item has come."""

WORKS_WORDS: tuple[str, ...] = ("扩容", "扩建", "提质", "改造")
"""Words of an item name saying it is works on a road in use (widening, upgrading)."""
WORKS_NOTE = "works on a road in use: OSM shows the road open, not whether the works are done"
"""Why an upgrade or widening found open has neither flag."""
NO_KIND_NOTE = "the data holds no {} element at all: unknown, not absent"
"""Why an item is outside the data when the data lacks its whole theme (a roads-only extract)."""


@dataclass
class ProgressResult:
    """Plan status against OSM state for every item, with a summary.

    Attributes
    ----------
    items
        One row per item: ``item_id, name_zh, kind, plans, plan_status,
        plan_status_as_of, plan_status_source, osm_state, target_year, overdue,
        status_outdated, km_open, km_construction, km_not_started, osm_ids,
        opening_date, start_date, note, ways`` (each matched way's stage and km).
        Both flags are None (unknown) outside the data, and for works on a road in
        use found open (:func:`is_works_on_road_in_use`).
    layer
        The same rows with each item's geometry, EPSG:4326: its matched elements, or
        its sketch (``sketch`` True) when not found.
    summary
        ``by_state``, ``overdue``, ``status_outdated``, ``by_kind`` (km open / under
        construction / not started) and ``by_plan`` (items in each state, share done).
    as_of
        The date overdue is judged on.
    data_date
        The date of the OSM data when the source says (an extract's header), else None.
    source
        The source's name.
    coverage
        What the data covers of the study area and of the catalog.
    changes
        With a comparison (:func:`~ctz.checks.progress_compare.compare_progress`):
        the items that changed state; None without one.
    changes_by_kind
        Items opened/started and km per kind in the comparison.
    compared_data_date
        The date of the older extract's data, when it says.
    """

    items: pd.DataFrame
    layer: gpd.GeoDataFrame
    summary: dict[str, Any]
    as_of: date
    data_date: str | None
    source: str
    coverage: DataCoverage
    changes: pd.DataFrame | None = None
    changes_by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    compared_data_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data (the ``--json`` shape)."""
        found: dict[str, Any] = {
            "source": self.source,
            "data_date": self.data_date,
            "as_of": self.as_of.isoformat(),
            "items": [_item_json(row) for row in self.items.to_dict("records")],
            "summary": self.summary,
            "data_coverage": self.coverage.to_dict(),
        }
        if self.changes is not None:
            found["comparison"] = {
                "data_date_before": self.compared_data_date,
                "changes": _records(self.changes),
                "by_kind": self.changes_by_kind,
            }
        return found


def measure_progress(
    catalog: Catalog, source: GeometrySource, as_of: date | None = None
) -> ProgressResult:
    """Compare every catalog item's plan status with what ``source``'s OSM data shows.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        An OSM source (``osm`` or ``pbf``).
    as_of
        The date overdue is judged on; today when None.

    Returns
    -------
    ProgressResult

    Raises
    ------
    SourceError
        When the source holds no OpenStreetMap data (``embedded``).
    """
    features = source if serves_osm_data(source) else None
    if features is None:
        raise SourceError(
            f"progress compares the plans with OpenStreetMap: source '{source.name}' holds "
            "none (use --source pbf:FILE or osm)"
        )
    as_of = as_of or date.today()
    items = list(catalog.items.values())
    resolution = source.resolve(items)
    layer = resolution.layer
    covered = _covered_area(features.extent(), getattr(source, "region", None))
    shares = _shares_inside(layer.geometry.to_numpy(), covered)
    sketch_km = shapely.length(to_metric(list(layer.geometry))) / 1000
    present = resolution.kinds_present
    held = np.array([present is None or item.kind in present for item in items])
    rows = [
        _item_progress(
            item, resolution.lifecycle.get(item.id), share, km, as_of, kind_held=kind_held
        )
        for item, share, km, kind_held in zip(items, shares * held, sketch_km, held, strict=True)
    ]
    frame = pd.DataFrame(rows)
    progress_layer = gpd.GeoDataFrame(
        frame.drop(columns=["plans", "ways"]).assign(
            sketch=~layer["item_id"].isin(resolution.matched)
        ),
        geometry=layer.geometry.to_numpy(),
        crs=layer.crs,
    )
    return ProgressResult(
        items=frame,
        layer=progress_layer,
        summary=summarise(frame),
        as_of=as_of,
        data_date=_iso(data_date(source)),
        source=source.name,
        coverage=source_coverage(source, layer),
    )


def summarise(items: pd.DataFrame) -> dict[str, Any]:
    """Count states and flags, and sum km by kind and items by plan.

    Parameters
    ----------
    items
        :attr:`ProgressResult.items`.

    Returns
    -------
    dict
        ``by_state`` (items per OSM state), ``overdue`` and ``status_outdated`` (item
        ids), ``by_kind`` (items and km open / under construction / not started per
        kind, a way several items share counted once) and ``by_plan`` (items per
        state and the share done — open — of the items whose state is known, per
        plan document).
    """
    states = items["osm_state"].value_counts()
    by_kind = {}
    for kind, group in items.groupby("kind", sort=True):
        ways = _ways_once(group["ways"])
        absent_km = group.loc[group["osm_state"] == ABSENT, "km_not_started"].sum()
        by_kind[str(kind)] = {
            "items": len(group),
            "km_open": round(ways.get(OPEN, 0.0), 1),
            "km_construction": round(ways.get("construction", 0.0), 1),
            "km_not_started": round(ways.get("proposed", 0.0) + float(absent_km), 1),
            **{s: int((group["osm_state"] == s).sum()) for s in OSM_STATES},
        }
    plans = items.explode("plans")
    by_plan = {}
    for plan, group in plans.groupby("plans", sort=True):
        unique = group.drop_duplicates("item_id")
        known = int((unique["osm_state"] != OUTSIDE_DATA).sum())
        done = int((unique["osm_state"] == OPEN).sum())
        by_plan[str(plan)] = {
            "items": len(unique),
            **{s: int((unique["osm_state"] == s).sum()) for s in OSM_STATES},
            "share_done": round(done / known, 3) if known else None,
        }
    return {
        "items": len(items),
        "by_state": {s: int(states.get(s, 0)) for s in OSM_STATES},
        "overdue": items.loc[items["overdue"] == True, "item_id"].tolist(),  # noqa: E712
        "status_outdated": items.loc[items["status_outdated"] == True, "item_id"].tolist(),  # noqa: E712
        "by_kind": by_kind,
        "by_plan": by_plan,
    }


def _item_progress(
    item: Item,
    lifecycle: Lifecycle | None,
    share_inside: float,
    sketch_km: float,
    as_of: date,
    *,
    kind_held: bool,
) -> dict[str, Any]:
    if lifecycle is not None:
        state = lifecycle.state
    else:
        state = ABSENT if share_inside >= COVERED_SHARE else OUTSIDE_DATA
    works = state == OPEN and is_works_on_road_in_use(item)
    known = state != OUTSIDE_DATA and not works
    overdue: bool | None = False
    if item.target_year is not None and as_of.year > item.target_year:
        overdue = None if not known else state != OPEN
    outdated = OSM_STAGE.get(state, -1) > PLAN_STAGE[item.status] if known else None
    km = lifecycle.km if lifecycle is not None else {}
    line = item.kind in LINE_KINDS
    missing_km = (item.length_km or sketch_km) if line and state == ABSENT else 0.0
    return {
        "item_id": item.id,
        "name_zh": item.name_zh,
        "kind": item.kind,
        "plans": sorted({c.document for c in item.plans}),
        "plan_status": item.status,
        "plan_status_as_of": item.status_as_of,
        "plan_status_source": item.status_source,
        "osm_state": state,
        "target_year": item.target_year,
        "overdue": overdue,
        "status_outdated": outdated,
        "km_open": km.get(OPEN, 0.0) if line else 0.0,
        "km_construction": km.get("construction", 0.0) if line else 0.0,
        "km_not_started": (km.get("proposed", 0.0) if line else 0.0) + round(missing_km, 2),
        "osm_ids": [i for ids in (lifecycle.osm_ids.values() if lifecycle else ()) for i in ids],
        "opening_date": lifecycle.opening_date if lifecycle else None,
        "start_date": lifecycle.start_date if lifecycle else None,
        "note": WORKS_NOTE if works else ("" if kind_held else NO_KIND_NOTE.format(item.kind)),
        "ways": _stage_of_ways(lifecycle) if line and lifecycle is not None else {},
    }


def _stage_of_ways(lifecycle: Lifecycle) -> dict[str, tuple[str, float]]:
    """Return each matched way's stage and road km."""
    return {
        i: (stage, lifecycle.element_km.get(i, 0.0))
        for stage, ids in lifecycle.osm_ids.items()
        for i in ids
    }


def _ways_once(ways: pd.Series) -> dict[str, float]:
    """Return road km per stage over several items, a way two items share counted once."""
    merged: dict[str, tuple[str, float]] = {}
    for found in ways:
        merged.update(found)
    totals: dict[str, float] = {}
    for stage, km in merged.values():
        totals[stage] = totals.get(stage, 0.0) + km
    return totals


def is_works_on_road_in_use(item: Item) -> bool:
    """Return whether ``item`` upgrades or widens a road in use (status or name says so).

    OSM cannot tell such works from the road: an open road is neither done nor late.
    """
    name = to_simplified(item.name_zh)
    return item.status == "upgrade" or any(word in name for word in WORKS_WORDS)


def _covered_area(extent: BaseGeometry, region: object) -> BaseGeometry:
    """Return where the source's data would show an item: its extent within its search region."""
    return extent.intersection(region) if isinstance(region, BaseGeometry) else extent


def _shares_inside(geometries: np.ndarray, area: BaseGeometry) -> np.ndarray:
    """Return each geometry's share inside ``area``: by length, by area, or 0/1 for points."""
    inside = shapely.intersection(geometries, area)
    lengths = shapely.length(geometries)
    areas = shapely.area(geometries)
    by_area = np.divide(shapely.area(inside), areas, out=np.zeros(len(areas)), where=areas > 0)
    by_length = np.divide(
        shapely.length(inside), lengths, out=np.zeros(len(lengths)), where=lengths > 0
    )
    points = shapely.intersects(geometries, area).astype(float)
    return np.where(areas > 0, by_area, np.where(lengths > 0, by_length, points))


def _item_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "item_id": row["item_id"],
        "name_zh": row["name_zh"],
        "kind": row["kind"],
        "plans": row["plans"],
        "plan_status": row["plan_status"],
        "plan_status_as_of": row["plan_status_as_of"],
        "plan_status_source": row["plan_status_source"],
        "osm_state": row["osm_state"],
        "target_year": None if pd.isna(row["target_year"]) else int(row["target_year"]),
        "overdue": row["overdue"],
        "status_outdated": row["status_outdated"],
        "evidence": {
            "osm_ids": row["osm_ids"],
            "opening_date": row["opening_date"],
            "start_date": row["start_date"],
            "note": row["note"],
            "km_open": row["km_open"],
            "km_construction": row["km_construction"],
            "km_not_started": row["km_not_started"],
        },
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            k: (None if v is None or (isinstance(v, float) and np.isnan(v)) else v)
            for k, v in r.items()
        }
        for r in frame.to_dict("records")
    ]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()

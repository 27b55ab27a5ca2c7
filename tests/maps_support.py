"""A small hand-made catalog and its layers for the map tests (no tests of its own).

Anchor coordinates are rounded city-centre positions typed by hand (and one
far-away city, Guangzhou, for a line that runs out of the study area); one item
name carries a script tag to prove that names are shown as text.
"""

from __future__ import annotations

import re

import geopandas as gpd
import shapely

from ctz.catalog.model import Anchor, Catalog, Citation, Document, Item
from ctz.checks.data_coverage import DataCoverage
from ctz.checks.result import GoalResult, Report, evidence_frame
from ctz.geo.embedded import EmbeddedSource
from ctz.layers.themes import build_layers

XSS_NAME = "<script>alert(1)</script>"


def _anchor(anchor_id: str, lon: float, lat: float) -> Anchor:
    return Anchor(anchor_id, anchor_id, anchor_id.title(), "city", lon, lat, "test")


def _item(item_id: str, kind: str, status: str, **where: object) -> Item:
    return Item(
        id=item_id,
        name_zh=f"{item_id}中文",
        name_zh_hant=f"{item_id}中文",
        name_en=f"{item_id} en",
        kind=kind,
        status=status,
        plans=(Citation("001", "5"), Citation("003", "2.1")),
        **where,  # type: ignore[arg-type]
    )


def sample_catalog() -> Catalog:
    """Two documents, six anchors, an item of most kinds (two high-speed lines), every status."""
    documents = {
        "001": Document("001", "三年行动计划", "Three-Year Action Plan", 2023, "traditional", "a"),
        "003": Document("003", "行动计划 2019", "Action Plan 2019", 2019, "simplified", "b"),
    }
    anchors = {
        a.id: a
        for a in (
            _anchor("changsha", 112.94, 28.23),
            _anchor("zhuzhou", 113.13, 27.83),
            _anchor("xiangtan", 112.94, 27.83),
            _anchor("airport", 113.22, 28.19),
            _anchor("zhaoshan", 113.02, 27.95),
            _anchor("guangzhou", 113.26, 23.13),
        )
    }
    items = [
        _item(
            "expressway_a",
            "expressway",
            "existing",
            from_anchor="changsha",
            to_anchor="zhuzhou",
            osm={"refs": ["G4"]},
        ),
        _item(
            "trunk_b",
            "trunk_road",
            "under_construction",
            from_anchor="xiangtan",
            to_anchor="zhuzhou",
            target_year=2025,
            length_km=21.5,
        ),
        _item("hsr_c", "high_speed_rail", "planned", from_anchor="changsha", to_anchor="xiangtan"),
        _item(
            "hsr_far", "high_speed_rail", "existing", from_anchor="changsha", to_anchor="guangzhou"
        ),
        _item(
            "intercity_d",
            "intercity_rail",
            "existing",
            from_anchor="changsha",
            via=("zhaoshan",),
            to_anchor="zhuzhou",
        ),
        _item("metro_e", "metro", "study", from_anchor="changsha", to_anchor="zhaoshan"),
        _item("maglev_f", "maglev", "existing", from_anchor="changsha", to_anchor="airport"),
        _item("station_g", "station", "existing", at="zhuzhou"),
        _item("hub_h", "hub", "planned", at="changsha"),
        _item("port_i", "port", "under_construction", at="xiangtan"),
        _item("green_j", "green_heart", "existing", outline=("zhaoshan", "xiangtan", "zhuzhou")),
        _item("logistics_k", "logistics", "planned", at="airport"),
    ]
    xss = Item(
        id="logistics_xss",
        name_zh=XSS_NAME,
        name_zh_hant=XSS_NAME,
        name_en=XSS_NAME,
        kind="logistics",
        status="existing",
        plans=(Citation("001", "9"),),
        at="zhaoshan",
    )
    return Catalog(documents, anchors, {i.id: i for i in [*items, xss]}, {}, {})


def sample_layers(catalog: Catalog) -> dict[str, gpd.GeoDataFrame]:
    """Theme layers of ``catalog`` sketched offline; the expressway marked as an OSM match."""
    layers, _ = build_layers(catalog, EmbeddedSource(catalog))
    roads = layers["roads"]
    osm = roads["item_id"] == "expressway_a"
    roads.loc[osm, "source"] = "osm"
    roads.loc[osm, "match_score"] = 0.87
    return layers


def found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """``re.search`` that fails the test, naming the pattern, when nothing matches."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"no match for {pattern!r}"
    return match


def evidence_report() -> Report:
    """A report of two goals: a corridor with a gap (named with a script tag) and a piece
    found, and a charging goal with an uncovered patch near Xiangtan."""
    gap = shapely.LineString([(112.95, 28.0), (113.0, 27.95)])
    piece = shapely.LineString([(113.0, 27.95), (113.1, 27.9)])
    patch = shapely.box(112.9, 27.8, 112.95, 27.85)
    corridor = GoalResult(
        "corridor_goal",
        "融城干道",
        "Trunk roads",
        "corridor_length",
        41.3,
        50.0,
        "km",
        "not_met",
        "41.3 km of 50 km",
        plans="001 §5",
        evidence=evidence_frame(
            [
                {
                    "goal_id": "corridor_goal",
                    "role": "gap",
                    "label": XSS_NAME,
                    "value": 5.2,
                    "unit": "km",
                    "geometry": gap,
                },
                {
                    "goal_id": "corridor_goal",
                    "role": "piece",
                    "label": "piece a",
                    "value": 11.0,
                    "unit": "km",
                    "geometry": piece,
                },
            ]
        ),
    )
    charging = GoalResult(
        "charging_goal",
        "充电",
        "Charging",
        "charging_radius",
        3.0,
        1.0,
        "%",
        "not_met",
        "3 % beyond 1 km",
        evidence=evidence_frame(
            [
                {
                    "goal_id": "charging_goal",
                    "role": "uncovered",
                    "label": "patch",
                    "value": 12.5,
                    "unit": "km2",
                    "geometry": patch,
                },
            ]
        ),
    )
    quiet = GoalResult(
        "quiet_goal",
        "无证据",
        "No evidence",
        "x",
        None,
        1.0,
        "km",
        "unknown",
        "no data",
        reason="no data",
    )
    return Report("embedded", [corridor, charging, quiet], DataCoverage("embedded", None))

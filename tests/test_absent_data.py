"""Missing data is not a measurement: no feature of a kind anywhere means unknown, saying so."""

from __future__ import annotations

import shapely
from checks_support import FakeOsmSource, anchor, catalog, features_frame, goal, item, to_lonlat
from shapely.geometry import box

from ctz.checks.charging import check_charging_goal
from ctz.checks.context import CheckContext
from ctz.checks.goals.run import run_checks
from ctz.checks.green_heart import check_greenway

STRIP = item("central", "中心城区", "boundary")
CHARGING = goal("charging", "charging_radius", 1, "km", ["central"])
ANCHORS = [anchor(f"c{i}", f"角{i}", x, y) for i, (x, y) in enumerate([(0, 0), (10, 0), (10, 10)])]
ZONE = item("green_heart", "生态绿心地区", "green_heart", outline=("c0", "c1", "c2"))
GREENWAY = goal("gh_greenway", "greenway_length", 45, "km", [])
CATALOG = catalog(ANCHORS, [STRIP, ZONE], [CHARGING, GREENWAY])
GEOMETRY = {
    "central": to_lonlat(box(0, -0.25, 10, 0.25)),
    "green_heart": to_lonlat(box(0, 0, 10, 10)),
}
FAR_STATION = ({"amenity": "charging_station"}, shapely.Point(30, 30))
LAND = ({"landuse": "forest"}, box(0, 0, 4, 10))
PATH = ({"highway": "track"}, shapely.LineString([(1, 1), (1, 4)]))


def context(*rows: tuple[dict[str, str], shapely.Geometry]) -> CheckContext:
    return CheckContext(CATALOG, FakeOsmSource(CATALOG, GEOMETRY, features_frame(list(rows))))


def test_no_charging_station_in_the_whole_study_area_is_unknown() -> None:
    result = check_charging_goal(CHARGING, context(LAND))
    assert result.verdict == "unknown"
    assert result.measured is None
    assert "no charging station anywhere" in result.reason


def test_a_station_elsewhere_makes_an_empty_centre_a_measurement() -> None:
    result = check_charging_goal(CHARGING, context(FAR_STATION))
    assert result.verdict == "not_met"
    assert result.measured is not None and result.measured > 99


def test_no_path_of_any_kind_in_the_green_heart_is_unknown() -> None:
    result = check_greenway(GREENWAY, context(LAND, FAR_STATION))
    assert result.verdict == "unknown"
    assert "no footway, path, cycleway or track" in result.reason
    # paths but none named 绿道: a measurement of nothing
    measured = check_greenway(GREENWAY, context(LAND, PATH))
    assert measured.verdict == "not_met" and measured.measured == 0.0


def test_data_coverage_names_the_kinds_the_source_lacks() -> None:
    source = FakeOsmSource(CATALOG, GEOMETRY, features_frame([LAND]))
    report = run_checks(CATALOG, source)
    assert report.coverage.study_area_share is not None
    lacking = [w for w in report.coverage.warnings if "no charging station anywhere" in w]
    assert len(lacking) == 1, report.coverage.warnings
    assert any("no footway, path, cycleway or track" in w for w in report.coverage.warnings)

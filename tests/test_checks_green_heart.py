from __future__ import annotations

import pytest
import shapely
from checks_support import FakeOsmSource, anchor, catalog, features_frame, goal, item, to_lonlat
from shapely.geometry import box

from ctz.checks.context import CheckContext
from ctz.checks.green_heart import check_forest_cover, check_green_heart_area, check_greenway
from ctz.geo.embedded import EmbeddedSource

# A 10 km x 10 km zone (100 km2) with land use laid out in strips (km):
#   forest x 0-4 (40), water x 3-5, y 0-5 (10; takes 5 from the forest),
#   industrial x 5-6, y 0-5 (5), residential x 5-6, y 5-10 (5), farmland x 6-8 (20),
#   wood x 9-12, y 0-2 (2 inside).  Forest 40 - 5 + 2 = 37, unmapped 23.
LAND_USE = [
    ({"landuse": "forest"}, box(0, 0, 4, 10)),
    ({"natural": "water"}, box(3, 0, 5, 5)),
    ({"landuse": "industrial"}, box(5, 0, 6, 5)),
    ({"landuse": "residential"}, box(5, 5, 6, 10)),
    ({"landuse": "farmland"}, box(6, 0, 8, 10)),
    ({"natural": "wood"}, box(9, 0, 12, 2)),
]
LINES = [
    # a motorway crossing at y = 7 as two carriageways 20 m apart: 10 km inside
    ({"highway": "motorway"}, shapely.LineString([(-5, 7), (15, 7)])),
    ({"highway": "motorway"}, shapely.LineString([(15, 7.02), (-5, 7.02)])),
    # a railway crossing north-south at x = 7.5: 10 km inside
    ({"railway": "rail"}, shapely.LineString([(7.5, -2), (7.5, 12)])),
    # a greenway 8 km inside (x 2-10) and 3 km outside; a footpath of another name
    ({"highway": "cycleway", "name": "绿心绿道"}, shapely.LineString([(2, 9), (13, 9)])),
    ({"highway": "footway", "name": "公园步道"}, shapely.LineString([(1, 1), (1, 4)])),
]
ANCHORS = [anchor(f"c{i}", f"角{i}", x, y) for i, (x, y) in enumerate([(0, 0), (10, 0), (10, 10)])]
ZONE = item("green_heart", "生态绿心地区", "green_heart", outline=("c0", "c1", "c2"))
AREA = goal("gh_area", "green_heart_area", 100, "km2", ["green_heart"])
FOREST = goal("gh_forest", "forest_cover", 40, "%", ["green_heart"])
GREENWAY = goal("gh_greenway", "greenway_length", 45, "km", [])
CATALOG = catalog(ANCHORS, [ZONE], [AREA, FOREST, GREENWAY])


def osm_context() -> CheckContext:
    geometry = {"green_heart": to_lonlat(box(0, 0, 10, 10))}
    source = FakeOsmSource(CATALOG, geometry, features_frame(LAND_USE + LINES))
    return CheckContext(CATALOG, source)


def test_area_land_use_and_crossings_from_osm() -> None:
    result = check_green_heart_area(AREA, osm_context())
    assert result.verdict == "met"
    assert result.measured == pytest.approx(100.0, rel=1e-6)
    rows = {d["class"]: d for d in result.details}
    expected = {"forest": 37, "water": 10, "industrial": 5, "built_up": 5, "farmland": 20}
    for name, km2 in {**expected, "unmapped": 23}.items():
        assert rows[name]["area_km2"] == pytest.approx(km2, abs=0.01), name
        assert rows[name]["share"] == pytest.approx(km2 / 100, abs=1e-4)
    assert rows["built_up_share"]["share"] == pytest.approx(0.10, abs=1e-4)
    assert rows["highway=motorway"]["km_inside"] == pytest.approx(10.0, abs=0.01)
    assert rows["railway=rail"]["km_inside"] == pytest.approx(10.0, abs=0.01)
    assert "built-up 10.0%" in result.summary


def test_area_below_the_statutory_figure_is_not_met() -> None:
    ctx = osm_context()
    big = goal("gh_area", "green_heart_area", 523, "km2", ["green_heart"])
    result = check_green_heart_area(big, ctx)
    assert result.verdict == "not_met"
    assert "100.0 km² vs statutory 523 km²" in result.summary


def test_forest_share_against_a_percentage_target() -> None:
    result = check_forest_cover(FOREST, osm_context())
    assert result.measured == pytest.approx(37.0, abs=0.01)
    assert result.verdict == "not_met"


def test_greenway_counts_only_named_greenway_inside_the_zone() -> None:
    result = check_greenway(GREENWAY, osm_context())
    assert result.measured == pytest.approx(8.0, abs=0.01)
    assert result.verdict == "not_met"


def test_sketch_outline_gives_unknown_with_its_area() -> None:
    ctx = CheckContext(CATALOG, EmbeddedSource(CATALOG))
    result = check_green_heart_area(AREA, ctx)
    assert result.verdict == "unknown"
    # the sketch is the triangle (0,0)-(10,0)-(10,10): 50 km2
    assert "sketch 50.0 km²" in result.reason
    assert result.details == []
    assert check_forest_cover(FOREST, ctx).verdict == "unknown"
    assert "serves no OpenStreetMap features" in check_greenway(GREENWAY, ctx).reason

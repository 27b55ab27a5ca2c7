from __future__ import annotations

import numpy as np
import pytest
import shapely
from checks_support import FakeOsmSource, anchor, catalog, goal, item, to_lonlat

from ctz.checks.context import CheckContext
from ctz.checks.continuity import centreline_length, continuity
from ctz.checks.corridors import check_corridor_goal
from ctz.geo.embedded import EmbeddedSource

# --- geometry in metres -------------------------------------------------------------


def test_gap_between_two_pieces_is_found_and_a_side_stub_is_not_a_gap() -> None:
    road = shapely.MultiLineString(
        [
            [(0, 0), (1000, 0)],
            [(1000, 0), (3000, 0)],  # joins the first: one piece of 3 km
            [(3400, 0), (5000, 0)],  # 400 m gap, then 1.6 km
            [(2000, 500), (2000, 800)],  # a stub 500 m off the road: not on the way
        ]
    )
    found = continuity(road, shapely.Point(-100, 0), shapely.Point(5100, 0))
    assert len(found.pieces) == 3
    assert [g.length_m for g in found.gaps] == [pytest.approx(400.0)]
    gap = found.gaps[0].line
    assert shapely.get_coordinates(gap).tolist() == [[3000.0, 0.0], [3400.0, 0.0]]
    lengths = sorted(found.pieces[i].length for i in found.gaps[0].pieces)
    assert lengths == [pytest.approx(1600.0), pytest.approx(3000.0)]
    assert found.length_m == pytest.approx(3000 + 1600 + 300)
    assert not found.continuous


def test_lines_within_snap_distance_are_one_piece() -> None:
    road = shapely.MultiLineString([[(0, 0), (1000, 0)], [(1010, 5), (2000, 5)]])
    found = continuity(road, shapely.Point(0, 0), shapely.Point(2000, 0))
    assert found.continuous
    assert len(found.pieces) == 1


def test_two_gaps_are_ordered_from_start_to_end() -> None:
    road = shapely.MultiLineString(
        [[(0, 0), (1000, 0)], [(1100, 0), (2000, 0)], [(2300, 0), (3000, 0)]]
    )
    found = continuity(road, shapely.Point(3000, 0), shapely.Point(0, 0))
    assert [round(g.length_m) for g in found.gaps] == [300, 100]


def test_dual_carriageway_counts_once_but_two_separate_roads_count_twice() -> None:
    dual = np.array(
        [shapely.LineString([(0, 0), (2000, 0)]), shapely.LineString([(2000, 25), (0, 25)])]
    )
    assert centreline_length(dual) == pytest.approx(2000.0)
    apart = np.array(
        [shapely.LineString([(0, 0), (2000, 0)]), shapely.LineString([(0, 500), (2000, 500)])]
    )
    assert centreline_length(apart) == pytest.approx(4000.0)
    # one road split into many short collinear ways loses nothing
    split = np.array([shapely.LineString([(x, 0), (x + 30, 0)]) for x in range(0, 3000, 30)])
    assert centreline_length(split) == pytest.approx(3000.0)


# --- corridor goals ---------------------------------------------------------------

ANCHORS = [
    anchor("west", "西端", 0, 0),
    anchor("east", "东端", 10, 0),
    anchor("north", "北端", 0, 5),
    anchor("gapville", "断头镇", 3.2, 1.0),
]
ROAD_A = item("road_a", "甲大道", "urban_road", from_anchor="west", to_anchor="east")
ROAD_B = item("road_b", "乙大道", "urban_road", from_anchor="north", to_anchor="east")
ROAD_C = item("road_c", "丙路", "urban_road", from_anchor="west", to_anchor="north")
PACKAGE = goal("links", "corridor_package", 12, "km", ["road_a", "road_b", "road_c"])
CATALOG = catalog(ANCHORS, [ROAD_A, ROAD_B, ROAD_C], [PACKAGE])
OSM = {
    # 甲大道: 6 km, continuous, mapped as two carriageways 20 m apart
    "road_a": to_lonlat(shapely.MultiLineString([[(0, 0), (6, 0)], [(6, 0.02), (0, 0.02)]])),
    # 乙大道: 3 km, a 0.4 km gap, then 1.6 km
    "road_b": to_lonlat(shapely.MultiLineString([[(0, 1), (3, 1)], [(3.4, 1), (5, 1)]])),
}


def test_package_reports_length_gaps_and_items_not_in_osm() -> None:
    ctx = CheckContext(CATALOG, FakeOsmSource(CATALOG, OSM))
    result = check_corridor_goal(PACKAGE, ctx)
    assert result.measured == pytest.approx(6 + 3 + 1.6, abs=0.01)
    assert result.verdict == "not_met"
    assert result.summary == "3 links: 10.6 km found of 12 km target; 1 gaps; 1 not in OSM"
    by_id = {d["item_id"]: d for d in result.details}
    assert by_id["road_a"]["status"] == "continuous"
    assert by_id["road_c"]["status"] == "not in OSM"
    gap = by_id["road_b"]["gaps"][0]
    assert gap["length_km"] == pytest.approx(0.4, abs=0.002)
    assert gap["between"] == ["piece 1 (3.0 km)", "piece 2 (1.6 km)"]
    assert gap["near"].endswith("from 断头镇")
    gaps = result.evidence[result.evidence["role"] == "gap"]
    assert len(gaps) == 1
    assert gaps.to_crs("EPSG:32649").length.iloc[0] == pytest.approx(400, abs=1)


def test_package_is_met_when_every_item_is_found_whole_and_long_enough() -> None:
    whole = dict(OSM, road_b=to_lonlat(shapely.LineString([(0, 1), (5, 1)])))
    whole["road_c"] = to_lonlat(shapely.LineString([(0, 2), (0.6, 2)]))
    ctx = CheckContext(CATALOG, FakeOsmSource(CATALOG, whole))
    result = check_corridor_goal(PACKAGE, ctx)
    # 6 + 5 + 0.6 = 11.6 km is within 5 % of 12 km
    assert result.measured == pytest.approx(11.6, abs=0.01)
    assert result.verdict == "met"


def test_sketches_only_give_unknown_not_a_measurement() -> None:
    ctx = CheckContext(CATALOG, EmbeddedSource(CATALOG))
    result = check_corridor_goal(PACKAGE, ctx)
    assert result.verdict == "unknown"
    assert result.measured is None
    assert "none of the 3 items is in OSM" in result.reason
    # sketch of road_a runs west→east, 10 km
    assert result.details[0]["sketch_km"] == pytest.approx(10.0, abs=0.01)


def test_count_target_counts_whole_items() -> None:
    counted = goal("three", "corridor_package", 2, "count", ["road_a", "road_b"])
    ctx = CheckContext(CATALOG, FakeOsmSource(CATALOG, OSM))
    result = check_corridor_goal(counted, ctx)
    # road_a (6 km) is whole, road_b (3 + 1.6 km) has a gap: 1 of 2
    assert (result.measured, result.unit, result.verdict) == (1.0, "count", "not_met")
    assert result.summary == "2 links: 10.6 km found, 1 whole of 2 targeted; 1 gaps"

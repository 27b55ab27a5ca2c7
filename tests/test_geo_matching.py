from itertools import pairwise

import pytest
from geo_osm_support import item
from pyproj import Geod
from shapely.geometry import LineString, Point

from ctz.geo.item_tags import default_region, region_box
from ctz.geo.matching import Candidate, ItemQuery, match_item, name_score
from ctz.geo.names import normalize, split_refs, variant_key

GEOD = Geod(ellps="WGS84")
ROAD = item("furong", "芙蓉大道", "芙蓉大道", "urban_road", from_anchor="a", to_anchor="b")
STATION = item("csnan", "长沙南站", "長沙南站", "station", at="a")
G4 = item(
    "g4",
    "京港澳高速",
    "京港澳高速",
    "expressway",
    from_anchor="a",
    to_anchor="b",
    osm={"refs": ["G4"]},
)


def test_normalize_folds_script_width_and_spacing():
    assert normalize("長沙 南站") == "长沙南站"
    assert normalize("地铁１号线（南段）") == "地铁1号线南段"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("芙蓉大道", "芙蓉路"),
        ("芙蓉中路一段", "芙蓉路"),
        ("芙蓉南路二段", "芙蓉路"),
        ("芙蓉路南延线", "芙蓉路"),
        ("洞株路东延线", "洞株路"),
        ("京港澳高速公路", "京港澳高速"),
        ("長沙南站", "长沙南"),
        ("长株潭城际铁路", "长株潭城际"),
        ("河东路", "河东路"),  # a one-character root keeps its direction
    ],
)
def test_variant_keys(name, key):
    assert variant_key(name) == key


def test_split_refs():
    assert split_refs("G4;G0422") == ["G4", "G0422"]
    assert split_refs("g 60 ; s21") == ["G60", "S21"]
    assert split_refs("") == []


@pytest.mark.parametrize(
    ("query_item", "tags", "score"),
    [
        (ROAD, {"name": "芙蓉大道"}, 1.0),
        (STATION, {"name": "长沙南站"}, 1.0),
        (STATION, {"name": "Changsha South", "name:zh-Hant": "長沙南站"}, 1.0),
        (ROAD, {"name": "东二环", "old_name": "芙蓉大道"}, 0.9),
        (ROAD, {"name": "东二环", "alt_name": "x;芙蓉大道"}, 0.9),
        (ROAD, {"name": "芙蓉中路一段"}, 0.8),
        (STATION, {"name": "长沙南"}, 0.8),
        (G4, {"ref": "G4;G0422", "name": "某高速"}, 1.0),
        (G4, {"ref": "G0422"}, 0.0),
        (ROAD, {"name": "蓉园路"}, 0.0),
    ],
)
def test_name_score(query_item, tags, score):
    assert name_score(ItemQuery.of(query_item), tags) == score


def north_of(lon, lat, metres):
    lon2, lat2, _ = GEOD.fwd(lon, lat, 0, metres)
    return Point(lon2, lat2)


def test_distance_from_sketch_lowers_the_score_then_rejects():
    sketch = Point(112.97, 28.20)
    station = {"railway": "station", "name": "长沙南站"}
    near = Candidate("node/1", station, north_of(112.97, 28.20, 15_000))
    found = match_item(STATION, [near], sketch, default_region())
    assert found is not None
    # 15 km: (25 km - 15 km) / (25 km - 5 km) of full marks
    assert found.score == pytest.approx(0.5, abs=0.005)
    far = Candidate("node/2", station, north_of(112.97, 28.20, 26_000))
    assert match_item(STATION, [far], sketch, default_region()) is None


def test_region_filter_and_kind_filter():
    sketch = Point(112.97, 28.20)
    elsewhere = Candidate(
        "node/3", {"railway": "station", "name": "长沙南站"}, Point(112.97, 28.20)
    )
    assert match_item(STATION, [elsewhere], sketch, region_box((100, 20, 101, 21))) is None
    bus_stop = Candidate("node/4", {"highway": "bus_stop", "name": "芙蓉大道"}, Point(112.97, 28.2))
    assert (
        match_item(ROAD, [bus_stop], LineString([(112.97, 28.2), (112.97, 28.3)]), default_region())
        is None
    )


def test_coverage_of_the_sketch():
    sketch = LineString([(112.97, 28.0), (112.97, 28.2)])
    half = Candidate(
        "way/5",
        {"highway": "primary", "name": "芙蓉大道"},
        LineString([(112.97, 28.0), (112.97, 28.1)]),
    )
    found = match_item(ROAD, [half], sketch, default_region())
    assert found is not None
    # 21 samples every 1.11 km; those within 5 km of the road's end at 11.1 km: i = 0..14
    assert found.score == pytest.approx(0.5 + 0.5 * 15 / 21, abs=0.001)
    assert found.osm_ids == ("way/5",)


SECTION = item(
    "g4_section",
    "京港澳高速某段扩容",
    "京港澳高速某段擴容",
    "expressway",
    from_anchor="a",
    to_anchor="b",
    osm={"refs": ["G4"], "section": True},
)
WHOLE = item(
    "g4_whole",
    "京港澳高速",
    "京港澳高速",
    "expressway",
    from_anchor="a",
    to_anchor="b",
    osm={"refs": ["G4"]},
)
BREAKS = [28.40, 28.30, 28.15, 28.05, 27.95, 27.80, 27.60]  # six ways, north to south


def carriageway(lon, first_id):
    """G4 as six ways along a meridian; ids first_id … first_id + 5."""
    return [
        Candidate(
            f"way/{first_id + i}",
            {"highway": "motorway", "ref": "G4"},
            LineString([(lon, north), (lon, south)]),
        )
        for i, (north, south) in enumerate(pairwise(BREAKS))
    ]


def test_a_section_keeps_the_ways_between_its_ends():
    road = carriageway(112.95, 1) + carriageway(112.9505, 11)  # two carriageways, 50 m apart
    sketch = LineString([(112.95, 28.20), (112.95, 27.90)])
    found = match_item(SECTION, road, sketch, default_region())
    assert found is not None
    # the stretch 28.20 - 1 km … 27.90 + 1 km overlaps the ways 28.30–28.15 … 27.95–27.80
    assert set(found.osm_ids) == {f"way/{i}" for i in (2, 3, 4, 5, 12, 13, 14, 15)}
    assert found.score == pytest.approx(1.0)
    ends = [line.coords[:: len(line.coords) - 1] for line in found.geometry.geoms]
    north, south = north_of(112.95, 28.20, 1_000).y, north_of(112.95, 27.90, -1_000).y
    for (_, top), (_, bottom) in ends:
        assert max(top, bottom) == pytest.approx(north, abs=1e-4)
        assert min(top, bottom) == pytest.approx(south, abs=1e-4)
    assert found.section_km is not None
    kept_km, whole_km = found.section_km
    one_way_km = GEOD.inv(112.95, 28.40, 112.95, 27.60)[2] / 1000
    section_km = GEOD.inv(112.95, north, 112.95, south)[2] / 1000
    assert whole_km == pytest.approx(2 * one_way_km, rel=1e-3)
    assert kept_km == pytest.approx(2 * section_km, rel=1e-3)


def test_a_whole_road_is_not_clipped():
    road = carriageway(112.95, 1)
    for north, south in [(28.41, 27.59), (28.395, 27.605)]:  # beyond, or within 1 km of, the ends
        found = match_item(
            SECTION, road, LineString([(112.95, north), (112.95, south)]), default_region()
        )
        assert found is not None
        assert sorted(found.osm_ids) == [f"way/{i}" for i in range(1, 7)]
        assert found.section_km is None
        assert found.geometry.coords[:] == [(112.95, lat) for lat in BREAKS]


def test_a_road_not_marked_as_a_section_keeps_every_way_its_sketch_leaves_out():
    road = carriageway(112.95, 1)
    found = match_item(
        WHOLE, road, LineString([(112.95, 28.20), (112.95, 27.90)]), default_region()
    )
    assert found is not None
    assert sorted(found.osm_ids) == [f"way/{i}" for i in range(1, 7)]
    assert found.section_km is None


def test_a_stretch_beyond_a_gap_and_beyond_the_end_is_dropped():
    road = carriageway(112.95, 1)
    del road[2]  # a gap 28.15–28.05: two separate lines
    found = match_item(
        SECTION, road, LineString([(112.95, 27.96), (112.95, 27.70)]), default_region()
    )
    assert found is not None
    # the northern line lies wholly beyond the section's north end
    assert sorted(found.osm_ids) == ["way/4", "way/5", "way/6"]
    assert found.geometry.geom_type == "LineString"

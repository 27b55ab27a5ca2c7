import math

import pytest
import shapely
from geo_osm_support import ITEMS, catalog, czt_extract, line_nodes, write_osm
from pyproj import Geod
from shapely.geometry import box

from ctz.base import CtzError
from ctz.geo.pbf.extract_source import PbfSource

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module", params=["czt.osm.pbf", "czt.osm"])
def resolution(request, tmp_path_factory):
    path = czt_extract(tmp_path_factory.mktemp("pbf") / request.param)
    return PbfSource(path, catalog(), progress=False).resolve(ITEMS)


def row(resolution, item_id):
    layer = resolution.layer
    return layer[layer["item_id"] == item_id].iloc[0]


def test_segmented_road_is_assembled_into_one_line(resolution):
    furong = row(resolution, "furong")
    assert sorted(furong.osm_ids.split(";")) == ["way/101", "way/102", "way/103"]
    assert furong.geometry.geom_type == "LineString"
    # 28.25 → 28.10 along one meridian, measured on the ellipsoid
    expected = GEOD.line_length([112.99, 112.99], [28.25, 28.10])
    assert GEOD.geometry_length(furong.geometry) == pytest.approx(expected, rel=1e-6)
    assert furong.match_score == pytest.approx(0.8)  # 芙蓉大道 ~ 芙蓉中路一段: a variant
    assert furong.source == "pbf"


def test_namesakes_in_another_province_and_city_are_rejected(resolution):
    furong = row(resolution, "furong")
    assert "way/111" not in furong.osm_ids  # Kunming, exact name, outside the region
    assert "way/121" not in furong.osm_ids  # Zhuzhou, 30 km from the sketch
    assert "furong" not in resolution.ambiguous


def test_expressway_found_by_multi_ref(resolution):
    g4 = row(resolution, "g4")
    assert sorted(g4.osm_ids.split(";")) == ["way/131", "way/132"]
    assert g4.match_score == pytest.approx(1.0)
    assert shapely.get_coordinates(g4.geometry)[[0, -1], 1].tolist() == [28.22, 27.84]


def test_station_node_and_port_polygon(resolution):
    station = row(resolution, "csnan_station")
    assert station.osm_ids == "node/51"
    assert (station.geometry.x, station.geometry.y) == (113.07, 28.15)
    assert station.match_score == pytest.approx(0.8)  # 长沙南站 ~ 长沙南
    port = row(resolution, "xianing_port")
    assert port.osm_ids == "way/161"
    assert port.geometry.geom_type == "MultiPolygon"
    assert port.geometry.area == pytest.approx(0.02 * 0.02)
    assert port.match_score == pytest.approx(1.0)


def test_item_missing_from_osm_falls_back_to_its_sketch(resolution):
    assert resolution.fallback == ["metro_12"]
    assert sorted(resolution.matched) == ["csnan_station", "furong", "g4", "xianing_port"]
    metro = row(resolution, "metro_12")
    assert metro.source == "embedded"
    assert metro.osm_ids == ""
    assert metro.geometry.coords[:] == [(112.97, 28.20), (113.065, 28.15)]


def test_two_equally_good_roads_are_reported_ambiguous(tmp_path):
    nodes = line_nodes(1, 112.985, [28.25, 28.10]) + line_nodes(11, 113.03, [28.25, 28.10])
    ways = [
        (1, [1, 2], {"highway": "primary", "name": "芙蓉路"}),
        (2, [11, 12], {"highway": "primary", "name": "芙蓉路"}),
    ]
    path = write_osm(tmp_path / "two.osm.pbf", nodes, ways)
    resolution = PbfSource(path, catalog(), progress=False).resolve(ITEMS[:1])
    assert resolution.matched == ["furong"]
    assert list(resolution.ambiguous) == ["furong"]
    assert row(resolution, "furong").osm_ids == "way/1"  # nearer the sketch at lon 112.99


def test_features_and_road_network(tmp_path):
    path = czt_extract(tmp_path / "czt.osm.pbf")
    source = PbfSource(path, catalog(), progress=False, cache_dir=tmp_path / "cache")
    ports = source.features({"landuse": "port"}, box(112.0, 28.0, 113.0, 29.0))
    assert ports["osm_id"].tolist() == ["way/161"]
    assert ports.loc[0, "name"] == "霞凝港"
    network = source.road_network(box(112.9, 27.95, 113.0, 28.3))
    # 芙蓉路: 3 two-way ways over 4 nodes contract to nodes 1 and 4; G4 is cut at
    # 27.95, leaving its first way (nodes 31-32); the Kunming and Zhuzhou roads lie outside
    assert sorted(network.osm_node.tolist()) == [1, 4, 31, 32]
    ids = network.osm_node
    edges = sorted(zip(ids[network.tail].tolist(), ids[network.head].tolist(), strict=True))
    assert edges == [(1, 4), (4, 1), (31, 32), (32, 31)]
    # great-circle length on osmnx's sphere (R = 6 371 009 m): 0.15° of a meridian
    furong = ids[network.tail] == 1
    assert network.length_m[furong] == pytest.approx([math.radians(0.15) * 6_371_009], rel=1e-9)
    g4 = ids[network.tail] == 31
    assert network.edge_text(network.ref[g4]).tolist() == ["G4;G0422"]


def test_missing_and_corrupt_files_raise(tmp_path):
    with pytest.raises(CtzError, match="no such OSM file"):
        PbfSource(tmp_path / "none.osm.pbf", catalog(), progress=False).resolve(ITEMS)
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all" * 10)
    with pytest.raises(CtzError, match="cannot read OSM file"):
        PbfSource(bad, catalog(), progress=False).resolve(ITEMS)

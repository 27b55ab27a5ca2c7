import json
import time
from types import SimpleNamespace

import osmnx
import pytest
from geo_osm_support import (
    ITEMS,
    OVERPASS_STATUS,
    catalog,
    czt_data,
    item,
    nominatim_json,
    overpass_json,
)
from pytest_httpserver import HTTPServer
from shapely.geometry import box
from werkzeug import Request, Response

from ctz.base import CtzError
from ctz.geo.osm.client import Endpoints
from ctz.geo.osm.source import OsmSource

NEW_PORT = item("new_port", "新港码头", "新港碼頭", "port", at="xianing")


@pytest.fixture
def pauses(monkeypatch):
    """osmnx waits 55 s after a 429 and 1 s before each Nominatim call: record instead."""
    waits: list[float] = []
    fake = SimpleNamespace(sleep=waits.append)
    monkeypatch.setattr(osmnx._overpass, "time", fake)
    monkeypatch.setattr(osmnx._nominatim, "time", fake)
    return waits


@pytest.fixture
def overpass(httpserver):
    httpserver.expect_request("/api/status").respond_with_data(OVERPASS_STATUS)
    return httpserver


def serve_czt(server):
    server.expect_request("/api/interpreter", method="POST").respond_with_json(
        overpass_json(*czt_data())
    )


def interpreter_calls(server):
    return sum(1 for request, _ in server.log if request.path == "/api/interpreter")


def source(server, tmp_path, items=ITEMS, **endpoint_options):
    endpoints = Endpoints(
        overpass_url=server.url_for("/api"),
        nominatim_url=server.url_for("/nominatim/"),
        **{"backoff": 0.0, "retries": 1, **endpoint_options},
    )
    return OsmSource(catalog(items), tmp_path / "cache", endpoints, progress=False)


def row(resolution, item_id):
    layer = resolution.layer
    return layer[layer["item_id"] == item_id].iloc[0]


def test_resolves_items_through_overpass(overpass, tmp_path, pauses):
    serve_czt(overpass)
    resolution = source(overpass, tmp_path).resolve(ITEMS)
    assert sorted(resolution.matched) == ["csnan_station", "furong", "g4", "xianing_port"]
    assert resolution.fallback == ["metro_12"]
    furong = row(resolution, "furong")
    assert sorted(furong.osm_ids.split(";")) == ["way/101", "way/102", "way/103"]
    assert furong.match_score == pytest.approx(0.8)
    assert furong.geometry.coords[:] == [(112.99, lat) for lat in (28.25, 28.20, 28.15, 28.10)]
    assert sorted(row(resolution, "g4").osm_ids.split(";")) == ["way/131", "way/132"]
    assert row(resolution, "xianing_port").geometry.geom_type == "Polygon"
    # the query asked for the road's name forms in both scripts, bounded by the region
    bodies = [r.form["data"] for r, _ in overpass.log if r.path == "/api/interpreter"]
    assert any("['name'='芙蓉中路一段'](poly:" in b for b in bodies)
    assert any("['alt_name'='芙蓉大道']" in b for b in bodies)


def test_rerun_reads_the_cache(overpass, tmp_path, pauses):
    serve_czt(overpass)
    first = source(overpass, tmp_path).resolve(ITEMS)
    calls = interpreter_calls(overpass)
    assert calls >= len(ITEMS)
    second = source(overpass, tmp_path).resolve(ITEMS)
    assert interpreter_calls(overpass) == calls
    assert second.layer.equals(first.layer)


def test_429_is_retried_by_osmnx(overpass, tmp_path, pauses):
    overpass.expect_oneshot_request("/api/interpreter", method="POST").respond_with_data(
        "rate limited", status=429
    )
    serve_czt(overpass)
    resolution = source(overpass, tmp_path, [ITEMS[0]]).resolve([ITEMS[0]])
    assert resolution.matched == ["furong"]
    assert 55 in pauses  # osmnx's wait after a 429


def test_endless_429_ends_in_one_line_within_the_wait_bound(overpass, tmp_path):
    overpass.expect_request("/api/interpreter", method="POST").respond_with_data(
        "rate limited", status=429
    )
    started = time.monotonic()
    with pytest.raises(CtzError, match=r"no answer within 0.5 s \(server busy"):
        source(overpass, tmp_path, [ITEMS[0]], max_wait=0.5).resolve([ITEMS[0]])
    assert time.monotonic() - started < 5  # osmnx alone would sleep 55 s and retry forever


def test_timeout_is_retried_then_succeeds(tmp_path):
    server = HTTPServer(threaded=True)  # the slow first answer must not hold up the retry
    server.start()
    server.expect_request("/api/status").respond_with_data(OVERPASS_STATUS)
    answer = overpass_json(*czt_data())
    slow = {"calls": 0}

    def handler(request: Request) -> Response:
        slow["calls"] += 1
        if slow["calls"] == 1:
            time.sleep(1.0)
        return Response(json.dumps(answer), content_type="application/json")

    server.expect_request("/api/interpreter", method="POST").respond_with_handler(handler)
    try:
        resolution = source(server, tmp_path, [ITEMS[0]], timeout=0.3).resolve([ITEMS[0]])
    finally:
        server.stop()
    assert resolution.matched == ["furong"]
    assert slow["calls"] == 2


def test_nominatim_namesake_in_another_province_is_rejected(overpass, tmp_path, pauses):
    overpass.expect_request("/api/interpreter", method="POST").respond_with_json(
        overpass_json([], [])
    )
    overpass.expect_request("/nominatim/search").respond_with_json(
        nominatim_json(7, 113.46, 22.95, "新港码头", "番禺区, 广州市, 广东省")
    )
    resolution = source(overpass, tmp_path, (NEW_PORT,)).resolve([NEW_PORT])
    assert resolution.fallback == ["new_port"]
    assert row(resolution, "new_port").source == "embedded"
    search = next(r for r, _ in overpass.log if r.path == "/nominatim/search")
    assert search.args["q"] == "新港码头"
    assert search.args["bounded"] == "1"


def test_nominatim_place_in_the_region_matches(overpass, tmp_path, pauses):
    overpass.expect_request("/api/interpreter", method="POST").respond_with_json(
        overpass_json([], [])
    )
    overpass.expect_request("/nominatim/search").respond_with_json(
        nominatim_json(7, 112.935, 28.385, "新港码头", "开福区, 长沙市, 湖南省")
    )
    resolution = source(overpass, tmp_path, (NEW_PORT,)).resolve([NEW_PORT])
    assert resolution.matched == ["new_port"]
    port = row(resolution, "new_port")
    assert port.osm_ids == "node/7"
    assert port.match_score == pytest.approx(1.0)


def test_unreachable_overpass_with_empty_cache_raises(tmp_path, pauses, monkeypatch):
    backoff: list[float] = []
    monkeypatch.setattr("ctz.geo.osm.client.time", SimpleNamespace(sleep=backoff.append))
    endpoints = Endpoints(overpass_url="http://127.0.0.1:9/api", retries=2, backoff=1.5)
    osm = OsmSource(catalog(), tmp_path / "cache", endpoints, progress=False)
    message = r"Overpass query at http://127\.0\.0\.1:9/api failed after 3 attempts"
    with pytest.raises(CtzError, match=message):
        osm.resolve(ITEMS)
    assert backoff == [1.5, 3.0]  # exponential back-off between the three attempts
    assert not any(pauses)  # no blind 60 s wait per query: osmnx's /status probe is off
    assert not (tmp_path / "cache").exists()


def test_half_finished_run_keeps_its_cache(overpass, tmp_path, pauses):
    answer = json.dumps(overpass_json(*czt_data()))

    def handler(request: Request) -> Response:
        if "京港澳" in request.form["data"]:
            return Response("<html>internal error</html>", status=500)
        return Response(answer, content_type="application/json")

    overpass.expect_request("/api/interpreter", method="POST").respond_with_handler(handler)
    with pytest.raises(CtzError):
        source(overpass, tmp_path).resolve(ITEMS)
    cache = tmp_path / "cache"
    assert len(list(cache.glob("*.json"))) == 1  # 芙蓉大道's query, before G4 failed
    assert not list(cache.glob("*.part"))
    overpass.clear()
    overpass.expect_request("/api/status").respond_with_data(OVERPASS_STATUS)
    serve_czt(overpass)
    source(overpass, tmp_path).resolve(ITEMS)
    bodies = [r.form["data"] for r, _ in overpass.log if r.path == "/api/interpreter"]
    assert not any("芙蓉中路一段" in b for b in bodies)  # not asked again


def test_features_and_road_network(overpass, tmp_path, pauses):
    serve_czt(overpass)
    osm = source(overpass, tmp_path)
    ports = osm.features({"landuse": "port"}, box(112.0, 28.0, 113.0, 29.0))
    assert ports["osm_id"].tolist() == ["way/161"]
    assert ports.loc[0, "name"] == "霞凝港"
    network = osm.road_network(box(112.9, 27.95, 113.0, 28.3))
    assert {1, 4}.issubset(network.osm_node.tolist())
    asked = len(overpass.log)
    again = osm.road_network(box(112.9, 27.95, 113.0, 28.3))  # from the cache
    assert len(overpass.log) == asked
    assert again.osm_node.tolist() == network.osm_node.tolist()
    assert again.length_m.tolist() == network.length_m.tolist()

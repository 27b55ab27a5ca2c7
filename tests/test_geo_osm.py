import json
import time

import pytest
from geo_osm_support import (
    ITEMS,
    FakeOverpass,
    catalog,
    czt_data,
    item,
    nominatim_json,
    osm_source,
)
from pytest_httpserver import HTTPServer
from shapely.geometry import box
from werkzeug import Request, Response

from ctz.base import CacheWarning, SourceError
from ctz.geo.osm.client import Endpoints
from ctz.geo.osm.overpass_source import OsmSource

NEW_PORT = item("new_port", "新港码头", "新港碼頭", "port", at="xianing")
REGION_BOX = "[bbox:26.000000,111.850000,28.700000,114.300000]"


@pytest.fixture
def fake(httpserver):
    return FakeOverpass(*czt_data()).serve(httpserver)


def interpreter_calls(server):
    return sum(1 for request, _ in server.log if request.path == "/api/interpreter")


def row(resolution, item_id):
    layer = resolution.layer
    return layer[layer["item_id"] == item_id].iloc[0]


def cache_files(tmp_path):
    return sorted((tmp_path / "cache").glob("*.json"))


def test_resolves_items_from_one_download_per_theme(httpserver, fake, tmp_path):
    resolution = osm_source(httpserver, tmp_path).resolve(ITEMS)
    assert sorted(resolution.matched) == ["csnan_station", "furong", "g4", "xianing_port"]
    assert resolution.fallback == ["metro_12"]
    furong = row(resolution, "furong")
    assert sorted(furong.osm_ids.split(";")) == ["way/101", "way/102", "way/103"]
    assert furong.match_score == pytest.approx(0.8)
    assert furong.geometry.coords[:] == [(112.99, lat) for lat in (28.25, 28.20, 28.15, 28.10)]
    assert sorted(row(resolution, "g4").osm_ids.split(";")) == ["way/131", "way/132"]
    assert row(resolution, "xianing_port").geometry.geom_type == "Polygon"
    assert row(resolution, "csnan_station").osm_ids == "node/51"
    assert resolution.notes == {}  # G4 and 芙蓉路 end at (or before) their items' ends
    # roads (furong, g4), stations, waterways and ports, railways (metro_12): four downloads
    assert len(fake.queries) == 4
    assert all(REGION_BOX in q and q.endswith("out body geom;") for q in fake.queries)
    roads = next(q for q in fake.queries if '"highway"' in q)
    assert '"^(motorway|primary|residential|secondary|tertiary|trunk|unclassified)$"' in roads
    assert not any(r.path.startswith("/nominatim") for r, _ in httpserver.log)


def test_rerun_reads_the_cache(httpserver, fake, tmp_path):
    first = osm_source(httpserver, tmp_path).resolve(ITEMS)
    assert len(cache_files(tmp_path)) == 4
    second = osm_source(httpserver, tmp_path).resolve(ITEMS)
    assert len(fake.queries) == 4
    assert second.layer.equals(first.layer)


def test_refresh_fetches_again_and_overwrites(httpserver, fake, tmp_path):
    osm_source(httpserver, tmp_path).resolve(ITEMS)
    files = cache_files(tmp_path)
    for path in files:
        path.write_text('{"elements": []}')  # valid, but stale: nothing found
    stale = osm_source(httpserver, tmp_path).resolve(ITEMS)
    assert stale.matched == []  # (the station and the port were asked of Nominatim)
    fresh = osm_source(httpserver, tmp_path, refresh=True).resolve(ITEMS)
    assert len(fake.queries) == 8
    assert len(fresh.matched) == 4
    assert all(len(path.read_bytes()) > 100 for path in files)


def test_another_endpoint_does_not_reuse_the_cache(httpserver, fake, tmp_path):
    osm_source(httpserver, tmp_path).resolve(ITEMS)
    mirror = HTTPServer()
    mirror.start()
    try:
        other = FakeOverpass(*czt_data()).serve(mirror)
        resolution = osm_source(mirror, tmp_path).resolve(ITEMS)
    finally:
        mirror.stop()
    assert len(other.queries) == 4
    assert len(resolution.matched) == 4
    assert len(cache_files(tmp_path)) == 8


def test_features_and_road_network(httpserver, fake, tmp_path):
    osm = osm_source(httpserver, tmp_path)
    ports = osm.features({"landuse": "port"}, box(112.0, 28.0, 113.0, 29.0))
    assert ports["osm_id"].tolist() == ["way/161"]
    assert ports.loc[0, "name"] == "霞凝港"
    assert "[bbox:28.000000,112.000000,29.000000,113.000000]" in fake.queries[-1]
    assert '"^(port)$"' in fake.queries[-1]
    network = osm.road_network(box(112.9, 27.95, 113.0, 28.3))
    assert {1, 4}.issubset(network.osm_node.tolist())
    asked = len(fake.queries)
    again = osm.road_network(box(112.9, 27.95, 113.0, 28.3))  # from the cache
    assert len(fake.queries) == asked
    assert sorted(again.osm_node.tolist()) == sorted(network.osm_node.tolist())
    assert osm.extent().bounds == (111.85, 26.0, 114.3, 28.7)


CAPTIVE_PORTAL = "<!DOCTYPE html><html><body>Log in to the hotel Wi-Fi</body></html>"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (CAPTIVE_PORTAL, "sent an HTML or XML page, not JSON"),
        (json.dumps({"version": 0.6, "elements": [{"type": "node"}]})[:30], "cut-short JSON"),
        (json.dumps({"version": 0.6, "generator": "x"}), "JSON without an 'elements' list"),
        (
            json.dumps({"elements": [{"type": "way", "id": 1, "nodes": [1, 2]}]}),
            "a way without its 'geometry' list",
        ),
        (
            json.dumps({"elements": [{"type": "node", "id": 1, "lat": "north", "lon": 1}]}),
            "a node without lat/lon coordinates",
        ),
    ],
)
def test_a_bad_overpass_answer_is_an_error_and_is_not_cached(httpserver, tmp_path, body, problem):
    httpserver.expect_request("/api/interpreter").respond_with_data(body, status=200)
    with pytest.raises(SourceError) as raised:
        osm_source(httpserver, tmp_path).resolve(ITEMS)
    message = str(raised.value)
    assert message.startswith(f"Overpass at {httpserver.url_for('/api/interpreter')} sent ")
    assert problem in message
    assert message.endswith("nothing was cached")
    assert "\n" not in message
    assert not list((tmp_path / "cache").glob("*"))


def test_a_bad_nominatim_answer_is_an_error_and_is_not_cached(httpserver, tmp_path):
    FakeOverpass([], []).serve(httpserver)
    httpserver.clear_all_handlers()
    httpserver.expect_request("/api/interpreter").respond_with_json({"elements": []})
    httpserver.expect_request("/nominatim/search").respond_with_json(
        {"error": {"code": 400, "message": "Nothing to search for."}}
    )
    with pytest.raises(
        SourceError, match=r"Nominatim at .* sent JSON that is not a list of places"
    ):
        osm_source(httpserver, tmp_path, (NEW_PORT,)).resolve([NEW_PORT])
    assert len(cache_files(tmp_path)) == 1  # the (valid, empty) Overpass download only


def test_a_corrupt_cache_file_is_dropped_with_a_warning_and_fetched_again(
    httpserver, fake, tmp_path
):
    first = osm_source(httpserver, tmp_path).resolve(ITEMS)
    roads = max(cache_files(tmp_path), key=lambda p: p.stat().st_size)
    roads.write_bytes(roads.read_bytes()[:50])  # cut short, as by a full disk
    with pytest.warns(CacheWarning, match=r"dropped unreadable cache file .* cut-short JSON"):
        again = osm_source(httpserver, tmp_path).resolve(ITEMS)
    assert len(fake.queries) == 5  # only the corrupt download again
    assert again.layer.equals(first.layer)
    json.loads(roads.read_bytes())  # whole again


def test_a_download_the_server_cannot_answer_whole_is_split_into_tiles(httpserver, fake, tmp_path):
    def handler(request: Request) -> Response:
        bbox = request.form["data"].split("[bbox:")[1].split("]")[0]
        _, west, _, east = (float(x) for x in bbox.split(","))
        if east - west > 2.0:  # the whole region: more than this server can hold
            remark = (
                'runtime error: Query ran out of memory in "query" at line 3. '
                "It would need at least 0 MB of RAM to continue."
            )
            return Response(json.dumps({"version": 0.6, "elements": [], "remark": remark}))
        return fake.interpreter(request)

    httpserver.clear_all_handlers()
    httpserver.expect_request("/api/interpreter").respond_with_handler(handler)
    roads_only = ITEMS[:2]
    resolution = osm_source(httpserver, tmp_path, roads_only).resolve(roads_only)
    assert sorted(resolution.matched) == ["furong", "g4"]
    assert sorted(row(resolution, "g4").osm_ids.split(";")) == ["way/131", "way/132"]
    assert len(fake.queries) == 4  # the four quarters; the whole box was refused
    assert len(cache_files(tmp_path)) == 1  # cached whole, under the region query
    osm_source(httpserver, tmp_path, roads_only).resolve(roads_only)
    assert len(fake.queries) == 4


def test_endless_429_ends_in_one_line_within_the_bound(httpserver, tmp_path, capsys):
    httpserver.expect_request("/api/interpreter").respond_with_data("rate limited", status=429)
    started = time.monotonic()
    with pytest.raises(SourceError) as raised:
        osm_source(httpserver, tmp_path, progress=True, max_wait=2, backoff=0.2).resolve(ITEMS)
    assert time.monotonic() - started < 2.5
    assert str(raised.value) == (
        f"Overpass at {httpserver.url_for('/api/interpreter')} gave no answer within the 2 s "
        "bound (HTTP 429); try again later or use a mirror"
    )
    waits = capsys.readouterr().err.splitlines()
    assert waits[1:3] == [
        "ctz: Overpass busy (HTTP 429), retrying in 0.2 s; 0 of 2 s used",
        "ctz: Overpass busy (HTTP 429), retrying in 0.4 s; 0 of 2 s used",
    ]
    assert waits[0].startswith("ctz: downloading ")
    assert interpreter_calls(httpserver) == 4  # 0.2 + 0.4 + 0.8 s of pauses; 1.6 s more is too long
    assert not (tmp_path / "cache").exists()


def test_429_is_retried_after_a_pause(httpserver, fake, tmp_path, capsys):
    httpserver.clear_all_handlers()
    httpserver.expect_oneshot_request("/api/interpreter").respond_with_data("busy", status=429)
    fake.serve(httpserver)
    resolution = osm_source(httpserver, tmp_path, ITEMS[:1], progress=True).resolve(ITEMS[:1])
    assert resolution.matched == ["furong"]
    assert "ctz: Overpass busy (HTTP 429), retrying in 0 s" in capsys.readouterr().err


def test_unreachable_overpass_is_an_error_within_seconds(tmp_path):
    endpoints = Endpoints(overpass_url="http://127.0.0.1:9/api", retries=2, backoff=0.1)
    osm = OsmSource(catalog(), tmp_path / "cache", endpoints, progress=False)
    started = time.monotonic()
    url = r"http://127\.0\.0\.1:9/api/interpreter"
    message = rf"^Overpass at {url} failed after 3 attempts \(ConnectionError\)$"
    with pytest.raises(SourceError, match=message):
        osm.resolve(ITEMS)
    assert time.monotonic() - started < 5
    assert not (tmp_path / "cache").exists()


def test_timeout_is_retried_then_succeeds(tmp_path):
    server = HTTPServer(threaded=True)  # the slow first answer must not hold up the retry
    server.start()
    fake = FakeOverpass(*czt_data())
    calls = {"n": 0}

    def handler(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            time.sleep(1.0)
        return fake.interpreter(request)

    server.expect_request("/api/interpreter", method="POST").respond_with_handler(handler)
    try:
        resolution = osm_source(server, tmp_path, ITEMS[:1], timeout=0.3).resolve(ITEMS[:1])
    finally:
        server.stop()
    assert resolution.matched == ["furong"]
    assert calls["n"] == 2


def test_nominatim_namesake_in_another_province_is_rejected(httpserver, tmp_path):
    places = {"新港码头": nominatim_json(7, 113.46, 22.95, "新港码头", "番禺区, 广州市, 广东省")}
    FakeOverpass([], [], places=places).serve(httpserver)
    resolution = osm_source(httpserver, tmp_path, (NEW_PORT,)).resolve([NEW_PORT])
    assert resolution.fallback == ["new_port"]
    assert row(resolution, "new_port").source == "embedded"
    search = next(r for r, _ in httpserver.log if r.path == "/nominatim/search")
    assert search.args["q"] == "新港码头"
    assert search.args["bounded"] == "1"
    assert search.args["viewbox"] == "111.85,28.7,114.3,26.0"


def test_nominatim_place_in_the_region_matches_and_is_cached(httpserver, tmp_path):
    places = {"新港码头": nominatim_json(7, 112.935, 28.385, "新港码头", "开福区, 长沙市, 湖南省")}
    FakeOverpass([], [], places=places).serve(httpserver)
    resolution = osm_source(httpserver, tmp_path, (NEW_PORT,)).resolve([NEW_PORT])
    assert resolution.matched == ["new_port"]
    port = row(resolution, "new_port")
    assert port.osm_ids == "node/7"
    assert port.match_score == pytest.approx(1.0)
    osm_source(httpserver, tmp_path, (NEW_PORT,)).resolve([NEW_PORT])
    assert sum(1 for r, _ in httpserver.log if r.path == "/nominatim/search") == 1


def test_half_finished_run_keeps_its_cache(httpserver, fake, tmp_path):
    def handler(request: Request) -> Response:
        if '"railway"' in request.form["data"]:
            return Response("<html>internal error</html>", status=500)
        return fake.interpreter(request)

    httpserver.clear_all_handlers()
    httpserver.expect_request("/api/interpreter").respond_with_handler(handler)
    with pytest.raises(SourceError, match=r"failed after 2 attempts \(HTTP 500\)"):
        osm_source(httpserver, tmp_path).resolve(ITEMS)
    kept = len(cache_files(tmp_path))
    assert kept >= 1  # the downloads before the railways failed
    assert not list((tmp_path / "cache").glob(".*"))  # no temporary file left
    httpserver.clear_all_handlers()
    fake.serve(httpserver)
    before = len(fake.queries)
    osm_source(httpserver, tmp_path).resolve(ITEMS)
    assert len(fake.queries) - before == 4 - kept  # only what was missing


def test_road_network_waits_out_a_busy_server_within_the_bound(httpserver, tmp_path, capsys):
    httpserver.expect_oneshot_request("/api/interpreter").respond_with_data("busy", status=429)
    FakeOverpass(*czt_data()).serve(httpserver)
    osm = osm_source(httpserver, tmp_path, progress=True)
    network = osm.road_network(box(112.9, 27.95, 113.0, 28.3))
    assert {1, 4}.issubset(network.osm_node.tolist())
    assert "ctz: Overpass busy (HTTP 429), retrying in 0 s" in capsys.readouterr().err
    httpserver.clear_all_handlers()
    httpserver.expect_request("/api/interpreter").respond_with_data("busy", status=429)
    busy = osm_source(httpserver, tmp_path, max_wait=1, backoff=0.2)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"no answer within the 1 s bound \(HTTP 429\)"):
        busy.road_network(box(112.9, 28.0, 113.0, 28.3))
    assert time.monotonic() - started < 1.5

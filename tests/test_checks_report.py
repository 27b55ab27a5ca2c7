from __future__ import annotations

import json
import math
import re
from types import SimpleNamespace

import geopandas as gpd
import osmnx
import pytest
import shapely
import yaml
from checks_support import FakeOsmSource, anchor, catalog, goal, item, to_lonlat
from click.testing import CliRunner

from ctz import cli
from ctz.base import METRIC_CRS
from ctz.catalog.load import default_seeds_dir
from ctz.checks.charging import CENTRAL_DISTRICTS, check_charging_goal
from ctz.checks.context import CheckContext
from ctz.checks.data_coverage import DataCoverage
from ctz.checks.goals.registry import family_goals, run_goal, run_goals
from ctz.checks.result import Report
from ctz.cli import main
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.osm.client import Endpoints
from ctz.geo.osm.overpass_source import OsmSource
from ctz.geo.registry import open as registry
from ctz.layers.boundaries import county_boundaries
from ctz.maps.markdown import report_markdown

ANCHORS = [anchor("west", "西端", 0, 0), anchor("east", "东端", 10, 0)]
ROAD = item("road", "甲大道", "urban_road", from_anchor="west", to_anchor="east")
LINKS = goal("links", "corridor_package", 10, "km", ["road"])
WATER = goal("water", "water_quality", 2, "class", [])
COMMUTE = goal("commute", "commute", 1, "h", [])
ODD = goal("odd", "mystery_kind", 1, "x", [])
CATALOG = catalog(ANCHORS, [ROAD], [LINKS, WATER, COMMUTE, ODD])


def test_goals_without_a_check_are_unknown_with_a_reason() -> None:
    ctx = CheckContext(CATALOG, EmbeddedSource(CATALOG))
    results = {r.goal_id: r for r in run_goals(CATALOG.goals.values(), ctx)}
    assert {r.verdict for r in results.values()} == {"unknown"}
    assert "not in OpenStreetMap" in results["water"].reason
    assert "mystery_kind" in results["odd"].reason
    assert results["commute"].reason == "the catalog names no city cores (seeds/cores.yaml)"


def test_commute_goals_are_measured_by_the_commute_engine(monkeypatch) -> None:
    import ctz.checks.commute.goal as commute_goal

    def fake_check(goal, ctx):
        return run_goal(WATER, ctx).__class__.for_goal(
            goal, measured=0.9, verdict="met", summary="stub"
        )

    monkeypatch.setattr(commute_goal, "check_commute_goal", fake_check)
    ctx = CheckContext(CATALOG, EmbeddedSource(CATALOG))
    assert run_goal(COMMUTE, ctx).verdict == "met"


def test_subcommand_falls_back_to_its_builtin_goal() -> None:
    shipped = yaml.safe_load((default_seeds_dir() / "goals.yaml").read_text(encoding="utf-8"))
    areas = [g for g in shipped["goals"] if g["kind"] == "green_heart_area"]
    fallback = {g.id: g for g in family_goals([], "green-heart")}
    assert {"green_heart_area", "greenway_length"} <= {g.kind for g in fallback.values()}
    assert [fallback[g["id"]].target_value for g in areas] == [g["target"]["value"] for g in areas]
    assert [g.id for g in family_goals(CATALOG.goals.values(), "corridors")] == ["links"]
    assert family_goals([], None) == []


@pytest.fixture
def patched(monkeypatch):
    """The CLI reads the test catalog and a fake OSM source with the road found whole."""
    osm = {"road": to_lonlat(shapely.LineString([(0, 0), (8, 0)]))}
    monkeypatch.setattr(cli, "load_catalog", lambda: CATALOG)
    monkeypatch.setattr(registry, "open_source", lambda spec, cat, options: FakeOsmSource(cat, osm))


def test_check_all_writes_json_markdown_and_map_and_strict_fails(patched, tmp_path) -> None:
    markdown, fmap = tmp_path / "report.md", tmp_path / "map.html"
    args = ["check", "all", "--json", "--strict", "--markdown", str(markdown), "--map", str(fmap)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    links = data["goals"][0]
    assert links["goal_id"] == "links"
    assert links["measured"] == pytest.approx(8.0, abs=0.01)
    assert links["verdict"] == "not_met"
    assert data["verdicts"] == {"met": 0, "not_met": 1, "unknown": 3}
    text = markdown.read_text(encoding="utf-8")
    assert re.search(
        r"\| ❌ 未达标 \| 目标links \| [^|]+ \| 8 \| 10 \| 公里 \| 001 §5 \| links \|", text
    )
    page = fmap.read_text(encoding="utf-8")
    assert "piece 1 (8.0 km)" in page and "OpenStreetMap" in page


def test_check_corridors_table_and_unknown_goal(patched) -> None:
    result = CliRunner().invoke(main, ["check", "corridors"])
    assert result.exit_code == 0
    # Verdict first, the goal's name, planner numbers, the unit in Chinese; no id.
    assert re.search(r"未达标\s+目标links\s+8\s+10\s+公里", result.output)
    bad = CliRunner().invoke(main, ["check", "corridors", "--goal", "nope"])
    assert bad.exit_code == 2
    assert bad.output.strip() == "ctz: error: unknown goal 'nope' (known: links)"


def test_bad_source_and_missing_raster_exit_2() -> None:
    bad = CliRunner().invoke(main, ["check", "all", "--source", "gopher"])
    assert bad.exit_code == 2
    assert bad.output.count("\n") == 1 and "unknown source 'gopher'" in bad.output
    missing = CliRunner().invoke(main, ["check", "charging", "--population", "/no/such.tif"])
    assert missing.exit_code == 2
    assert "no such population raster" in missing.output


def test_embedded_default_reports_every_catalog_goal_offline(catalog) -> None:
    result = CliRunner().invoke(main, ["check", "all", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [g["goal_id"] for g in data["goals"]] == list(catalog.goals)
    for entry in data["goals"]:
        assert entry["verdict"] in {"met", "not_met", "unknown"}
        assert entry["verdict"] != "unknown" or entry["reason"]


def test_markdown_escapes_table_cells() -> None:
    ctx = CheckContext(CATALOG, EmbeddedSource(CATALOG))
    result = run_goal(LINKS, ctx)
    result.name_zh = "甲|乙"
    result.summary = "# 标题 <b>[x](y)"
    markdown = report_markdown(Report("embedded", [result], DataCoverage("embedded", None)))
    assert "甲\\|乙" in markdown
    assert "\\# 标题 \\<b\\>\\[x\\]\\(y\\)" in markdown


# --- the osm source against a local fake Overpass server -----------------------------

OVERPASS_STATUS = "Connected as: 1\nRate limit: 2\n2 slots available now.\n"


def test_charging_through_a_fake_overpass_server(httpserver, tmp_path, monkeypatch) -> None:
    # osmnx pauses between Overpass calls; record the pauses instead of waiting
    monkeypatch.setattr(osmnx._overpass, "time", SimpleNamespace(sleep=lambda _s: None))
    districts = county_boundaries()
    central = districts[districts["code"].isin(CENTRAL_DISTRICTS)]
    area = shapely.union_all(central.to_crs(METRIC_CRS).geometry.to_numpy())
    # two chargers deep inside the area, at least 1 km from its edge and 2 km apart
    inner = area.buffer(-1500)
    first = shapely.Point(inner.representative_point())
    corners = shapely.points(shapely.get_coordinates(inner))
    second = corners[shapely.distance(corners, first).argmax()]
    lonlat = gpd.GeoSeries([first, second], crs=METRIC_CRS).to_crs("EPSG:4326")
    elements = [
        {
            "type": "node",
            "id": 900 + i,
            "lat": p.y,
            "lon": p.x,
            "tags": {"amenity": "charging_station", "name": f"充电站{i}"},
        }
        for i, p in enumerate(lonlat)
    ]
    httpserver.expect_request("/api/status").respond_with_data(OVERPASS_STATUS)
    httpserver.expect_request("/api/interpreter", method="POST").respond_with_json(
        {"version": 0.6, "generator": "Overpass API", "elements": elements}
    )
    charging = goal("charging", "charging_radius", 1, "km", [])
    cat = catalog([], [], [charging])
    endpoints = Endpoints(overpass_url=httpserver.url_for("/api"), retries=0, backoff=0.0)
    source = OsmSource(cat, tmp_path / "cache", endpoints, progress=False)
    result = check_charging_goal(charging, CheckContext(cat, source))
    # independently: two disjoint 64-gons of radius 1 km, wholly inside the area
    disc = 0.5 * 64 * 1000**2 * math.sin(2 * math.pi / 64)
    assert result.details[0]["stations"] == 2
    assert result.measured == pytest.approx((area.area - 2 * disc) / area.area * 100, rel=1e-4)
    assert result.verdict == "not_met"


def test_a_goal_is_judged_in_its_own_direction() -> None:
    from dataclasses import replace

    from ctz.checks.result import meets

    assert meets(LINKS, 9.6, tolerance=0.05) and not meets(LINKS, 9.4, tolerance=0.05)
    at_most = replace(LINKS, direction="at_most")
    assert meets(at_most, 9.4) and not meets(at_most, 10.6, tolerance=0.05)
    undirected = replace(LINKS, direction=None)
    ctx = CheckContext(
        CATALOG, FakeOsmSource(CATALOG, {"road": to_lonlat(shapely.LineString([(0, 0), (8, 0)]))})
    )
    result = run_goal(undirected, ctx)
    assert result.verdict == "unknown" and "has no direction" in result.reason

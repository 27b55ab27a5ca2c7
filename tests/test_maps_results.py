"""One renderer for check results: goal evidence, commute bands, explore, analysis-layer files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from maps_support import XSS_NAME, evidence_report, found, sample_catalog

import ctz
from ctz import cli
from ctz.base import InputError
from ctz.catalog.model import Catalog
from ctz.checks.commute.result import NEAREST, CommuteResult
from ctz.geo.embedded import EmbeddedSource
from ctz.maps.analysis_layers import write_grid, write_isochrones
from ctz.maps.explore import explore_map
from ctz.maps.export import map_html
from ctz.maps.make import write_result_map
from ctz.maps.render import MapOptions, boundary_layer, render_map


@pytest.fixture(scope="module")
def commute(catalog: Catalog) -> CommuteResult:
    return ctz.commute(catalog=catalog)


def features_by_layer(html: str) -> dict[str, list[dict]]:
    """Features of each feature group, keyed by the group's name in the layer control."""
    decoder = json.JSONDecoder()
    names = dict(
        (var, json.loads(name))
        for name, var in re.findall(r'("[^"]+")\s*:\s*(feature_group_\w+)', html)
    )
    layers: dict[str, list[dict]] = {}
    for match in re.finditer(r"var (feature_layer_\w+)_data = ", html):
        data = decoder.raw_decode(html, match.end())[0]
        group = found(r"}\)\.addTo\((feature_group_\w+)\);", html[match.end() :]).group(1)
        layers.setdefault(names[group], []).extend(data["features"])
    return layers


def test_evidence_is_one_layer_per_goal_with_escaped_popups() -> None:
    html = map_html(render_map({}, sample_catalog(), MapOptions(lang="en"), [evidence_report()]))
    layers = features_by_layer(html)
    assert set(layers) == {"Trunk roads · not met", "Charging · not met", "Offline base"}
    corridor = layers["Trunk roads · not met"]
    assert len(corridor) == 2
    gap = next(f for f in corridor if f["properties"]["s"] == "gap|line")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in gap["properties"]["popup"]
    assert "5.2 km" in gap["properties"]["popup"]
    assert XSS_NAME not in html
    assert "Gap (missing link)" in html and "Not covered" in html


def test_commute_bands_carry_the_people_of_the_result(commute: CommuteResult) -> None:
    html = map_html(render_map({}, sample_catalog(), MapOptions(lang="en"), [commute]))
    layers = features_by_layer(html)
    bands = layers[f"Travel time to the nearest core · {commute.scenario}"]
    nearest = commute.isochrones[commute.isochrones["origin"] == NEAREST]
    assert [f["properties"]["s"] for f in bands] == ["band|90", "band|60", "band|45", "band|30"]
    for feature in bands:
        minutes = int(feature["properties"]["s"].split("|")[1])
        people = int(nearest.loc[nearest["minutes"] == minutes, "people"].iloc[0])
        assert f"≤ {minutes} min: {people:,} people" in feature["properties"]["tip"]
    assert len(layers["City cores"]) == len(commute.cores) == 3
    # Bands lie under the plan layers, evidence over them.
    mixed = map_html(
        render_map(
            {"boundaries": boundary_layer()},
            sample_catalog(),
            MapOptions(lang="en"),
            [evidence_report(), commute],
        )
    )
    order = list(features_by_layer(mixed))
    assert order.index("Travel time to the nearest core · 2025") < order.index("Boundaries")
    assert order.index("Boundaries") < order.index("Trunk roads · not met")


def test_result_maps_are_offline_and_the_same_bytes_twice(
    tmp_path: Path, catalog: Catalog, commute: CommuteResult
) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    write_result_map(commute, catalog, first)
    write_result_map(commute, catalog, second)
    assert first.read_bytes() == second.read_bytes()
    html = first.read_text(encoding="utf-8")
    assert not re.search(r'<script[^>]+src=|<link[^>]+rel="stylesheet"', html)
    assert "一小时通勤圈 · 2025" in html


def test_cli_check_and_commute_maps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "load_catalog", sample_catalog)
    out = tmp_path / "evidence.html"
    result = CliRunner().invoke(cli.main, ["check", "all", "--map", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "ctzSetup(" in html and not re.search(r"<script[^>]+src=", html)


def test_explore_draws_a_new_map_or_onto_an_existing_one(commute: CommuteResult) -> None:
    catalog = sample_catalog()
    plan = map_html(explore_map(catalog, source=EmbeddedSource(catalog), layers=["rail"]))
    assert set(features_by_layer(plan)) == {"轨道交通", "离线底图"}
    fresh = explore_map(catalog, source=None, result=evidence_report(), lang="en")
    assert set(features_by_layer(map_html(fresh))) >= {"Boundaries", "Charging · not met"}
    own = folium.Map(location=[27.9, 113.0], zoom_start=9)
    explore_map(catalog, source=None, result=commute, m=own)
    explore_map(catalog, source=None, result=evidence_report(), m=own)
    folium.LayerControl().add_to(own)  # as a notebook user would
    html = own.get_root().render()
    drawn = set(features_by_layer(html))  # in Chinese by default
    assert drawn == {
        "通勤时间圈（至最近核心） · 2025",
        "60分钟等时线",
        "核心间最快通行时间",
        "城市核心",
        "充电 · 未达标",
        "融城干道 · 未达标",
    }
    assert len(re.findall(r"ctzPlaceLabels\(map_", html)) == 1  # once, however often drawn onto
    assert re.search(r"ctzSetup\(\w+, null,", html)  # the map keeps its own view
    with pytest.raises(InputError, match="nothing to draw"):
        explore_map(catalog, source=None)


def test_isochrones_and_grid_as_geopackage_and_parquet(
    tmp_path: Path, commute: CommuteResult
) -> None:
    gpkg = tmp_path / "bands.gpkg"
    write_isochrones(commute, gpkg)
    [(name, kind)] = pyogrio.list_layers(gpkg).tolist()
    assert (name, kind) == ("polygons", "MultiPolygon")
    bands = gpd.read_file(gpkg)
    assert len(bands) == 4 * (1 + len(commute.cores))
    assert set(bands["origin"]) == {NEAREST, *commute.cores["id"]}
    assert (bands["scenario"] == commute.scenario).all()
    nearest_60 = bands[(bands["origin"] == NEAREST) & (bands["minutes"] == 60)]
    share = commute.coverage.query("origin == @NEAREST and minutes == 60")["scenario"].iloc[0]
    assert nearest_60["people"].iloc[0] == pytest.approx(share * commute.population, rel=1e-6)
    parquet = tmp_path / "grid.parquet"
    write_grid(commute, parquet)
    grid = gpd.read_parquet(parquet)
    assert len(grid) == len(commute.grid) and "minutes_nearest" in grid
    with pytest.raises(InputError, match="ending in"):
        write_isochrones(commute, tmp_path / "bands.shp")

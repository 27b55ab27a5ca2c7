"""A legible default map: views, cutting at the study margin, labels, offline base, stable ids."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from maps_support import found, sample_catalog, sample_layers
from pyproj import Geod

from ctz import cli
from ctz.base import REGION_BOUNDS, CtzError
from ctz.catalog import load_catalog
from ctz.catalog.model import Catalog
from ctz.checks.charging import CENTRAL_DISTRICTS
from ctz.maps.basemaps import basemap
from ctz.maps.choices import BASEMAPS, VIEWS
from ctz.maps.export import map_html, save_html
from ctz.maps.labels import anchor_points, short_names
from ctz.maps.offline_base import base_layer
from ctz.maps.render import MapOptions, boundary_layer, render_map
from ctz.maps.views import CORE_BOUNDS, VIEW_SPECS, study_margin

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


@pytest.fixture(scope="module")
def layers(catalog: Catalog) -> dict[str, gpd.GeoDataFrame]:
    return sample_layers(catalog) | {"boundaries": boundary_layer()}


def render(layers: dict, catalog: Catalog, **options: object) -> str:
    return map_html(render_map(layers, catalog, MapOptions(**options)))  # type: ignore[arg-type]


def features(html: str) -> list[dict]:
    decoder = json.JSONDecoder()
    blocks = [
        decoder.raw_decode(html, m.end())[0]
        for m in re.finditer(r"var feature_layer_\w+_data = ", html)
    ]
    return [f for block in blocks for f in block["features"]]


def by_tip(html: str, text: str) -> dict:
    return next(f for f in features(html) if text in f["properties"]["tip"])


def label_rows(html: str) -> list[list]:
    """Each label ``[lat, lon, html, priority, min_zoom, point, css, color]`` in the page."""
    found = re.findall(r"ctzAddLabels\(\w+, (\[\[.*?\]\]), \"ctzLabels\"\)", html)
    return [row for block in found for row in json.loads(block)]


def opening_corners(html: str) -> list[list[float]]:
    return json.loads(found(r"ctzSetup\(\w+, (\[\[.*?\]\])", html).group(1))


def all_coordinates(geometry: dict) -> list[list[float]]:
    return [list(p) for p in shapely.get_coordinates(shapely.from_geojson(json.dumps(geometry)))]


# --- reproducible output ------------------------------------------------------------


def test_same_map_written_twice_is_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    monkeypatch.setattr(cli, "load_catalog", lambda: catalog)
    runner = CliRunner()
    for name in ("a.html", "b.html"):
        result = runner.invoke(cli.main, ["map", "-o", str(tmp_path / name), "--lang", "en"])
        assert result.exit_code == 0, result.output
    first, second = (tmp_path / "a.html").read_bytes(), (tmp_path / "b.html").read_bytes()
    assert first == second
    # No folium random id (32 hex digits) is left anywhere.
    assert not re.search(rb"_[0-9a-f]{32}\b", first)


def test_two_maps_built_in_one_process_share_their_bytes(
    layers: dict, catalog: Catalog, tmp_path: Path
) -> None:
    paths = [tmp_path / "one.html", tmp_path / "two.html"]
    for path in paths:
        save_html(render_map(layers, catalog, MapOptions(view="cities")), path)
    assert paths[0].read_bytes() == paths[1].read_bytes()


# --- views and cutting at the margin -----------------------------------------------


def test_views_open_on_core_cities_or_everything(layers: dict, catalog: Catalog) -> None:
    assert tuple(VIEW_SPECS) == VIEWS
    west, south, east, north = CORE_BOUNDS
    assert opening_corners(render(layers, catalog)) == [[south, west], [north, east]]
    west, south, east, north = REGION_BOUNDS
    assert opening_corners(render(layers, catalog, view="cities")) == [
        [south, west],
        [north, east],
    ]
    # The region view fits everything drawn: the line to Guangzhou (23.13° N) included.
    (south, _), (north, _) = opening_corners(render(layers, catalog, view="region"))
    assert south == pytest.approx(23.13, abs=1e-3)
    with pytest.raises(CtzError, match="unknown view 'bogus'"):
        render(layers, catalog, view="bogus")


def test_far_line_is_cut_at_the_margin_but_its_popup_keeps_the_full_length(
    layers: dict, catalog: Catalog
) -> None:
    core = by_tip(render(layers, catalog, lang="en"), "hsr_far en")
    coords = all_coordinates(core["geometry"])
    assert coords[0] == pytest.approx([112.94, 28.23])
    # The line ends where it leaves the margin, far north of Guangzhou (23.13° N).
    end = shapely.Point(coords[-1])
    assert end.distance(study_margin().boundary) < 0.01
    assert end.y > 25.5
    full_km = GEOD.inv(112.94, 28.23, 113.26, 23.13)[2] / 1000
    popup = core["properties"]["popup"]
    drawn = float(found(r"Length \(drawn\)</th><td>([\d.]+) km", popup).group(1))
    assert drawn == pytest.approx(full_km, abs=0.5)
    assert "On this map: drawn only near the three cities" in popup
    region = by_tip(render(layers, catalog, lang="en", view="region"), "hsr_far en")
    assert min(lat for _, lat in all_coordinates(region["geometry"])) == pytest.approx(23.13)
    assert "drawn only near" not in region["properties"]["popup"]
    inside = by_tip(render(layers, catalog, lang="en"), "trunk_b en")["properties"]["popup"]
    assert "drawn only near" not in inside


# --- labels ---------------------------------------------------------------------------


def test_main_items_are_labelled_by_ref_or_name_in_the_map_language(
    layers: dict, catalog: Catalog
) -> None:
    rows = {row[2]: row for row in label_rows(render(layers, catalog, lang="en"))}
    g4 = rows["G4"]  # expressway_a carries the route number G4
    assert "ctz-label-ref" in g4[6]
    assert "ctz-label-schematic" not in g4[6]  # it is an OSM match in the sample
    hsr = rows["hsr_c en"]
    assert "ctz-label-schematic" in hsr[6] and not hsr[5]  # a sketched line
    hub = rows["hub_h en"]
    assert hub[5] and hub[4] >= 10  # a point, named only when zoomed in
    assert rows["Xiangtan"][3] < rows["G4"][3] < rows["hub_h en"][3]  # cities first
    zh = {row[2] for row in label_rows(render(layers, catalog, lang="zh"))}
    assert {"G4", "hsr_c中文", "湘潭市"} <= zh
    assert "hsr_c en" not in zh
    # Names are escaped here too, and cut only past two lines of 12.
    assert "&lt;script&gt;aler\nt(1)&lt;/scrip…" in zh
    assert not any("<script" in text for text in zh)


def test_label_of_a_line_crossing_the_view_sits_inside_the_view(
    layers: dict, catalog: Catalog
) -> None:
    rows = {row[2]: row for row in label_rows(render(layers, catalog, lang="en"))}
    lat, lon = rows["hsr_far en"][:2]
    west, south, east, north = CORE_BOUNDS
    assert west <= lon <= east and south <= lat <= north


def test_anchor_points_middle_of_the_part_in_view() -> None:
    line = shapely.LineString([(113.0, 28.0), (113.0, 24.0)])
    square = shapely.box(112.0, 27.0, 112.5, 27.5)
    geometry = gpd.GeoSeries([line, square, shapely.Point(1, 2)], crs=4326)
    anchors = anchor_points(geometry, (112.0, 27.0, 114.0, 29.0))
    assert anchors.iloc[0].coords[0] == pytest.approx((113.0, 27.5))
    assert square.contains(anchors.iloc[1])
    assert anchors.iloc[2].equals(shapely.Point(1, 2))  # outside the view: its own place
    whole = anchor_points(geometry, None)
    assert whole.iloc[0].coords[0] == pytest.approx((113.0, 26.0))


def test_short_names_drop_notes_and_prefixes_and_cut_long_names() -> None:
    zh = pd.Series(["京港澳高速长沙广福至株洲王十万段扩容工程", "长株高速"])
    en = pd.Series(
        [
            "CZT vertical: Xingsha (Changsha) – Lukou (Zhuzhou)",
            "Changsha–Zhuzhou–Xiangtan ecological green heart (about 523 km²)",
        ]
    )
    assert short_names(zh, en, "zh").tolist() == [
        "京港澳高速长沙广福至\n株洲王十万段扩容工程",
        "长株高速",
    ]
    assert short_names(zh, en, "en").tolist() == [
        "Xingsha – Lukou",
        "CZT ecological green heart",
    ]


# --- schematic items and the offline base ---------------------------------------------


def test_sketches_have_a_halo_and_a_legend_key_surveyed_items_do_not(
    layers: dict, catalog: Catalog
) -> None:
    html = render(layers, catalog, lang="en")
    assert "Schematic — not surveyed" in html
    assert by_tip(html, "hsr_c en")["properties"]["x"] == 1
    assert by_tip(html, "expressway_a en")["properties"]["x"] == 0
    assert "<i>schematic</i>" in by_tip(html, "hsr_c en")["properties"]["tip"]
    roads = layers["roads"]
    surveyed = render({"roads": roads[roads["source"] == "osm"]}, catalog, lang="en")
    assert "Schematic — not surveyed" not in surveyed
    assert "feature.properties.x === 1" not in surveyed  # no halo layer written


def test_offline_base_has_counties_central_districts_and_a_schematic_xiang_river() -> None:
    catalog = load_catalog()
    base = base_layer(catalog)
    assert (base["role"] == "urban").sum() == len(CENTRAL_DISTRICTS)
    assert (base["role"].isin(["urban", "county"])).sum() == 23
    river = base[base["role"] == "river"]
    assert len(river) >= 1
    assert set(river.geom_type) <= {"LineString", "MultiLineString"}
    assert shapely.union_all(river.geometry.to_numpy()).intersects(study_margin())
    assert sorted(base.loc[base["role"] == "city", "name_en"]) == [
        "Changsha",
        "Xiangtan",
        "Zhuzhou",
    ]
    html = render({}, catalog, lang="en")
    assert "Xiang River (schematic)" in html
    river_label = next(r for r in label_rows(html) if r[2] == "Xiang River (schematic)")
    assert "ctz-label-schematic" in river_label[6]
    # The base is drawn in its own pane under the tiles (z-index 150 < 200).
    assert re.search(r'ctzSetup\(\w+, [^;]*"ctzBase", "ctzLabels"\)', html)
    assert "map.createPane(basePane).style.zIndex = 150;" in html
    assert 'pane: "ctzBase"' in html


# --- basemaps and command line ---------------------------------------------------------


def test_every_tile_url_is_https(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIANDITU_KEY", "t")
    monkeypatch.setenv("CARTO_KEY", "c")
    for name in BASEMAPS:
        tiles = basemap(name, "zh")
        for layer in (*tiles.base, *tiles.overlays):
            assert layer.tiles.startswith("https://"), (name, layer.tiles)


def test_cli_view_and_cdn_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    monkeypatch.setattr(cli, "load_catalog", lambda: catalog)
    runner = CliRunner()
    out = tmp_path / "m.html"
    result = runner.invoke(cli.main, ["map", "-o", str(out), "--view", "cities", "--cdn"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in html
    assert opening_corners(html)[0] == [REGION_BOUNDS[1], REGION_BOUNDS[0]]
    bad = runner.invoke(cli.main, ["map", "-o", str(out), "--view", "bogus"])
    assert bad.exit_code == 2 and "bogus" in bad.stderr

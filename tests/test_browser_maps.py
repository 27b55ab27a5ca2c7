"""The written map in headless Chromium with the network blocked.

Skipped (with the reason) when Debian's chromium or chromium-driver is missing.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from maps_support import XSS_NAME, sample_catalog, sample_layers

from ctz import cli
from ctz.maps.browser import chromium_paths, headless_chromium, open_map
from ctz.maps.export import save_html
from ctz.maps.render import MapOptions, boundary_layer, render_map

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_paths() is None, reason="needs Debian's chromium and chromium-driver"
    ),
]

WIDTH, HEIGHT = 1200, 800

LEAFLET_STATE_JS = r"""
const maps = Object.keys(window).map(k => window[k]).filter(v => v instanceof L.Map);
// folium declares the control with "let" (no window property) beside a "var NAME_layers".
const controls = Object.keys(window).filter(k => /^layer_control_\w+_layers$/.test(k))
    .map(k => eval(k.slice(0, -"_layers".length)))
    .filter(v => v instanceof L.Control.Layers);
const map = maps[0];
const overlays = controls[0]._layers.filter(e => e.overlay).map(function (entry) {
    let features = 0;
    entry.layer.eachLayer(function (child) {
        if (child instanceof L.GeoJSON) { features += child.getLayers().length; }
    });
    return {name: entry.name, onMap: map.hasLayer(entry.layer), features: features};
});
const listed = Array.from(document.querySelectorAll(
    ".leaflet-control-layers-overlays label span span")).map(s => s.textContent.trim());
const legend = Array.from(document.querySelectorAll(".ctz-legend-layer"))
    .map(d => d.dataset.layer);
return {maps: maps.length, controls: controls.length, overlays: overlays,
        listed: listed, legend: legend};
"""

OPEN_XSS_POPUP_JS = """
const maps = Object.keys(window).map(k => window[k]).filter(v => v instanceof L.Map);
let found = null;
maps[0].eachLayer(function (layer) {
    if (layer.feature && layer.feature.properties.tip.indexOf("&lt;script") >= 0) {
        found = layer;
    }
});
found.openPopup();
const popup = document.querySelector(".leaflet-popup-content");
return {text: popup.textContent, scripts: popup.querySelectorAll("script").length};
"""


@pytest.fixture(scope="module")
def map_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    catalog = sample_catalog()
    layers = sample_layers(catalog) | {"boundaries": boundary_layer()}
    path = tmp_path_factory.mktemp("maps") / "czt.html"
    save_html(render_map(layers, catalog, MapOptions(lang="en", self_contained=True)), path)
    return path


@pytest.fixture(scope="module")
def page(map_file: Path) -> Iterator[object]:
    with headless_chromium(WIDTH, HEIGHT, offline=True, logs=True) as driver:
        assert open_map(driver, map_file, timeout_s=20)
        yield driver


def _requests(driver: object) -> list[dict]:
    events = [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]
    return [e["params"] for e in events if e["method"] == "Network.requestWillBeSent"]


def test_every_legend_layer_is_a_listed_leaflet_layer_with_features(page: object) -> None:
    state = page.execute_script(LEAFLET_STATE_JS)
    assert state["maps"] == 1 and state["controls"] == 1
    by_name = {o["name"]: o for o in state["overlays"]}
    assert len(state["legend"]) == 7
    for name in state["legend"]:
        assert name in by_name, f"legend layer {name} is not in the layer control"
        assert by_name[name]["onMap"]
        assert by_name[name]["features"] > 0
    assert state["listed"] == state["legend"]


def test_no_console_errors_except_unreachable_tiles(page: object) -> None:
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    not_tiles = [e for e in errors if "tile.openstreetmap.org" not in e["message"]]
    assert not_tiles == []


def test_self_contained_page_requests_no_script_or_stylesheet(page: object) -> None:
    requests = _requests(page)
    # The log is live: it holds the page itself and the (failing) tile requests.
    assert any(r["request"]["url"].startswith("file:") for r in requests)
    assert any("tile.openstreetmap.org" in r["request"]["url"] for r in requests)
    external = [
        r["request"]["url"]
        for r in requests
        if r.get("type") in {"Script", "Stylesheet", "Font"}
        and r["request"]["url"].startswith(("http:", "https:", "//", "ws:", "wss:"))
    ]
    assert external == []


def test_screenshot_is_not_blank(page: object) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(page.get_screenshot_as_png())).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50
    # The map area, not only the legend, carries drawing: the centre is not one colour.
    centre = image.crop((WIDTH // 4, HEIGHT // 4, 3 * WIDTH // 4, 3 * HEIGHT // 4))
    assert len(centre.getcolors(maxcolors=1 << 20)) > 10


def test_script_in_a_name_shows_as_text(page: object) -> None:
    popup = page.execute_script(OPEN_XSS_POPUP_JS)
    assert XSS_NAME in popup["text"]
    assert popup["scripts"] == 0
    assert page.execute_script("return document.querySelectorAll('script').length") > 0
    # An executed alert() would leave an open dialog.
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert.text  # noqa: B018


def test_cli_png_has_the_requested_size_and_more_than_one_colour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    monkeypatch.setattr(cli, "load_catalog", sample_catalog)
    html, png = tmp_path / "czt.html", tmp_path / "czt.png"
    # A plain (CDN-linked) map: the picture is taken from a self-contained copy.
    args = ["map", "-o", str(html), "--png", str(png), "--size", "640x420", "--layers", "rail"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    image = Image.open(png).convert("RGB")
    assert image.size == (640, 420)
    assert len(image.getcolors(maxcolors=1 << 20)) > 10

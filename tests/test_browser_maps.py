"""The written map in headless Chromium with the network blocked.

Skipped (with the reason) when Debian's chromium or chromium-driver is missing.
"""

from __future__ import annotations

import functools
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner
from maps_support import XSS_NAME, evidence_report, sample_catalog, sample_layers
from selenium.webdriver.chromium.webdriver import ChromiumDriver
from selenium.webdriver.remote.webdriver import WebDriver

from ctz import cli
from ctz.maps import export
from ctz.maps.browser import MAP_IDLE_JS, chromium_paths, headless_chromium, open_map
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
// (reading window.localStorage throws in the briefing's sandboxed frame: guarded)
const maps = Object.keys(window).map(function (k) { try { return window[k]; } catch (e) {} })
    .filter(v => v instanceof L.Map);
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

LABELS_JS = """
const frame = document.querySelector(".folium-map").getBoundingClientRect();
const visible = Array.from(document.querySelectorAll(".ctz-label")).filter(
    s => s.parentElement.style.display !== "none").map(function (s) {
        const r = s.getBoundingClientRect();
        return {text: s.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    });
const boxes = Array.from(document.querySelectorAll(".ctz-title, .ctz-legend, .leaflet-control"))
    .map(el => el.getBoundingClientRect()).filter(r => r.width && r.height);
return {visible: visible, shown: document.querySelector(".folium-map").dataset.ctzLabelsShown,
        furniture: boxes.map(r => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom})),
        width: frame.width, height: frame.height};
"""

OPEN_POPUP_UNDER_TITLE_JS = """
const map = Object.keys(window).map(k => window[k]).filter(v => v instanceof L.Map)[0];
let hub = null;
map.eachLayer(function (layer) {
    if (layer.feature && layer.feature.properties.tip.indexOf("hub_h en") >= 0) { hub = layer; }
});
// Put the hub right under the title, then open its popup.
const at = map.latLngToContainerPoint(hub.getLatLng());
map.panBy([at.x - map.getSize().x / 2, at.y - 30], {animate: false});
hub.openPopup();
"""

POPUP_STATE_JS = """
const popup = document.querySelector(".leaflet-popup-content-wrapper").getBoundingClientRect();
const title = document.getElementById("ctz-title");
const t = title.getBoundingClientRect();
const centre = document.elementFromPoint(
    (popup.left + popup.right) / 2, (popup.top + popup.bottom) / 2);
const overlap = popup.left < t.right && t.left < popup.right
    && popup.top < t.bottom && t.top < popup.bottom;
return {inPopup: centre.closest(".leaflet-popup") !== null, overlap: overlap,
        faded: title.classList.contains("ctz-faded")};
"""

OPEN_XSS_POPUP_JS = """
// (reading window.localStorage throws in the briefing's sandboxed frame: guarded)
const maps = Object.keys(window).map(function (k) { try { return window[k]; } catch (e) {} })
    .filter(v => v instanceof L.Map);
let found = null;
maps[0].eachLayer(function (layer) {
    if (layer.feature && layer.feature.properties.tip.indexOf("&lt;script") >= 0) {
        found = layer;
    }
});
found.openPopup();
// this layer's popup (an earlier one may still be fading out)
const popup = found.getPopup().getElement().querySelector(".leaflet-popup-content");
return {text: popup.textContent, scripts: popup.querySelectorAll("script").length};
"""


@pytest.fixture(scope="module")
def map_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    catalog = sample_catalog()
    layers = sample_layers(catalog) | {"boundaries": boundary_layer()}
    path = tmp_path_factory.mktemp("maps") / "czt.html"
    save_html(render_map(layers, catalog, MapOptions(lang="en")), path)
    return path


@pytest.fixture(scope="module")
def page(map_file: Path) -> Iterator[WebDriver]:
    with headless_chromium(WIDTH, HEIGHT, offline=True, logs=True) as driver:
        assert open_map(driver, map_file, timeout_s=20)
        yield driver


def _log(driver: WebDriver, kind: str) -> list[dict]:
    """The ``browser`` (console) or ``performance`` (network) log kept since the last call."""
    return cast(ChromiumDriver, driver).get_log(kind)


def _requests(driver: WebDriver) -> list[dict]:
    events = [json.loads(entry["message"])["message"] for entry in _log(driver, "performance")]
    return [e["params"] for e in events if e["method"] == "Network.requestWillBeSent"]


def test_every_legend_layer_is_a_listed_leaflet_layer_with_features(page: WebDriver) -> None:
    state = page.execute_script(LEAFLET_STATE_JS)
    assert state["maps"] == 1 and state["controls"] == 1
    by_name = {o["name"]: o for o in state["overlays"]}
    assert len(state["legend"]) == 8  # seven layers and the offline base
    for name in state["legend"]:
        assert name in by_name, f"legend layer {name} is not in the layer control"
        assert by_name[name]["onMap"]
        assert by_name[name]["features"] > 0
    assert state["listed"] == state["legend"]


def test_no_console_errors_except_unreachable_tiles(page: WebDriver) -> None:
    errors = [e for e in _log(page, "browser") if e["level"] == "SEVERE"]
    not_tiles = [e for e in errors if "tile.openstreetmap.org" not in e["message"]]
    assert not_tiles == []


def test_self_contained_page_requests_no_script_or_stylesheet(page: WebDriver) -> None:
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


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def test_labels_show_at_the_default_view_without_overlapping(page: WebDriver) -> None:
    state = page.execute_script(LABELS_JS)
    texts = [label["text"] for label in state["visible"]]
    assert int(state["shown"]) == len(texts) >= 5
    assert {"G4", "Changsha", "Xiangtan"} <= set(texts)
    for i, a in enumerate(state["visible"]):
        assert a["left"] >= 0 and a["top"] >= 0
        assert a["right"] <= state["width"] and a["bottom"] <= state["height"]
        for b in state["visible"][i + 1 :]:
            assert not _overlap(a, b), (a["text"], b["text"])
        for box in state["furniture"]:
            assert not _overlap(a, box), a["text"]


def test_legend_fits_the_frame_at_1200_by_800(page: WebDriver) -> None:
    legend = page.execute_script(
        "const l = document.getElementById('ctz-legend'); const r = l.getBoundingClientRect();"
        "return {bottom: r.bottom, right: r.right, scroll: l.scrollHeight, client: l.clientHeight,"
        " open: l.open};"
    )
    assert legend["open"]
    assert legend["bottom"] <= HEIGHT and legend["right"] <= WIDTH
    assert legend["scroll"] <= legend["client"] + 1  # nothing hidden behind a scroll bar


def test_popup_reads_in_full_above_the_title(page: WebDriver) -> None:
    page.execute_script(OPEN_POPUP_UNDER_TITLE_JS)
    time.sleep(0.6)  # the popup pans the map into view
    state = page.execute_script(POPUP_STATE_JS)
    page.execute_script(
        "Object.keys(window).map(k => window[k]).filter(v => v instanceof L.Map)[0].closePopup();"
    )
    assert state["inPopup"]
    assert not state["overlap"] or state["faded"]


def test_switching_a_layer_off_hides_its_labels(page: WebDriver) -> None:
    toggle = """
    const box = Array.from(document.querySelectorAll(".leaflet-control-layers-overlays label"))
        .find(l => l.textContent.trim() === "Roads").querySelector("input");
    box.click();
    return Array.from(document.querySelectorAll(".ctz-label")).map(s => s.textContent);
    """
    texts = page.execute_script(toggle)
    assert "G4" not in texts
    assert "G4" in page.execute_script(toggle)  # and back on


def test_screenshot_is_not_blank(page: WebDriver) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(page.get_screenshot_as_png())).convert("RGB")
    assert image.size == (WIDTH, HEIGHT)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50
    # The map area, not only the legend, carries drawing: the centre is not one colour.
    centre = image.crop((WIDTH // 4, HEIGHT // 4, 3 * WIDTH // 4, 3 * HEIGHT // 4))
    assert len(centre.getcolors(maxcolors=1 << 20) or ()) > 10


def test_script_in_a_name_shows_as_text(page: WebDriver) -> None:
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
    # No tile server answers: the picture shows the offline base, and says so.
    monkeypatch.setattr(
        export, "headless_chromium", functools.partial(headless_chromium, offline=True)
    )
    html, png = tmp_path / "czt.html", tmp_path / "czt.png"
    # A plain (CDN-linked) map: the picture is taken from a self-contained copy.
    args = ["map", "-o", str(html), "--png", str(png), "--size", "640x420", "--layers", "rail"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    image = Image.open(png).convert("RGB")
    assert image.size == (640, 420)
    assert len(image.getcolors(maxcolors=1 << 20) or ()) > 10
    assert "note: basemap tiles could not be loaded" in result.stderr


# --- every HTML ctz writes -------------------------------------------------------------


@pytest.fixture(scope="module")
def written_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The evidence map, the commute map and the briefing, written as ctz writes them."""
    import ctz
    from ctz.catalog import load_catalog
    from ctz.maps.make import write_result_map
    from ctz.maps.render import map_layers
    from ctz.maps.report.briefing import Briefing
    from ctz.maps.report.write import write_briefing

    folder = tmp_path_factory.mktemp("pages")
    catalog = load_catalog()
    commute = ctz.commute(marginal=True, catalog=catalog)
    pages = {"check": folder / "check.html", "commute": folder / "commute.html"}
    write_result_map(evidence_report(), catalog, pages["check"], lang="en")
    write_result_map(commute, catalog, pages["commute"], lang="en")
    briefing = Briefing(
        ctz.check("all", catalog=catalog), commute, catalog, "ctz report", lang="en"
    )
    pages["report"] = folder / "report.html"
    write_briefing(briefing, pages["report"], map_layers(catalog, None, ("boundaries",))[0])
    return pages


@pytest.mark.parametrize("page_name", ["check", "commute", "report"])
def test_every_page_ctz_writes_opens_offline_with_layers_and_labels(
    written_pages: dict[str, Path], page_name: str
) -> None:
    with headless_chromium(WIDTH, HEIGHT, offline=True, logs=True) as driver:
        if page_name == "report":
            driver.get(written_pages[page_name].resolve().as_uri())
            # The commute figure: bands, line, cores over the outlines (the overview of
            # this briefing holds the outlines alone).
            frame = driver.find_element("css selector", "#figure-commute iframe.ctz-map")
            driver.switch_to.frame(frame)
            deadline = time.monotonic() + 20
            while not driver.execute_script(MAP_IDLE_JS) and time.monotonic() < deadline:
                time.sleep(0.1)
        else:
            assert open_map(driver, written_pages[page_name], timeout_s=20)
        state = driver.execute_script(LEAFLET_STATE_JS)
        labels = driver.execute_script(LABELS_JS)
        requests = _requests(driver)
        errors = [e for e in _log(driver, "browser") if e["level"] == "SEVERE"]
    assert state["maps"] == 1 and state["listed"] == state["legend"]
    assert len(state["legend"]) >= 3
    assert all(o["features"] > 0 for o in state["overlays"])
    assert int(labels["shown"]) > 0  # at least the city names
    external = [
        r["request"]["url"]
        for r in requests
        if r.get("type") in {"Script", "Stylesheet", "Font"}
        and r["request"]["url"].startswith(("http:", "https:", "//"))
    ]
    assert external == []
    assert [e for e in errors if "tile.openstreetmap.org" not in e["message"]] == []

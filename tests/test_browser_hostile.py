"""Hostile names in every page ctz writes stay text in headless Chromium (network blocked).

A scenario name, an OSM or catalog name that carries an ``<img onerror>`` must run
nothing: not in the map's layer control, tooltips or popups, and not in the
briefing, whose map frame is sandboxed besides.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from maps_support import evidence_report, sample_catalog

import ctz
from ctz.checks.result import Report
from ctz.maps.browser import MAP_IDLE_JS, chromium_paths, headless_chromium, open_map
from ctz.maps.make import write_result_map
from ctz.maps.render import map_layers
from ctz.maps.report.briefing import Briefing
from ctz.maps.report.write import write_briefing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_paths() is None, reason="needs Debian's chromium and chromium-driver"
    ),
]

PAYLOAD = (
    '<img src=x onerror="window.ctzOwned=1;'
    "try{top.document.title='owned'}catch(e){};"
    "try{top.document.querySelector('tr.not_met td.not_met').textContent='达标'}catch(e){}\">"
)
"""What the issue's attacker put in a scenario name: it rewrote the briefing's title and verdict."""

EXPAND_LAYERS_JS = """
document.querySelectorAll('.leaflet-control-layers').forEach(
    c => c.classList.add('leaflet-control-layers-expanded'));
// (reading window.localStorage throws in a sandboxed frame: every key is read guarded)
const map = Object.keys(window).map(function (k) { try { return window[k]; } catch (e) {} })
    .filter(v => v instanceof L.Map)[0];
map.eachLayer(function (layer) {
    if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); }
});
const names = Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))
    .map(l => l.textContent);
const injected = document.querySelectorAll(
    '.leaflet-control-layers img, .leaflet-tooltip img, .ctz-legend img, .ctz-label img, '
    + '#ctz-title img').length;
return {names: names, owned: window.ctzOwned || 0, injected: injected,
        text: document.body.textContent};
"""


def hostile_evidence() -> Report:
    """The sample evidence report with the payload as a goal name and as OSM labels."""
    report = evidence_report()
    results = [
        dataclasses.replace(
            r, name_en=PAYLOAD, evidence=r.evidence.assign(label=PAYLOAD + " (OSM name)")
        )
        for r in report.results
    ]
    return dataclasses.replace(report, results=results)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from ctz.catalog import load_catalog

    folder = tmp_path_factory.mktemp("hostile")
    catalog = load_catalog()
    commute = dataclasses.replace(ctz.commute(catalog=catalog), scenario=PAYLOAD)
    written = {"commute": folder / "commute.html", "check": folder / "check.html"}
    write_result_map(commute, catalog, written["commute"], lang="en")
    write_result_map(hostile_evidence(), sample_catalog(), written["check"], lang="en")
    report = ctz.check("all", catalog=catalog)
    briefing = Briefing(report, commute, catalog, f"ctz report --scenario {PAYLOAD}", lang="zh")
    written["report"] = folder / "report.html"
    write_briefing(briefing, written["report"], map_layers(catalog, None, ("boundaries",))[0])
    return written


@pytest.mark.parametrize("name", ["commute", "check"])
def test_a_hostile_name_on_a_map_runs_nothing(pages: dict[str, Path], name: str) -> None:
    with headless_chromium(1200, 800, offline=True) as driver:
        assert open_map(driver, pages[name], timeout_s=20)
        state = driver.execute_script(EXPAND_LAYERS_JS)
        time.sleep(0.3)
        owned = driver.execute_script("return window.ctzOwned || 0")
        title = driver.title
    assert state["owned"] == 0 and owned == 0
    assert title != "owned"
    assert state["injected"] == 0
    assert any('<img src=x onerror="window.ctzOwned' in n for n in state["names"])  # as text


def test_the_briefing_keeps_its_title_and_verdicts(pages: dict[str, Path]) -> None:
    with headless_chromium(1200, 800, offline=True) as driver:
        driver.get(pages["report"].resolve().as_uri())
        before = driver.execute_script(
            "return [document.title, Array.from(document.querySelectorAll('#goals td'))"
            ".map(td => td.textContent)]"
        )
        frames = driver.find_elements("css selector", "iframe.ctz-map")
        assert frames and all(f.get_attribute("sandbox") == "allow-scripts" for f in frames)
        # the commute figure's map carries the scenario's (hostile) name
        driver.switch_to.frame(driver.find_element("css selector", "#figure-commute iframe"))
        deadline = time.monotonic() + 20
        while not driver.execute_script(MAP_IDLE_JS) and time.monotonic() < deadline:
            time.sleep(0.1)
        state = driver.execute_script(EXPAND_LAYERS_JS)
        # Even a script that did run in the frame could not reach the page around it.
        reach = driver.execute_script(
            "try { return top.document.title; } catch (e) { return 'blocked: ' + e.name; }"
        )
        time.sleep(0.3)
        driver.switch_to.default_content()
        after = driver.execute_script(
            "return [document.title, Array.from(document.querySelectorAll('#goals td'))"
            ".map(td => td.textContent)]"
        )
    assert state["owned"] == 0 and state["injected"] == 0
    assert '<img src=x onerror="window.ctzOwned' in state["text"]  # shown as text
    assert reach == "blocked: SecurityError"
    assert after == before and after[0] != "owned"

"""Hostile names from shared files stay inert: no script in the maps, no formula in the tables."""

from __future__ import annotations

import csv
import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

import ctz
from ctz.catalog.model import Catalog
from ctz.checks.commute.result import CommuteResult
from ctz.checks.result import Report
from ctz.maps.export import map_html
from ctz.maps.render import MapOptions, render_map
from ctz.maps.report.briefing import Briefing
from ctz.maps.report.html import briefing_html
from ctz.maps.report.safe_cells import FORMULA_LEADS, csv_text
from ctz.maps.report.write import write_briefing

SCRIPT_NAME = "<img src=x onerror=\"document.title='owned'\">"
FORMULA_NAME = '=HYPERLINK("http://example.invalid","click me")'
CONTROL_NAME = "长沙\x1b]0;owned\x07\u202eevil\x00"


@pytest.fixture(scope="module")
def commute(catalog: Catalog) -> CommuteResult:
    return ctz.commute(catalog=catalog)


@pytest.fixture(scope="module")
def report(catalog: Catalog) -> Report:
    return ctz.check("all", catalog=catalog)


def layer_control_names(html: str) -> list[str]:
    """The names the Leaflet layer control writes as HTML."""
    return [json.loads(n) for n in re.findall(r'("(?:[^"\\]|\\.)*")\s*:\s*feature_group_\w+', html)]


def test_a_scenario_name_reaches_the_layer_control_escaped(
    commute: CommuteResult, catalog: Catalog
) -> None:
    hostile = dataclasses.replace(commute, scenario=SCRIPT_NAME)
    html = map_html(render_map({}, catalog, MapOptions(lang="en"), [hostile]))
    names = layer_control_names(html)
    assert any("&lt;img src=x onerror=" in n for n in names), names
    assert not any("<" in n for n in names)


def test_the_briefing_map_is_sandboxed_without_same_origin(
    report: Report, commute: CommuteResult, catalog: Catalog
) -> None:
    briefing = Briefing(report, commute, catalog, "ctz report", made=date(2025, 3, 1))
    maps = {key: f"<html><body>{key}</body></html>" for key in ("overview", "commute")}
    frames = re.findall(r"<iframe[^>]*>", briefing_html(briefing, maps))
    assert len(frames) == len(maps)
    assert all('sandbox="allow-scripts"' in frame for frame in frames)
    assert not any("allow-same-origin" in frame for frame in frames)


@pytest.mark.parametrize("name", [FORMULA_NAME, CONTROL_NAME, "+cmd|' /C calc'!A0", "@SUM(1)"])
def test_workbook_and_csv_hold_hostile_names_as_text(
    name: str, report: Report, commute: CommuteResult, catalog: Catalog, tmp_path: Path
) -> None:
    hostile = dataclasses.replace(commute, scenario=name)
    briefing = Briefing(report, hostile, catalog, f"ctz report --scenario {name}")
    write_briefing(briefing, tmp_path / "b.xlsx", {})
    book = load_workbook(tmp_path / "b.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    expected = csv_text(name).removeprefix("'")
    assert expected in texts  # the name itself, in data_coverage
    assert not any(re.search(r"[\x00-\x08\x1b\u202e]", t) for t in texts)
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and c.value[:1] == "=")
    numbers = [c.value for c in book[briefing.title("bands")[:31]]["B"][1:]]
    assert numbers and all(isinstance(v, float | int) for v in numbers)

    paths = write_briefing(briefing, tmp_path / "b.csv", {})
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                for cell in row:
                    assert not cell.startswith(FORMULA_LEADS) or _is_number(cell), (path, cell)
    with (tmp_path / "b" / "bands.csv").open(encoding="utf-8-sig") as f:
        bands = list(csv.reader(f))
    assert float(bands[1][1]) >= 0  # numbers stay numbers


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_text_guards_formulas_and_leaves_numbers() -> None:
    assert csv_text("=1+1") == "'=1+1"
    assert csv_text("\x1b=1+1") == "'=1+1"
    assert csv_text("\t-x") == "'\t-x"
    assert csv_text(-3.5) == -3.5
    assert csv_text("长沙") == "长沙"

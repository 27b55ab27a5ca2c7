"""The briefing: ctz report to HTML (self-contained, map and tables), Excel, Markdown and CSV."""

from __future__ import annotations

import html as html_module
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from maps_support import found
from openpyxl import load_workbook

import ctz
from ctz import cli
from ctz.catalog.model import Catalog
from ctz.maps.render import map_layers
from ctz.maps.report.briefing import TABLE_TITLES, Briefing
from ctz.maps.report.write import write_briefing

COMMAND = "ctz report -o brief --source embedded --scenario 2025 --lang zh"


@pytest.fixture(scope="module")
def briefing(catalog: Catalog) -> Briefing:
    report = ctz.check("all", catalog=catalog)
    commute = ctz.commute(marginal=True, catalog=catalog)
    return Briefing(report, commute, catalog, COMMAND, made=date(2025, 3, 1))


def test_tables_hold_every_goal_pair_county_and_item(briefing: Briefing) -> None:
    tables = briefing.tables()
    assert list(tables) == [k for k in TABLE_TITLES if k in tables]
    assert {"goals", "core_pairs", "by_county", "marginal", "items"} <= set(tables)
    assert tables["goals"]["goal_id"].tolist() == list(briefing.catalog.goals)
    assert len(tables["core_pairs"]) == 3
    assert len(tables["by_county"]) == 23
    assert len(tables["items"]) == len(briefing.catalog.items)
    pairs = briefing.commute.core_pairs
    assert tables["core_pairs"]["best [min]"].tolist() == pairs["best"].round(1).tolist()
    # Population shares as percentages, the county populations summing to the grid's.
    counties = tables["by_county"]
    assert counties["population [people]"].sum() == briefing.commute.population
    assert counties["within 60 min scenario [%]"].between(0, 100).all()


def test_html_is_one_self_contained_page_with_map_and_tables(
    briefing: Briefing, tmp_path: Path
) -> None:
    path = tmp_path / "brief.html"
    layers, _ = map_layers(briefing.catalog, None, ("boundaries",))
    write_briefing(briefing, path, layers)
    page = path.read_text(encoding="utf-8")
    external = r'<script[^>]+src=|<link[^>]+rel="stylesheet"|@import|<img[^>]+src="http'
    assert not re.search(external, page)
    srcdoc = html_module.unescape(found(r'<iframe class="ctz-map"[^>]* srcdoc="([^"]*)"', page)[1])
    assert not re.search(external, srcdoc)
    assert "Leaflet 1.9.3" in srcdoc and "ctzSetup(" in srcdoc
    assert "通勤时间圈（至最近核心）" in srcdoc  # the commute bands are on the map
    goals = found(r'<section id="goals">(.*?)</section>', page, re.S)[1]
    assert len(re.findall(r"<tr class=", goals)) == len(briefing.catalog.goals)
    classes = set(re.findall(r'<tr class="(\w+)">', goals))
    assert classes and classes <= {"met", "not_met", "unknown"}
    assert ("not_met" not in classes or "未达标" in goals) and (
        "met" not in classes or "达标" in goals
    )
    for key in ("core_pairs", "by_city", "by_county", "marginal", "data_coverage", "sources"):
        assert f'<section id="{key}">' in page
    assert html_module.escape(COMMAND) in page and "2025-03-01" in page
    assert "@media print" in page and "OpenStreetMap contributors" in page


def test_xlsx_has_a_sheet_per_table_with_numbers_and_frozen_headers(
    briefing: Briefing, tmp_path: Path
) -> None:
    path = tmp_path / "brief.xlsx"
    write_briefing(briefing, path, {})
    book = load_workbook(path)
    assert book.sheetnames == [*briefing.tables(), "about"]
    goals = book["goals"]
    assert goals.freeze_panes == "A2"
    header = [c.value for c in goals[1]]
    assert header[:6] == ["goal_id", "name_zh", "name_en", "measured", "target", "unit"]
    ids = [row[0] for row in goals.iter_rows(min_row=2, values_only=True)]
    assert ids == list(briefing.catalog.goals)
    pairs = book["core_pairs"]
    assert [c.value for c in pairs[1]][2:5] == ["road [min]", "rail [min]", "best [min]"]
    best = [row[4] for row in pairs.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(v, int | float) for v in best)  # numbers, not text
    assert best == briefing.commute.core_pairs["best"].round(1).tolist()
    counties = book["by_county"]
    assert counties.max_row == 24 and isinstance(counties["C2"].value, int)
    assert book["about"]["B1"].value == COMMAND


def test_markdown_and_csv_folder_hold_the_same_tables(briefing: Briefing, tmp_path: Path) -> None:
    markdown = tmp_path / "brief.md"
    write_briefing(briefing, markdown, {})
    text = markdown.read_text(encoding="utf-8")
    for key in briefing.tables():
        assert f"## {briefing.title(key)}" in text
    assert "best \\[min\\]" in text  # headers escaped, units kept
    written = write_briefing(briefing, tmp_path / "brief.csv", {})
    assert {p.name for p in written} == {f"{k}.csv" for k in briefing.tables()} | {"about.csv"}
    assert all(p.parent == tmp_path / "brief" for p in written)
    goals = pd.read_csv(tmp_path / "brief" / "goals.csv", encoding="utf-8-sig")
    assert goals["goal_id"].tolist() == list(briefing.catalog.goals)


@pytest.mark.slow
def test_cli_report_writes_html_and_refuses_other_endings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli.main, ["report", "-o", "brief.html", "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "ctz report -o brief.html --source embedded --scenario 2025 --lang en" in page
    assert "Marginal ranking of planned items" in page
    bad = runner.invoke(cli.main, ["report", "-o", "brief.pdf"])
    assert bad.exit_code == 2 and "brief.pdf" in bad.stderr
    assert not (tmp_path / "brief.pdf").exists()

"""The briefing: ctz report to HTML (self-contained, map and tables), Excel, Markdown and CSV."""

from __future__ import annotations

import dataclasses
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
from ctz.maps.report.markdown import briefing_markdown
from ctz.maps.report.write import write_briefing
from ctz.words import word

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
    assert list(tables)[-1] == "items"  # the item list is the appendix
    goals = tables["goals"].frame
    assert goals.columns[0] == "verdict"  # the verdict first
    assert goals["goal_id"].tolist() == list(briefing.catalog.goals)
    assert len(tables["core_pairs"]) == 3
    assert len(tables["by_county"]) == 23
    assert len(tables["items"]) == len(briefing.catalog.items)
    pairs = briefing.commute.core_pairs
    # Full precision in the table; the writers round.
    assert tables["core_pairs"].frame["best_min"].tolist() == pairs["best"].tolist()
    counties = tables["by_county"].frame
    assert counties["population"].sum() == briefing.commute.population
    assert counties["within_60_scenario"].between(0, 1).all()


def _numbers_in_cells(page: str) -> list[str]:
    cells = re.findall(r'<td class="num">([^<]*)</td>', page)
    return [c for c in cells if c != "—"]


def test_html_opens_with_findings_then_figures_tables_and_the_appendix(
    briefing: Briefing, tmp_path: Path
) -> None:
    path = tmp_path / "brief.html"
    layers, _ = map_layers(briefing.catalog, None, ("boundaries",))
    write_briefing(briefing, path, layers)
    page = path.read_text(encoding="utf-8")
    external = r'<script[^>]+src=|<link[^>]+rel="stylesheet"|@import|<img[^>]+src="http'
    assert not re.search(external, page)
    frames = re.findall(r'<iframe class="ctz-map"[^>]* srcdoc="([^"]*)"', page)
    # The plan overview, the commute map, then one map per goal family.
    assert len(frames) == 5
    overview, commute, *families = (html_module.unescape(f) for f in frames)
    for srcdoc in (overview, commute, *families):
        assert not re.search(external, srcdoc)
        assert "Leaflet 1.9.3" in srcdoc and "ctzSetup(" in srcdoc
        assert "ctz 0." in srcdoc and "2025-03-01" in srcdoc  # version and date under the title
    assert "通勤时间圈（至最近核心）" in commute and "60分钟等时线" in commute
    verdict = word(briefing.commute.goal.verdict, "zh")
    assert f"：{verdict}（" in commute  # the verdict in the commute map's title
    drawn = "".join(families)  # every goal of the three families: evidence or "no data"
    for result in briefing.report.results:
        if result.kind in ("corridor_package", "green_heart_area", "charging_radius"):
            assert f"{result.name_zh} · " in drawn
    order = [page.index(f'id="{key}"') for key in ("findings", "key-numbers", "figure-overview")]
    order += [page.index(f'id="{key}"') for key in ("figure-commute", "figure-charging", "goals")]
    order += [page.index('id="items"')]
    assert order == sorted(order)
    findings = found(r'<section id="findings">(.*?)</section>', page, re.S)[1]
    sentences = re.findall(r'<li class="(\w+)">(.*?)</li>', findings)
    assert len(sentences) == len(briefing.catalog.goals)
    names = {g.name_zh for g in briefing.catalog.goals.values()}
    assert all(any(text.startswith(n) for n in names) for _, text in sentences)
    failing = [verdict == "not_met" for verdict, _ in sentences]
    assert failing == sorted(failing, reverse=True)  # goals not met come first
    first_verdict, first_text = sentences[0]
    assert word(first_verdict, "zh") in first_text
    assert any("需要OpenStreetMap数据" in text for _, text in sentences)
    assert "<svg" in page and "</svg>" in page  # the county chart, written inline
    goals = found(r'<section id="goals">(.*?)</section>', page, re.S)[1]
    assert len(re.findall(r"<tr class=", goals)) == len(briefing.catalog.goals)
    classes = set(re.findall(r'<tr class="(\w+)">', goals))
    assert classes and classes <= {"met", "not_met", "unknown"}
    assert ("not_met" not in classes or "未达标" in goals) and (
        "met" not in classes or "达标" in goals
    )
    # No raw field names or codes in the Chinese page's headers and words.
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", page)
    assert not [h for h in headers if re.search(r"[a-z]_[a-z]|\[", h)]
    assert "under_construction" not in page.split("<footer>")[0].split("</style>")[1]
    # Numbers as a planner writes them: at most one decimal in any table cell.
    assert not [n for n in _numbers_in_cells(page) if re.search(r"\.\d\d", n)]
    assert html_module.escape(COMMAND) in page and "2025-03-01" in page
    assert "@media print" in page and "counter(page)" in page
    assert "OpenStreetMap 贡献者" in page


def test_xlsx_speaks_the_readers_language_and_keeps_full_precision(
    briefing: Briefing, tmp_path: Path
) -> None:
    path = tmp_path / "brief.xlsx"
    write_briefing(briefing, path, {})
    book = load_workbook(path)
    assert book.sheetnames == [*(TABLE_TITLES[k][0] for k in briefing.tables()), "关于"]
    goals = book["规划目标核查"]
    assert goals.freeze_panes == "A2"
    header = [c.value for c in goals[1]]
    assert header[:5] == ["结论", "目标", "实测", "目标值", "单位"]
    verdicts = {row[0] for row in goals.iter_rows(min_row=2, values_only=True)}
    assert verdicts <= {"达标", "未达标", "未知"} and {"未达标", "未知"} <= verdicts
    ids = [row[-1] for row in goals.iter_rows(min_row=2, values_only=True)]
    assert ids == list(briefing.catalog.goals)
    commute = ids.index("one_hour_commute") + 2  # a share of people: one decimal, kept exact
    assert goals[f"C{commute}"].number_format == "#,##0.0"
    assert goals[f"C{commute}"].value == briefing.report.results[commute - 2].measured
    pairs = book["核心间通行时间"]
    best = [row[4] for row in pairs.iter_rows(min_row=2, values_only=True)]
    exact = briefing.commute.core_pairs["best"].tolist()
    assert best == pytest.approx(exact, rel=1e-14)  # full precision, not the shown minutes
    assert pairs["E2"].number_format == "#,##0"  # shown to the minute
    counties = book["分区县覆盖"]
    assert counties.max_row == 24 and isinstance(counties["B2"].value, int)
    assert counties["C2"].number_format == "0.0%"
    items = book["规划项目及出处"]
    statuses = {row[2] for row in items.iter_rows(min_row=2, values_only=True)}
    assert statuses <= {"已建成", "在建", "规划", "研究", "改扩建"}
    assert book["关于"]["B1"].value == COMMAND


def test_english_briefing_has_english_words_only(catalog: Catalog, tmp_path: Path) -> None:
    report = ctz.check("all", catalog=catalog)
    commute = ctz.commute(catalog=catalog)
    english = Briefing(report, commute, catalog, COMMAND, made=date(2025, 3, 1), lang="en")
    text = briefing_markdown(english)
    lines = text.splitlines()
    opening = "\n".join(lines[3 : lines.index("### Table 1 Goals")])
    opening = re.sub(r"'[\u4e00-\u9fff]+'", "", opening)  # a name quoting the plan's term
    headers = [lines[i + 2] for i, line in enumerate(lines) if line.startswith("### ")]
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert not cjk.search(opening) and not [h for h in headers if cjk.search(h)]
    first = lines.index("### Table 1 Goals") + 4
    rows = lines[first : first + len(catalog.goals)]
    assert {row[2:].split(" | ")[0] for row in rows} <= {"met", "not met", "unknown"}
    goal = catalog.goals["one_hour_commute"]
    assert f"{goal.name_en}: {word(commute.goal.verdict, 'en')}" in text


def test_markdown_and_csv_folder_hold_the_same_tables(briefing: Briefing, tmp_path: Path) -> None:
    markdown = tmp_path / "brief.md"
    write_briefing(briefing, markdown, {})
    text = markdown.read_text(encoding="utf-8")
    assert text.index("## 主要结论") < text.index("## 关键数字") < text.index("## 附录")
    for key in briefing.tables():
        assert briefing.title(key) in text
    assert "最快（分钟）" in text  # headers in the reader's language
    written = write_briefing(briefing, tmp_path / "brief.csv", {})
    assert {p.name for p in written} == {f"{k}.csv" for k in briefing.tables()} | {"about.csv"}
    assert all(p.parent == tmp_path / "brief" for p in written)
    goals = pd.read_csv(tmp_path / "brief" / "goals.csv", encoding="utf-8-sig")
    assert goals["目标编号"].tolist() == list(briefing.catalog.goals)


@pytest.mark.slow
def test_cli_report_writes_html_and_refuses_other_endings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli.main, ["report", "-o", "brief.html", "--lang", "en"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert "ctz report -o brief.html --source auto --scenario 2025 --lang en" in page
    assert "Marginal ranking of planned items" in page and 'id="findings"' in page
    bad = runner.invoke(cli.main, ["report", "-o", "brief.pdf"])
    assert bad.exit_code == 2 and "brief.pdf" in bad.stderr
    assert not (tmp_path / "brief.pdf").exists()


@pytest.mark.parametrize(("lang", "bound"), [("zh", "不少于"), ("en", "at least")])
def test_each_finding_states_the_bound_its_verdict_is_judged_by(
    briefing: Briefing, catalog: Catalog, lang: str, bound: str
) -> None:
    # The one-hour goal is judged by its rule (a share of people, at least 80 %), not
    # by the 60 minutes of its target: its finding must say "at least", as the map does.
    from ctz.maps.report.findings import findings

    rule = catalog.goals["one_hour_commute"].rule
    assert rule is not None and rule.direction == "at_least"
    name = catalog.goals["one_hour_commute"].name_zh if lang == "zh" else None
    sentences = [s for _, s in findings(dataclasses.replace(briefing, lang=lang))]
    commute = next(s for s in sentences if (name or "One-hour commute") in s)
    assert bound in commute and word("at_most", lang) not in commute

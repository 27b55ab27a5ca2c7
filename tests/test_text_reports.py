"""The terminal's text reports (``ctz check commute``, ``ctz check all``) in the reader's language.

Under ``--lang zh`` no English word is printed, under ``--lang en`` no Chinese one
outside a quoted plan name; both name places and cores instead of printing ids or
codes, and write no number with more than one decimal.
"""

from __future__ import annotations

import dataclasses
import re

import click
import numpy as np
import pytest
from click.testing import CliRunner

import ctz
from ctz import cli
from ctz.catalog.model import Catalog
from ctz.checks.commute.result import CommuteResult
from ctz.checks.result import Report
from ctz.layers.boundaries import city_boundaries, county_boundaries
from ctz.maps.commute_text import commute_lines, comparison_lines
from ctz.maps.terminal import display_width
from ctz.maps.text import coverage_lines, goal_rows, table_lines
from ctz.words import sentence

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
RAW_ID = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
"""A snake_case id or field name: ``changsha_core``, ``name_zh``, ``area_nearest_60``."""
AREA_CODE = re.compile(r"\b43\d{4}\b")
"""A city or county code of Hunan (430100 Changsha, 430102 Furong District …)."""
FINE_NUMBER = re.compile(r"\d\.\d{2,}")
ALLOWED_IN_CHINESE = re.compile(r"OpenStreetMap|ctz|`[^`]*`|\S*/\S*|[\w-]+\.[a-z]{2,4}\b")
"""Latin a Chinese report may hold: the data's and the tool's proper names, a command to run,
a file's path or name."""
QUOTED = re.compile(r'"[^"]*"')


@pytest.fixture(scope="module")
def commute() -> CommuteResult:
    return ctz.commute(marginal=True)


@pytest.fixture(scope="module")
def report(catalog: Catalog) -> Report:
    return ctz.check("all", catalog=catalog)


def goal_table_text(report: Report, lang: str) -> str:
    rows = goal_rows(report, lang)
    lines = table_lines(list(rows[0]), [list(row.values()) for row in rows])
    return "\n".join([*lines, *coverage_lines(report.coverage.warnings, lang)])


def without_plan_names(text: str, names: list[str]) -> str:
    """Return ``text`` without the plan names (goal names), longest first."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "")
    return text


def assert_chinese_only(text: str, plan_names: list[str]) -> None:
    plain = ALLOWED_IN_CHINESE.sub("", without_plan_names(text, plan_names))
    assert not ENGLISH_WORD.findall(plain), ENGLISH_WORD.findall(plain)[:10]


def assert_english_only(text: str, plan_names: list[str]) -> None:
    plain = QUOTED.sub("", without_plan_names(text, plan_names))
    assert not CJK.findall(plain), [line for line in plain.splitlines() if CJK.search(line)][:5]


FILE_PATH = re.compile(r"(?:[A-Za-z]:)?[\\/]\S+")
"""A file path the report names (a feed's folder): it may hold any name, underscores too."""


def assert_for_a_reader(text: str) -> None:
    text = FILE_PATH.sub("", text)
    assert not RAW_ID.findall(text), RAW_ID.findall(text)[:10]
    assert not AREA_CODE.findall(text), AREA_CODE.findall(text)[:10]
    assert not FINE_NUMBER.findall(text), FINE_NUMBER.findall(text)[:10]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_commute_report_speaks_one_language_with_names(commute: CommuteResult, lang: str) -> None:
    text = "\n".join(commute_lines(commute, lang))
    assert_for_a_reader(text)
    if lang == "zh":
        assert_chinese_only(text, [])
    else:
        assert_english_only(text, [])
    column = "name_zh" if lang == "zh" else "name_en"
    for places in (city_boundaries(), county_boundaries()):
        for name in places[column]:
            assert name in text, name
    cities = [name.split(" ")[0] for name in commute.cores[column]]
    assert f"{cities[0]} – {cities[1]}" in text
    assert f"{commute.population:,}" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_goal_table_speaks_one_language_with_names(report: Report, lang: str) -> None:
    text = goal_table_text(report, lang)
    assert_for_a_reader(text)
    if lang == "zh":
        assert_chinese_only(text, [r.name_zh for r in report.results])
        assert text.count("需要") >= sum(r.verdict == "unknown" for r in report.results)
    else:
        assert_english_only(text, [r.name_en for r in report.results])
        assert all(r.name_en in text for r in report.results)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scenarios_side_by_side_name_cores_and_scenarios(catalog: Catalog, lang: str) -> None:
    comparison = ctz.compare(["2025", "all"], grid_km=5, catalog=catalog)
    text = "\n".join(comparison_lines(comparison, catalog, lang))
    assert_for_a_reader(text)
    if lang == "zh":
        assert_chinese_only(text, [])
        assert "现状" in text and "全部规划" in text and "长沙 – 株洲" in text
    else:
        assert_english_only(text, [])
        assert "today" in text and "all planned" in text and "Changsha – Zhuzhou" in text


def test_the_briefings_data_coverage_warnings_read_in_chinese(
    report: Report, commute: CommuteResult
) -> None:
    from ctz.maps.report.briefing import data_coverage_table

    frame = data_coverage_table(report, commute, "zh").frame
    warnings = frame.loc[frame["measure"] == "warning", "value"].tolist()
    assert len(warnings) == len(set(report.coverage.warnings) | set(commute.data_coverage.warnings))
    assert_chinese_only("\n".join(warnings), [])


def test_the_sources_warnings_read_in_chinese() -> None:
    warnings = (
        "source 'embedded' holds no OpenStreetMap data: item geometry is schematic "
        "(sketches through the catalog's anchors), not surveyed",
        "the pbf data covers 0.0% of the study area (the three cities): figures outside it "
        "rest on sketches or are missing",
        "3 of 170 catalog items were not found in the pbf data and are drawn from sketches",
        "the population raster hunan.tif has data for 61.2% of the study area: people "
        "elsewhere are not counted",
        "the osm data holds no charging stations in the central districts: missing data, "
        "not a measurement",
    )
    lines = coverage_lines(warnings, "zh")
    assert all(line.startswith("提示：") for line in lines)
    assert_chinese_only("\n".join(lines), [])
    assert "0.0%" in lines[1] and "170" in lines[2] and "3" in lines[2] and "61.2%" in lines[3]


@pytest.mark.parametrize("seed", range(3))
def test_the_remote_people_warning_keeps_its_numbers_in_chinese(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(50):
        people, km, kmh = int(rng.integers(1, 10**8)), rng.integers(1, 30), rng.integers(5, 80)
        share, detour = f"{rng.uniform(0, 100):.1f}%", f"{rng.uniform(1, 3):.1f}"
        english = (
            f"{people:,} people ({share}) live more than {km} km from every road of the network "
            f"open today: their access leg runs on rural roads at {kmh} km/h (detour ×{detour}), "
            "which the network does not hold"
        )
        chinese = sentence(english, "zh")
        assert not ENGLISH_WORD.search(chinese), chinese
        for figure in (f"{people:,}", share, f" {km} ", f" {kmh} ", detour):
            assert figure in chinese
        assert sentence(english, "en") == english


def display_slice(line: str, start: int, end: int) -> str:
    """Return the characters of ``line`` between two terminal columns."""
    out, column = [], 0
    for char in line:
        if start <= column < end:
            out.append(char)
        column += display_width(char)
    return "".join(out)


@pytest.mark.parametrize("seed", range(5))
def test_table_cells_sit_in_their_columns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    alphabet = [*"abcXYZ长沙株洲湘潭区县—", *"0123456789"]

    def cell() -> str:
        return "".join(rng.choice(alphabet, size=int(rng.integers(1, 12))))

    header = ["", "a", "bb", "情景"]
    rows = [[cell() for _ in header] for _ in range(int(rng.integers(1, 8)))]
    table = [header, *rows]
    widths = [max(display_width(row[k]) for row in table) for k in range(len(header))]
    for line, row in zip(table_lines(header, rows), table, strict=True):
        start = 2
        for text, width in zip(row, widths, strict=True):
            assert display_slice(line, start, start + width).strip() == text, (line, text)
            start += width + 2


def test_every_check_command_takes_lang() -> None:
    group = cli.check
    assert isinstance(group, click.Group)
    for name, command in group.commands.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert "--lang" in options, name


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (["check", "commute", "--grid-km", "5"], "core-to-core minutes", "核心间通行时间"),
        (["check", "charging"], "Verdict", "结论"),
    ],
)
def test_lang_reaches_the_text_report(args: list[str], english: str, chinese: str) -> None:
    zh = CliRunner().invoke(cli.main, args)
    en = CliRunner().invoke(cli.main, [*args, "--lang", "en"])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output
    assert chinese in zh.stdout and english not in zh.stdout
    assert english in en.stdout and chinese not in en.stdout
    assert "提示：" in zh.stdout + zh.stderr and "note: " in en.stdout + en.stderr


@pytest.mark.parametrize(("lang", "live"), [("zh", "在线"), ("en", "live")])
def test_an_osm_road_graph_is_not_called_live_data(
    commute: CommuteResult, lang: str, live: str
) -> None:
    # an extract's road graph (road_network "osm") is OpenStreetMap roads, not the live API
    first = commute_lines(dataclasses.replace(commute, road_network="osm"), lang)[0]
    assert "OpenStreetMap" in first and live not in first
    sketches = commute_lines(commute, lang)[0]
    assert ("示意" if lang == "zh" else "sketches") in sketches

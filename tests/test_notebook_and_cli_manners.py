"""Notebook views, nearest-id suggestions, --json on map and report, the --png name."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ctz
from ctz import cli
from ctz.catalog.model import Catalog
from ctz.catalog.suggest import nearest_ids, unknown_id_message
from ctz.words import planner_number, word


def test_report_and_commute_show_as_html_verdict_first(catalog: Catalog) -> None:
    report = ctz.check("all", catalog=catalog)
    page = report._repr_html_()
    rows = re.findall(r"<tr><td[^>]*>([^<]*)</td><td>([^<]*)</td>", page)
    assert len(rows) == len(report.results)
    assert [v for v, _ in rows] == [
        {"met": "达标", "not_met": "未达标", "unknown": "未知"}[r.verdict] for r in report.results
    ]
    assert rows[0][1] == report.results[0].name_zh
    commute = ctz.commute(catalog=catalog)
    shown = commute._repr_html_()
    assert shown.index("未达标" if commute.goal.verdict == "not_met" else "达标") < shown.index(
        "<table>"
    )
    assert len(re.findall(r"<tr><td", shown)) == len(commute.core_pairs)
    minutes = re.findall(r'text-align:right">(\d+)</td>', shown)
    assert minutes[0] == str(round(commute.core_pairs["best"].iloc[0]))


def test_catalog_shows_items_by_kind_and_status(catalog: Catalog) -> None:
    page = catalog._repr_html_()
    counts = [int(n) for n in re.findall(r'text-align:right">(\d+)</td>', page)]
    assert sum(counts) == len(catalog.items)
    assert f"规划项目{len(catalog.items)}项" in page


def test_nearest_ids_start_with_what_was_typed_or_spell_close() -> None:
    known = ["g4_jinggangao", "g4_widening_guangfu_wangshiwan", "g60_hukun", "s50_changzhu"]
    assert nearest_ids("g4", known)[0] == "g4_jinggangao"
    assert nearest_ids("g4_jingangao", known)[0] == "g4_jinggangao"  # one letter short
    assert nearest_ids("zzzz", known) == []
    assert unknown_id_message("item", "zzzz", known) == "unknown item id 'zzzz'"


def test_unknown_item_id_suggests_the_nearest(catalog: Catalog) -> None:
    with pytest.raises(ctz.InputError, match=r"did you mean g4_jinggangao"):
        ctz.geocode("g4", catalog=catalog)


def test_png_name_must_end_in_png(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli.main, ["map", "-o", str(tmp_path / "m.html"), "--png", str(tmp_path / "m.jpg")]
    )
    assert result.exit_code == 2 and "m.jpg" in result.stderr and ".png" in result.stderr
    assert not (tmp_path / "m.html").exists()


def test_map_json_says_what_was_written(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli.main, ["map", "-o", str(out), "--layers", "boundaries,rail"])
    assert result.exit_code == 0
    result = CliRunner().invoke(
        cli.main, ["map", "-o", str(out), "--layers", "boundaries,rail", "--json"]
    )
    data = json.loads(result.stdout)
    assert data["html"] == str(out) and data["html_bytes"] == out.stat().st_size
    assert data["layers"] == ["boundaries", "rail"] and data["png"] is None


def test_report_json_lists_files_and_sizes(tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(cli.main, ["report", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["written"] == [{"path": str(out), "bytes": out.stat().st_size}]
    assert data["tables"][0] == "goals" and data["lang"] == "zh"
    assert sum(data["verdicts"].values()) == len(ctz.load_catalog().goals)


def test_check_map_shows_every_goal_as_evidence_or_no_data(catalog: Catalog) -> None:
    from ctz.maps.export import map_html
    from ctz.maps.render import MapOptions, map_layers, render_map

    report = ctz.check("all", catalog=catalog)
    layers, _ = map_layers(catalog, None, ("boundaries",))
    page = map_html(render_map(layers, catalog, MapOptions(view="cities"), [report]))
    drawn = [r for r in report.results if len(r.evidence)]
    missing = [r for r in report.results if not len(r.evidence)]
    assert drawn and missing
    for result in drawn:
        assert f'data-layer="{result.name_zh} · ' in page
    no_data = page.split('data-layer="无证据的目标（无数据）"')[1]
    for result in missing:
        assert f"{result.name_zh} · 未知 · 无数据" in no_data
    assert "数据 embedded" in page and "示意线位" not in page.split("ctz-title")[0]


def test_commute_map_names_the_verdict_and_the_core_to_core_times(catalog: Catalog) -> None:
    from ctz.maps.export import map_html
    from ctz.maps.render import MapOptions, map_layers, render_map
    from ctz.maps.results import result_title

    commute = ctz.commute(catalog=catalog)
    layers, _ = map_layers(catalog, None, ("boundaries",))
    title = result_title(commute, "zh")
    page = map_html(render_map(layers, catalog, MapOptions(title=title, view="cities"), [commute]))
    goal = commute.goal
    assert goal.value is not None and goal.threshold is not None
    verdict = word(goal.verdict, "zh")
    assert f"：{verdict}（{planner_number(goal.value, 'share')}" in title
    assert title in page or json.dumps(title)[1:-1] in page
    for minutes in commute.core_pairs["best"]:
        label = f"{round(minutes)} 分钟"  # each pair's time is a label on the map
        assert label in page or json.dumps(label)[1:-1] in page
    assert "60分钟等时线" in page and "ctz-label-core-pair" in page


@pytest.mark.slow
def test_readme_python_example_runs_offline_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(import ctz\n.*?)```", readme, re.S)
    assert code is not None
    monkeypatch.chdir(tmp_path)  # czt10.yaml is not here: the shipped one is used
    namespace: dict[str, object] = {}
    exec(compile(code[1], "README.md", "exec"), namespace)
    assert type(namespace["m"]).__name__ == "Map"


def test_faint_layers_keep_their_shapes_pale_unnamed_and_still_marked_sketched(
    catalog: Catalog,
) -> None:
    from ctz.maps.render import FAINT_OPACITY, faint, layer_drawables
    from ctz.maps.views import get_view

    themes = ctz.theme_layers(themes=["roads"], catalog=catalog)
    drawables, _ = layer_drawables(themes, catalog, "zh", "wgs84", get_view("cities"))
    ((_, roads),) = drawables
    pale = faint(roads)
    assert len(pale.features) == len(roads.features) and not len(pale.labels)
    for key, options in roads.styles.items():
        assert pale.styles[key]["opacity"] == pytest.approx(
            options.get("opacity", 1.0) * FAINT_OPACITY
        )
    assert not pale.features["x"].any() and roads.features["x"].any()


def test_a_scenario_naming_an_unknown_item_suggests_the_nearest(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("switch_on: [g4]\n", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["check", "commute", "--scenario", str(path)])
    assert result.exit_code == 2
    assert "no network item 'g4' (did you mean g4_jinggangao" in result.stderr


def test_key_numbers_show_the_models_indicators_with_their_ranges(catalog: Catalog) -> None:

    from ctz.maps.report.findings import key_numbers

    commute = ctz.commute(catalog=catalog)
    table = commute.indicators
    assert table is not None and len(table)
    shares = table[table["unit"] == "share"].iloc[0]
    first = next(n for n in key_numbers(commute, "zh") if n.label == shares["name_zh"])
    low, high = planner_number(shares["low"], "share"), planner_number(shares["high"], "share")
    assert (first.value, first.low_high) == (
        planner_number(shares["value"], "share"),
        f"{low}–{high}",
    )
    english = key_numbers(commute, "en")
    assert all(not re.search("[\u4e00-\u9fff]", n.label) for n in english)


def test_commute_title_names_the_figure_its_rule_judges(catalog: Catalog) -> None:
    from ctz.maps.results import result_title

    commute = ctz.commute(catalog=catalog)
    goal = commute.goal
    verdict = word(goal.verdict, "zh")
    # The goal is judged on an indicator against a threshold: the title names both.
    vars(goal).update(value=0.8444, threshold=0.8, direction="at_least")
    assert result_title(commute, "zh").endswith(f"：{verdict}（84.4%，目标 不少于 80.0%）")
    # A goal without a threshold names the slowest pair of cores instead.
    vars(goal).update(value=None, threshold=None)
    assert "最慢核心间" in result_title(commute, "zh")


ENDS_FROZEN = """
import gc, sys
from ctz import cli
sys.argv = ["ctz", *sys.argv[1:]]
try:
    code = cli.run()  # what the script passes to sys.exit
except SystemExit as done:
    code = done.code
print(code or 0, gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize(("args", "code"), [(["--version"], "0"), (["check", "nope"], "2")])
def test_the_command_keeps_its_exit_code_and_leaves_the_collector_no_last_pass(
    args: list[str], code: str
) -> None:
    # the installed ``ctz`` script calls cli.run: the command, then gc.freeze()
    pyproject = (Path(cli.__file__).parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'ctz = "ctz.cli:run"' in pyproject
    done = subprocess.run(
        [sys.executable, "-c", ENDS_FROZEN, *args], capture_output=True, text=True, check=True
    )
    assert done.stdout.split()[-2:] == [code, "True"]

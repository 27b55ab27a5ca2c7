"""Scenario files: loading and validation, composition, service changes, feeds, comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from gtfs_support import write_feed

import ctz
from ctz.base import InputError
from ctz.catalog import Catalog
from ctz.checks.commute.result import CommuteResult
from ctz.checks.commute.scenario import Scenario, ServiceChange, load_scenario, scenario_items
from ctz.cli import main

ITEMS = pd.DataFrame(
    {
        "item_id": ["road", "old_line", "new_road", "far_line"],
        "status": ["existing", "existing", "under_construction", "planned"],
        "target_year": [None, None, 2025, 2030],
    }
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_built_in_scenarios_are_names() -> None:
    assert load_scenario("existing") == Scenario("existing", "existing")
    assert scenario_items(ITEMS, "2025") == ({"road", "old_line"}, {"road", "old_line", "new_road"})
    assert scenario_items(ITEMS, "all")[1] == set(ITEMS["item_id"])
    with pytest.raises(InputError, match="no planned road or rail item has a target year ≤ 2020"):
        scenario_items(ITEMS, "2020")
    with pytest.raises(InputError, match="unknown scenario 'soon'"):
        load_scenario("soon")


def test_a_file_chain_composes_switches_and_service_changes(tmp_path: Path) -> None:
    write(
        tmp_path / "a.yaml",
        'base: "2025"\nswitch_on: [far_line]\n'
        "services: {old_line: {headway_min: 10, speed_kmh: 80}}\n",
    )
    nested = tmp_path / "more"
    nested.mkdir()
    b = write(
        nested / "b.yaml",
        "name: B\nbase: ../a.yaml\nswitch_off: [far_line, road]\n"
        "services: {old_line: {headway_min: 6}}\n",
    )
    scenario = load_scenario(b)
    assert scenario.name == "B" and scenario.builtin == "2025"
    assert scenario.switch_on == frozenset() and scenario.switch_off == {"far_line", "road"}
    assert scenario.services == (ServiceChange("old_line", headway_min=6.0, speed_kmh=80.0),)
    assert scenario_items(ITEMS, scenario)[1] == {"old_line", "new_road"}
    a = load_scenario(tmp_path / "a.yaml")
    assert a.name == "a" and scenario_items(ITEMS, a)[1] == {
        "road",
        "old_line",
        "new_road",
        "far_line",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("switch_on: [a\n", "not a valid YAML scenario file \\(line 2\\)"),
        ("- just a list\n", "a scenario file is a mapping"),
        ("switch_in: [road]\n", "unknown key 'switch_in'"),
        ("switch_on: road\n", "'switch_on' must be a list of names"),
        ("switch_on: [road]\nswitch_off: [road]\n", "'road' is both switched on and off"),
        ("services: {old_line: {headway: 5}}\n", "service 'old_line' takes only headway_min"),
        ("services: {old_line: {headway_min: 0}}\n", "headway_min must be a positive number"),
        ("base: nothing.yaml\n", "nothing.yaml: no such scenario file"),
        ("base: tomorrow\n", "unknown scenario 'tomorrow'"),
        ("feeds: [missing.zip]\n", "feed .*missing.zip does not exist"),
    ],
)
def test_bad_scenario_files_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(InputError, match=message) as error:
        load_scenario(path)
    assert "\n" not in str(error.value)


def test_scenario_files_naming_each_other_and_unknown_items(tmp_path: Path) -> None:
    write(tmp_path / "x.yaml", "base: y.yaml\n")
    write(tmp_path / "y.yaml", "base: x.yaml\n")
    with pytest.raises(InputError, match="name each other as base in a loop"):
        load_scenario(tmp_path / "x.yaml")
    unknown = load_scenario(write(tmp_path / "u.yaml", "switch_on: [tunnel]\n"))
    with pytest.raises(InputError, match=r"u.yaml: no network item 'tunnel'"):
        scenario_items(ITEMS, unknown)


@pytest.fixture(scope="module")
def today(catalog: Catalog) -> CommuteResult:
    return ctz.commute(scenario="existing", grid_km=5.0, catalog=catalog)


def test_a_shorter_headway_cuts_the_wait_by_half_the_difference(
    tmp_path: Path, catalog: Catalog, today: CommuteResult
) -> None:
    path = write(
        tmp_path / "czt10.yaml",
        "name: intercity every 10 minutes\nservices:\n  czt_intercity_railway: {headway_min: 10}\n",
    )
    result = ctz.commute(scenario=path, grid_km=5.0, catalog=catalog)
    before = today.core_pairs.set_index(["from", "to"])
    after = result.core_pairs.set_index(["from", "to"])
    # 长沙–株洲 rides the intercity: its wait falls from 10 (half of 20) to 5 minutes.
    pair = ("changsha_core", "zhuzhou_core")
    assert after.loc[pair, "rail"] == pytest.approx(before.loc[pair, "rail"] - 5.0, abs=1e-6)
    assert result.scenario == "intercity every 10 minutes"
    first = result.contributions.iloc[0]
    assert first["item_id"] == "(service changes)" and first["minutes_saved"] >= 0.0


def test_a_timetabled_service_keeps_its_run_times(tmp_path: Path, catalog: Catalog) -> None:
    path = write(tmp_path / "fast.yaml", "services: {czt_intercity_railway: {speed_kmh: 200}}\n")
    with pytest.raises(InputError, match="runs to a timetable; change its run times in a feed"):
        ctz.commute(scenario=path, grid_km=5.0, catalog=catalog)


def test_a_scenario_feed_runs_a_planned_line_on_its_timetable(
    tmp_path: Path, catalog: Catalog, today: CommuteResult
) -> None:
    # A timetable for the planned 长株城际 (长沙南 → 株洲站): 25 minutes, every 10.
    south, zhuzhou = catalog.anchors["changsha_south_station"], catalog.anchors["zhuzhou_station"]
    rows = [("s", "00:00:00", "00:00:00", "CSS", 1), ("s", "00:25:00", "00:25:00", "ZZ", 2)]
    rows += [("n", "00:00:00", "00:00:00", "ZZ", 1), ("n", "00:25:00", "00:25:00", "CSS", 2)]
    feed = write_feed(
        tmp_path / "s4",
        {},
        [("s4", 2, "长株城际铁路")],
        [("s", "s4"), ("n", "s4")],
        rows,
        frequencies=[("s", "06:00:00", "10:00:00", 600), ("n", "06:00:00", "10:00:00", 600)],
        raw_stops=[("CSS", south.lon, south.lat), ("ZZ", zhuzhou.lon, zhuzhou.lat)],
    )
    path = write(tmp_path / "s4.yaml", f"feeds: [{feed.name}]\n")
    result = ctz.commute(scenario=path, grid_km=5.0, catalog=catalog)
    services = result.services.set_index(["service", "use"])
    assert ("changsha_zhuzhou_intercity", "timetable") in services.index
    assert ("changsha_zhuzhou_intercity", "replaced") in services.index
    row = result.contributions.set_index("item_id").loc["changsha_zhuzhou_intercity"]
    # Which of these it gets depends on today's timetable (the shipped feed); it must run.
    assert row["verdict"] in {
        "adds people",
        "speeds up a core pair",
        "slower than what exists",
        "outside the 60-minute reach",
    }
    before = today.core_pairs.set_index(["from", "to"])
    after = result.core_pairs.set_index(["from", "to"])
    pair = ("changsha_core", "zhuzhou_core")
    assert after.loc[pair, "rail"] <= before.loc[pair, "rail"]


def test_compare_sets_scenarios_side_by_side_with_today(
    tmp_path: Path, catalog: Catalog, today: CommuteResult
) -> None:
    off = write(tmp_path / "no_metro.yaml", "switch_off: [changsha_metro_line2]\n")
    comparison = ctz.compare(["all", off], grid_km=5.0, catalog=catalog)
    assert comparison.scenarios == ["existing", "all", "no_metro"]
    pairs = comparison.core_pairs.set_index(["from", "to"])
    before = today.core_pairs.set_index(["from", "to"])
    assert pairs["existing"].to_numpy() == pytest.approx(before["best"].to_numpy())
    assert (pairs["all"] <= pairs["existing"] + 1e-9).all()
    assert (pairs["no_metro"] >= pairs["existing"] - 1e-9).all()
    nearest60 = comparison.coverage.set_index(["origin", "minutes"]).loc[("nearest", 60)]
    assert nearest60["all"] >= nearest60["existing"] >= nearest60["no_metro"]


def test_compare_and_scenario_files_on_the_command_line(tmp_path: Path) -> None:
    path = write(tmp_path / "plus.yaml", "name: plus\nbase: all\n")
    args = ["check", "commute", "--grid-km", "5", "--json", "--compare", "2025", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["scenarios"] == ["existing", "2025", "plus"]
    assert {"from", "to", "existing", "2025", "plus"} <= set(data["core_to_core_minutes"][0])
    bad = write(tmp_path / "bad.yaml", "switch_on: nothing\n")
    failed = CliRunner().invoke(main, ["check", "commute", "--scenario", str(bad)])
    assert failed.exit_code == 2
    assert failed.stderr.strip().splitlines() == [
        f"ctz: error: {bad}: 'switch_on' must be a list of names"
    ]

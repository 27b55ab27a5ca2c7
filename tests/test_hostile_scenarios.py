"""Scenario files and options taken at their word only when their values can be true."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from gtfs_support import write_feed

import ctz
from ctz.base import InputError
from ctz.catalog.model import Catalog
from ctz.checks.commute.gtfs import DepartureWindow
from ctz.checks.commute.scenario import load_scenario
from ctz.cli import main


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "0", "-3"])
def test_impossible_headways_are_refused(tmp_path: Path, value: str) -> None:
    path = write(
        tmp_path / "h.yaml", f"services: {{czt_intercity_railway: {{headway_min: {value}}}}}\n"
    )
    with pytest.raises(InputError, match="headway_min must be a positive number"):
        load_scenario(path)


@pytest.mark.parametrize("text", ["07:00-90:00", "00:00-99:00", "07:00-48:01"])
def test_departure_windows_past_two_days_are_refused(text: str) -> None:
    with pytest.raises(InputError, match="departure window"):
        DepartureWindow.parse(text)
    assert DepartureWindow.parse("23:00-25:30").length_min == 150  # a GTFS day runs on


@pytest.mark.parametrize("name", ["existing", "all", "2025"])
def test_a_scenario_file_may_not_take_a_built_in_name(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / "mine.yaml", f"name: '{name}'\nbase: all\n")
    with pytest.raises(InputError, match=f"the name '{name}' is a built-in scenario's"):
        load_scenario(path)


def test_a_feed_of_a_new_bus_line_ranks_in_report_and_marginal(
    tmp_path: Path, catalog: Catalog
) -> None:
    south, zhuzhou = catalog.anchors["changsha_south_station"], catalog.anchors["zhuzhou_station"]
    rows = [("s", "00:00:00", "00:00:00", "CSS", 1), ("s", "00:50:00", "00:50:00", "ZZ", 2)]
    feed = write_feed(
        tmp_path / "bus",
        {},
        [("new_bus_9", 3, "新开长株快巴")],
        [("s", "new_bus_9")],
        rows,
        frequencies=[("s", "06:00:00", "10:00:00", 600)],
        raw_stops=[("CSS", south.lon, south.lat), ("ZZ", zhuzhou.lon, zhuzhou.lat)],
    )
    path = write(tmp_path / "bus.yaml", f"base: '2025'\nfeeds: [{feed.name}]\n")
    result = ctz.commute(scenario=path, grid_km=5.0, marginal=True, catalog=catalog)
    assert result.marginal is not None
    assert "bus:new_bus_9" in set(result.contributions["item_id"])
    assert "bus:new_bus_9" in set(result.marginal["item_id"])
    out = tmp_path / "brief.md"
    report = CliRunner().invoke(main, ["report", "-o", str(out), "--scenario", str(path)])
    assert report.exit_code == 0, report.output


def test_a_trip_listed_twice_is_named_as_such(tmp_path: Path) -> None:
    from ctz.base import FeedError
    from ctz.checks.commute.gtfs import read_feed_services

    rows = [("t1", "07:00:00", "07:00:00", "A", 1), ("t1", "07:12:00", "07:12:00", "B", 2)]
    stops = {"A": (0.0, 0.0), "B": (12.0, 0.0)}
    feed = write_feed(tmp_path / "twice", stops, [("R1", 2, "一号线")], [("t1", "R1")] * 2, rows)
    with pytest.raises(FeedError, match=r"trips\.txt lists trip 't1' 2 times"):
        read_feed_services(feed)
    again = write_feed(tmp_path / "seq", stops, [("R1", 2, "一号线")], [("t1", "R1")], rows * 2)
    with pytest.raises(
        FeedError, match=r"stop_times\.txt gives stop_sequence 1 of trip 't1' 2 times"
    ):
        read_feed_services(again)

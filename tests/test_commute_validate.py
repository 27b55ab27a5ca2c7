"""The timetable against published figures: rides, headways, the file's checks and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from gtfs_support import write_feed

import ctz
from ctz.base import CatalogError
from ctz.catalog.load import default_seeds_dir
from ctz.checks.commute.gtfs import DepartureWindow, read_feed_services
from ctz.checks.commute.validate import (
    PublishedFigure,
    compare_published,
    fastest_ride,
    headway_minutes,
    load_published,
    published_problems,
    stop_timeline,
)
from ctz.cli import main

NOT_MODELLED = {"czt_changsha_furongnan_ride"}
"""Published figures whose stations the shipped feed lacks (docs/commute.md lists them)."""

RIDE_SERVICES = {
    "czt_changsha_zhuzhou_south_ride": "czt_intercity_railway",
    "metro_line4_ride": "changsha_metro_line4",
    "west_ring_ride": "czt_west_ring",
    "metro_line6_ride": "changsha_metro_line6",
}
"""Rides measured since their end stations became stops, and the route that runs each."""

NOT_MODELLED_DRIVES = {"drive_changsha_liuyang_jinyang_shortest", "drive_lukou_zhuzhou_profile"}
"""Published drive times between other places than a core and its seat's centre."""


@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    """The shipped figures against the shipped feed and a run's county-seat table."""
    return ctz.validate_published(seats=ctz.commute(grid_km=5.0).county_seats)


def test_every_modelled_published_figure_is_within_its_bound(shipped: pd.DataFrame) -> None:
    table = shipped
    modelled = table[table["measure"] != "not_modelled"]
    assert len(modelled) >= 10
    assert modelled["within"].all(), modelled[["id", "published", "model", "ratio"]]
    rides = modelled[modelled["measure"] == "scheduled_ride"]
    assert (rides["bound"] == 0.15).all() and (rides["service"] != "").all()
    not_modelled = set(table.loc[table["measure"] == "not_modelled", "id"])
    assert not_modelled == NOT_MODELLED | NOT_MODELLED_DRIVES
    assert table.loc[table["measure"] == "not_modelled", "note"].str.len().gt(20).all()


def test_rides_to_the_added_end_stations_run_on_their_own_lines(shipped: pd.DataFrame) -> None:
    rows = shipped.set_index("id")
    assert {i: rows.loc[i, "service"] for i in RIDE_SERVICES} == RIDE_SERVICES
    # The West Ring's 17.29 km along the track against a straight line between its ends:
    # the line bends, so the straight distance is shorter, but by less than the bound.
    assert 0.8 < rows.loc["west_ring_km", "ratio"] < 1.0


def test_changsha_zhuzhou_station_to_station_is_the_13_minute_hsr(shipped: pd.DataFrame) -> None:
    row = shipped.set_index("id").loc["hsr_changsha_south_zhuzhou_west_ride"]
    assert row["model"] == 13 and row["service"] == "wuhan_guangzhou_hsr"


def test_published_drive_times_are_the_cited_references_of_their_seats(
    shipped: pd.DataFrame,
) -> None:
    seats_file = default_seeds_dir() / "context" / "county_seats.yaml"
    seats = {
        s["county"]: s for s in yaml.safe_load(seats_file.read_text(encoding="utf-8"))["seats"]
    }
    drives = shipped[shipped["measure"] == "drive"].set_index("id")
    assert not drives.empty and (drives["bound"] == 0.25).all()
    figures = yaml.safe_load(
        (default_seeds_dir() / "transit" / "published.yaml").read_text(encoding="utf-8")
    )["figures"]
    for figure in (f for f in figures if f["measure"] == "drive"):
        seat = seats[figure["county"]]
        assert seat["reference_min"] == figure["value"], figure["id"]
        assert seat["source"].startswith("published"), figure["id"]
        assert drives.loc[figure["id"], "service"] == seat["core"]
    published = [s for s in seats.values() if s["source"].startswith("published")]
    assert len(published) == len(drives)


def test_a_drive_figure_reads_the_seat_table_or_says_it_has_none(tmp_path: Path) -> None:
    feed = read_feed_services(hand_feed(tmp_path / "hand"))
    figure = PublishedFigure(
        id="d",
        what="a drive",
        value=100.0,
        unit="min",
        date="2013",
        source="press",
        bound=0.25,
        measure="drive",
        county="430224",
    )
    seats = pd.DataFrame(
        {"county": ["430223", "430224"], "core": ["zz", "zz"], "model_min": [90.0, 130.0]}
    )
    row = compare_published(feed, feed, (figure,), seats).iloc[0]
    assert (row["model"], row["ratio"], row["within"], row["service"]) == (130.0, 1.3, False, "zz")
    assert row["note"] == ""
    alone = compare_published(feed, feed, (figure,)).iloc[0]
    assert np.isnan(alone["model"]) and not alone["within"] and "430224" in alone["note"]
    other = compare_published(feed, feed, (figure,), seats.iloc[:1]).iloc[0]
    assert np.isnan(other["model"]) and "county-seat" in other["note"]


def hand_feed(folder: Path) -> Path:
    """Two routes over stops 10 km apart: r1 A→B→C stopping (dwell 2 min), r2 A→C non-stop."""
    return write_feed(
        folder,
        stops={"A": (0, 0), "B": (10, 0), "C": (20, 0)},
        routes=[("r1", 2, "slow"), ("r2", 2, "fast")],
        trips=[("t1", "r1"), ("t2", "r2")],
        stop_times=[
            ("t1", "07:00:00", "07:00:00", "A", 1),
            ("t1", "07:10:00", "07:12:00", "B", 2),
            ("t1", "07:30:00", "07:30:00", "C", 3),
            ("t2", "07:05:00", "07:05:00", "A", 1),
            ("t2", "07:20:00", "07:20:00", "C", 2),
        ],
        frequencies=[
            ("t1", "07:00:00", "09:00:00", 600),
            ("t2", "07:05:00", "09:00:00", 1800),
        ],
    )


def test_rides_and_headways_of_a_hand_written_feed(tmp_path: Path) -> None:
    feed = read_feed_services(hand_feed(tmp_path / "hand"))
    timeline = stop_timeline(feed)
    assert fastest_ride(timeline, "A", "C") == (15.0, "r2")
    assert fastest_ride(timeline, "A", "B") == (10.0, "r1")
    assert fastest_ride(timeline, "B", "C") == (18.0, "r1")
    assert fastest_ride(timeline, "C", "A") == (float("inf"), "")
    window = feed.window
    assert headway_minutes(timeline, window, "r1", "A") == pytest.approx(10.0)
    assert headway_minutes(timeline, window, "r2", "A") == pytest.approx(30.0)
    assert np.isnan(headway_minutes(timeline, window, "r1", "C"))  # nobody boards at the end


def test_ride_is_the_written_clock_difference_on_generated_feeds(tmp_path: Path) -> None:
    rng = np.random.default_rng(17)
    for case in range(12):
        stops = int(rng.integers(2, 7))
        runs = rng.integers(1, 20, stops - 1)
        dwells = rng.integers(0, 3, stops)
        arrive = np.concatenate([[0], np.cumsum(runs + dwells[:-1])])
        depart = arrive + dwells
        clock = [f"{7 + a // 60:02d}:{a % 60:02d}:00" for a in arrive]
        leave = [f"{7 + d // 60:02d}:{d % 60:02d}:00" for d in depart]
        times = [("t", clock[i], leave[i], f"S{i}", i + 1) for i in range(stops)]
        folder = write_feed(
            tmp_path / f"g{case}",
            stops={f"S{i}": (5.0 * i, 0.0) for i in range(stops)},
            routes=[("r", 1, "metro")],
            trips=[("t", "r")],
            stop_times=times,
        )
        timeline = stop_timeline(read_feed_services(folder))
        i, j = sorted(rng.choice(stops, 2, replace=False))
        assert fastest_ride(timeline, f"S{i}", f"S{j}")[0] == arrive[j] - depart[i]


def test_every_problem_of_a_published_file_is_named(tmp_path: Path) -> None:
    good = {
        "id": "x",
        "what": "a ride",
        "value": 10,
        "unit": "min",
        "date": "2021",
        "source": "somewhere",
        "bound": 0.15,
        "measure": "scheduled_ride",
        "from_stop": "A",
        "to_stop": "B",
    }
    assert published_problems([good]) == []
    entries = [
        good,
        {**good, "bound": 1.5},
        {**good, "id": "y", "measure": "speed"},
        {key: value for key, value in good.items() if key != "to_stop"} | {"id": "z"},
        {**good, "id": "w", "route_id": "r1", "value": -3},
        "not a mapping",
    ]
    problems = published_problems(entries)
    assert problems == [
        "x: id used twice",
        "x: bound must be a number between 0 and 1",
        "y: measure 'speed' is not one of scheduled_ride, headway, daily_pairs, "
        "stop_distance_km, drive, not_modelled",
        "y: field 'from_stop' is not used by measure speed",
        "y: field 'to_stop' is not used by measure speed",
        "z: missing 'to_stop'",
        "w: field 'route_id' is not used by measure scheduled_ride",
        "w: value must be a positive number",
        "figure 6: not a mapping",
    ]
    path = tmp_path / "published.yaml"
    path.write_text(yaml.safe_dump({"figures": entries}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_published(path)
    assert "\n" not in str(error.value) and str(error.value).startswith(f"{path}: x: id used")
    path.write_text("figures: [", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_published(path)


def test_cli_validate_prints_json_and_refuses_two_feeds(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "commute", "--validate", "--json", "--strict"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["validation"]
    modelled = [r for r in rows if r["measure"] != "not_modelled"]
    assert modelled and all(r["within"] for r in modelled)
    assert all(r["model"] is None for r in rows if r["measure"] == "not_modelled")
    feed = hand_feed(tmp_path / "hand")
    result = CliRunner().invoke(
        main, ["check", "commute", "--validate", "--gtfs", str(feed), "--gtfs", str(feed)]
    )
    assert result.exit_code == 2 and "at most one --gtfs" in result.stderr


def test_cli_validate_strict_fails_when_a_figure_is_off(tmp_path: Path) -> None:
    # The hand feed has none of the shipped stops: every modelled figure is unmeasured.
    feed = hand_feed(tmp_path / "hand")
    args = ["check", "commute", "--validate", "--lang", "en", "--gtfs", str(feed)]
    text = CliRunner().invoke(main, args)
    assert text.exit_code == 0 and "NO (±15%)" in text.stdout
    assert CliRunner().invoke(main, [*args, "--strict"]).exit_code == 1


def test_headway_holds_in_a_shorter_window(tmp_path: Path) -> None:
    feed = read_feed_services(hand_feed(tmp_path / "hand"), DepartureWindow(8 * 60.0, 9 * 60.0))
    timeline = stop_timeline(feed)
    assert headway_minutes(timeline, feed.window, "r1", "A") == pytest.approx(10.0)

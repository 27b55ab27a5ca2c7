"""GTFS feeds written by the tests: run times, waits, transfers, the overlap rule, bad feeds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from commute_support import EXACT, NO_RAIL, cells_at, core, layer
from gtfs_support import write_feed, zip_feed

from ctz.base import FeedError
from ctz.checks.commute.build import build_commute_network, sketch_services
from ctz.checks.commute.coverage import Study, measure
from ctz.checks.commute.feeds import overlay_feeds
from ctz.checks.commute.gtfs import DepartureWindow, FeedServices, read_feed_services
from ctz.cli import main

# Slow roads, so that every fast trip below is by train; entry 5 min, change 5 min; no
# driving to a station more than 1 km away.
PARAMS = replace(
    EXACT,
    road_kmh={"urban_road": 10.0},
    station_entry_min=5.0,
    transfer_min=5.0,
    max_access_km=1.0,
)
STOPS = {"A": (0.0, 0.0), "B": (12.0, 0.0), "C": (24.0, 0.0)}


def line_feed(folder: Path) -> Path:
    """Route R1 A→B→C: 12 min to B, 1 min there, 10 min on; one trip departing A at 08:00
    takes 14 min to B. Departures from A at 06:50 (outside the window, but it leaves B at
    07:03, inside), 07:00, 07:30, 08:00, 08:30 and 09:00 (outside: the end is excluded).
    """
    rows = []
    for trip, (h, m), to_b in [
        ("t0650", (6, 50), 12),
        ("t0700", (7, 0), 12),
        ("t0730", (7, 30), 12),
        ("t0800", (8, 0), 14),
        ("t0830", (8, 30), 12),
        ("t0900", (9, 0), 12),
    ]:
        start = h * 60 + m
        times = [start, start + to_b, start + to_b + 1, start + to_b + 11]
        clock = [f"{t // 60:02d}:{t % 60:02d}:00" for t in times]
        rows += [
            (trip, clock[0], clock[0], "A", 1),
            (trip, clock[1], clock[2], "B", 2),
            (trip, clock[3], clock[3], "C", 3),
        ]
    trips = [(r[0], "R1") for r in rows[::3]]
    return write_feed(folder, STOPS, [("R1", 2, "一号线")], trips, rows)


def network_of(feed: FeedServices, roads_km: list[tuple[float, float]]) -> Study:
    roads = layer([("road", "urban_road", "existing", roads_km)])
    network = build_commute_network(roads, NO_RAIL, PARAMS, services=feed.lines)
    return Study(network, [core("a", 0), core("c", 24)], cells_at([(12, 0)], [100]), PARAMS)


def test_run_times_are_medians_and_waits_come_from_departures_in_the_window(
    tmp_path: Path,
) -> None:
    feed = read_feed_services(line_feed(tmp_path / "feed"))
    lines = feed.lines
    # Trips departing A in the window: 07:00, 07:30, 08:00, 08:30 (+06:50, which departs B
    # at 07:03): A→B takes 12, 12, 12, 14, 12 minutes, median 12; B→C always 10.
    np.testing.assert_allclose(lines.run_min, [12.0, 10.0, np.nan])
    np.testing.assert_allclose(lines.dwell_min, [0.0, 1.0, 0.0])
    # Four departures from A in two hours: half the 30-min mean headway. Five from B
    # (07:03, 07:13, 07:43, 08:15, 08:43): 120 / (2 × 5) = 12. Nobody boards at C.
    np.testing.assert_allclose(lines.wait_min, [15.0, 12.0, np.nan])
    assert feed.routes.set_index("route_id").loc["R1", "departures"] == 4
    assert feed.date == "20250110"  # the busiest day of the first week: a weekday


def test_door_to_door_time_rides_the_timetable(tmp_path: Path) -> None:
    feed = read_feed_services(line_feed(tmp_path / "feed"))
    study = network_of(feed, [(0, 0), (12, 0), (24, 0)])
    m = measure(study, {"road", "R1"})
    # Entry 5 + wait 15 + 12 to B + 1 dwell + 10 to C; the road takes 144 min.
    # The cell at B is reached from B's street (cells link to streets, not platforms).
    assert m.road is not None and m.rail is not None  # measured with modes
    assert m.rail[0, 1] == pytest.approx(43.0, abs=1e-3)
    assert m.best[0, 1] == pytest.approx(43.0, abs=1e-3)
    assert m.road[0, 1] == pytest.approx(144.0, abs=1e-3)
    assert m.cell_minutes[0, 0] == pytest.approx(5 + 15 + 12, abs=1e-3)


def test_a_zip_reads_like_a_folder(tmp_path: Path) -> None:
    folder = read_feed_services(line_feed(tmp_path / "feed"))
    zipped = read_feed_services(zip_feed(line_feed(tmp_path / "feed")))
    np.testing.assert_allclose(zipped.lines.wait_min, folder.lines.wait_min)
    np.testing.assert_allclose(zipped.lines.xy, folder.lines.xy)


def test_frequency_trips_depart_every_headway(tmp_path: Path) -> None:
    rows = [("f", "00:00:00", "00:00:00", "A", 1), ("f", "00:20:00", "00:20:00", "C", 2)]
    path = write_feed(
        tmp_path / "freq",
        STOPS,
        [("R", 1, "metro")],
        [("f", "R")],
        rows,
        frequencies=[("f", "06:00:00", "10:00:00", 600)],
    )
    lines = read_feed_services(path).lines
    np.testing.assert_allclose(lines.run_min, [20.0, np.nan])
    np.testing.assert_allclose(lines.wait_min, [5.0, np.nan])  # 12 departures in 2 hours
    later = read_feed_services(path, DepartureWindow.parse("09:30-11:00")).lines
    np.testing.assert_allclose(later.wait_min, [15.0, np.nan])  # 09:30…09:50: 3 in 90 min


def test_transfer_walks_to_a_nearby_stop_and_waits_for_the_next_train(tmp_path: Path) -> None:
    stops = {"A": (0.0, 0.0), "B": (12.0, 0.0), "B2": (12.3, 0.0), "C": (24.0, 0.0)}
    rows = [
        ("r1", "00:00:00", "00:00:00", "A", 1),
        ("r1", "00:12:00", "00:12:00", "B", 2),
        ("r2", "00:00:00", "00:00:00", "B2", 1),
        ("r2", "00:10:00", "00:10:00", "C", 2),
    ]
    path = write_feed(
        tmp_path / "two",
        stops,
        [("R1", 2, "one"), ("R2", 2, "two")],
        [("r1", "R1"), ("r2", "R2")],
        rows,
        frequencies=[("r1", "06:00:00", "10:00:00", 1800), ("r2", "06:00:00", "10:00:00", 600)],
    )
    study = network_of(read_feed_services(path), [(0, 0), (24, 0)])
    m = measure(study, {"road", "R1", "R2"})
    # Entry 5 + wait 15 + ride 12, walk 300 m at 4.5 km/h = 4 + change 5, wait 5 + ride 10.
    assert m.road is not None and m.rail is not None  # measured with modes
    assert m.rail[0, 1] == pytest.approx(5 + 15 + 12 + 4 + 5 + 5 + 10, abs=1e-3)
    # Without the second route there is no rail path to C but the slow road's.
    assert measure(study, {"road", "R1"}).best[0, 1] == pytest.approx(144.0, abs=1e-3)


def test_a_window_with_no_trip_is_one_line(tmp_path: Path) -> None:
    path = line_feed(tmp_path / "feed")
    with pytest.raises(FeedError, match=r"no trip departs 12:00–14:00") as error:
        read_feed_services(path, DepartureWindow.parse("12:00-14:00"))
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_a_named_route_replaces_its_sketch_and_a_covering_feed_replaces_an_old_line(
    tmp_path: Path,
) -> None:
    rail = layer(
        [
            ("R1", "intercity_rail", "existing", [(0, 0), (24, 0)]),
            ("old", "high_speed_rail", "existing", [(0, 0), (12, 0), (24, 0)]),
            ("new", "intercity_rail", "planned", [(0, 0), (12, 0), (24, 0)]),
        ]
    )
    feed = read_feed_services(line_feed(tmp_path / "feed"))
    sketches = sketch_services(rail, PARAMS, 1.0)
    timetable = overlay_feeds(sketches, rail, [feed], {"一号线": "R1"}, PARAMS)
    use = timetable.services.set_index(["service", "use"])
    assert ("R1", "timetable") in use.index  # the feed's route, carrying the item's id
    assert use.loc[("R1", "replaced"), "note"].startswith("named by route R1")
    assert "every station in the region" in use.loc[("old", "replaced"), "note"]
    assert ("new", "sketch") in use.index  # planned lines keep their sketch
    assert set(timetable.lines.pattern_item) == {"R1", "new"}
    assert timetable.feed_items.empty  # every route named a catalog item


@pytest.mark.parametrize(
    ("break_feed", "message"),
    [
        (lambda p: p.joinpath("stop_times.txt").unlink(), "missing or empty stop_times.txt"),
        (lambda p: p.joinpath("calendar.txt").unlink(), "calendar.txt or calendar_dates.txt"),
        (
            lambda p: p.joinpath("stop_times.txt").write_text(
                p.joinpath("stop_times.txt").read_text().replace("07:00:00", "7:0:00", 1)
            ),
            "time '7:0:00' does not parse",
        ),
        (
            lambda p: p.joinpath("stop_times.txt").write_text(
                p.joinpath("stop_times.txt").read_text().replace(",C,", ",Z,", 1)
            ),
            "names stop 'Z', which stops.txt lacks",
        ),
        (
            lambda p: p.joinpath("stop_times.txt").write_text(
                p.joinpath("stop_times.txt").read_text().replace("07:23:00", "06:23:00")
            ),
            "run backwards",
        ),
        (
            lambda p: p.joinpath("stops.txt").write_text(
                p.joinpath("stops.txt").read_text().replace("stop_lat", "latitude")
            ),
            "stops.txt has no column stop_lat",
        ),
    ],
)
def test_malformed_feeds_are_one_line(tmp_path: Path, break_feed: object, message: str) -> None:
    path = line_feed(tmp_path / "feed")
    break_feed(path)  # type: ignore[operator]
    with pytest.raises(FeedError, match=message) as error:
        read_feed_services(path)
    assert str(error.value).startswith(str(path)) and "\n" not in str(error.value)


def test_not_a_zip_missing_path_and_no_stop_in_region(tmp_path: Path) -> None:
    text = tmp_path / "feed.zip"
    text.write_text("not a zip", encoding="utf-8")
    with pytest.raises(FeedError, match="not a zip file or a folder"):
        read_feed_services(text)
    with pytest.raises(FeedError, match="no such GTFS feed"):
        read_feed_services(tmp_path / "nowhere.zip")
    far = write_feed(
        tmp_path / "far",
        {},
        [("R", 3, "bus")],
        [("t", "R")],
        [("t", "07:10:00", "07:10:00", "X", 1), ("t", "07:30:00", "07:30:00", "Y", 2)],
        raw_stops=[("X", 116.4, 39.9), ("Y", 116.5, 39.9)],  # Beijing
    )
    with pytest.raises(FeedError, match="no stop lies in the study region"):
        read_feed_services(far)


def test_bad_feed_on_the_command_line_is_one_line_and_exit_2(tmp_path: Path) -> None:
    text = tmp_path / "feed.zip"
    text.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "commute", "--gtfs", str(text)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines == [f"ctz: error: {text}: not a zip file or a folder of GTFS tables"]


def test_departure_window_parses_and_rejects() -> None:
    window = DepartureWindow.parse("06:30-09:15")
    assert (window.start_min, window.end_min, window.length_min) == (390.0, 555.0, 165.0)
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        DepartureWindow.parse("7-9")
    with pytest.raises(ValueError, match="start must come before the end"):
        DepartureWindow.parse("09:00-07:00")

"""The plan's measure: station-to-station rides, the verdict rule, and the ranges of figures."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from commute_support import EXACT, KM, KMH, X0, Y0, cells_at, core, layer
from gtfs_support import write_feed

from ctz.catalog.model import GoalRule
from ctz.checks.commute.build import build_commute_network
from ctz.checks.commute.coverage import Study, measure
from ctz.checks.commute.gtfs import read_feed_services
from ctz.checks.commute.indicators import indicators, judge, station_to_station
from ctz.checks.commute.network import Assumptions
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.sensitivity import OPTIMISTIC, PESSIMISTIC, corner_measurements

STOPS = {"A": (0.0, 0.0), "B": (12.0, 0.0), "C": (24.0, 0.0), "D": (24.0, 6.0)}


def feed(folder: Path) -> Path:
    """R1 A→B→C (12 min, 1 min dwell at B, 10 min); R2 A→C non-stop in 25 min; R3 C→D."""
    rows = [
        ("r1", "08:00:00", "08:00:00", "A", 1),
        ("r1", "08:12:00", "08:13:00", "B", 2),
        ("r1", "08:23:00", "08:23:00", "C", 3),
        ("r2", "08:05:00", "08:05:00", "A", 1),
        ("r2", "08:30:00", "08:30:00", "C", 2),
        ("r3", "08:10:00", "08:10:00", "C", 1),
        ("r3", "08:18:00", "08:18:00", "D", 2),
    ]
    routes = [("R1", 2, "一号线"), ("R2", 2, "直达线"), ("R3", 2, "支线")]
    trips = [("r1", "R1"), ("r2", "R2"), ("r3", "R3")]
    return write_feed(folder, STOPS, routes, trips, rows)


def at(x_km: float, y_km: float) -> np.ndarray:
    return np.array([[X0 + x_km * KM, Y0 + y_km * KM]])


def test_station_to_station_is_the_fastest_scheduled_ride_named_by_its_service(
    tmp_path: Path,
) -> None:
    lines = read_feed_services(feed(tmp_path / "f")).lines
    services = pd.DataFrame(
        {"service": ["R1", "R2", "R3"], "name": ["一号线", "直达线", "支线"], "mode": "rail"}
    )
    # Core a's station is 1 km from stop A (within reach), b's at C; c's at D.
    stations = [at(1, 0), at(24, 0), at(24, 6.5)]
    table = station_to_station(lines, services, stations, ["a", "b", "c"], {"R1", "R2", "R3"})
    rows = table.set_index(["from", "to"])
    # A→C: 12 + 1 + 10 = 23 by R1 beats R2's 25; C→D 8 by R3; A→D needs a change: none.
    assert rows.loc[("a", "b"), "minutes"] == pytest.approx(23.0)
    assert rows.loc[("a", "b"), "service"] == "一号线"
    assert rows.loc[("b", "c"), "minutes"] == pytest.approx(8.0)
    assert np.isnan(rows.loc[("a", "c"), "minutes"]) and rows.loc[("a", "c"), "service"] == ""
    # Without R1 running, the non-stop R2 is the fastest; stations 2 km away serve nobody.
    without = station_to_station(lines, services, stations, ["a", "b", "c"], {"R2", "R3"})
    assert (
        without.loc[0, "minutes"] == pytest.approx(25.0) and without.loc[0, "service"] == "直达线"
    )
    far = station_to_station(lines, services, [at(2, 0), *stations[1:]], ["a", "b", "c"], {"R1"})
    assert np.isnan(far.loc[0, "minutes"])


def table_of(value: float, low: float, high: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": "area_nearest_60",
                "rule": "share",
                "unit": "share",
                "value": value,
                "low": low,
                "high": high,
            }
        ]
    )


@pytest.mark.parametrize(
    ("value", "low", "high", "verdict", "holds"),
    [
        (0.85, 0.82, 0.9, "met", True),
        (0.84, 0.73, 0.9, "met", False),
        (0.7, 0.6, 0.79, "not_met", True),
    ],
)
def test_the_verdict_is_the_rule_on_its_indicator_and_says_whether_it_holds_over_the_range(
    value: float, low: float, high: float, verdict: str, *, holds: bool
) -> None:
    rule = GoalRule("area_nearest_60", 0.8, "at_least", "why")
    judged = judge(rule, table_of(value, low, high))
    assert (judged.verdict, judged.holds_over_range) == (verdict, holds)
    assert (judged.value, judged.low, judged.high) == (value, low, high)
    assert "at least 80%" in judged.rule
    at_most = judge(replace(rule, direction="at_most"), table_of(value, low, high))
    assert at_most.verdict == ("not_met" if verdict == "met" else "met")
    assert judge(rule, table_of(value, low, high), "no roads").verdict == "unknown"
    missing = judge(replace(rule, indicator="pairs_door_to_door"), table_of(value, low, high))
    assert missing.verdict == "unknown" and missing.reason


PARAMS = CommuteParams(
    congestion=1.2,
    sketch_circuity=1.2,
    access_circuity=1.3,
    road_kmh=KMH,
    congestion_areas=None,
)


def study_with(params: CommuteParams) -> Study:
    """Roads (one bent chain, one straight), a metro line, cores and cells around them."""
    roads = layer(
        [
            ("straight", "trunk_road", "existing", [(0, 0), (20, 0), (40, 0)]),
            ("bent", "urban_road", "existing", [(0, 0), (10, 12), (20, 0)]),
            ("link", "expressway", "existing", [(40, 0), (40, 30)]),
        ]
    )
    rail = layer([("m", "metro", "existing", [(0, 1), (20, 1), (40, 1)])])
    cells = cells_at([(5, 5), (30, 3), (42, 25), (60, 60)], [100, 200, 300, 400])
    return Study(
        build_commute_network(roads, rail, params), [core("a", 0), core("b", 40, 30)], cells, params
    )


def test_reweighting_equals_rebuilding_at_other_assumptions() -> None:
    study = study_with(PARAMS)
    items = {"straight", "bent", "link", "m"}
    for corner in (OPTIMISTIC, PESSIMISTIC):
        reweighted = measure(study.reweighted(replace(corner, wait_share=1.0)), items, modes=False)
        rebuilt_params = replace(
            PARAMS,
            congestion=corner.congestion,
            sketch_circuity=corner.circuity,
            access_kmh=PARAMS.access_kmh * corner.access_speed_share,
            rural_access_kmh=PARAMS.rural_access_kmh * corner.access_speed_share,
        )
        rebuilt = measure(study_with(rebuilt_params), items, modes=False)
        np.testing.assert_allclose(reweighted.cell_minutes, rebuilt.cell_minutes, rtol=1e-9)
        np.testing.assert_allclose(reweighted.best, rebuilt.best, rtol=1e-9)


def test_a_bent_chain_gets_no_circuity_and_waits_scale_with_the_wait_model() -> None:
    flat = study_with(replace(PARAMS, sketch_circuity=1.0))
    curved = study_with(PARAMS)
    bent = flat.network.edges_of("bent")
    straight = flat.network.edges_of("straight")
    # The bent chain (two sides of a triangle, 31.2 km for 20 km) already bends by more
    # than 1.2: no factor. The straight one gets the whole 1.2.
    np.testing.assert_allclose(curved.network.minutes[bent], flat.network.minutes[bent])
    np.testing.assert_allclose(
        curved.network.minutes[straight], flat.network.minutes[straight] * 1.2
    )
    half = curved.reweighted(Assumptions(1.2, 1.2, 1.0, 0.5)).network
    terms = curved.network.terms
    assert terms is not None
    wait = terms.wait_min > 0
    # Boarding: 3 min (half the 6-min headway) → 1.5; changing: 3 + 5 transfer → 1.5 + 5.
    assert sorted(set(curved.network.minutes[wait])) == [3.0, 8.0]
    assert sorted(set(half.minutes[wait])) == [1.5, 6.5]


def test_corners_bracket_every_figure_and_indicators_carry_them() -> None:
    study = study_with(PARAMS)
    items = {"straight", "bent", "link", "m"}
    now = measure(study, items, modes=False)
    low, high = corner_measurements(study, items)
    assert (low.cell_minutes <= now.cell_minutes).all()
    assert (now.cell_minutes <= high.cell_minutes).all()
    assert (low.best <= high.best).all()
    stations = pd.DataFrame(
        {"from": ["a"], "to": ["b"], "minutes": [30.0], "service": ["m"], "low": 28.0, "high": 33.0}
    )
    table = indicators(study, (now, low, high), stations, None).set_index("id")
    assert set(table.index) == {
        "prefectures_central_60",
        "prefectures_nearest_60",
        "pairs_station_to_station",
        "pairs_door_to_door",
    }
    door = table.loc["pairs_door_to_door"]
    assert door["low"] == pytest.approx(low.best[0, 1]) and door["high"] == pytest.approx(
        high.best[0, 1]
    )
    share = table.loc["prefectures_nearest_60"]
    assert share["low"] <= share["value"] <= share["high"]
    ride = table.loc["pairs_station_to_station"]
    assert (ride["value"], ride["low"], ride["high"]) == (30.0, 28.0, 33.0)


def test_sketched_rides_carry_the_circuity_range_and_timetabled_ones_none(tmp_path: Path) -> None:
    from ctz.checks.commute.build import sketch_services
    from ctz.checks.commute.indicators import station_ranges

    rail = layer([("m", "metro", "existing", [(0, 0), (12, 0), (24, 0)])])
    sketch = sketch_services(rail, PARAMS, PARAMS.sketch_circuity)
    services = pd.DataFrame({"service": ["m"], "name": ["地铁"], "mode": "urban_rail"})
    stations = [at(0, 0), at(24, 0)]
    table = station_ranges(sketch, services, stations, ["a", "b"], {"m"}, 1.2)
    # 24 km straight at 35 km/h: 41.1 min x 1.2 circuity; x 1.1 and x 1.3 at the corners.
    ride = 24 / 35 * 60
    assert table.loc[0, "minutes"] == pytest.approx(ride * 1.2)
    assert (table.loc[0, "low"], table.loc[0, "high"]) == pytest.approx((ride * 1.1, ride * 1.3))
    timed = read_feed_services(feed(tmp_path / "f")).lines
    fixed = station_ranges(timed, pd.DataFrame(), [at(0, 0), at(24, 0)], ["a", "b"], {"R1"}, 1.2)
    assert fixed.loc[0, "low"] == fixed.loc[0, "minutes"] == fixed.loc[0, "high"] == 23.0


@pytest.mark.parametrize("seed", range(10))
def test_congested_points_are_those_inside_the_areas(seed: int) -> None:
    import shapely

    rng = np.random.default_rng(seed)
    # two districts sharing an edge, one with a hole; points around, on vertices and edges
    west = shapely.box(X0, Y0, X0 + 10 * KM, Y0 + 10 * KM).difference(
        shapely.box(X0 + 4 * KM, Y0 + 4 * KM, X0 + 6 * KM, Y0 + 6 * KM)
    )
    east = shapely.box(X0 + 10 * KM, Y0 + 2 * KM, X0 + 15 * KM, Y0 + 8 * KM)
    areas = shapely.union_all([west, east])
    around = rng.uniform([X0 - 5 * KM, Y0 - 5 * KM], [X0 + 20 * KM, Y0 + 15 * KM], (2000, 2))
    on_edges = np.column_stack([np.full(50, X0 + 10 * KM), rng.uniform(Y0, Y0 + 10 * KM, 50)])
    xy = np.vstack([around, on_edges, shapely.get_coordinates(areas)])
    congested = replace(EXACT, congestion_areas=areas).congested_at(xy)
    expected = [areas.contains(shapely.Point(x, y)) for x, y in xy]
    assert congested.tolist() == expected
    assert replace(EXACT, congestion_areas=None).congested_at(xy).all()


def test_congestion_only_inside_the_congestion_areas() -> None:
    import shapely

    # The west part (x < 25 km) is the central district.
    centre = shapely.box(X0 - 50 * KM, Y0 - 50 * KM, X0 + 25 * KM, Y0 + 50 * KM)
    params = replace(EXACT, congestion=1.5, congestion_areas=centre)
    roads = layer([("r", "trunk_road", "existing", [(0, 0), (10, 0), (30, 0), (40, 0)])])
    network = build_commute_network(roads, layer([])[0:0], params)
    road = network.edges_of("r")
    minutes = sorted(set(np.round(network.minutes[road], 6)))
    # 10 km at 60 km/h = 10 min: × 1.5 for 0–10 (inside), 10 for 30–40 (outside);
    # 10–30 has its midpoint at 20 km, inside: 20 min × 1.5.
    assert minutes == [10.0, 15.0, 30.0]
    assert network.terms is not None
    assert network.terms.congested[road].sum() == 4  # two segments, both ways

"""Commute engine on hand-built networks whose travel times are known exactly."""

from __future__ import annotations

import numpy as np
import pytest
from commute_support import EXACT, KMH, NO_RAIL, cells_at, core, layer

from ctz.base import CtzError
from ctz.checks.commute.build import build_commute_network
from ctz.checks.commute.coverage import Study, measure, shares
from ctz.checks.commute.marginal import marginal_gains
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.scenario import scenario_items


def test_expressway_time_is_length_over_speed() -> None:
    # 60 km at 100 km/h = 36 min; halfway 18 min.
    roads = layer([("g4", "expressway", "existing", [(0, 0), (30, 0), (60, 0)])])
    study = Study(
        build_commute_network(roads, NO_RAIL, EXACT),
        [core("a", 0), core("b", 60)],
        cells_at([(30, 0), (60, 0)], [100, 300]),
        EXACT,
    )
    m = measure(study, {"g4"})
    np.testing.assert_allclose(m.cell_minutes[0], [18.0, 36.0], atol=1e-3)
    np.testing.assert_allclose(m.best, [[0, 36], [36, 0]], atol=1e-3)
    assert m.road is not None and m.rail is not None  # measured with modes
    assert np.isinf(m.rail[0, 1])  # no rail at all


def test_congestion_and_access_link() -> None:
    params = CommuteParams(
        congestion=1.5, sketch_circuity=1.0, access_circuity=1.0, access_kmh=30.0
    )
    roads = layer([("r", "trunk_road", "existing", [(0, 0), (10, 0)])])
    # 10 km at 60 km/h x 1.5 = 15 min, then 1 km off the road at 30 km/h = 2 min
    # (straight from the core's node: 10.05 km at 30 km/h = 20.1 min, slower).
    study = Study(
        build_commute_network(roads, NO_RAIL, params),
        [core("a", 0)],
        cells_at([(10, 1)], [1]),
        params,
    )
    np.testing.assert_allclose(measure(study, {"r"}).cell_minutes[0], [17.0], atol=1e-3)


def test_rail_shortcut_pays_half_headway_and_station_entry() -> None:
    # Urban road 40 km at 40 km/h = 60 min. Intercity 40 km at 120 km/h = 20 min,
    # plus half the 20-min headway (10) plus station entry (5) = 35 min.
    params = CommuteParams(
        congestion=1.0,
        sketch_circuity=1.0,
        access_circuity=1.0,
        road_kmh=KMH,
        rail_kmh={"intercity_rail": 120.0},
        headway_min={"intercity_rail": 20.0},
        station_entry_min=5.0,
    )
    roads = layer([("road", "urban_road", "existing", [(0, 0), (20, 0), (40, 0)])])
    rail = layer([("czt", "intercity_rail", "existing", [(0, 0), (40, 0)])])
    study = Study(
        build_commute_network(roads, rail, params),
        [core("a", 0), core("b", 40)],
        cells_at([(20, 0), (40, 0)], [1, 1]),
        params,
    )
    m = measure(study, {"road", "czt"})
    assert m.road is not None and m.rail is not None  # measured with modes
    assert m.road[0, 1] == pytest.approx(60.0, abs=1e-3)
    assert m.rail[0, 1] == pytest.approx(35.0, abs=1e-3)
    assert m.best[0, 1] == pytest.approx(35.0, abs=1e-3)
    # Halfway there is no stop: 30 min by road beats 35 + 30 back by road.
    np.testing.assert_allclose(m.cell_minutes[0], [30.0, 35.0], atol=1e-3)
    # Without the rail item the road time is back.
    assert measure(study, {"road"}).best[0, 1] == pytest.approx(60.0, abs=1e-3)


def test_transfer_pays_next_wait_plus_penalty() -> None:
    # Metro A 0→12 km (35 km/h... set 36 km/h: 20 min), metro B 12→24 km (20 min).
    # Wait 3 (6-min headway), entry 5, ride 20, transfer: wait 3 + penalty 4, ride 20 = 55.
    params = CommuteParams(
        congestion=1.0,
        sketch_circuity=1.0,
        access_circuity=1.0,
        rail_kmh={"metro": 36.0},
        headway_min={"metro": 6.0},
        station_entry_min=5.0,
        transfer_min=4.0,
        road_kmh={"urban_road": 10.0},
        max_access_km=1.0,  # no driving straight across to the far station
    )
    roads = layer([("slow", "urban_road", "existing", [(0, 0), (12, 0), (24, 0)])])
    rail = layer(
        [
            ("m1", "metro", "existing", [(0, 0), (12, 0)]),
            ("m2", "metro", "existing", [(12, 0), (24, 0)]),
        ]
    )
    study = Study(
        build_commute_network(roads, rail, params),
        [core("a", 0), core("b", 24)],
        cells_at([(24, 0)], [1]),
        params,
    )
    m = measure(study, {"slow", "m1", "m2"})
    assert m.best[0, 1] == pytest.approx(55.0, abs=1e-3)


def test_unreachable_island_counts_as_not_covered() -> None:
    roads = layer(
        [
            ("main", "expressway", "existing", [(0, 0), (40, 0)]),
            ("island", "expressway", "existing", [(0, 100), (10, 100)]),
        ]
    )
    # Cells: on the main road (24 min), on the island (its roads join nothing).
    cells = cells_at([(40, 0), (5, 100)], [600, 300])
    study = Study(build_commute_network(roads, NO_RAIL, EXACT), [core("a", 0)], cells, EXACT)
    m = measure(study, {"main", "island"})
    assert m.cell_minutes[0][0] == pytest.approx(24.0, abs=1e-3)
    assert np.isinf(m.cell_minutes[0][1])
    assert shares(m.nearest, study.population) == {30: 2 / 3, 45: 2 / 3, 60: 2 / 3, 90: 2 / 3}


def test_a_cell_beyond_the_network_reaches_it_on_rural_roads() -> None:
    roads = layer([("main", "expressway", "existing", [(0, 0), (40, 0)])])
    # 60 km south of the road's end (beyond the 20 km reach): linked to that end anyway,
    # 5 km at 30 km/h (10 min) then 55 km x 1.4 detour at 40 km/h (115.5 min).
    cells = cells_at([(40, 0), (40, -60)], [600, 100])
    study = Study(build_commute_network(roads, NO_RAIL, EXACT), [core("a", 0)], cells, EXACT)
    m = measure(study, {"main"})
    assert m.cell_minutes[0][1] == pytest.approx(24.0 + 10.0 + 115.5, abs=1e-2)
    assert study.far_from_network.tolist() == [False, True]


def test_core_outside_the_network_is_bad_input() -> None:
    roads = layer([("r", "expressway", "existing", [(0, 0), (10, 0)])])
    with pytest.raises(CtzError, match="core far"):
        Study(
            build_commute_network(roads, NO_RAIL, EXACT),
            [core("far", 0, 500)],
            cells_at([(1, 0)], [1]),
            EXACT,
        )


def test_shared_anchor_vertices_join_roads_into_one_network() -> None:
    # Two items meet at (30, 0) with a 10 m mismatch: snapped to one node.
    roads = layer(
        [
            ("a", "expressway", "existing", [(0, 0), (30, 0)]),
            ("b", "expressway", "existing", [(30.01, 0), (30.01, 30)]),
        ]
    )
    study = Study(
        build_commute_network(roads, NO_RAIL, EXACT),
        [core("c", 0)],
        cells_at([(30.01, 30)], [1]),
        EXACT,
    )
    assert measure(study, {"a", "b"}).cell_minutes[0][0] == pytest.approx(36.0, abs=0.01)


def test_marginal_gain_matches_a_full_rerun() -> None:
    roads = layer(
        [
            ("old", "urban_road", "existing", [(0, 0), (30, 0), (60, 0)]),
            ("new_expy", "expressway", "planned", [(0, 0), (30, 0), (60, 0)]),
            ("new_spur", "trunk_road", "planned", [(60, 0), (60, 20)]),
        ]
    )
    cells = cells_at([(30, 0), (60, 0), (60, 20), (60, 10)], [1000, 2000, 500, 250])
    study = Study(build_commute_network(roads, NO_RAIL, EXACT), [core("c", 0)], cells, EXACT)
    gains = {g.item_id: g.people for g in marginal_gains(study, {"old"}, {"new_expy", "new_spur"})}
    before = measure(study, {"old"}).nearest <= 60
    for item in ("new_expy", "new_spur"):
        after = measure(study, {"old", item}).nearest <= 60
        assert gains[item] == study.population[after & ~before].sum()
    # By hand: the expressway brings the 60 km node from 90 to 36 min: its cell
    # (2000 people) and the cell 10 km off it (36 + 20 min access, 250 people) come
    # within the hour. The spur alone starts at a node 90 min away: it adds nobody.
    assert gains == {"new_expy": 2250, "new_spur": 0}


def test_scenarios_switch_items_by_status_and_year() -> None:
    items = layer(
        [
            ("a", "expressway", "existing", [(0, 0), (1, 0)]),
            ("b", "expressway", "planned", [(0, 0), (1, 0)]),
        ]
    )
    items["target_year"] = [None, 2030]
    assert scenario_items(items, "existing") == ({"a"}, {"a"})
    assert scenario_items(items, "all") == ({"a"}, {"a", "b"})
    assert scenario_items(items, "2030") == ({"a"}, {"a", "b"})
    with pytest.raises(CtzError, match="no planned"):
        scenario_items(items, "2025")
    with pytest.raises(CtzError, match="unknown scenario"):
        scenario_items(items, "soon")

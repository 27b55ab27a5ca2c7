"""What each planned item contributes, and why an item adds nothing, on hand-built networks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from commute_support import EXACT, KM, X0, Y0, cells_at, core, layer

from ctz.catalog import Catalog
from ctz.checks.commute import dijkstra
from ctz.checks.commute.build import build_commute_network, sketch_services
from ctz.checks.commute.contributions import (
    ADDS_PEOPLE,
    NOT_CONNECTED,
    OUTSIDE_REACH,
    SLOWER,
    item_contributions,
)
from ctz.checks.commute.coverage import Study, measure, shares
from ctz.checks.commute.dijkstra import times_from
from ctz.checks.commute.marginal import marginal_gains
from ctz.checks.commute.network import ALWAYS_ON, ROAD, Network
from ctz.checks.commute.options import CommuteOptions
from ctz.checks.commute.paths import improved_times, router
from ctz.checks.commute.run import prepare_run
from ctz.checks.commute.scenario import scenario_items
from ctz.geo.embedded import EmbeddedSource

# A core at 0; an expressway to 40 km, then an old 40 km/h road to a town at 100 km
# (24 + 90 = 114 min away). Planned: a fast intercity line to the town, an island
# expressway far away, an urban road drawn along the expressway, and a spur south of
# the town that stays beyond the hour.
PARAMS = replace(
    EXACT,
    rail_kmh={"intercity_rail": 150.0, "high_speed_rail": 200.0},
    headway_min={"intercity_rail": 20.0, "high_speed_rail": 30.0},
    station_entry_min=5.0,
)
ROADS = layer(
    [
        ("main", "expressway", "existing", [(0, 0), (40, 0)]),
        ("old", "urban_road", "existing", [(40, 0), (100, 0)]),
        ("island", "expressway", "planned", [(0, 200), (10, 200)]),
        ("parallel", "urban_road", "planned", [(0, 0), (40, 0)]),
        ("spur", "trunk_road", "planned", [(100, 0), (100, 30)]),
    ]
)
RAIL = layer([("new_line", "intercity_rail", "planned", [(0, 0), (100, 0)])])
CELLS = cells_at([(10, 0), (100, 0), (100, 30)], [5000, 1000, 100])
PLANNED = {"new_line", "island", "parallel", "spur"}


@pytest.fixture
def study() -> Study:
    network = build_commute_network(ROADS, RAIL, PARAMS)
    return Study(network, [core("a", 0)], CELLS, PARAMS)


def test_a_new_line_raises_coverage(study: Study) -> None:
    today, with_line = measure(study, {"main", "old"}), measure(study, {"main", "old", "new_line"})
    # Today: the town is 24 + 90 = 114 min away. By the line: entry 5 + wait 10 + 100 km at
    # 150 km/h (40) = 55 min, within the hour.
    assert today.nearest[1] == pytest.approx(114.0, abs=1e-3)
    assert with_line.nearest[1] == pytest.approx(55.0, abs=1e-3)
    assert shares(today.nearest, study.population)[60] == pytest.approx(5000 / 6100)
    assert shares(with_line.nearest, study.population)[60] == pytest.approx(6000 / 6100)


def test_each_item_says_what_it_adds_or_why_it_adds_nothing(study: Study) -> None:
    table = item_contributions(study, {"main", "old"}, PLANNED | {"main"}).set_index("item_id")
    assert list(table.index) == ["new_line", "island", "parallel", "spur"]  # most people first
    assert table.loc["new_line", "verdict"] == ADDS_PEOPLE
    assert table.loc["new_line", "people_newly_within_60"] == 1000
    assert table.loc["island", "verdict"] == NOT_CONNECTED
    assert table.loc["parallel", "verdict"] == SLOWER
    assert "runs along main" in table.loc["parallel", "reason"]
    assert table.loc["spur", "verdict"] == OUTSIDE_REACH
    # The spur brings the cell 30 km south of the town within reach, at 114 + 30 = 144 min.
    assert "100 stay beyond" in table.loc["spur", "reason"]
    gains = {g.item_id: g.people for g in marginal_gains(study, {"main", "old"}, PLANNED)}
    assert table["people_newly_within_60"].to_dict() == gains


def test_core_pair_savings_match_a_full_rerun() -> None:
    cores = [core("a", 0), core("town", 100)]
    study = Study(build_commute_network(ROADS, RAIL, PARAMS), cores, CELLS, PARAMS)
    table = item_contributions(study, {"main", "old"}, {"new_line"}).set_index("item_id")
    before = measure(study, {"main", "old"}).best[0, 1]
    after = measure(study, {"main", "old", "new_line"}).best[0, 1]
    assert table.loc["new_line", "minutes_saved"] == pytest.approx(before - after, abs=1e-4)
    assert table.loc["new_line", "pair"] == "a–town"


def test_high_speed_trains_stop_only_at_stations() -> None:
    hsr = layer([("hsr", "high_speed_rail", "existing", [(0, 0), (50, 0), (100, 0)])])
    stations = np.array([[X0, Y0], [X0 + 100 * KM, Y0]])
    lines = sketch_services(hsr, PARAMS, 1.0, stations)
    np.testing.assert_array_equal(lines.serves, [True, False, True, True, False, True])
    everywhere = sketch_services(hsr, PARAMS, 1.0)
    assert everywhere.serves.all()


def test_a_road_ending_near_another_is_joined_by_a_street_link() -> None:
    roads = layer(
        [
            ("main", "expressway", "existing", [(0, 0), (40, 0)]),
            ("spur", "trunk_road", "planned", [(42, 0), (42, 20)]),
        ]
    )
    study = Study(
        build_commute_network(roads, RAIL[0:0], PARAMS), [core("a", 0)], CELLS[:1], PARAMS
    )
    spur_end = np.flatnonzero(np.hypot(*(study.network.xy - [X0 + 42 * KM, Y0 + 20 * KM]).T) < 1)
    # 40 km at 100 km/h, 2 km of street at 30 km/h (4 min), 20 km at 60 km/h: 24 + 4 + 20.
    active = study.network.item_mask({"main", "spur"})
    node_times = router(study.network, active, study.core_out).times()
    assert node_times[0, spur_end[0]] == pytest.approx(48.0, abs=1e-3)
    # Without the spur, its end is reached by nothing.
    without = router(study.network, study.network.item_mask({"main"}), study.core_out).times()
    assert np.isinf(without[0, spur_end[0]])


def test_contributions_match_full_reruns_on_the_embedded_default(catalog: Catalog) -> None:
    prepared = prepare_run(catalog, EmbeddedSource(catalog), CommuteOptions(grid_km=5.0))
    study = prepared.study
    today, every = scenario_items(prepared.today.items, "all")
    table = item_contributions(study, today, every).set_index("item_id")
    before = measure(study, today)
    for item_id in table.index:
        after = measure(study, today | {item_id})
        newly = (after.nearest <= 60) & ~(before.nearest <= 60)
        assert table.loc[item_id, "people_newly_within_60"] == study.population[newly].sum()
        saving = np.triu(np.where(np.isfinite(before.best), before.best - after.best, 0.0), 1)
        assert table.loc[item_id, "minutes_saved"] == pytest.approx(max(saving.max(), 0), abs=1e-4)


def random_network(rng: np.random.Generator) -> Network:
    """A random directed road graph of 60–200 nodes and three planned items of 1–4 edges each.

    Some weights are zero (free links) and some planned edges double an edge open
    today, faster or slower.
    """
    n = int(rng.integers(60, 200))
    tail = rng.integers(0, n, 4 * n)
    head = rng.integers(0, n, 4 * n)
    minutes = np.where(rng.random(4 * n) < 0.05, 0.0, rng.uniform(0.5, 20.0, 4 * n))
    sizes = rng.integers(1, 5, 3)
    planned_tail = rng.integers(0, n, sizes.sum())
    planned_head = np.where(
        rng.random(sizes.sum()) < 0.3, head[: sizes.sum()], rng.integers(0, n, sizes.sum())
    )
    planned_tail = np.where(planned_head == head[: sizes.sum()], tail[: sizes.sum()], planned_tail)
    return Network(
        xy=rng.uniform(0, 50 * KM, (n, 2)),
        street=np.ones(n, bool),
        arrive=np.zeros(n, bool),
        depart=np.zeros(n, bool),
        tail=np.r_[tail, planned_tail],
        head=np.r_[head, planned_head],
        minutes=np.r_[minutes, rng.uniform(0.0, 10.0, sizes.sum())],
        mode=np.full(4 * n + sizes.sum(), ROAD, dtype=np.int8),
        item=np.r_[np.full(4 * n, ALWAYS_ON), np.repeat(np.arange(3), sizes)].astype(np.int32),
        item_ids=["p0", "p1", "p2"],
    )


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("engine", ["scipy", "kernel"])
def test_bounded_and_nearest_searches_equal_the_unbounded_per_core_one_to_the_bit(
    seed: int, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine == "kernel":  # as on a large network: the searches from an item's seeds
        monkeypatch.setattr(dijkstra, "KERNEL_MIN_NODES", 0)  # reach only what it speeds up
    rng = np.random.default_rng(seed)
    network = random_network(rng)
    sources = rng.choice(network.n_nodes, 3, replace=False)
    today_mask = network.item == ALWAYS_ON
    base = network.adjacency(today_mask)
    per_core = times_from(base, sources)
    bound = np.array([rng.uniform(5.0, 40.0), np.inf, rng.uniform(0.0, 20.0)])[:, None]
    for k in range(len(network.item_ids)):
        extra = network.item == k
        exact = improved_times(network, base, extra, per_core, np.inf)
        rerun = times_from(network.adjacency(today_mask | extra), sources)
        np.testing.assert_allclose(exact, rerun, atol=1e-5, err_msg=f"seed {seed}")
        rows = improved_times(network, base, extra, per_core, bound.ravel())
        within = exact <= bound
        np.testing.assert_array_equal(rows[within], exact[within], err_msg=f"seed {seed}")
        assert (exact <= rows).all() and (rows <= per_core).all(), f"seed {seed}"
        one = improved_times(network, base, extra, per_core.min(axis=0), np.inf)
        np.testing.assert_array_equal(one, exact.min(axis=0), err_msg=f"seed {seed}")
        both = np.vstack([per_core.min(axis=0), per_core])
        together = improved_times(network, base, extra, both, np.r_[np.inf, bound.ravel()])
        np.testing.assert_array_equal(together, np.vstack([one, rows]), err_msg=f"seed {seed}")

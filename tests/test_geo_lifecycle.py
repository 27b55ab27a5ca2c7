"""Lifecycle of matched OSM elements: open, being built or proposed, by the class they will have."""

from __future__ import annotations

import numpy as np
import pytest
from geo_osm_support import FakeOverpass, item, line_nodes, osm_source

from ctz.geo.item_tags import KIND_TAGS, lifecycle_state, tags_match, tags_match_any_stage
from ctz.geo.lifecycle import STAGES, lifecycle_of

ROAD = KIND_TAGS["urban_road"]


@pytest.mark.parametrize(
    ("tags", "matches", "state"),
    [
        ({"highway": "primary"}, True, "open"),
        ({"highway": "construction", "construction": "primary"}, True, "construction"),
        ({"highway": "proposed", "proposed": "secondary"}, True, "proposed"),
        ({"highway": "construction", "construction": "footway"}, False, "construction"),
        ({"highway": "construction"}, False, "construction"),
        ({"highway": "primary", "construction": "yes"}, True, "open"),  # works on an open road
    ],
)
def test_a_road_being_built_matches_by_its_future_class(tags, matches, state):
    assert tags_match_any_stage(tags, ROAD) is matches
    assert lifecycle_state(tags) == state
    # feature requests (crossings, greenways, land use) keep to what is in use
    assert tags_match(tags, ROAD) is (matches and state == "open")


def test_railway_lifecycle():
    assert lifecycle_state({"railway": "construction", "construction": "subway"}) == "construction"
    assert lifecycle_state({"railway": "subway"}) == "open"


stage_tags = {
    "open": {"highway": "primary"},
    "construction": {"highway": "construction", "construction": "primary"},
    "proposed": {"highway": "proposed", "proposed": "primary"},
}


@pytest.mark.parametrize("seed", range(40))
def test_state_is_the_stage_holding_most_km_whatever_the_order(seed):
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 13))
    stages = [STAGES[i] for i in rng.integers(0, len(STAGES), count)]
    km = rng.uniform(0.1, 50, count)
    ids = [f"way/{i}" for i in range(count)]
    found = lifecycle_of(ids, [stage_tags[s] for s in stages], km)
    totals = {s: km[[x == s for x in stages]].sum() for s in STAGES}
    assert totals[found.state] == max(totals.values())
    assert sorted(i for found_ids in found.osm_ids.values() for i in found_ids) == sorted(ids)
    order = rng.permutation(count)
    again = lifecycle_of([ids[i] for i in order], [stage_tags[stages[i]] for i in order], km[order])
    assert again.state == found.state
    assert again.km == pytest.approx(found.km)


def test_points_take_the_most_advanced_stage_on_a_tie():
    tags = [stage_tags["proposed"], stage_tags["open"]]
    assert lifecycle_of(["node/1", "node/2"], tags, np.zeros(2)).state == "open"


def test_dates_are_the_latest_opening_and_earliest_start():
    tags = [
        {**stage_tags["open"], "opening_date": "2020-10-23", "start_date": "2019-07"},
        {**stage_tags["open"], "opening_date": "2021-01-01", "start_date": "2018"},
    ]
    found = lifecycle_of(["way/1", "way/2"], tags, np.ones(2))
    assert (found.opening_date, found.start_date) == ("2021-01-01", "2018")


def test_live_source_downloads_and_matches_a_road_being_built(httpserver, tmp_path):
    road = item(
        "furong", "芙蓉大道", "芙蓉大道", "urban_road", from_anchor="furong_n", to_anchor="furong_s"
    )
    nodes = line_nodes(1, 112.99, [28.25, 28.10])
    ways = [(1, [1, 2], {"highway": "construction", "construction": "primary", "name": "芙蓉大道"})]
    fake = FakeOverpass(nodes, ways).serve(httpserver)
    resolution = osm_source(httpserver, tmp_path, (road,)).resolve([road])
    assert resolution.matched == ["furong"]
    assert resolution.lifecycle["furong"].state == "construction"
    assert any('["highway"="construction"]' in q for q in fake.queries)


def test_a_dual_carriageway_counts_once():
    motorway = {"highway": "motorway"}
    both = lifecycle_of(["way/1", "way/2"], [motorway, motorway], np.array([10.0, 10.0]))
    assert both.km == {"open": 10.0}
    two_way = {"highway": "primary"}
    assert lifecycle_of(["way/3"], [two_way], np.array([10.0])).km == {"open": 10.0}
    one_way = {"highway": "primary", "oneway": "yes"}
    assert lifecycle_of(["way/4"], [one_way], np.array([10.0])).km == {"open": 5.0}
    built = {"highway": "construction", "construction": "motorway"}
    assert lifecycle_of(["way/5"], [built], np.array([10.0])).km == {"construction": 5.0}

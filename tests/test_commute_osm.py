"""The commute network on an OSM drive graph: speeds from maxspeed or class, times by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from geo_osm_support import item, write_osm
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from ctz import cli
from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.model import Anchor, Catalog, Core
from ctz.checks.commute.build import build_osm_network
from ctz.checks.commute.network import ALWAYS_ON, csr
from ctz.checks.commute.params import CommuteParams
from ctz.cli import main
from ctz.geo.network.from_osmnx import network_from_osmnx
from ctz.geo.network.model import RoadNetwork, locality_order

MILE_M = 1609.344

# id: (lon, lat) — a small street network south-east of Changsha.
NODES = {
    1: (113.00, 28.00),
    2: (113.05, 28.00),
    3: (113.08, 28.02),
    4: (113.08, 28.08),
    5: (113.00, 28.05),
    6: (112.95, 28.05),
    7: (112.92, 28.10),
}

# (u, v, length m, tags, two-way); minutes at congestion 1 by hand: km / kmh × 60.
EDGES: list[tuple[int, int, float, dict[str, Any], bool]] = [
    (1, 2, 6000.0, {"highway": "primary", "maxspeed": "60"}, True),  # 60 → 6.0
    (2, 3, 4000.0, {"highway": "secondary", "maxspeed": "60;80"}, True),  # lowest 60 → 4.0
    (3, 4, 5 * MILE_M, {"highway": "primary", "maxspeed": "30 mph"}, True),  # 30 mph → 10.0
    (4, 5, 5000.0, {"highway": ["road", "trunk"]}, True),  # first known class trunk 70 → 30/7
    (1, 5, 3000.0, {"highway": "residential", "maxspeed": ["50", "40"]}, False),  # 40 → 4.5
    (5, 6, 2000.0, {"highway": "busway"}, True),  # no class speed: default 30 → 4.0
    (6, 7, 3500.0, {"highway": "tertiary", "maxspeed": "CN:urban"}, True),  # tertiary 35 → 6.0
]


def drive_graph() -> RoadNetwork:
    """The network of an osmnx graph: both directions of two-way ways, one of one-way ways."""
    graph = nx.MultiDiGraph(crs=STORAGE_CRS)
    graph.add_nodes_from((n, {"x": x, "y": y}) for n, (x, y) in NODES.items())
    for way, (u, v, length, tags, two_way) in enumerate(EDGES, start=100):
        graph.add_edge(u, v, length=length, oneway=not two_way, osmid=way, **tags)
        if two_way:
            graph.add_edge(v, u, length=length, oneway=False, osmid=way, **tags)
    return network_from_osmnx(graph)


def no_items() -> gpd.GeoDataFrame:
    columns: dict[str, list[str]] = {"item_id": [], "kind": [], "status": []}
    return gpd.GeoDataFrame(columns, geometry=[], crs=STORAGE_CRS)


def metric_nodes() -> np.ndarray:
    """The test nodes' coordinates in the metric CRS, in :data:`NODES` order."""
    lonlat = gpd.points_from_xy(*np.array(list(NODES.values())).T, crs=STORAGE_CRS)
    metric = gpd.GeoSeries(lonlat).to_crs(METRIC_CRS)
    return np.column_stack([metric.x, metric.y])


def network_index(network_xy: np.ndarray) -> dict[int, int]:
    """Where each OSM node of :data:`NODES` sits in the (renumbered) network."""
    distance, index = cKDTree(network_xy).query(metric_nodes())
    assert distance.max() < 1e-6
    return dict(zip(NODES, index.tolist(), strict=True))


def osm_times(congestion: float) -> dict[tuple[int, int], float]:
    """Shortest minutes between the OSM nodes of the network built on :func:`drive_graph`."""
    params = CommuteParams(congestion=congestion)
    network = build_osm_network(drive_graph(), no_items(), no_items(), params)
    assert (network.item == ALWAYS_ON).all() and network.street.all()
    graph = csr(network.n_nodes, network.tail, network.head, network.minutes)
    times = dijkstra(graph)
    at = network_index(network.xy)
    return {(a, b): times[at[a], at[b]] for a in NODES for b in NODES}


def test_edge_times_follow_maxspeed_then_class_then_default() -> None:
    times = osm_times(congestion=1.0)
    assert times[1, 2] == pytest.approx(6.0)
    assert times[2, 3] == pytest.approx(4.0)
    assert times[3, 4] == pytest.approx(10.0)
    assert times[4, 5] == pytest.approx(30 / 7)
    assert times[1, 5] == pytest.approx(4.5)
    assert times[5, 6] == pytest.approx(4.0)
    assert times[6, 7] == pytest.approx(6.0)


def test_oneway_and_congestion_shape_the_paths() -> None:
    times = osm_times(congestion=1.2)
    # 1 → 5 takes the one-way street; 5 → 1 must go round by 4, 3 and 2.
    assert times[1, 5] == pytest.approx(4.5 * 1.2)
    assert times[5, 1] == pytest.approx((30 / 7 + 10.0 + 4.0 + 6.0) * 1.2)
    assert times[1, 4] == pytest.approx((4.5 + 30 / 7) * 1.2)
    assert times[4, 1] == pytest.approx((10.0 + 4.0 + 6.0) * 1.2)
    assert times[1, 7] == pytest.approx((4.5 + 4.0 + 6.0) * 1.2)


def test_nodes_are_in_the_metric_crs_renumbered_by_locality() -> None:
    network = build_osm_network(drive_graph(), no_items(), no_items(), CommuteParams())
    at = network_index(network.xy)  # every node found at its metric position
    assert sorted(at.values()) == list(range(len(NODES)))
    # the chain 7-6-5-1-2-3-4 (plus the 4-5 shortcut) is numbered along its length
    neighbours = {(1, 2), (2, 3), (3, 4), (4, 5), (1, 5), (5, 6), (6, 7)}
    gaps = [abs(at[a] - at[b]) for a, b in neighbours]
    assert max(gaps) <= 3 < len(NODES) - 1


def test_locality_order_numbers_a_shuffled_path_along_its_length() -> None:
    rng = np.random.default_rng(7)
    shuffled = rng.permutation(200)  # node shuffled[k] is the k-th stop on a path
    order = locality_order(200, shuffled[:-1], shuffled[1:])
    position = np.empty_like(order)
    position[order] = np.arange(200)
    steps = np.abs(np.diff(position[shuffled]))
    assert (steps == 1).all()


# End to end: a pbf with one slow street between two cores, and a planned expressway.
CORE_A, CORE_B = (113.00, 28.10), (113.00, 28.20)
EARTH_RADIUS_M = 6_371_009.0
STREET_KM = EARTH_RADIUS_M * np.radians(0.10) / 1000.0  # along the meridian
STREET_KMH = 20 * 1.609344  # maxspeed "20 mph"


def e2e_catalog() -> Catalog:
    anchors = {
        "a": Anchor("a", "甲", "A", "place", *CORE_A, "test"),
        "b": Anchor("b", "乙", "B", "place", *CORE_B, "test"),
    }
    planned = item(
        "new_expressway",
        "新高速",
        "新高速",
        "expressway",
        status="planned",
        from_anchor="a",
        to_anchor="b",
    )
    cores = {
        "a": Core("a", "甲", "A", "a", "test"),
        "b": Core("b", "乙", "B", "b", "test"),
    }
    return Catalog({}, anchors, {planned.id: planned}, {}, cores)


@pytest.fixture
def street_pbf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(cli, "load_catalog", e2e_catalog)
    nodes: list[tuple] = [(1, *CORE_A, {}), (2, 113.00, 28.15, {}), (3, *CORE_B, {})]
    nodes += [(4, 113.02, 28.15, {})]
    street = {"highway": "residential", "maxspeed": "20 mph"}
    ways = [(10, [1, 2, 3], street), (11, [2, 4], {"highway": "service"})]
    return write_osm(tmp_path / "street.osm.pbf", nodes, ways)


def run_commute_json(pbf: Path, scenario: str) -> dict:
    args = ["check", "commute", "--source", f"pbf:{pbf}", "--scenario", scenario]
    result = CliRunner().invoke(main, [*args, "--grid-km", "2", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_core_to_core_time_on_a_pbf_road_graph(street_pbf: Path) -> None:
    report = run_commute_json(street_pbf, "existing")
    assert report["road_network"] == "osm"
    (pair,) = report["core_to_core_minutes"]
    # Cores sit on the street's ends: 11.12 km at 32.19 km/h, × 1.2 congestion.
    assert pair["road"] == pytest.approx(STREET_KM / STREET_KMH * 60 * 1.2, abs=0.05)
    assert pair["rail"] is None


def test_planned_road_sketch_joins_the_osm_graph(street_pbf: Path) -> None:
    report = run_commute_json(street_pbf, "all")
    (pair,) = report["core_to_core_minutes"]
    # The sketch runs anchor to anchor: 11.12 km × 1.2 circuity at 100 km/h, × 1.2 congestion
    # (UTM shrinks it by about 0.03 %).
    assert pair["road"] == pytest.approx(STREET_KM * 1.2 / 100 * 60 * 1.2, abs=0.1)
    assert pair["best_baseline"] == pytest.approx(STREET_KM / STREET_KMH * 60 * 1.2, abs=0.05)


def test_corrupt_pbf_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "load_catalog", e2e_catalog)
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"not a protobuf at all")
    result = CliRunner().invoke(main, ["check", "commute", "--source", f"pbf:{bad}"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ctz: error:")

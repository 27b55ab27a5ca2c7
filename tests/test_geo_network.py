"""The array road network: same graph as the networkx path it replaces, real data, hand cases."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geo_osm_support import write_osm
from network_reference import reference_edges, reference_graph
from network_support import grid_area, write_grid
from pyproj import Geod
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import box

from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.road_graph import edge_kmh
from ctz.geo.network.build import EARTH_RADIUS_M, road_network_from_ways
from ctz.geo.network.model import RoadNetwork
from ctz.geo.pbf.roads import read_ways

PARAMS = CommuteParams()
SPEED_TAGS = ("highway", "maxspeed")
GEOD = Geod(ellps="WGS84")


def edges_of(network: RoadNetwork) -> pd.DataFrame:
    """Each edge by OSM end nodes, with length, one-way flag and speed, in a fixed order."""
    one_way = np.bincount(network.piece, minlength=network.n_pieces)[network.piece] == 1
    frame = pd.DataFrame(
        {
            "u": network.osm_node[network.tail],
            "v": network.osm_node[network.head],
            "length_m": network.length_m,
            "oneway": one_way,
            "kmh": edge_kmh(network, PARAMS),
        }
    )
    return frame.sort_values(["u", "v", "length_m"]).reset_index(drop=True)


def reference_frame(path: Path, area: box, differ: tuple[str, ...] | None) -> pd.DataFrame:
    graph = reference_graph(path, area, edge_attrs_differ=differ)
    frame = reference_edges(graph, PARAMS)
    return frame.sort_values(["u", "v", "length_m"]).reset_index(drop=True)


def assert_same_graph(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    assert len(ours) == len(theirs)
    assert ours[["u", "v"]].to_numpy().tolist() == theirs[["u", "v"]].to_numpy().tolist()
    np.testing.assert_allclose(ours["length_m"], theirs["length_m"], rtol=1e-9)
    assert ours["oneway"].tolist() == theirs["oneway"].tolist()
    np.testing.assert_allclose(ours["kmh"], theirs["kmh"], rtol=1e-12)


@pytest.fixture(scope="module", params=["grid.osm.pbf", "grid.osm"])
def grid(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_grid(tmp_path_factory.mktemp("network") / request.param)


AREAS = {
    "whole": box(*grid_area()),
    "cut": box(113.002, 27.99, 113.013, 28.017),  # through blocks, streets and the grid's corner
}


@pytest.mark.parametrize("area", AREAS.values(), ids=AREAS.keys())
def test_same_graph_as_the_networkx_path(grid: Path, area: box) -> None:
    network = road_network_from_ways(read_ways(grid, progress=False), area)
    ours = edges_of(network)
    # osmnx's simplify_graph, told (as the builder does) not to merge across a change of
    # class or speed limit: the same nodes, edges, lengths, one-ways and speeds.
    theirs = reference_frame(grid, area, SPEED_TAGS)
    assert sorted(network.osm_node.tolist()) == sorted(set(theirs["u"]) | set(theirs["v"]))
    assert_same_graph(ours, theirs)
    assert ours["oneway"].any() and not ours["oneway"].all()
    assert ours["kmh"].nunique() >= 4  # maxspeed, mph, class speeds all present
    # The previous path merged across such changes: its nodes are a subset of ours.
    previous = reference_frame(grid, area, None)
    assert set(previous["u"]) | set(previous["v"]) <= set(network.osm_node.tolist())


def test_a_change_of_class_keeps_its_node_and_each_part_its_speed(tmp_path: Path) -> None:
    nodes: list[tuple] = [(k, 113.0 + 0.01 * k, 28.0, {}) for k in range(1, 6)]
    ways = [
        (1, [1, 2, 3], {"highway": "primary", "maxspeed": "60"}),
        (2, [3, 4, 5], {"highway": "residential"}),
    ]
    path = write_osm(tmp_path / "two.osm.pbf", nodes, ways)
    network = road_network_from_ways(read_ways(path, progress=False), box(112.9, 27.9, 113.1, 28.1))
    assert sorted(network.osm_node.tolist()) == [1, 3, 5]
    at = {int(n): k for k, n in enumerate(network.osm_node)}
    minutes = network.length_m / (edge_kmh(network, PARAMS) * 1000 / 60)
    times = dijkstra(network.csr(minutes), indices=[at[1]])[0]
    metres = EARTH_RADIUS_M * np.radians(0.01) * np.cos(np.radians(28.0))  # about one step
    expected = 2 * metres / (60 * 1000 / 60) + 2 * metres / (25 * 1000 / 60)
    assert times[at[5]] == pytest.approx(expected, rel=1e-4)


def test_one_way_tags_and_roundabouts(tmp_path: Path) -> None:
    nodes: list[tuple] = [(k, 113.0 + 0.01 * (k % 3), 28.0 + 0.01 * (k // 3), {}) for k in range(9)]
    ways = [
        (1, [0, 1, 2], {"highway": "residential", "oneway": "yes"}),
        (2, [3, 4, 5], {"highway": "residential", "oneway": "-1"}),
        (3, [6, 7, 8, 6], {"highway": "primary", "junction": "roundabout"}),
        (4, [0, 3], {"highway": "residential"}),
        (5, [3, 6], {"highway": "residential"}),
    ]
    path = write_osm(tmp_path / "oneway.osm.pbf", nodes, ways)
    network = road_network_from_ways(read_ways(path, progress=False), box(112.9, 27.9, 113.1, 28.1))
    ids = network.osm_node
    edges = set(zip(ids[network.tail].tolist(), ids[network.head].tolist(), strict=True))
    assert (0, 2) in edges and (2, 0) not in edges  # along the nodes
    assert (5, 3) in edges and (3, 5) not in edges  # against them
    assert (6, 6) in edges  # the roundabout: one loop, one way round
    assert sum(1 for u, v in edges if u == v == 6) == 1
    assert {(0, 3), (3, 0), (3, 6), (6, 3)} <= edges


def test_a_node_missing_from_the_extract_cuts_the_way_there(tmp_path: Path) -> None:
    nodes: list[tuple] = [
        (k, 113.0 + 0.01 * k, 28.0, {}) for k in (1, 2, 3)
    ]  # node 4 is not in the file
    ways = [(1, [1, 2, 3, 4], {"highway": "tertiary"})]
    path = write_osm(tmp_path / "edge.osm.pbf", nodes, ways)
    network = road_network_from_ways(read_ways(path, progress=False), box(112.9, 27.9, 113.1, 28.1))
    assert sorted(network.osm_node.tolist()) == [1, 3]
    assert network.n_edges == 2


def test_ways_cars_may_not_use_are_left_out(tmp_path: Path) -> None:
    nodes: list[tuple] = [(k, 113.0 + 0.01 * k, 28.0, {}) for k in range(1, 7)]
    ways = [
        (1, [1, 2], {"highway": "residential"}),
        (2, [2, 3], {"highway": "residential", "access": "private"}),
        (3, [3, 4], {"highway": "residential", "motor_vehicle": "no"}),
        (4, [4, 5], {"highway": "living_street", "area": "yes"}),
        (5, [5, 6], {"highway": "footway"}),
    ]
    path = write_osm(tmp_path / "barred.osm.pbf", nodes, ways)
    network = road_network_from_ways(read_ways(path, progress=False), box(112.9, 27.9, 113.1, 28.1))
    assert network.way.tolist() == [1, 1]


def test_edge_table_has_every_road_once_with_its_full_geometry(grid: Path, tmp_path: Path) -> None:
    network = road_network_from_ways(read_ways(grid, progress=False), AREAS["whole"])
    table = network.edge_table()
    assert len(table) == network.n_pieces == len(np.unique(network.piece))
    assert table["oneway"].sum() == (np.bincount(network.piece) == 1).sum()
    # geometry runs from the from-node to the to-node, its length is the edge length
    nodes = zip(network.osm_node, network.lon, network.lat, strict=True)
    position = {int(n): (x, y) for n, x, y in nodes}
    starts = np.array([g.coords[0] for g in table.geometry])
    ends = np.array([g.coords[-1] for g in table.geometry])
    np.testing.assert_allclose(starts, [position[n] for n in table["from_node"]], atol=1e-9)
    np.testing.assert_allclose(ends, [position[n] for n in table["to_node"]], atol=1e-9)
    ellipsoid = np.array([GEOD.geometry_length(g) for g in table.geometry])
    np.testing.assert_allclose(table["length_m"], ellipsoid, rtol=5e-3)  # sphere vs WGS-84
    assert (table.geometry.count_coordinates() >= 2).all()
    assert set(table["highway"]) >= {"primary", "secondary", "residential", "motorway_link"}
    path = tmp_path / "edges.parquet"
    network.write_edges(path)
    again = gpd.read_parquet(path)
    assert again.crs.to_epsg() == 4326 and len(again) == len(table)


def test_csr_keeps_the_lightest_of_parallel_edges(tmp_path: Path) -> None:
    nodes: list[tuple] = [(1, 113.0, 28.0, {}), (2, 113.01, 28.0, {}), (3, 113.005, 28.01, {})]
    nodes += [(4, 112.99, 28.0, {}), (5, 113.02, 28.0, {})]
    ways = [
        (1, [1, 2], {"highway": "primary"}),
        (2, [1, 3, 2], {"highway": "primary"}),
        (3, [4, 1], {"highway": "primary"}),  # without these two spurs the pair is a ring
        (4, [2, 5], {"highway": "primary"}),
    ]
    path = write_osm(tmp_path / "parallel.osm.pbf", nodes, ways)
    network = road_network_from_ways(read_ways(path, progress=False), box(112.9, 27.9, 113.1, 28.1))
    ids = network.osm_node
    between = (ids[network.tail] == 1) & (ids[network.head] == 2)
    assert between.sum() == 2  # two roads between the same two junctions
    matrix = network.csr()
    at = {int(n): k for k, n in enumerate(ids)}
    assert matrix.nnz == network.n_edges - 2
    assert matrix[at[1], at[2]] == pytest.approx(network.length_m[between].min())


def test_nothing_inside_the_area_gives_an_empty_network(grid: Path) -> None:
    network = road_network_from_ways(read_ways(grid, progress=False), box(100.0, 20.0, 100.1, 20.1))
    assert network.n_nodes == network.n_edges == network.n_pieces == 0


def test_network_of_real_osm_xml_is_sane(reference_dir: Path) -> None:
    path = reference_dir / "csu_campus.osm"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    area = box(112.90, 28.15, 113.00, 28.26)  # around the file's bounds and its ways' ends
    network = road_network_from_ways(read_ways(path, progress=False), area)
    assert network.n_nodes > 5 and network.n_edges > 5
    assert set(network.edge_class()) <= {
        "primary",
        "secondary",
        "residential",
        "unclassified",
        "living_street",
    }
    # every edge at least as long as the straight line between its ends, none absurd
    straight = np.array(
        [
            GEOD.inv(network.lon[a], network.lat[a], network.lon[b], network.lat[b])[2]
            for a, b in zip(network.tail, network.head, strict=True)
        ]
    )
    assert (network.length_m >= straight * 0.995).all()
    assert network.length_m.min() > 0 and network.length_m.max() < 20_000
    # and it is the graph the previous path builds from the same file
    assert_same_graph(edges_of(network), reference_frame(path, area, SPEED_TAGS))

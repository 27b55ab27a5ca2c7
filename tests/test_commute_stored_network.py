"""The commute network on OSM roads, built once and read back from the cache folder."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from network_support import grid_area, write_grid
from shapely.geometry import Polygon, box
from test_commute_osm import drive_graph, no_items

import ctz.checks.commute.network as network_module
import ctz.checks.commute.stored_network as stored
from ctz.catalog.model import Catalog
from ctz.checks.commute.build import build_osm_network, sketch_services
from ctz.checks.commute.network import Network
from ctz.checks.commute.params import CommuteParams
from ctz.geo.network.model import RoadNetwork
from ctz.geo.pbf.extract_source import PbfSource
from ctz.geo.source import road_network_identity


def same_network(a: object, b: object) -> bool:
    """True when two networks (or their parts) are equal field by field, arrays element-wise."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            same_network(getattr(a, f.name), getattr(b, f.name))
            for f in dataclasses.fields(a)
            if f.init
        )
    return a == b


def counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the networks :func:`stored_osm_network` builds (instead of reading back)."""
    builds: list[int] = []

    def build(*args: object) -> Network:
        builds.append(1)
        return build_osm_network(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(stored, "build_osm_network", build)
    return builds


def test_a_stored_network_is_the_built_one_and_is_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = counting_builds(monkeypatch)
    params = CommuteParams()
    built = build_osm_network(drive_graph(), no_items(), no_items(), params)
    first = stored.stored_osm_network(drive_graph(), no_items(), no_items(), params, None, tmp_path)
    again = stored.stored_osm_network(drive_graph(), no_items(), no_items(), params, None, tmp_path)
    assert builds == [1]
    assert same_network(first, built) and same_network(again, built)
    # the street nodes' k-d tree is read back with it, not built again
    monkeypatch.setattr(network_module, "cKDTree", None)
    nodes, tree = again.node_tree(again.street)
    assert np.array_equal(nodes, np.flatnonzero(built.street))
    assert np.array_equal(tree.data, built.xy[built.street])
    assert len(list((tmp_path / "derived").glob("commute-network-*.pickle"))) == 1


def slower_road(graph: RoadNetwork) -> RoadNetwork:
    """The same graph with its first edge 1 m longer."""
    length = graph.length_m.copy()
    length[0] += 1.0
    return replace(graph, length_m=length)


@pytest.mark.parametrize(
    "change",
    [
        "road length",
        "congestion",
        "item speed",
        "planned road",
        "services",
    ],
)
def test_any_change_of_an_input_builds_anew(
    change: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commute_support import layer

    graph, roads, params = drive_graph(), no_items(), CommuteParams()
    stored.stored_osm_network(graph, roads, no_items(), params, None, tmp_path)
    builds = counting_builds(monkeypatch)
    services = None
    if change == "road length":
        graph = slower_road(graph)
    elif change == "congestion":
        params = replace(params, congestion=params.congestion + 0.1)
    elif change == "item speed":
        params = replace(params, item_kmh={"x": 50.0})
    elif change == "planned road":
        roads = layer([("new", "expressway", "planned", [(0, 0), (5, 0)])])
    else:
        rail = layer([("line", "intercity_rail", "planned", [(0, 0), (5, 0)])])
        services = sketch_services(rail, params, params.sketch_circuity)
    network = stored.stored_osm_network(graph, roads, no_items(), params, services, tmp_path)
    assert builds == [1]
    assert same_network(network, build_osm_network(graph, roads, no_items(), params, services))
    assert len(list((tmp_path / "derived").glob("commute-network-*.pickle"))) == 2


def test_the_network_is_built_from_the_hashed_road_fields_only() -> None:
    # Every other attribute of the road network scrambled: the same commute network,
    # so a key over ROAD_FIELDS alone can tell two road networks apart.
    graph = drive_graph()
    rng = np.random.default_rng(5)
    scrambled = {
        f.name: rng.permutation(value) if isinstance(value, np.ndarray) else value[::-1]
        for f in dataclasses.fields(graph)
        if f.name not in stored.ROAD_FIELDS
        for value in [getattr(graph, f.name)]
    }
    other = replace(graph, **scrambled)
    assert any(
        not np.array_equal(getattr(graph, name), getattr(other, name))
        for name in scrambled
        if isinstance(getattr(graph, name), np.ndarray)
    )
    params = CommuteParams()
    assert same_network(
        build_osm_network(other, no_items(), no_items(), params),
        build_osm_network(graph, no_items(), no_items(), params),
    )


def test_a_network_named_by_its_identity_is_read_back_without_reading_the_roads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = counting_builds(monkeypatch)
    params = CommuteParams()
    reads: list[int] = []

    def read() -> RoadNetwork:
        reads.append(1)
        return drive_graph()

    def named(identity: str) -> stored.RoadGraph:
        return stored.RoadGraph(read, identity)

    first = stored.stored_osm_network(named("a"), no_items(), no_items(), params, None, tmp_path)
    again = stored.stored_osm_network(named("a"), no_items(), no_items(), params, None, tmp_path)
    assert builds == [1] and reads == [1]
    assert same_network(first, again)
    # another identity is another road network: read and built again
    stored.stored_osm_network(named("b"), no_items(), no_items(), params, None, tmp_path)
    assert builds == [1, 1] and reads == [1, 1]


def test_an_extract_names_its_road_network_by_content_area_and_code(
    tmp_path: Path, catalog: Catalog
) -> None:
    first = write_grid(tmp_path / "a.osm.pbf", size=4)
    copy = tmp_path / "b.osm.pbf"
    copy.write_bytes(first.read_bytes())
    other = write_grid(tmp_path / "c.osm.pbf", size=5)
    area = box(*grid_area(5))

    def identity(path: Path, polygon: Polygon = area) -> str | None:
        source = PbfSource(path, catalog, cache_dir=tmp_path / "cache", progress=False)
        return road_network_identity(source, polygon)

    assert identity(first) == identity(copy) != identity(other)
    assert identity(first) != identity(first, box(*grid_area(4)))
    assert road_network_identity(object(), area) is None  # a live source names none

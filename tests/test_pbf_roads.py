"""The pass over the drivable ways: vertices read back from libosmium's text, as osmium has them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium
import pytest
from geo_osm_support import write_osm
from network_support import write_grid

from ctz.geo.network.tags import DRIVE_HIGHWAYS
from ctz.geo.pbf import roads
from ctz.geo.pbf.roads import read_ways


def osmium_vertices(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Node ids and locations of every drivable way's vertices, one Python object each."""
    ids: list[int] = []
    lon: list[float] = []
    lat: list[float] = []
    processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    for way in processor.with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)):
        assert isinstance(way, osmium.osm.Way)
        if way.tags.get("highway") not in DRIVE_HIGHWAYS or way.tags.get("access") == "private":
            continue
        for node in way.nodes:
            ids.append(node.ref)
            known = node.location.valid()
            lon.append(node.location.lon if known else np.nan)
            lat.append(node.location.lat if known else np.nan)
    return np.array(ids), np.array(lon), np.array(lat)


@pytest.mark.parametrize("chunk", [7, 1 << 18])
def test_vertices_are_osmiums_node_ids_and_locations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(roads, "CHUNK_VERTICES", chunk)  # many chunks, or one
    extract = write_grid(tmp_path / "grid.osm.pbf", size=8)
    ways = read_ways(extract, progress=False)
    ids, lon, lat = osmium_vertices(extract)
    assert len(ids) > 100
    assert np.array_equal(ways.node, ids)
    np.testing.assert_allclose(ways.lon, lon, rtol=0, atol=1e-10)  # 1e-7° is osmium's unit
    np.testing.assert_allclose(ways.lat, lat, rtol=0, atol=1e-10)


def test_a_node_missing_from_the_extract_has_no_location(tmp_path: Path) -> None:
    nodes: list[tuple] = [(1, 112.9, 28.1, {}), (2, 112.9123457, 28.1, {}), (3, -0.5, -1.25, {})]
    ways = [
        (10, [1, 2, 99, 3], {"highway": "primary", "name": "x y, N n"}),
        (11, [3, 1], {"highway": "residential", "oneway": "yes"}),
        (12, [1, 3], {"highway": "primary", "access": "private"}),
    ]
    extract = write_osm(tmp_path / "cut.osm.pbf", nodes, ways)
    found = read_ways(extract, progress=False)
    assert found.node.tolist() == [1, 2, 99, 3, 3, 1]
    assert found.start.tolist() == [0, 4, 6]
    lon = [112.9, 112.9123457, np.nan, -0.5, -0.5, 112.9]
    np.testing.assert_allclose(found.lon, lon, rtol=0, atol=1e-10)
    np.testing.assert_allclose(found.lat, [28.1, 28.1, np.nan, -1.25, -1.25, 28.1], atol=1e-10)
    assert found.way.tolist() == [10, 11]

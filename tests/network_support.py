"""Small street networks shaped like real OSM data, written as extracts for the network tests.

A grid of streets whose blocks carry two shape vertices each; streets are cut
into several ways (some mid-block, so ways also meet at shape vertices), with
one-way streets both ways round, a roundabout, a link, ``maxspeed`` on a
minority in the usual spellings, a dead end, a loop back to its own junction,
an isolated ring and ways a car may not use (footway, service road).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
from geo_osm_support import write_osm

ORIGIN = (113.0, 28.0)
"""South-west corner of the generated grid (a made-up street grid, not a real place)."""

SPACING_DEG = 0.004
"""Grid spacing, about 400 m."""


def grid_data(size: int = 6, seed: int = 3) -> tuple[list[tuple], list[tuple]]:
    """Nodes ``(id, lon, lat, tags)`` and ways ``(id, node ids, tags)`` of the street grid."""
    rng = np.random.default_rng(seed)
    west, south = ORIGIN
    nodes: list[tuple] = []

    def junction(i: int, j: int) -> int:
        return 1 + i * size + j

    for i in range(size):
        for j in range(size):
            nodes.append((junction(i, j), west + j * SPACING_DEG, south + i * SPACING_DEG, {}))
    ways: list[tuple] = []
    next_way = 1

    def street(points: list[int], tags: dict[str, str], cuts: tuple[int, ...]) -> None:
        """Add a street through junctions ``points``, two shape vertices a block, cut into ways."""
        nonlocal next_way
        refs = [points[0]]
        for a, b in itertools.pairwise(points):
            (ax, ay), (bx, by) = _lonlat(nodes, a), _lonlat(nodes, b)
            for t in (1 / 3, 2 / 3):
                dx, dy = rng.normal(0, SPACING_DEG / 40, 2)
                refs.append(_new_node(nodes, ax + t * (bx - ax) + dx, ay + t * (by - ay) + dy))
            refs.append(b)
        bounds = [0, *cuts, len(refs) - 1]
        for lo, hi in itertools.pairwise(bounds):
            ways.append((next_way, refs[lo : hi + 1], dict(tags)))
            next_way += 1

    for i in range(size):
        row = [junction(i, j) for j in range(size)]
        tags = {"highway": "residential", "name": f"横{i}路"}
        if i == 0:
            tags = {"highway": "primary", "name": "一号大道", "maxspeed": "60", "lanes": "4"}
        elif i == 2:
            tags = {**tags, "oneway": "yes"}
        elif i == 3:
            tags = {"highway": "secondary", "name": "三号路", "maxspeed": "40;60", "ref": "S301"}
        elif i == 4:
            tags = {**tags, "oneway": "-1", "maxspeed": "30 mph"}
        # cut at a junction (index 3 is junction 1) and mid-block (index 5 is a shape vertex)
        street(row, tags, cuts=(3, 5))
    for j in range(size):
        column = [junction(i, j) for i in range(size)]
        tags = {"highway": "tertiary" if j % 3 == 0 else "residential", "name": f"纵{j}路"}
        if j == 1:
            tags = {**tags, "oneway": "true"}
        street(column, tags, cuts=(4,))
    # a dead end north of the last row, a link and a loop back to its own junction
    top = junction(size - 1, size // 2)
    street_end = _new_node(nodes, *_offset(nodes, top, 0.0, 0.6))
    street([top, street_end], {"highway": "unclassified"}, cuts=())
    link_end = _new_node(nodes, *_offset(nodes, junction(0, 0), -0.7, -0.5))
    street([junction(0, 0), link_end], {"highway": "motorway_link", "oneway": "yes"}, cuts=())
    corner = junction(size - 1, size - 1)
    loop = [_new_node(nodes, *_offset(nodes, corner, dx, 0.5)) for dx in (0.2, 0.7)]
    street([corner, *loop, corner], {"highway": "residential", "name": "回环路"}, cuts=())
    # a roundabout at the west end of row 1
    centre = _offset(nodes, junction(1, 0), -0.5, 0.0)
    radius = 0.1 * SPACING_DEG
    ring = [
        _new_node(nodes, centre[0] + radius * np.cos(a), centre[1] + radius * np.sin(a))
        for a in np.linspace(0, 2 * np.pi, 6)[:-1]
    ]
    ways.append((next_way, [*ring, ring[0]], {"highway": "primary", "junction": "roundabout"}))
    ways.append((next_way + 1, [junction(1, 0), ring[0]], {"highway": "residential"}))
    # an isolated ring, a footway and a service road (not drivable)
    far = _offset(nodes, junction(0, size - 1), 2.0, 0.0)
    island = [
        _new_node(nodes, far[0] + dx * SPACING_DEG, far[1] + dy * SPACING_DEG)
        for dx, dy in ((0, 0), (0.3, 0), (0.3, 0.3), (0, 0.3))
    ]
    ways.append((next_way + 2, [*island, island[0]], {"highway": "residential"}))
    ways.append((next_way + 3, [junction(0, 1), junction(1, 2)], {"highway": "footway"}))
    ways.append((next_way + 4, [junction(2, 2), junction(3, 3)], {"highway": "service"}))
    return nodes, ways


def write_grid(path: Path, size: int = 6) -> Path:
    """Write :func:`grid_data` to ``path`` (``.osm.pbf`` or ``.osm`` by its ending)."""
    return write_osm(path, *grid_data(size))


def grid_area(size: int = 6) -> tuple[float, float, float, float]:
    """A box around the whole grid and its extras, in degrees."""
    west, south = ORIGIN
    span = size * SPACING_DEG
    return west - span, south - span, west + 2 * span, south + 2 * span


def _lonlat(nodes: list[tuple], node_id: int) -> tuple[float, float]:
    found = nodes[node_id - 1]
    assert found[0] == node_id
    return found[1], found[2]


def _offset(nodes: list[tuple], node_id: int, dx: float, dy: float) -> tuple[float, float]:
    lon, lat = _lonlat(nodes, node_id)
    return lon + dx * SPACING_DEG, lat + dy * SPACING_DEG


def _new_node(nodes: list[tuple], lon: float, lat: float) -> int:
    node_id = len(nodes) + 1
    nodes.append((node_id, float(lon), float(lat), {}))
    return node_id

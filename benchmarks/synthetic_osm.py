"""A generated provincial OSM extract with the shape and tag mix of the Hunan one.

Size is set by ``scale``: 1 gives about 1.5 M nodes (10 gives a Hunan-sized
15 M-node, 100+ MB ``.osm.pbf``). What it holds, roughly in the proportions of
a real Chinese provincial extract:

- **towns**: jittered street grids (about 180 m blocks), the three city cores
  (长沙, 株洲, 湘潭, from the catalog's anchors) holding 40 % of all junctions;
  every block edge has two shape vertices, streets are cut into ways of 2–7
  blocks (some cuts mid-block). Residential streets dominate, every 3rd/5th/10th
  line is tertiary/secondary/primary; a tenth of residential streets are
  one-way (some ``oneway=-1``); ``maxspeed`` on a minority, in the usual
  spellings (``60``, ``40;60``, ``30 mph``, ``CN:urban``); ``lanes`` on arterials;
  traffic signals on arterial junctions;
- **service roads**: a dead-end spur into most blocks (``service=driveway`` /
  ``parking_aisle`` on some), the most common class after residential;
- **buildings**: two closed ways per block, a few named;
- **intercity roads**: each town linked to its nearest towns, motorways as two
  one-way carriageways joined to the grids by ``motorway_link`` ways, the rest
  trunk/primary/secondary two-way;
- **multipolygons**: a ``landuse=residential`` relation around each town (with
  an inner ring on larger towns) and a park;
- **catalog items**: every existing road item of the catalog as a named road
  (with its ``ref``) between its anchors, joined to the nearest grid at both
  ends; station items as named ``railway=station`` nodes; port items as named
  ``landuse=port`` multipolygon relations.

The content is seeded: the same ``scale`` and ``seed`` give the same file.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import osmium
from osmium.osm.mutable import Node, Relation, Way
from scipy.spatial import cKDTree

from ctz.catalog import Catalog, load_catalog

HUNAN_BOX = (108.8, 24.6, 114.3, 30.1)
"""West, south, east, north of Hunan (degrees)."""

JUNCTIONS_PER_SCALE = 105_000
"""Street grid junctions at scale 1 (about 14 nodes each with shapes, spurs and buildings)."""

CITY_SHARES = {"changsha_core": 0.22, "zhuzhou_core": 0.09, "xiangtan_core": 0.09}
"""Share of all junctions in the grid around each city core."""

BLOCK_DEG = 0.0018
"""Grid spacing, about 180 m."""

ROAD_CLASS = {"expressway": "motorway", "trunk_road": "trunk", "urban_road": "primary"}
"""OSM class of each catalog road kind."""


@dataclass
class Extract:
    """Everything to write: node coordinates (and a few tags), ways and relations."""

    lon: list[np.ndarray] = field(default_factory=list)
    lat: list[np.ndarray] = field(default_factory=list)
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)
    ways: list[tuple[np.ndarray, dict[str, str]]] = field(default_factory=list)
    relations: list[tuple[list[tuple[str, int, str]], dict[str, str]]] = field(default_factory=list)
    n_nodes: int = 0

    def add_nodes(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Add nodes; return their ids (consecutive, from 1)."""
        ids = np.arange(self.n_nodes + 1, self.n_nodes + 1 + len(lon), dtype=np.int64)
        self.lon.append(np.asarray(lon, dtype=float))
        self.lat.append(np.asarray(lat, dtype=float))
        self.n_nodes += len(lon)
        return ids

    def add_way(self, refs: np.ndarray, tags: dict[str, str]) -> int:
        """Add a way; return its id."""
        self.ways.append((np.asarray(refs, dtype=np.int64), tags))
        return len(self.ways)

    def add_area(self, ring: np.ndarray, tags: dict[str, str], inner: np.ndarray | None) -> None:
        """Add a multipolygon relation with an outer ring (and an optional inner ring)."""
        members = [("w", self.add_way(np.r_[ring, ring[:1]], {}), "outer")]
        if inner is not None:
            members.append(("w", self.add_way(np.r_[inner, inner[:1]], {}), "inner"))
        self.relations.append((members, {"type": "multipolygon", **tags}))


def generate(path: Path, scale: float, seed: int = 7, catalog: Catalog | None = None) -> dict:
    """Write a synthetic extract of the given scale to ``path`` (.osm.pbf or .osm).

    Returns
    -------
    dict
        ``nodes``, ``ways``, ``relations`` written and the file size in bytes.
    """
    rng = np.random.default_rng(seed)
    catalog = catalog or load_catalog()
    extract = Extract()
    towns = _towns(catalog, scale, rng)
    grids = [_grid(extract, centre, size, rng) for centre, size in towns]
    _intercity(extract, grids, [size for _, size in towns], rng)
    _catalog_items(extract, catalog, grids, rng)
    _write(path, extract, rng)
    return {
        "nodes": extract.n_nodes,
        "ways": len(extract.ways),
        "relations": len(extract.relations),
        "bytes": path.stat().st_size,
    }


def _towns(
    catalog: Catalog, scale: float, rng: np.random.Generator
) -> list[tuple[tuple[float, float], int]]:
    """Town centres and grid sizes (junctions per side): the three cities, then the rest."""
    total = JUNCTIONS_PER_SCALE * scale
    towns = []
    for core_id, share in CITY_SHARES.items():
        anchor = catalog.anchors[catalog.cores[core_id].anchor]
        towns.append(((anchor.lon, anchor.lat), int(np.sqrt(share * total))))
    rest = total * (1 - sum(CITY_SHARES.values()))
    west, south, east, north = HUNAN_BOX
    while rest > 36:
        size = int(np.clip(rng.lognormal(3.0, 0.5), 6, 60))
        centre = (
            float(rng.uniform(west + 0.3, east - 0.3)),
            float(rng.uniform(south + 0.3, north - 0.3)),
        )
        towns.append((centre, size))
        rest -= size * size
    return towns


@dataclass
class _Grid:
    """A town's junction ids and coordinates, for linking roads to it."""

    junction: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


def _grid(
    extract: Extract, centre: tuple[float, float], size: int, rng: np.random.Generator
) -> _Grid:
    """A town: street grid with shape vertices, spurs, buildings and its land-use areas."""
    cx, cy = centre
    i, j = np.divmod(np.arange(size * size), size)
    jitter = rng.normal(0, BLOCK_DEG / 10, (size * size, 2))
    x = cx + (j - size / 2) * BLOCK_DEG + jitter[:, 0]
    y = cy + (i - size / 2) * BLOCK_DEG + jitter[:, 1]
    junction = extract.add_nodes(x, y).reshape(size, size)
    gx, gy = x.reshape(size, size), y.reshape(size, size)
    for axis in (0, 1):  # 0: rows (west-east), 1: columns (south-north)
        lines_x = gx if axis == 0 else gx.T
        lines_y = gy if axis == 0 else gy.T
        ids = junction if axis == 0 else junction.T
        for line in range(size):
            _street(extract, ids[line], lines_x[line], lines_y[line], line, rng)
    _blocks(extract, gx, gy, rng)
    half = size / 2 * BLOCK_DEG
    ring = _ring(extract, cx, cy, half * 1.1, 8)
    inner = _ring(extract, cx, cy, half * 0.2, 6) if size > 30 else None
    extract.add_area(
        ring, {"landuse": "residential", "name": f"居住区{len(extract.relations)}"}, inner
    )
    park = _ring(extract, cx + half * 0.5, cy + half * 0.5, BLOCK_DEG * 1.5, 6)
    extract.add_way(np.r_[park, park[:1]], {"leisure": "park", "name": f"公园{len(extract.ways)}"})
    for a, b in ((0, 0), (size - 1, size - 1), (0, size - 1), (size - 1, 0)):
        if (a % 10 == 0) or (b % 10 == 0):
            extract.node_tags[int(junction[a, b])] = {"highway": "traffic_signals"}
    return _Grid(junction.ravel(), x, y)


def _street(
    extract: Extract,
    junctions: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    line: int,
    rng: np.random.Generator,
) -> None:
    """One grid line: two shape vertices per block, cut into ways of 2–7 blocks."""
    n = len(junctions)
    t = np.array([1 / 3, 2 / 3])
    sx = x[:-1, None] + t * (x[1:] - x[:-1])[:, None] + rng.normal(0, BLOCK_DEG / 30, (n - 1, 2))
    sy = y[:-1, None] + t * (y[1:] - y[:-1])[:, None] + rng.normal(0, BLOCK_DEG / 30, (n - 1, 2))
    shapes = extract.add_nodes(sx.ravel(), sy.ravel()).reshape(n - 1, 2)
    refs = np.empty(3 * (n - 1) + 1, dtype=np.int64)
    refs[0::3], refs[1::3], refs[2::3] = junctions, shapes[:, 0], shapes[:, 1]
    tags = _street_tags(line, rng)
    cut = 0
    while cut < len(refs) - 1:
        blocks = int(rng.integers(2, 8))
        end = min(len(refs) - 1, cut + 3 * blocks + (1 if rng.random() < 0.2 else 0))
        extract.add_way(refs[cut : end + 1], tags)
        cut = end


def _street_tags(line: int, rng: np.random.Generator) -> dict[str, str]:
    if line % 10 == 0:
        tags = {"highway": "primary", "name": f"大道{line}", "lanes": "6"}
        if rng.random() < 0.5:
            tags["maxspeed"] = "60"
        return tags
    if line % 5 == 0:
        tags = {"highway": "secondary", "name": f"中路{line}", "lanes": "4"}
        if rng.random() < 0.3:
            tags["maxspeed"] = "40;60"
        return tags
    if line % 3 == 0:
        tags = {"highway": "tertiary", "name": f"街{line}"}
        if rng.random() < 0.2:
            tags["maxspeed"] = rng.choice(["40", "30 mph", "CN:urban"])
        return tags
    tags = {"highway": "residential"}
    if rng.random() < 0.5:
        tags["name"] = f"巷{line}"
    draw = rng.random()
    if draw < 0.08:
        tags["oneway"] = "yes"
    elif draw < 0.1:
        tags["oneway"] = "-1"
    return tags


def _blocks(extract: Extract, gx: np.ndarray, gy: np.ndarray, rng: np.random.Generator) -> None:
    """A service spur into most blocks and two buildings in each."""
    bx = (gx[:-1, :-1] + gx[1:, 1:]) / 2
    by = (gy[:-1, :-1] + gy[1:, 1:]) / 2
    bx, by = bx.ravel(), by.ravel()
    n = len(bx)
    # spur: from the block's south edge midpoint north into the block (its own two nodes,
    # the first shared with nothing: a driveway that ends in the block)
    spur = rng.random(n) < 0.7
    start = extract.add_nodes(bx[spur], by[spur] - BLOCK_DEG * 0.35)
    end = extract.add_nodes(bx[spur], by[spur] - BLOCK_DEG * 0.05)
    kinds = rng.choice(["", "", "driveway", "parking_aisle"], spur.sum())
    for a, b, kind in zip(start, end, kinds, strict=True):
        tags = {"highway": "service", **({"service": str(kind)} if kind else {})}
        extract.add_way(np.array([a, b]), tags)
    for dx in (-0.25, 0.2):
        corner_x = bx + dx * BLOCK_DEG
        square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]]) * BLOCK_DEG * 0.12
        xs = corner_x[:, None] + square[:, 0]
        ys = by[:, None] + square[:, 1]
        ids = extract.add_nodes(xs.ravel(), ys.ravel()).reshape(n, 4)
        named = rng.random(n) < 0.02
        for k in range(n):
            tags = {"building": "yes", **({"name": f"大厦{ids[k, 0]}"} if named[k] else {})}
            extract.add_way(np.r_[ids[k], ids[k, :1]], tags)


def _ring(extract: Extract, cx: float, cy: float, radius: float, corners: int) -> np.ndarray:
    angle = np.linspace(0, 2 * np.pi, corners, endpoint=False)
    return extract.add_nodes(cx + radius * np.cos(angle), cy + radius * np.sin(angle))


def _polyline(
    extract: Extract, a: tuple[float, float], b: tuple[float, float], rng: np.random.Generator
) -> np.ndarray:
    """Shape nodes about every 300 m from ``a`` to ``b`` (ends excluded)."""
    steps = max(2, int(np.hypot(b[0] - a[0], b[1] - a[1]) / 0.003))
    t = np.linspace(0, 1, steps + 1)[1:-1]
    wobble = np.sin(t * np.pi) * rng.normal(0, 0.01)
    x = a[0] + t * (b[0] - a[0]) - wobble * (b[1] - a[1])
    y = a[1] + t * (b[1] - a[1]) + wobble * (b[0] - a[0])
    return extract.add_nodes(x, y)


def _intercity(
    extract: Extract, grids: list[_Grid], sizes: list[int], rng: np.random.Generator
) -> None:
    """Each town linked to its two nearest towns; big pairs by motorway, the rest two-way."""
    centres = np.array([[g.lon.mean(), g.lat.mean()] for g in grids])
    _, nearest = cKDTree(centres).query(centres, k=min(3, len(grids)))
    done = set()
    for a, row in enumerate(np.atleast_2d(nearest)):
        for b in row[1:]:
            pair = (min(a, int(b)), max(a, int(b)))
            if pair in done:
                continue
            done.add(pair)
            first, second = pair
            ja = _edge_junction(grids[first], centres[second])
            jb = _edge_junction(grids[second], centres[first])
            big = min(sizes[first], sizes[second]) >= 30
            if big:
                _motorway(extract, grids, pair, (ja, jb), rng)
            else:
                cls = rng.choice(["trunk", "primary", "secondary"], p=[0.2, 0.4, 0.4])
                tags = {"highway": str(cls), "name": f"{cls}省道{len(done)}"}
                if rng.random() < 0.4:
                    tags["maxspeed"] = "80" if cls == "trunk" else "60"
                _join(extract, grids, pair, (ja, jb), tags, rng)


def _edge_junction(grid: _Grid, towards: np.ndarray) -> int:
    """The junction of ``grid`` nearest to a point."""
    k = int(np.argmin(np.hypot(grid.lon - towards[0], grid.lat - towards[1])))
    return k


def _join(
    extract: Extract,
    grids: list[_Grid],
    pair: tuple[int, int],
    ends: tuple[int, int],
    tags: dict[str, str],
    rng: np.random.Generator,
) -> None:
    a, b = grids[pair[0]], grids[pair[1]]
    pa, pb = (a.lon[ends[0]], a.lat[ends[0]]), (b.lon[ends[1]], b.lat[ends[1]])
    shape = _polyline(extract, pa, pb, rng)
    extract.add_way(np.r_[a.junction[ends[0]], shape, b.junction[ends[1]]], tags)


def _motorway(
    extract: Extract,
    grids: list[_Grid],
    pair: tuple[int, int],
    ends: tuple[int, int],
    rng: np.random.Generator,
) -> None:
    """Two one-way carriageways, each joined to the grids by ``motorway_link`` ways."""
    a, b = grids[pair[0]], grids[pair[1]]
    pa, pb = (a.lon[ends[0]], a.lat[ends[0]]), (b.lon[ends[1]], b.lat[ends[1]])
    speed = {"maxspeed": "120"} if rng.random() < 0.5 else {}
    tags = {
        "highway": "motorway",
        "oneway": "yes",
        "ref": f"G{len(extract.ways) % 90 + 1}",
        **speed,
    }
    offset = 0.0004
    for sign, (start, finish), (j_from, j_to) in (
        (1, (pa, pb), (a.junction[ends[0]], b.junction[ends[1]])),
        (-1, (pb, pa), (b.junction[ends[1]], a.junction[ends[0]])),
    ):
        s = (start[0] + sign * offset, start[1] + sign * offset)
        f = (finish[0] + sign * offset, finish[1] + sign * offset)
        entry, leave = extract.add_nodes(np.array([s[0], f[0]]), np.array([s[1], f[1]]))
        shape = _polyline(extract, s, f, rng)
        extract.add_way(np.r_[entry, shape, leave], tags)
        link = {"highway": "motorway_link", "oneway": "yes"}
        extract.add_way(np.array([j_from, entry]), link)
        extract.add_way(np.array([leave, j_to]), link)


def _catalog_items(
    extract: Extract, catalog: Catalog, grids: list[_Grid], rng: np.random.Generator
) -> None:
    """Named roads, stations and ports of the catalog, at their anchors."""
    lon = np.concatenate([g.lon for g in grids])
    lat = np.concatenate([g.lat for g in grids])
    junction = np.concatenate([g.junction for g in grids])
    tree = cKDTree(np.column_stack([lon, lat]))
    for item in catalog.items.values():
        if item.status != "existing":
            continue
        if item.kind in ROAD_CLASS and item.from_anchor and item.to_anchor:
            stops = [catalog.anchors[a] for a in item.anchor_ids if a in catalog.anchors]
            points = [(s.lon, s.lat) for s in stops]
            refs = [int(junction[tree.query(points[0])[1]])]
            for p, q in itertools.pairwise(points):
                refs += [
                    *_polyline(extract, p, q, rng),
                    *extract.add_nodes(np.array([q[0]]), np.array([q[1]])),
                ]
            refs.append(int(junction[tree.query(points[-1])[1]]))
            tags = {"highway": ROAD_CLASS[item.kind], "name": item.name_zh}
            refs_osm = [str(r) for r in item.osm.get("refs", [])]
            if refs_osm:
                tags["ref"] = ";".join(refs_osm)
            extract.add_way(np.array(refs), tags)
        elif item.kind == "station" and item.at in catalog.anchors:
            anchor = catalog.anchors[item.at]
            (node,) = extract.add_nodes(np.array([anchor.lon]), np.array([anchor.lat]))
            extract.node_tags[int(node)] = {"railway": "station", "name": item.name_zh}
        elif item.kind == "port" and item.at in catalog.anchors:
            anchor = catalog.anchors[item.at]
            ring = _ring(extract, anchor.lon, anchor.lat, 0.004, 6)
            extract.add_area(ring, {"landuse": "port", "name": item.name_zh}, None)


EDIT_BLOCK = 64
"""Nodes created together keep consecutive ids; blocks of them are shuffled (edit history)."""


def _write(path: Path, extract: Extract, rng: np.random.Generator) -> None:
    """Write nodes, then ways, then relations, each sorted by id, with edit metadata.

    The header carries Hunan's bounding box, as a Geofabrik extract's does.
    Ids follow editing history rather than geography, as in real data: blocks of
    :data:`EDIT_BLOCK` generated nodes get consecutive ids, the blocks in random
    order, and ids leave gaps. Every object has a version, timestamp, changeset
    and user, as in a Geofabrik extract.
    """
    path.unlink(missing_ok=True)
    lon, lat = np.concatenate(extract.lon), np.concatenate(extract.lat)
    n = len(lon)
    blocks = rng.permutation(-(-n // EDIT_BLOCK))
    rank = (blocks[:, None] * EDIT_BLOCK + np.arange(EDIT_BLOCK)).ravel()
    rank = np.argsort(np.argsort(rank[rank < n]))
    node_id = np.cumsum(rng.integers(1, 700, n))[rank]  # node_id[k]: id of generated node k+1
    order = np.argsort(node_id)
    n_ways, n_relations = len(extract.ways), len(extract.relations)
    edit = np.r_[order // EDIT_BLOCK, np.arange(n_ways) // 16, np.arange(n_relations)]
    info = _Metadata(rng, edit + np.r_[np.zeros(n, int), np.full(n_ways + n_relations, n)])
    header = osmium.io.Header()
    west, south, east, north = HUNAN_BOX
    header.add_box(
        osmium.osm.Box(osmium.osm.Location(west, south), osmium.osm.Location(east, north))
    )
    writer = osmium.SimpleWriter(str(path), header=header)
    try:
        for k in order.tolist():
            tags = extract.node_tags.get(k + 1) or {}
            writer.add_node(
                Node(id=int(node_id[k]), location=(lon[k], lat[k]), tags=tags, **info.next())
            )
        way_ids = np.cumsum(rng.integers(1, 40, len(extract.ways)))
        for way_id, (refs, tags) in zip(way_ids.tolist(), extract.ways, strict=True):
            nodes = node_id[refs - 1].tolist()
            writer.add_way(Way(id=way_id, nodes=nodes, tags=tags, **info.next()))
        for relation_id, (members, tags) in enumerate(extract.relations, start=1):
            members = [(kind, int(way_ids[ref - 1]), role) for kind, ref, role in members]
            writer.add_relation(Relation(id=relation_id, members=members, tags=tags, **info.next()))
    finally:
        writer.close()


class _Metadata:
    """Versions, timestamps, changesets and users, shared by the objects of one edit."""

    def __init__(self, rng: np.random.Generator, edit: np.ndarray) -> None:
        n = int(edit.max()) + 1 if len(edit) else 0
        seconds = rng.integers(1_262_304_000, 1_735_689_600, n)  # 2010-2025
        stamps = np.char.add(np.datetime_as_string(seconds.astype("datetime64[s]")), "Z")
        uid = rng.integers(1, 5000, n)
        self.edit = edit.tolist()
        self.version = rng.integers(1, 12, n).tolist()
        self.timestamp = stamps.tolist()
        self.changeset = rng.integers(1_000_000, 160_000_000, n).tolist()
        self.uid = uid.tolist()
        self.k = -1

    def next(self) -> dict:
        self.k += 1
        e = self.edit[self.k]
        return {
            "version": self.version[e],
            "timestamp": self.timestamp[e],
            "changeset": self.changeset[e],
            "uid": self.uid[e],
            "user": f"mapper{self.uid[e]}",
        }

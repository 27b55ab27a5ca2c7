"""Clip an OpenStreetMap extract to an area, keeping ways and relations referentially complete.

What is kept follows ``osmium extract --strategy complete_ways``, and more:
every node inside the area; every way with a node inside, with all its nodes;
every relation with a member kept, with all its members (and their nodes), so
that multipolygons crossing the edge stay whole. Nodes are decoded and tested
a block at a time with numpy (:mod:`~ctz.geo.pbf.dense_nodes`); the rest
(following references, writing) runs inside libosmium through pyosmium's
:class:`osmium.IdTracker`.
"""

from __future__ import annotations

import errno
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import osmium
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import SourceError
from ctz.files import replacing
from ctz.geo.pbf.dates import REPLICATION_KEY
from ctz.geo.pbf.dense_nodes import NodeBlock, UndecodableError, node_blocks

BLOCK_NODES = 1 << 20
"""Nodes read at a time by the pyosmium fallback."""

NANO_DEGREES = 1e-7
"""Degrees per unit of osmium's integer coordinates."""


class _TrackInside:
    """Tracks the nodes of each block that lie inside an area (a vectorised test per block)."""

    def __init__(self, area: BaseGeometry, tracker: osmium.IdTracker) -> None:
        self.area, self.tracker, self.count = area, tracker, 0
        self.west, self.south, self.east, self.north = area.bounds

    def __call__(self, block: NodeBlock) -> None:
        lon, lat = block.lon, block.lat
        near = (lon >= self.west) & (lon <= self.east) & (lat >= self.south) & (lat <= self.north)
        inside = np.zeros(len(lon), dtype=bool)
        inside[near] = shapely.contains_xy(self.area, lon[near], lat[near])
        deque(map(self.tracker.add_node, block.ids[inside].tolist()), maxlen=0)
        self.count += int(inside.sum())


class _NodeReader(osmium.SimpleHandler):
    """Hands the nodes of a file to ``take`` in blocks, through pyosmium (any OSM file)."""

    def __init__(self, take: Callable[[NodeBlock], None]) -> None:
        super().__init__()
        self.take = take
        self.ids: list[int] = []
        self.xs: list[int] = []
        self.ys: list[int] = []

    def node(self, node: osmium.osm.Node) -> None:
        location = node.location
        self.ids.append(node.id)
        self.xs.append(location.x)
        self.ys.append(location.y)
        if len(self.ids) >= BLOCK_NODES:
            self.flush()

    def flush(self) -> None:
        """Hand over the nodes read since the last block."""
        x, y = np.array(self.xs) * NANO_DEGREES, np.array(self.ys) * NANO_DEGREES
        self.take(NodeBlock(np.array(self.ids, dtype=np.int64), x, y))
        self.ids, self.xs, self.ys = [], [], []


def _track_nodes_inside(source: Path, track: _TrackInside) -> None:
    """Track the nodes of ``source`` inside the area: decoded with numpy, else with pyosmium."""
    try:
        for block in node_blocks(source):
            track(block)
    except UndecodableError:
        reader = _NodeReader(track)
        reader.apply_file(str(source))
        reader.flush()


def clip_extract(source: Path, target: Path, area: BaseGeometry, data_time: datetime | None) -> int:
    """Write the part of ``source`` inside ``area`` to ``target`` (atomically).

    Parameters
    ----------
    source
        A whole OSM extract (``.osm.pbf``).
    target
        The clipped file (``.osm.pbf``); its header carries the area's bounding box
        and, when given, ``data_time`` as the replication time.
    area
        Polygon in EPSG:4326.
    data_time
        The time the data is of.

    Returns
    -------
    int
        Nodes inside the area (nodes added to complete ways not counted).

    Raises
    ------
    SourceError
        When ``source`` cannot be read, holds no node inside ``area``, or
        ``target`` cannot be written (a full disk, say).
    """
    shapely.prepare(area)
    tracker = osmium.IdTracker()
    inside = _TrackInside(area, tracker)
    try:
        _track_nodes_inside(source, inside)
        if not inside.count:
            raise SourceError(f"OSM file {source} holds no node inside the study area")
        tracker.complete_forward_references(str(source), relation_depth=0)
        tracker.complete_backward_references(str(source), relation_depth=1)
        with replacing(target) as temporary:
            writer = osmium.SimpleWriter(str(temporary), header=_header(area, data_time))
            try:
                osmium.apply(str(source), tracker.id_filter(), writer)
            finally:
                writer.close()
    except RuntimeError as error:
        raise SourceError(f"cannot clip OSM file {source}: {error}") from error
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise SourceError(f"disk full while writing {target}") from error
        raise
    return inside.count


def _header(area: BaseGeometry, data_time: datetime | None) -> osmium.io.Header:
    header = osmium.io.Header()
    west, south, east, north = area.bounds
    header.add_box(
        osmium.osm.Box(osmium.osm.Location(west, south), osmium.osm.Location(east, north))
    )
    if data_time is not None:
        header.set(REPLICATION_KEY, data_time.strftime("%Y-%m-%dT%H:%M:%SZ"))
    header.set("generator", "ctz data get")
    return header

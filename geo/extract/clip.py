"""Clip an OpenStreetMap extract to an area, keeping ways and relations referentially complete.

What is kept follows ``osmium extract --strategy complete_ways``, and more:
every node inside the area; every way with a node inside, with all its nodes;
every relation with a member kept, with all its members (and their nodes), so
that multipolygons crossing the edge stay whole. The node test is vectorised
over blocks of nodes; the rest (following references, writing) runs inside
libosmium through pyosmium's :class:`osmium.IdTracker`.
"""

from __future__ import annotations

import errno
from datetime import datetime
from pathlib import Path

import numpy as np
import osmium
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import SourceError
from ctz.files import replacing
from ctz.geo.extract.dates import REPLICATION_KEY

BLOCK_NODES = 1 << 20
"""Nodes tested against the area at a time."""

NANO_DEGREES = 1e-7
"""Degrees per unit of osmium's integer coordinates."""


class _NodesInside(osmium.SimpleHandler):
    """Collects the ids of nodes inside an area, testing them a block at a time."""

    def __init__(self, area: BaseGeometry, tracker: osmium.IdTracker) -> None:
        super().__init__()
        self.region, self.tracker = area, tracker
        self.bounds = np.array(area.bounds) / NANO_DEGREES
        self.ids: list[int] = []
        self.xs: list[int] = []
        self.ys: list[int] = []
        self.inside = 0

    def node(self, node: osmium.osm.Node) -> None:
        location = node.location
        self.ids.append(node.id)
        self.xs.append(location.x)
        self.ys.append(location.y)
        if len(self.ids) >= BLOCK_NODES:
            self.flush()

    def flush(self) -> None:
        """Test the collected nodes and track those inside."""
        ids = np.array(self.ids, dtype=np.int64)
        x, y = np.array(self.xs, dtype=np.int64), np.array(self.ys, dtype=np.int64)
        west, south, east, north = self.bounds
        near = (x >= west) & (x <= east) & (y >= south) & (y <= north)
        inside = np.zeros(len(ids), dtype=bool)
        inside[near] = shapely.contains_xy(
            self.region, x[near] * NANO_DEGREES, y[near] * NANO_DEGREES
        )
        for node_id in ids[inside].tolist():
            self.tracker.add_node(node_id)
        self.inside += int(inside.sum())
        self.ids, self.xs, self.ys = [], [], []


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
    inside = _NodesInside(area, tracker)
    try:
        inside.apply_file(str(source))
        inside.flush()
        if not inside.inside:
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
    return inside.inside


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

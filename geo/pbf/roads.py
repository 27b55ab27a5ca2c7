"""Read the drivable ways of an OSM extract into flat arrays, in one streaming pass."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import osmium
import pandas as pd

from ctz.base import SourceError
from ctz.geo.network.tags import (
    DRIVE_HIGHWAYS,
    NOT_FOR_CARS,
    lane_count,
    maxspeed_kmh,
    travel_direction,
)
from ctz.geo.network.ways import WayTable
from ctz.geo.pbf.check import check_extract
from ctz.geo.pbf.scan import stream_elements

COORDINATE_SCALE = 1e-7
"""Degrees per unit of osmium's fixed-point coordinates."""

UNDEFINED_COORDINATE = 2**31 - 1
"""Fixed-point coordinate osmium gives a node the extract does not hold."""

WAY_TAGS: tuple[str, ...] = ("highway", "maxspeed", "oneway", "junction", "name", "ref", "lanes")
"""Tags kept of each drivable way."""

CHUNK_VERTICES = 1 << 18
"""Vertices written as text before they are parsed into a numpy block (bounds memory)."""


def read_ways(
    path: Path, classes: Iterable[str] = DRIVE_HIGHWAYS, *, progress: bool = True
) -> WayTable:
    """Read the ways of ``classes`` from ``path``, with node ids, locations and tags.

    One pass: osmium keeps node locations and drops every element but the
    ways of the wanted classes in C++; Python sees each of those ways once.

    Parameters
    ----------
    path
        An OSM file (``.osm.pbf``, ``.osm``).
    classes
        ``highway`` values to keep; ways also tagged as in
        :data:`~ctz.geo.network.tags.NOT_FOR_CARS` are left out.
    progress
        Show a tqdm counter on stderr (when it is a terminal).

    Returns
    -------
    WayTable

    Raises
    ------
    SourceError
        When the file is missing, empty, corrupt or not an OSM file.
    """
    check_extract(path)
    classes = tuple(dict.fromkeys(classes))
    processor = (
        osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
        .with_filter(osmium.filter.TagFilter(*(("highway", c) for c in classes)))
    )
    values: dict[str, dict[str | None, int]] = {key: {} for key in WAY_TAGS}
    tables = list(values.values())
    blocks: list[np.ndarray] = []
    counts: list[int] = []
    row_blocks: list[np.ndarray] = []
    rows: list[tuple[int, ...]] = []
    with tempfile.TemporaryDirectory(prefix="ctz-ways-") as folder:
        chunk = _VertexChunk(Path(folder) / "ways.opl")
        for way in stream_elements(path, processor, "roads in", progress=progress):
            tags = way.tags
            if any(tags.get(key) in refused for key, refused in NOT_FOR_CARS.items()):
                continue
            counts.append(chunk.add(way))
            codes = [
                t.setdefault(tags.get(k), len(t)) for k, t in zip(WAY_TAGS, tables, strict=True)
            ]
            rows.append((way.id, *codes))
            if chunk.vertices >= CHUNK_VERTICES:
                blocks.append(chunk.read(path))
                row_blocks.append(np.array(rows, dtype=np.int64))
                chunk, rows = _VertexChunk(chunk.path), []
        blocks.append(chunk.read(path))
    row_blocks.append(np.array(rows, dtype=np.int64).reshape(-1, 1 + len(WAY_TAGS)))
    tag_values = {key: pd.Series(list(table), dtype=object) for key, table in values.items()}
    return _way_table(
        np.concatenate(blocks), counts, np.concatenate(row_blocks), tag_values, classes
    )


class _VertexChunk:
    """Ways written by libosmium as OPL text with their node locations, read back as arrays.

    Python sees each way once; its vertices (node id and location) go through
    libosmium's writer and come back as one ``(n, 3)`` int64 block parsed by
    numpy, not as a Python object per vertex.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vertices = 0
        self._writer = osmium.SimpleWriter(
            osmium.io.File(str(path), "opl,locations_on_ways=true,add_metadata=false"),
            overwrite=True,
        )

    def add(self, way: osmium.osm.Way) -> int:
        """Write ``way``; return its number of vertices."""
        self._writer.add_way(way)
        count = len(way.nodes)
        self.vertices += count
        return count

    def read(self, source: Path) -> np.ndarray:
        """Close the chunk and return its vertices: node id, fixed-point x and y, in order.

        Raises
        ------
        SourceError
            When the text does not hold the vertices written (a libosmium change).
        """
        self._writer.close()
        nodes = b" ".join(_NODE_LIST.findall(self.path.read_bytes()))
        numbers = nodes.replace(b"xy", _UNKNOWN_XY).translate(_SEPARATORS)
        flat = np.fromstring(numbers, sep=" ") if numbers.strip() else np.empty(0)
        if len(flat) != 3 * self.vertices:
            raise SourceError(
                f"cannot read OSM file {source}: {len(flat) // 3} of {self.vertices} way nodes read"
            )
        found = flat.reshape(-1, 3)
        block = np.empty(found.shape, dtype=np.int64)
        block[:, 0] = found[:, 0]
        unknown = found[:, 1:] == _UNKNOWN_DEGREES
        block[:, 1:] = np.where(
            unknown, UNDEFINED_COORDINATE, np.rint(found[:, 1:] / COORDINATE_SCALE)
        )
        return block


_NODE_LIST = re.compile(rb" N([^ \n]*)")
"""The node list of an OPL way line (tag text has its spaces escaped: it holds no ``" N"``)."""

_SEPARATORS = bytes.maketrans(b"nxy,", b"    ")
"""OPL node lists (``n<id>x<lon>y<lat>,...``) become numbers separated by spaces."""

_UNKNOWN_DEGREES = 999.0
_UNKNOWN_XY = b"x999y999"
"""Written where OPL has a way node without a location (``n<id>xy``): no real longitude."""


def _way_table(
    vertices: np.ndarray,
    counts: list[int],
    table: np.ndarray,
    values: dict[str, pd.Series],
    classes: tuple[str, ...],
) -> WayTable:
    """Turn the gathered vertices and tag codes into a :class:`WayTable`.

    ``table`` holds a row per way: its id and, per tag of :data:`WAY_TAGS`, the
    index of its value in ``values[tag]`` (None when untagged).
    """
    code = {key: table[:, 1 + k] for k, key in enumerate(WAY_TAGS)}

    def tag(key: str) -> pd.Series:
        return pd.Series(values[key].to_numpy()[code[key]], dtype=object)

    x, y = vertices[:, 1], vertices[:, 2]
    missing = (x == UNDEFINED_COORDINATE) | (y == UNDEFINED_COORDINATE)
    class_code = {c: k for k, c in enumerate(classes)}
    names, refs = values["name"].to_numpy(), values["ref"].to_numpy()
    texts = tuple(dict.fromkeys(v for v in (*names, *refs) if v))
    text_code = {t: k for k, t in enumerate(texts)}
    return WayTable(
        node=vertices[:, 0].copy(),
        lon=np.where(missing, np.nan, x * COORDINATE_SCALE),
        lat=np.where(missing, np.nan, y * COORDINATE_SCALE),
        start=np.r_[0, np.cumsum(counts, dtype=np.int64)],
        way=table[:, 0].copy(),
        road_class=values["highway"].map(class_code).to_numpy(dtype=np.int8)[code["highway"]],
        maxspeed_kmh=maxspeed_kmh(values["maxspeed"]).to_numpy()[code["maxspeed"]],
        direction=travel_direction(tag("oneway"), tag("junction")),
        name=_recode(names, text_code)[code["name"]],
        ref=_recode(refs, text_code)[code["ref"]],
        lanes=lane_count(values["lanes"]).to_numpy()[code["lanes"]],
        classes=classes,
        texts=texts,
    )


def _recode(values: np.ndarray, code: dict[str, int]) -> np.ndarray:
    """Index of each distinct tag value in the text table, -1 for None or empty."""
    return np.array([code[v] if v else -1 for v in values], dtype=np.int32)

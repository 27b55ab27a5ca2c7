"""Read the drivable ways of an OSM extract into flat arrays, in one streaming pass."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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

COORDINATE_SCALE = 1e-7
"""Degrees per unit of osmium's fixed-point coordinates."""

UNDEFINED_COORDINATE = 2**31 - 1
"""Fixed-point coordinate osmium gives a node the extract does not hold."""

WAY_TAGS: tuple[str, ...] = ("highway", "maxspeed", "oneway", "junction", "name", "ref", "lanes")
"""Tags kept of each drivable way."""

READ_TAGS: tuple[str, ...] = (*WAY_TAGS, *NOT_FOR_CARS)
"""Tags read from the text: the kept ones and those that take a way out of the network."""

CHUNK_VERTICES = 1 << 18
"""Vertices (about) of text parsed into one numpy block (bounds memory)."""

TEXT_BYTES_PER_VERTEX = 36
"""About how many bytes of OPL text a way vertex takes (``n<id>x<lon>y<lat>,``)."""

OPL_WITH_LOCATIONS = "opl,locations_on_ways=true,add_metadata=false"
"""libosmium's output format for the ways read: OPL text, node locations on the ways."""


def read_ways(
    path: Path, classes: Iterable[str] = DRIVE_HIGHWAYS, *, progress: bool = True
) -> WayTable:
    """Read the ways of ``classes`` from ``path``, with node ids, locations and tags.

    One pass inside libosmium: it keeps node locations, drops every element
    but the ways of the wanted classes and writes those as OPL text with their
    node locations. The text is then parsed by numpy a block at a time; no
    Python code runs per way or per vertex.

    Parameters
    ----------
    path
        An OSM file (``.osm.pbf``, ``.osm``).
    classes
        ``highway`` values to keep; ways also tagged as in
        :data:`~ctz.geo.network.tags.NOT_FOR_CARS` are left out.
    progress
        Show a tqdm counter of the ways read on stderr (when it is a terminal).

    Returns
    -------
    WayTable

    Raises
    ------
    SourceError
        When the file is missing, empty, corrupt or not an OSM file.
    """
    from tqdm import tqdm  # imported by a pass over a file only, not by a cached run

    check_extract(path)
    classes = tuple(dict.fromkeys(classes))
    bar = tqdm(
        desc=f"roads in {path.name}", unit=" ways", leave=False, disable=None if progress else True
    )
    with bar, tempfile.TemporaryDirectory(prefix="ctz-ways-") as folder:
        text = Path(folder) / "ways.opl"
        _write_ways(path, classes, text)
        blocks = []
        for chunk in _text_chunks(text):
            blocks.append(_parse_ways(chunk, path))
            bar.update(len(blocks[-1].way))
    return _way_table(_WayBlock.joined(blocks), classes)


def _write_ways(path: Path, classes: tuple[str, ...], text: Path) -> None:
    """Write the ways of ``classes`` in ``path`` to ``text`` (OPL with node locations).

    Every step runs in libosmium: the location index, the filters and the writer.
    """
    locations = osmium.NodeLocationsForWays(osmium.index.create_map("flex_mem"))
    locations.ignore_errors()  # a node missing from the extract: an undefined location
    writer = osmium.SimpleWriter(osmium.io.File(str(text), OPL_WITH_LOCATIONS), overwrite=True)
    try:
        with osmium.io.Reader(str(path), osmium.osm.NODE | osmium.osm.WAY) as reader:
            osmium.apply(
                reader,
                locations,
                osmium.filter.EntityFilter(osmium.osm.WAY),
                osmium.filter.TagFilter(*(("highway", c) for c in classes)),
                writer,
            )
    except RuntimeError as error:
        raise SourceError(f"cannot read OSM file {path}: {error}") from error
    finally:
        writer.close()


def _text_chunks(text: Path) -> Iterator[bytes]:
    """Yield the OPL text in chunks of whole lines, about :data:`CHUNK_VERTICES` vertices each.

    A text without ways is one empty chunk.
    """
    with text.open("rb") as lines:
        chunk = lines.read(CHUNK_VERTICES * TEXT_BYTES_PER_VERTEX)
        yield chunk + lines.readline()
        while chunk := lines.read(CHUNK_VERTICES * TEXT_BYTES_PER_VERTEX):
            yield chunk + lines.readline()


@dataclass(frozen=True)
class _WayBlock:
    """Ways parsed from OPL text: vertices, ids and the tags of :data:`READ_TAGS`.

    ``tag_way``, ``tag_key`` and ``tag_value`` hold one row per tag found: the
    way's index in the block, the key's index in :data:`READ_TAGS`, the value.
    """

    vertices: np.ndarray
    counts: np.ndarray
    way: np.ndarray
    tag_way: np.ndarray
    tag_key: np.ndarray
    tag_value: np.ndarray

    @classmethod
    def joined(cls, blocks: list[_WayBlock]) -> _WayBlock:
        """Join ``blocks`` one after another (ways renumbered)."""
        offsets = np.cumsum([0, *(len(b.way) for b in blocks)])
        return cls(
            vertices=np.concatenate([b.vertices for b in blocks]).reshape(-1, 3),
            counts=np.concatenate([b.counts for b in blocks]).astype(np.int64),
            way=np.concatenate([b.way for b in blocks]).astype(np.int64),
            tag_way=np.concatenate([b.tag_way + o for b, o in zip(blocks, offsets, strict=False)]),
            tag_key=np.concatenate([b.tag_key for b in blocks]),
            tag_value=np.concatenate([b.tag_value for b in blocks]),
        )


def _parse_ways(text: bytes, source: Path) -> _WayBlock:
    """Parse whole lines of OPL way text (``w<id> T<tags> N<nodes>``).

    Raises
    ------
    SourceError
        When the text does not hold the ways written (a libosmium change).
    """
    heads, nodes = _split_lines(text)
    found = _WAY_HEAD.findall(heads)
    ids, tag_lists = zip(*found, strict=True) if found else ((), ())
    vertices, counts = _vertices(nodes, source)
    if len(counts) != len(ids):
        raise SourceError(f"cannot read OSM file {source}: unexpected way text from libosmium")
    tag_way, tag_key, tag_value = _tags(list(tag_lists))
    return _WayBlock(
        vertices=vertices,
        counts=counts,
        way=np.array(ids, dtype=bytes).astype(np.int64),
        tag_way=tag_way,
        tag_key=tag_key,
        tag_value=tag_value,
    )


def _split_lines(text: bytes) -> tuple[bytes, bytes]:
    """Split OPL way lines into their heads (id and tags, a line each) and node lists.

    The node lists keep their `` N`` marks; tag text has its spaces escaped, so
    `` N`` marks a node list only.
    """
    chars = np.frombuffer(text, dtype=np.uint8)
    step = np.zeros(len(chars) + 1, dtype=np.int8)
    step[np.flatnonzero((chars[:-1] == ord(" ")) & (chars[1:] == ord("N")))] = 1
    step[np.flatnonzero(chars == ord("\n"))] = -1
    in_nodes = np.cumsum(step[:-1], dtype=np.int8).view(bool)
    return chars[~in_nodes].tobytes(), chars[in_nodes].tobytes()


def _vertices(nodes: bytes, source: Path) -> tuple[np.ndarray, np.ndarray]:
    """Node id and fixed-point x, y of every vertex, and the vertices per way.

    ``nodes`` holds the ways' node lists, each `` Nn<id>x<lon>y<lat>,...``.
    """
    chars = np.frombuffer(nodes, dtype=np.uint8)
    starts = np.flatnonzero(chars == ord("n"))
    lists = np.flatnonzero(chars == ord("N"))
    counts = np.diff(np.searchsorted(starts, np.r_[lists, len(chars)]))
    numbers = nodes.replace(b"xy", _UNKNOWN_XY).translate(_SEPARATORS)
    flat = np.fromstring(numbers, sep=" ") if numbers.strip() else np.empty(0)
    if len(flat) != 3 * len(starts):
        raise SourceError(
            f"cannot read OSM file {source}: {len(flat) // 3} of {len(starts)} way nodes read"
        )
    found = flat.reshape(-1, 3)
    block = np.empty(found.shape, dtype=np.int64)
    block[:, 0] = found[:, 0]
    unknown = found[:, 1:] == _UNKNOWN_DEGREES
    block[:, 1:] = np.where(unknown, UNDEFINED_COORDINATE, np.rint(found[:, 1:] / COORDINATE_SCALE))
    return block, counts


def _tags(tag_lists: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Find the tags of :data:`READ_TAGS` in the ways' OPL tag lists (``k=v,k=v``).

    Returns the way index, key index and value of each; Python decodes each
    distinct ``k=v`` text once.
    """
    if not tag_lists:
        return np.empty(0, np.int64), np.empty(0, np.int8), np.empty(0, object)
    joined = b" ".join(tag_lists)
    text = np.frombuffer(joined, dtype=np.uint8)
    separators = text[(text == ord(",")) | (text == ord(" "))]
    way = np.r_[0, np.cumsum(separators == ord(" "))]
    pairs, distinct = pd.factorize(np.array(joined.replace(b" ", b",").split(b","), dtype=object))
    keys, values = zip(*(_key_value(pair) for pair in distinct), strict=True)
    key = np.array(keys, dtype=np.int8)[pairs]
    read = key >= 0
    return way[read], key[read], np.array(values, dtype=object)[pairs[read]]


def _key_value(pair: bytes) -> tuple[int, str | None]:
    """Index in :data:`READ_TAGS` and decoded value of one OPL ``k=v`` text (-1 if not read)."""
    key, _, value = pair.partition(b"=")
    name = _opl_text(key)
    if name not in READ_TAGS:
        return -1, None
    return READ_TAGS.index(name), _opl_text(value)


def _opl_text(text: bytes) -> str:
    """Decode OPL's escapes (``%<hex code point>%``) in a key or value."""
    decoded = text.decode("utf-8")
    if "%" not in decoded:
        return decoded
    return _ESCAPE.sub(lambda code: chr(int(code[1], 16)), decoded)


_WAY_HEAD = re.compile(rb"w(-?\d+) T([^ \n]*)")
"""The id and tag list of an OPL way line."""

_ESCAPE = re.compile(r"%([0-9a-fA-F]+)%")
"""OPL's escape of a character in a key or value."""

_SEPARATORS = bytes.maketrans(b"Nnxy,", b"     ")
"""OPL node lists (`` Nn<id>x<lon>y<lat>,...``) become numbers separated by spaces."""

_UNKNOWN_DEGREES = 999.0
_UNKNOWN_XY = b"x999y999"
"""Written where OPL has a way node without a location (``n<id>xy``): no real longitude."""


def _way_table(ways: _WayBlock, classes: tuple[str, ...]) -> WayTable:
    """Turn the parsed ways into a :class:`WayTable`, leaving out those not for cars."""
    refused = np.zeros(len(ways.way), dtype=bool)
    for key, values in NOT_FOR_CARS.items():
        found = (ways.tag_key == READ_TAGS.index(key)) & pd.Series(ways.tag_value).isin(values)
        refused[ways.tag_way[found.to_numpy()]] = True
    kept = ~refused
    renumbered = np.cumsum(kept) - 1
    code: dict[str, np.ndarray] = {}
    values: dict[str, pd.Series] = {}
    for k, key in enumerate(WAY_TAGS):
        found = (ways.tag_key == k) & kept[ways.tag_way]
        codes, distinct = pd.factorize(ways.tag_value[found])
        code[key] = np.full(int(kept.sum()), len(distinct), dtype=np.int64)
        code[key][renumbered[ways.tag_way[found]]] = codes
        untagged = [None] if len(codes) < len(code[key]) else []  # the last value: None
        values[key] = pd.Series([*distinct, *untagged], dtype=object)

    def tag(key: str) -> pd.Series:
        return pd.Series(values[key].to_numpy()[code[key]], dtype=object)

    vertices = ways.vertices[np.repeat(kept, ways.counts)]
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
        start=np.r_[0, np.cumsum(ways.counts[kept], dtype=np.int64)],
        way=ways.way[kept],
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

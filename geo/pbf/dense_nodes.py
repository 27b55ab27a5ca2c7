"""Node ids and coordinates of an OSM PBF file, a block at a time, decoded with numpy.

Nodes make up most of an extract, and handing each to Python costs far more than
testing it. PBF files store them as ``DenseNodes``: per block, packed varint
arrays of delta-coded ids, latitudes and longitudes. This module reads the block
structure (a few protobuf fields per block), inflates each block with zlib and
decodes those arrays with vectorised numpy. Ways, relations, tags and metadata
are skipped. A file it cannot decode this way (plain nodes, a compression other
than zlib) raises :class:`UndecodableError`, and the caller reads it with pyosmium.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ctz.base import SourceError

_LENGTH_DELIMITED, _VARINT = 2, 0


class UndecodableError(Exception):
    """The file holds something this decoder does not read; use pyosmium instead."""


@dataclass(frozen=True)
class NodeBlock:
    """The nodes of one block: ids, and coordinates in degrees."""

    ids: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


def node_blocks(path: Path) -> Iterator[NodeBlock]:
    """Yield the nodes of every block of ``path`` that holds any.

    Raises
    ------
    UndecodableError
        For plain (not dense) nodes or a compression other than zlib.
    SourceError
        When the file's structure is damaged.
    """
    for block in _data_blocks(path):
        nodes = _node_block(block)
        if nodes is not None:
            yield nodes


def newest_node_edit(path: Path) -> float:
    """Return the newest edit time of any node (seconds since 1970), 0 when none has one.

    Raises
    ------
    UndecodableError, SourceError
        As :func:`node_blocks`.
    """
    newest = 0.0
    for block in _data_blocks(path):
        milliseconds = block.get(18, [1000])[0]
        for dense in _dense_groups(block):
            info = protobuf_fields(dense.get(5, [b""])[0])
            stamps = np.cumsum(_packed_sint64(info.get(2, [b""])[0]))
            if len(stamps):
                newest = max(newest, float(stamps.max()) * milliseconds / 1000)
    return newest


def _data_blocks(path: Path) -> Iterator[dict[int, list[Any]]]:
    """Yield the fields of every data block (``PrimitiveBlock``) of ``path``, inflated."""
    with path.open("rb") as stream:
        while prefix := stream.read(4):
            header = protobuf_fields(stream.read(int.from_bytes(prefix, "big")))
            size = header.get(3, [0])[0]
            blob = stream.read(size)
            if len(blob) != size:
                raise SourceError(f"cannot read OSM file {path}: the file is cut short")
            if header.get(1, [b""])[0] == b"OSMData":
                yield protobuf_fields(_inflate(blob))


def _dense_groups(block: dict[int, list[Any]]) -> Iterator[dict[int, list[Any]]]:
    """Yield the ``DenseNodes`` of a block's groups; raise for plain nodes."""
    for group in block.get(2, []):
        members = protobuf_fields(group, first_only=True)
        if 1 in members:
            raise UndecodableError("plain (not dense) nodes")
        if 2 in members:
            yield protobuf_fields(members[2][0])


def _inflate(blob: bytes) -> bytes:
    fields = protobuf_fields(blob)
    if 1 in fields:
        return fields[1][0]
    if 3 in fields:
        return zlib.decompress(fields[3][0])
    raise UndecodableError("a PBF block compressed other than with zlib")


def _node_block(block: dict[int, list[Any]]) -> NodeBlock | None:
    granularity = block.get(17, [100])[0]
    lat_offset, lon_offset = _int64(block.get(19, [0])[0]), _int64(block.get(20, [0])[0])
    parts = []
    for dense in _dense_groups(block):
        ids, lat, lon = (np.cumsum(_packed_sint64(dense.get(k, [b""])[0])) for k in (1, 8, 9))
        parts.append(
            NodeBlock(
                ids,
                (lon_offset + granularity * lon) * 1e-9,
                (lat_offset + granularity * lat) * 1e-9,
            )
        )
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return NodeBlock(
        *(np.concatenate([getattr(p, k) for p in parts]) for k in ("ids", "lon", "lat"))
    )


def protobuf_fields(data: bytes, *, first_only: bool = False) -> dict[int, list[Any]]:
    """Return a protobuf message's fields by number (length-delimited as bytes, varints as int).

    With ``first_only``, stop after the first field (a group holds one kind of element).
    """
    found: dict[int, list[Any]] = {}
    at, end = 0, len(data)
    while at < end:
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == _VARINT:
            value, at = _varint(data, at)
        elif wire == _LENGTH_DELIMITED:
            length, at = _varint(data, at)
            value, at = data[at : at + length], at + length
        else:
            raise UndecodableError(f"protobuf wire type {wire}")
        found.setdefault(number, []).append(value)
        if first_only:
            break
    return found


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _int64(value: int) -> int:
    """Read a protobuf ``int64`` varint as signed (two's complement)."""
    return value - (1 << 64) if value >= 1 << 63 else value


def _packed_sint64(data: bytes) -> np.ndarray:
    """Decode packed zigzag varints (``sint64``) into an int64 array, all at once."""
    raw = np.frombuffer(data, dtype=np.uint8)
    if not len(raw):
        return np.zeros(0, dtype=np.int64)
    ends = raw < 0x80
    starts = np.r_[0, np.flatnonzero(ends)[:-1] + 1]
    group = np.cumsum(np.r_[False, ends[:-1]])
    shift = (7 * (np.arange(len(raw)) - starts[group])).astype(np.uint64)
    values = np.add.reduceat((raw & 0x7F).astype(np.uint64) << shift, starts)
    return (values >> np.uint64(1)).astype(np.int64) ^ -(values & np.uint64(1)).astype(np.int64)

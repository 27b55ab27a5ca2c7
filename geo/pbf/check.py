"""Refuse an extract before any pass over it when it is missing, empty, cut short or not OSM.

A ``.pbf`` file is a chain of blocks, each a 4-byte length, a small header
(its type and the size of its data) and the data. Walking the headers and
seeking over the data costs milliseconds even for a provincial extract and
finds a file cut short (an interrupted download), one that is not PBF at all,
and a damaged header. An ``.osm`` (XML) file must end with ``</osm>``. Damage
inside a data block is found by libosmium while reading, and is then a
:class:`~ctz.base.SourceError` too.
"""

from __future__ import annotations

from pathlib import Path

from ctz.base import SourceError
from ctz.files import not_a_file
from ctz.geo.pbf.dense_nodes import UndecodableError, protobuf_fields

MAX_HEADER_BYTES = 64 * 1024
"""Largest block header the PBF format allows."""

MAX_BLOCK_BYTES = 32 * 1024 * 1024
"""Largest block data the PBF format allows."""

_TAIL_BYTES = 1024


def check_extract(path: Path) -> None:
    """Raise :class:`SourceError` naming ``path`` unless it looks like a whole OSM file.

    Parameters
    ----------
    path
        The extract the user named (``.osm.pbf``, ``.osm``; other OSM formats
        are only checked for existence and size).
    """
    if not path.is_file():
        raise SourceError(not_a_file(path, "an OSM file"))
    size = path.stat().st_size
    if size == 0:
        raise SourceError(f"cannot read OSM file {path}: the file is empty (0 bytes)")
    name = path.name.lower()
    if name.endswith(".pbf"):
        _check_blocks(path, size)
    elif name.endswith(".osm"):
        _check_xml_end(path, size)


def _check_blocks(path: Path, size: int) -> None:
    """Walk the block headers of a PBF file to its last byte."""
    with path.open("rb") as stream:
        position, first = 0, True
        while position < size:
            prefix = stream.read(4)
            length = int.from_bytes(prefix, "big")
            if len(prefix) < 4:
                raise _cut_short(path)
            if length > MAX_HEADER_BYTES:
                what = "not an OSM PBF file" if first else "damaged block header"
                raise SourceError(f"cannot read OSM file {path}: {what}")
            header = stream.read(length)
            if len(header) < length:
                raise _cut_short(path)
            kind, data_bytes = _block_header(header)
            if first and kind != "OSMHeader":
                raise SourceError(f"cannot read OSM file {path}: not an OSM PBF file")
            if not 0 <= data_bytes <= MAX_BLOCK_BYTES:
                raise SourceError(f"cannot read OSM file {path}: damaged block header")
            position += 4 + length + data_bytes
            if position > size:
                raise _cut_short(path)
            stream.seek(position)
            first = False


def _block_header(data: bytes) -> tuple[str, int]:
    """Return the ``type`` and ``datasize`` of a PBF block header (protobuf); -1 when absent."""
    try:
        fields = protobuf_fields(data)
    except (IndexError, UndecodableError):
        return "", -1
    kind, size = fields.get(1, [b""])[-1], fields.get(3, [-1])[-1]
    if not isinstance(kind, bytes) or not isinstance(size, int):
        return "", -1
    return kind.decode("utf-8", errors="replace"), size


def _check_xml_end(path: Path, size: int) -> None:
    """Check that an OSM XML file ends with its closing ``</osm>`` tag."""
    with path.open("rb") as stream:
        stream.seek(max(0, size - _TAIL_BYTES))
        tail = stream.read().rstrip()
    if not tail.endswith(b"</osm>"):
        raise SourceError(
            f"cannot read OSM file {path}: no closing </osm> tag (cut short, or not OSM XML)"
        )


def _cut_short(path: Path) -> SourceError:
    return SourceError(
        f"cannot read OSM file {path}: the file is cut short (an interrupted download?)"
    )

"""Read the drivable ways of an OSM extract into flat arrays, in one streaming pass."""

from __future__ import annotations

import io
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
    """Ways parsed from OPL text: their vertices, ids, refusals and kept tags.

    ``node``, ``lon`` and ``lat`` hold every vertex (degrees, NaN where the
    extract lacks the node), ``counts`` the vertices of each way, ``refused``
    the ways tagged as in :data:`~ctz.geo.network.tags.NOT_FOR_CARS`.
    ``tag_way``, ``tag_key`` and ``tag_value`` hold one row per tag of
    :data:`WAY_TAGS` found: the way's index, the key's index, the value.
    """

    node: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    counts: np.ndarray
    way: np.ndarray
    refused: np.ndarray
    tag_way: np.ndarray
    tag_key: np.ndarray
    tag_value: np.ndarray

    @classmethod
    def joined(cls, blocks: list[_WayBlock]) -> _WayBlock:
        """Join ``blocks`` one after another (ways renumbered)."""
        offsets = np.cumsum([0, *(len(b.way) for b in blocks)])
        tag_way = [b.tag_way + offset for b, offset in zip(blocks, offsets, strict=False)]
        return cls(
            node=np.concatenate([b.node for b in blocks]),
            lon=np.concatenate([b.lon for b in blocks]),
            lat=np.concatenate([b.lat for b in blocks]),
            counts=np.concatenate([b.counts for b in blocks]),
            way=np.concatenate([b.way for b in blocks]),
            refused=np.concatenate([b.refused for b in blocks]),
            tag_way=np.concatenate(tag_way),
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
    node, lon, lat, counts = _vertices(nodes, source)
    if len(counts) != len(ids):
        raise SourceError(f"cannot read OSM file {source}: unexpected way text from libosmium")
    refused, tag_way, tag_key, tag_value = _tags(list(tag_lists))
    return _WayBlock(
        node=node,
        lon=lon,
        lat=lat,
        counts=counts,
        way=np.array(ids, dtype=bytes).astype(np.int64),
        refused=refused,
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


def _vertices(nodes: bytes, source: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Node id, longitude and latitude of every vertex, and the vertices per way.

    ``nodes`` holds the ways' node lists, each `` Nn<id>x<lon>y<lat>,...``; it
    becomes CSV text, a vertex a line, read by pandas' C parser. A node the
    extract lacks (``n<id>xy``) has NaN coordinates.
    """
    chars = np.frombuffer(nodes, dtype=np.uint8)
    starts = np.flatnonzero(chars == ord("n"))
    lists = np.flatnonzero(chars == ord("N"))
    counts = np.diff(np.searchsorted(starts, np.r_[lists, len(chars)]))
    if not len(starts):
        return np.empty(0, np.int64), np.empty(0), np.empty(0), counts
    frame = pd.read_csv(
        io.BytesIO(nodes.translate(_AS_CSV, b"Nn")),
        header=None,
        names=["node", "lon", "lat"],
        dtype={"node": np.int64, "lon": np.float64, "lat": np.float64},
        engine="c",
    )
    if len(frame) != len(starts):
        raise SourceError(
            f"cannot read OSM file {source}: {len(frame)} of {len(starts)} way nodes read"
        )
    lon, lat = (
        np.rint(frame[c].to_numpy() / COORDINATE_SCALE) * COORDINATE_SCALE for c in ("lon", "lat")
    )
    return frame["node"].to_numpy(), lon, lat, counts


def _tags(tag_lists: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Find the refusals and the tags of :data:`WAY_TAGS` in the ways' OPL tag lists.

    A tag list is ``k=v,k=v,...``. Returns whether each way is refused, and
    the way index, key index and value of each tag kept; Python decodes each
    distinct ``k=v`` text once.
    """
    if not tag_lists:
        empty = np.empty(0, np.int64)
        return np.empty(0, bool), empty, empty, np.empty(0, object)
    joined = b" ".join(tag_lists)
    text = np.frombuffer(joined, dtype=np.uint8)
    separators = text[(text == ord(",")) | (text == ord(" "))]
    way = np.r_[0, np.cumsum(separators == ord(" "))]
    pairs, distinct = pd.factorize(np.array(joined.replace(b" ", b",").split(b","), dtype=object))
    keys, values, refusals = zip(*(_key_value(pair) for pair in distinct), strict=True)
    key = np.array(keys, dtype=np.int64)[pairs]
    refused = np.zeros(len(tag_lists), dtype=bool)
    refused[way[np.array(refusals, dtype=bool)[pairs]]] = True
    kept = key >= 0
    return refused, way[kept], key[kept], np.array(values, dtype=object)[pairs[kept]]


def _key_value(pair: bytes) -> tuple[int, str | None, bool]:
    """Read one OPL ``k=v`` text.

    Returns the key's index in :data:`WAY_TAGS` (-1 for another key), the
    decoded value, and whether the tag takes the way out of the network.
    """
    key, _, value = pair.partition(b"=")
    name, text = _opl_text(key), _opl_text(value)
    refuses = text in NOT_FOR_CARS.get(name, frozenset())
    return (WAY_TAGS.index(name) if name in WAY_TAGS else -1), text, refuses


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

_AS_CSV = bytes.maketrans(b" ,xy", b"\n\n,,")
"""OPL node lists (`` Nn<id>x<lon>y<lat>,...``, with ``N`` and ``n`` deleted) as CSV lines."""


def _way_table(ways: _WayBlock, classes: tuple[str, ...]) -> WayTable:
    """Turn the parsed ways into a :class:`WayTable`, leaving out those not for cars."""
    kept = ~ways.refused
    renumbered = np.cumsum(kept) - 1
    n_kept = int(kept.sum())
    code: dict[str, np.ndarray] = {}
    values: dict[str, pd.Series] = {}
    for k, key in enumerate(WAY_TAGS):
        found = (ways.tag_key == k) & kept[ways.tag_way]
        codes, distinct = pd.factorize(ways.tag_value[found])
        code[key] = np.full(n_kept, len(distinct), dtype=np.int64)
        code[key][renumbered[ways.tag_way[found]]] = codes
        untagged = [None] if len(codes) < n_kept else []  # the last value: None
        values[key] = pd.Series([*distinct, *untagged], dtype=object)

    def tag(key: str) -> pd.Series:
        return pd.Series(values[key].to_numpy()[code[key]], dtype=object)

    vertex_kept = slice(None) if kept.all() else np.repeat(kept, ways.counts)
    class_code = {c: k for k, c in enumerate(classes)}
    names, refs = values["name"].to_numpy(), values["ref"].to_numpy()
    texts = tuple(dict.fromkeys(v for v in (*names, *refs) if v))
    text_code = {t: k for k, t in enumerate(texts)}
    return WayTable(
        node=ways.node[vertex_kept],
        lon=ways.lon[vertex_kept],
        lat=ways.lat[vertex_kept],
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

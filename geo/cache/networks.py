"""Road networks stored in the cache folder: one uncompressed ``.npz`` each, checked on load.

A file holds the network's arrays, its class and text tables and a JSON record
of the key it was built for and what it is (source, size, date). Loading
checks the key and the arrays' shapes and index ranges; a file that fails is
dropped and the caller builds the network again.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ctz.files import replacing
from ctz.geo.cache.keys import discard, key_digest, unwritable
from ctz.geo.network.model import RoadNetwork

PREFIX = "network-"
"""File names of stored networks start with this."""

FORMAT = "ctz road network 1"
"""Format tag written into every file."""

ARRAYS: tuple[str, ...] = tuple(RoadNetwork.empty().arrays())
"""Names of the arrays stored for a network."""

_TEXT_SEPARATOR = "\x00"
_EDGE_ARRAYS: tuple[str, ...] = (
    *("tail", "head", "length_m", "road_class", "maxspeed_kmh", "way"),
    *("name", "ref", "lanes", "piece", "reverse"),
)


def network_path(folder: Path, key: Mapping[str, object]) -> Path:
    """Where the network built for ``key`` is kept."""
    return folder / f"{PREFIX}{key_digest(key)}.npz"


def save_network(
    network: RoadNetwork, path: Path, key: Mapping[str, object], about: Mapping[str, object]
) -> None:
    """Store ``network`` at ``path`` in one atomic step.

    Parameters
    ----------
    network
        The network to keep.
    path
        From :func:`network_path`.
    key
        What the network was built from (compared again on load).
    about
        What to show in ``ctz cache list``, e.g. ``{"source": "pbf:hunan.osm.pbf"}``.
    """
    record = {
        "format": FORMAT,
        "key": dict(key),
        "about": dict(about),
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "nodes": network.n_nodes,
        "edges": network.n_edges,
        "classes": list(network.classes),
    }
    texts = _TEXT_SEPARATOR.join(t.replace(_TEXT_SEPARATOR, "") for t in network.texts)
    contents: dict[str, Any] = {
        "ctz_record": _bytes(json.dumps(record, default=str)),
        "ctz_texts": _bytes(texts),
        **network.arrays(),
    }
    try:
        with replacing(path) as temp, temp.open("wb") as stream:
            np.savez(stream, **contents)
    except OSError as error:
        unwritable(path, error)


def load_network(path: Path, key: Mapping[str, object]) -> RoadNetwork | None:
    """Return the network stored at ``path`` for ``key``; None when absent or unusable.

    A file that cannot be read, was built for another key or holds inconsistent
    arrays is deleted (with a warning on stderr).
    """
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            record = json.loads(_text(stored["ctz_record"]))
            if record.get("format") != FORMAT or record.get("key") != json.loads(
                json.dumps(dict(key), default=str)
            ):
                raise ValueError("built for other data")
            texts = _text(stored["ctz_texts"])
            arrays = {name: stored[name] for name in ARRAYS}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        discard(path, f"unreadable: {error}")
        return None
    try:
        network = RoadNetwork(
            **arrays,
            classes=tuple(record["classes"]),
            texts=tuple(texts.split(_TEXT_SEPARATOR)) if texts else (),
        )
        _check(network)
    except (TypeError, ValueError, IndexError) as error:
        discard(path, f"inconsistent: {error}")
        return None
    return network


def network_record(path: Path) -> dict[str, Any]:
    """Return the JSON record of a stored network (for listings); raises when unreadable."""
    with np.load(path, allow_pickle=False) as stored:
        record: dict[str, Any] = json.loads(_text(stored["ctz_record"]))
        return record


def _check(network: RoadNetwork) -> None:
    """Raise ValueError unless the arrays fit together."""
    n_edges, n_nodes = network.n_edges, network.n_nodes
    if {len(network.lat), len(network.osm_node)} != {n_nodes}:
        raise ValueError("node arrays differ in length")
    if {len(getattr(network, name)) for name in _EDGE_ARRAYS} != {n_edges}:
        raise ValueError("edge arrays differ in length")
    ends = np.r_[network.tail, network.head]
    if ends.size and (ends.min() < 0 or ends.max() >= n_nodes):
        raise ValueError("edge ends outside the nodes")
    start = network.piece_start
    if start[0] != 0 or start[-1] != len(network.vertex_lon) or (np.diff(start) < 2).any():
        raise ValueError("piece offsets do not cover the vertices")
    if len(network.vertex_lat) != len(network.vertex_lon):
        raise ValueError("vertex arrays differ in length")
    if network.piece.size and (network.piece.min() < 0 or network.piece.max() >= len(start) - 1):
        raise ValueError("edges follow pieces that do not exist")
    if network.road_class.size and network.road_class.max() >= len(network.classes):
        raise ValueError("edge classes outside the class table")
    codes = np.r_[network.name, network.ref]
    if codes.size and codes.max() >= len(network.texts):
        raise ValueError("edge names outside the text table")


def _bytes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-8"), dtype=np.uint8)


def _text(array: np.ndarray) -> str:
    return array.tobytes().decode("utf-8")

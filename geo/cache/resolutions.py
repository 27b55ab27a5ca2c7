"""Resolved catalog geometry (a :class:`~ctz.geo.source.Resolution`) stored in the cache folder.

One Parquet file per resolution: the layer's rows with geometry as WKB, and in
the file's metadata a JSON record of the key, the match account (matched,
fallback, ambiguous) and what it is. Loading checks the key and the layer's
columns; a file that fails is dropped and the caller resolves again. The Parquet and
table libraries are imported by the functions that write or read a file, so listing the
cache folder imports none of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import shapely

from ctz.base import LAYER_COLUMNS, STORAGE_CRS
from ctz.files import replacing
from ctz.geo.cache.keys import discard, key_digest, unwritable
from ctz.geo.lifecycle import Lifecycle
from ctz.geo.source import Resolution

PREFIX = "resolution-"
"""File names of stored resolutions start with this."""

FORMAT = "ctz resolution 3"
"""Format tag written into every file."""

_RECORD = b"ctz"


def resolution_path(folder: Path, key: Mapping[str, object]) -> Path:
    """Where the resolution made for ``key`` is kept."""
    return folder / f"{PREFIX}{key_digest(key)}.parquet"


def save_resolution(
    resolution: Resolution, path: Path, key: Mapping[str, object], about: Mapping[str, object]
) -> None:
    """Store ``resolution`` at ``path`` in one atomic step.

    Parameters
    ----------
    resolution
        Layer and match account to keep.
    path
        From :func:`resolution_path`.
    key
        What the resolution was made from (compared again on load).
    about
        What to show in ``ctz cache list``.
    """
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    record = {
        "format": FORMAT,
        "key": dict(key),
        "about": dict(about),
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "items": len(resolution.layer),
        "matched": resolution.matched,
        "fallback": resolution.fallback,
        "ambiguous": resolution.ambiguous,
        "notes": resolution.notes,
        "lifecycle": {i: found.to_dict() for i, found in resolution.lifecycle.items()},
        "kinds_present": resolution.kinds_present,
    }
    frame = pd.DataFrame(resolution.layer.drop(columns="geometry"))
    frame["geometry"] = shapely.to_wkb(resolution.layer.geometry.to_numpy())
    table = pa.Table.from_pandas(frame, preserve_index=False)
    metadata = {**(table.schema.metadata or {}), _RECORD: json.dumps(record, default=str)}
    try:
        with replacing(path) as temp:
            pq.write_table(table.replace_schema_metadata(metadata), temp)
    except OSError as error:
        unwritable(path, error)


def load_resolution(path: Path, key: Mapping[str, object]) -> Resolution | None:
    """Return the resolution stored at ``path`` for ``key``; None when absent or unusable.

    A file that cannot be read, was made for another key or lacks layer
    columns is deleted (with a warning on stderr).
    """
    import geopandas as gpd
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.is_file():
        return None
    try:
        table = pq.read_table(path)
        record = json.loads((table.schema.metadata or {})[_RECORD])
        if record.get("format") != FORMAT or record.get("key") != json.loads(
            json.dumps(dict(key), default=str)
        ):
            raise ValueError("made for other data")
        frame = table.to_pandas()
        if list(frame.columns) != list(LAYER_COLUMNS):
            raise ValueError("not a layer")
        geometry = shapely.from_wkb(frame.pop("geometry").to_numpy())
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        discard(path, f"unreadable: {error}")
        return None
    layer = gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_CRS)[list(LAYER_COLUMNS)]
    return Resolution(
        layer,
        list(record["matched"]),
        list(record["fallback"]),
        dict(record["ambiguous"]),
        dict(record["notes"]),
        {i: Lifecycle.from_dict(found) for i, found in record["lifecycle"].items()},
        record["kinds_present"],
    )


def resolution_record(path: Path) -> dict[str, Any]:
    """Return the JSON record of a stored resolution (for listings); raises when unreadable."""
    import pyarrow.parquet as pq

    record: dict[str, Any] = json.loads(pq.read_schema(path).metadata[_RECORD])
    return record

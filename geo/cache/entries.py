"""What is in the cache folder, and clearing it: every kind of file ctz keeps there.

Kinds, told apart by name and place:

- ``network``: a road network built from an extract or downloaded (``network-*.npz``);
- ``resolution``: the catalog matched against an extract (``resolution-*.parquet``);
- ``osm-answer``: a cached Overpass or Nominatim answer (``*.json`` under ``osm/``);
- ``geonames``: GeoNames ids already looked up (``geonames-*.json``);
- ``derived``: a value derived once per extract or installation, e.g. the population
  cells or a parsed feed (``*.pickle`` under ``derived/``, :mod:`~ctz.geo.cache.values`);
- ``graphml``: an osmnx road graph written by an older ctz (no longer read);
- ``unfinished``: a temporary file left by a run killed while writing
  (``.ctz-*``, see :func:`ctz.files.replacing`; ``.*.part*`` from older versions).

Anything else in the folder is listed as ``other`` and never deleted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ctz.geo.cache import networks, resolutions, values

EXTRACTS_FOLDER = "extracts"
"""Sub-folder of the cache folder where ``ctz data get`` keeps its clipped extracts."""

KINDS: dict[str, str] = {
    "network": "road network",
    "resolution": "catalog matched against an extract",
    "osm-answer": "OpenStreetMap answer (Overpass/Nominatim)",
    "geonames": "GeoNames ids looked up",
    "derived": "value derived once per extract or installation",
    "graphml": "osmnx road graph from an older ctz (no longer read)",
    "unfinished": "temporary file of an interrupted write",
}
"""Every kind of cache entry ctz writes, with what it is."""


@dataclass(frozen=True)
class CacheEntry:
    """One file in the cache folder.

    Attributes
    ----------
    path
        The file.
    kind
        One of :data:`KINDS`, or ``other``.
    size_bytes
        Its size.
    about
        What it holds, in a few words (source, counts, date when known).
    """

    path: Path
    kind: str
    size_bytes: int
    about: str


def cache_entries(folder: Path) -> list[CacheEntry]:
    """List every file under ``folder``, sorted by kind then path (empty when no folder)."""
    if not folder.is_dir():
        return []
    found = [
        CacheEntry(path, kind, path.stat().st_size, _about(path, kind))
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        for kind in [_kind(path.relative_to(folder))]
    ]
    order = [*KINDS, "other"]
    return sorted(found, key=lambda e: (order.index(e.kind), str(e.path)))


def clear_cache(folder: Path, kinds: Collection[str] | None = None) -> list[CacheEntry]:
    """Delete the cache files ctz wrote (of ``kinds`` only, when given); return what went.

    Files of kind ``other`` are never deleted.

    Raises
    ------
    ValueError
        On a kind not in :data:`KINDS`.
    """
    unknown = sorted(set(kinds or ()) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown cache kind '{unknown[0]}' (known: {', '.join(KINDS)})")
    chosen = set(kinds) if kinds else set(KINDS)
    removed = [e for e in cache_entries(folder) if e.kind in chosen]
    for entry in removed:
        entry.path.unlink(missing_ok=True)
    return removed


def _kind(relative: Path) -> str:
    name = relative.name
    if name.startswith(".ctz-") or (name.startswith(".") and ".part" in name):
        return "unfinished"
    if name.startswith(networks.PREFIX) and name.endswith(".npz"):
        return "network"
    if name.startswith(resolutions.PREFIX) and name.endswith(".parquet"):
        return "resolution"
    if name.startswith("geonames-") and name.endswith(".json"):
        return "geonames"
    if relative.parts[0] == values.FOLDER and name.endswith(values.SUFFIX):
        return "derived"
    if name.endswith(".graphml"):
        return "graphml"
    if relative.parts[0] == "osm" and name.endswith(".json"):
        return "osm-answer"
    return "other"


def _about(path: Path, kind: str) -> str:
    """Describe an entry in a few words (from its stored record for networks, resolutions)."""
    try:
        if kind == "network":
            record = networks.network_record(path)
            return (
                f"road network of {record['about'].get('source', '?')}: {record['nodes']:,} "
                f"nodes, {record['edges']:,} edges, built {record['built']}"
            )
        if kind == "resolution":
            record = resolutions.resolution_record(path)
            return (
                f"catalog matched against {record['about'].get('source', '?')}: "
                f"{record['items']} items, {len(record['matched'])} matched, "
                f"made {record['built']}"
            )
        if kind == "derived":
            record = values.value_record(path)
            return f"{record['about']}, made {record['built']}"
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        return f"{KINDS[kind]}, unreadable ({error}): built again when next needed"
    if kind == "other" and path.parent.name == EXTRACTS_FOLDER:
        return "from 'ctz data get' (kept here; 'ctz data clear' removes it)"
    return KINDS.get(kind, "not written by ctz (kept)")

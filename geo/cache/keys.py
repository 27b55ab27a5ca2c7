"""Cache keys: digests of extracts, areas and code, and the rule for entries that fail to load."""

from __future__ import annotations

import hashlib
import importlib
import json
import warnings
from collections.abc import Mapping
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from ctz.base import VERSION, CacheWarning

READ_BLOCK_BYTES = 1 << 22
"""Bytes read at a time while hashing a file."""


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content (hex): the identity of an extract, whatever its name."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def geometry_digest(geometry: BaseGeometry) -> str:
    """SHA-256 of a geometry's WKB (hex): the identity of an area."""
    return hashlib.sha256(geometry.wkb).hexdigest()


def code_digest(*modules: str) -> str:
    """SHA-256 of the named modules' source files and the ctz version (hex).

    Part of every key of derived data, so that any change to the code that
    derives it invalidates what was cached (no version number to forget).
    """
    digest = hashlib.sha256(VERSION.encode())
    for name in modules:
        source = Path(importlib.import_module(name).__file__ or "")
        digest.update(source.read_bytes() if source.is_file() else name.encode())
    return digest.hexdigest()


def key_digest(key: Mapping[str, object]) -> str:
    """Return a short digest of a key (JSON, sorted), used in cache file names."""
    text = json.dumps(key, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def discard(path: Path, why: str) -> None:
    """Delete a cache file that failed to load, with a :class:`CacheWarning`; it is built again."""
    warnings.warn(
        f"dropped cache file {path} ({why}); building it again", CacheWarning, stacklevel=3
    )
    path.unlink(missing_ok=True)


def unwritable(path: Path, error: OSError) -> None:
    """Warn (:class:`CacheWarning`) that a cache file could not be written; it is built again."""
    warnings.warn(
        f"cannot write cache file {path} ({error.strerror or error})", CacheWarning, stacklevel=3
    )

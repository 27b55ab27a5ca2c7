"""Cache keys: digests of extracts, areas and code, and the rule for entries that fail to load."""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ctz.base import CacheWarning, installed_version

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The folder of the ``ctz`` package."""

READ_BLOCK_BYTES = 1 << 22
"""Bytes read at a time while hashing a file."""


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content (hex): the identity of an extract, whatever its name."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def geometry_digest(geometry: BaseGeometry) -> str:
    """SHA-256 of a geometry's WKB (hex): the identity of an area."""
    return hashlib.sha256(geometry.wkb).hexdigest()


def code_digest(*roots: str) -> str:
    """SHA-256 of the code that derives a cached value, and of the ctz version (hex).

    The code is every ctz module the ``roots`` import, directly or through other ctz
    modules (:func:`imported_code`), so any change to it invalidates what was cached,
    with no hand-kept module list and no version number to forget.
    """
    digest = hashlib.sha256(installed_version().encode())
    for path in imported_code(roots):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def imported_code(roots: tuple[str, ...]) -> tuple[Path, ...]:
    """Source files of the ``roots`` and of every ctz module they import, transitively.

    Imports are read from the source (top level and inside functions), so a module
    imported only when a function runs counts too. The files are sorted by path.
    """
    found: dict[str, Path] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in found or (path := _module_file(name)) is None:
            continue
        found[name] = path
        pending.extend(_ctz_imports(path))
    return tuple(sorted(found.values()))


def _module_file(name: str) -> Path | None:
    """Source file of the ctz module ``name``, or None for a name that is not a module.

    ``from ctz.x import function`` lists ``ctz.x.function`` too, which has no file.
    """
    folder = PACKAGE_ROOT.joinpath(*name.split(".")[1:])
    for path in (folder.with_suffix(".py"), folder / "__init__.py"):
        if path.is_file():
            return path
    return None


_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(ctz(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)"
    r"|import[ \t]+([^\n]*))",
    re.MULTILINE,
)
"""An import statement at the start of a line (``from ctz.x import (a, b)`` over several lines)."""


def _ctz_imports(path: Path) -> list[str]:
    """Return the ctz modules (and ``module.name`` per name taken) that ``path`` imports.

    Read with a pattern, not parsed: a cached run computes this for dozens of modules
    and parsing them costs a tenth of a second. A line in a docstring that reads like
    an import only adds a module to a key, which never makes a key miss a change.
    """
    names = []
    for found in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        module, taken, plain = found.groups()
        if module:
            parts = taken.strip("()").replace("\\", " ").split(",")
            taken_names = [part.split()[0] for part in parts if part.split()]
            names += [module, *(f"{module}.{name}" for name in taken_names)]
        else:
            names += [part.split()[0] for part in plain.split(",") if part.split()]
    return [name for name in names if name.startswith("ctz.")]


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

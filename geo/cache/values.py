"""Values derived once per extract or per installation, kept in the cache folder.

A cached run should not redo what it did last time for the same inputs: the
population cells (the same for every extract), the parsed catalog, the shipped
GTFS feeds, the extent of an extract without a header box. Each is stored as one
pickle file beside a record of the key it was derived for, written in one atomic
step (:func:`ctz.files.replacing`) and checked on load — format, key, type and a
caller's own check; an entry that fails is deleted with a
:class:`~ctz.base.CacheWarning` and derived again.

The cache folder is the user's own (``$CTZ_CACHE`` or ``~/.cache/ctz``), written
only by ctz: it is trusted as the installed code is, which is what makes pickle
fit here.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from ctz.files import replacing
from ctz.geo.cache.keys import discard, key_digest, unwritable

T = TypeVar("T")

FOLDER = "derived"
"""Sub-folder of the cache folder that holds derived values."""

SUFFIX = ".pickle"
"""File name ending of a derived value."""

FORMAT = "ctz derived value 1"
"""Format tag stored in every file."""


def value_path(folder: Path, name: str, key: Mapping[str, object]) -> Path:
    """Where the value ``name`` (e.g. ``cells``) derived for ``key`` is kept under ``folder``."""
    return folder / FOLDER / f"{name}-{key_digest(key)}{SUFFIX}"


def cached_value(
    path: Path,
    key: Mapping[str, object],
    derive: Callable[[], T],
    kind: type[T],
    *,
    check: Callable[[T], object] | None = None,
    about: str = "",
) -> T:
    """Return the value stored at ``path`` for ``key``, or derive, store and return it.

    Parameters
    ----------
    path
        From :func:`value_path`.
    key
        What the value is derived from: input digests, parameters and
        :func:`~ctz.geo.cache.keys.code_digest` of the deriving code.
    derive
        Computes the value when the cache has none (its errors propagate and
        nothing is stored).
    kind
        The value's type: a stored value of any other type is dropped.
    check
        Raises ``ValueError`` (or returns False) when a stored value is not usable.
    about
        What the value is, in a few words, for ``ctz cache list``.

    Returns
    -------
    T
    """
    found = load_value(path, key, kind, check)
    if found is not None:
        return found
    value = derive()
    save_value(value, path, key, about)
    return value


def load_value(
    path: Path,
    key: Mapping[str, object],
    kind: type[T],
    check: Callable[[T], object] | None = None,
) -> T | None:
    """Return the value stored at ``path`` for ``key``; None when absent or unusable.

    A file that cannot be read, was derived for another key, holds another type
    or fails ``check`` is deleted with a :class:`~ctz.base.CacheWarning`.
    """
    if not path.is_file():
        return None
    try:
        with path.open("rb") as stream:
            stored = pickle.load(stream)
        if not isinstance(stored, dict) or stored.get("format") != FORMAT:
            raise ValueError("not a ctz derived value")
        if stored.get("key") != dict(key):
            raise ValueError("derived from other data")
        value = stored["value"]
        if not isinstance(value, kind):
            raise TypeError(f"holds a {type(value).__name__}, not a {kind.__name__}")
        if check is not None and check(value) is False:
            raise ValueError("failed its check")
    # A damaged pickle raises whatever its bytes lead to (EOFError, UnpicklingError,
    # AttributeError, ModuleNotFoundError, ...): every one means "derive it again".
    except Exception as error:
        discard(path, f"unusable: {type(error).__name__}: {error}")
        return None
    return value


def save_value(value: object, path: Path, key: Mapping[str, object], about: str = "") -> None:
    """Store ``value`` for ``key`` at ``path`` in one atomic step (a warning when it cannot)."""
    stored: dict[str, Any] = {
        "format": FORMAT,
        "key": dict(key),
        "about": about,
        "built": datetime.now(UTC).isoformat(timespec="seconds"),
        "value": value,
    }
    try:
        with replacing(path) as temp, temp.open("wb") as stream:
            pickle.dump(stored, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as error:
        unwritable(path, error)


def value_record(path: Path) -> dict[str, Any]:
    """Return what a stored value is (``about``, ``built``) for listings.

    Raises
    ------
    OSError, ValueError, KeyError
        When the file cannot be read or is not a derived value.
    """
    with path.open("rb") as stream:
        try:
            stored = pickle.load(stream)
        except pickle.UnpicklingError as error:
            raise ValueError(f"not a pickle ({error})") from error
    return {"about": stored["about"], "built": stored["built"]}

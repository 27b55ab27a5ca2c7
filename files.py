"""Where ctz keeps data it can fetch again, and how it writes files without leaving half of one."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def default_cache_dir() -> Path:
    """Return ``$CTZ_CACHE``, else ``$XDG_CACHE_HOME/ctz``, else ``~/.cache/ctz``."""
    if os.environ.get("CTZ_CACHE"):
        return Path(os.environ["CTZ_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ctz"


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Give a temporary path to write, then put it in place of ``path`` in one step.

    The temporary file sits beside ``path`` (hidden, with the same suffix, so
    writers that choose a format by extension still do), so a reader sees the
    old file or the new one, never half of one; on any error it is removed and
    ``path`` is left as it was.

    Parameters
    ----------
    path
        The file to write; its folder is created when missing.

    Yields
    ------
    Path
        Where to write the new content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.stem}.{secrets.token_hex(6)}.part{path.suffix}")
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)

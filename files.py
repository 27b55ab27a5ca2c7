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
    ``path`` is left as it was. Its name is short, so any legal file name can be
    written, and an operating-system error names ``path``, not the temporary file.

    Parameters
    ----------
    path
        The file to write; its folder is created when missing.

    Yields
    ------
    Path
        Where to write the new content.
    """
    temporary = path.with_name(f".ctz-{secrets.token_hex(6)}{path.suffix[:16]}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        if error.filename is None or Path(error.filename) not in (temporary, path):
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error
    finally:
        temporary.unlink(missing_ok=True)

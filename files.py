"""Where ctz keeps data it can fetch again, and how it writes files without leaving half of one."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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
        make_folder(path.parent)
        yield temporary
        os.replace(temporary, path)
    except OSError as error:
        if error.filename is not None and Path(error.filename) not in (temporary, path):
            raise
        # a writer's own error (a full disk, say) may name no file, or the temporary one
        raise OSError(error.errno, error.strerror or str(error), str(path)) from error
    finally:
        with suppress(FileNotFoundError, NotADirectoryError):
            temporary.unlink()


def make_folder(folder: Path) -> None:
    """Create ``folder`` and its parents when missing.

    Raises
    ------
    NotADirectoryError
        Naming the file that stands where ``folder`` or one of its parents should be.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as error:
        blocking = next((p for p in (folder, *folder.parents) if p.is_file()), folder)
        raise NotADirectoryError(
            errno.ENOTDIR, "a file stands where a folder is needed", str(blocking)
        ) from error


def not_a_file(path: Path, what: str) -> str:
    """Say why ``path`` cannot be read as ``what``: it is missing, or it is a folder."""
    if path.is_dir():
        return f"{path} is a folder, not {what}"
    return f"no such {what.removeprefix('an ').removeprefix('a ')}: {path}"

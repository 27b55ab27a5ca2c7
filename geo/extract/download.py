"""Download a large file over HTTP into a partial file that the next run continues.

The partial file sits beside a small state file naming the URL and the server's
validator (``ETag`` or ``Last-Modified``). A later run asks for the rest with
``Range`` and ``If-Range``: a server that answers with the whole file instead
(it ignores ``Range``, or the file changed) is followed by a clean restart. A
connection dropped mid-file is resumed a few times within the run; after that
the partial file is kept for the next run. Nothing here decides that a file is
whole: the caller checks the checksum and the format before using it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from ctz.base import SourceError
from ctz.geo.extract.progress import DownloadProgress

CHUNK_BYTES = 1 << 16
"""Bytes read from the connection and written at a time."""

RECONNECTS = 3
"""Times a dropped connection is resumed within one run before giving up (the part is kept)."""

TIMEOUT = (15.0, 60.0)
"""Seconds to connect, and to wait for the next bytes."""

PBF_START = b"\x0a\x09OSMHeader"
"""Bytes 4–14 of every OSM PBF file: the first block header's type."""


@dataclass(frozen=True)
class Transfer:
    """A finished download.

    Attributes
    ----------
    path
        The partial file, now holding the whole body (not yet verified).
    size
        Its size in bytes.
    resumed_from
        Bytes that were already there when this run began (0: from the start).
    restarted
        The server ignored ``Range`` (or the file changed), so the download began again.
    """

    path: Path
    size: int
    resumed_from: int
    restarted: bool


class _DroppedError(Exception):
    """The connection ended before the whole body came."""


def server_name(url: str) -> str:
    """Return the host (and port) of ``url``, to name the server in messages."""
    return urlsplit(url).netloc or url


def state_path(partial: Path) -> Path:
    """Return the state file beside a partial file."""
    return partial.with_name(partial.name + ".json")


def discard_partial(partial: Path) -> None:
    """Delete a partial file and its state."""
    partial.unlink(missing_ok=True)
    state_path(partial).unlink(missing_ok=True)


def md5_of(path: Path) -> str:
    """Return the MD5 of a file's content (hex)."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "md5").hexdigest()


def fetch_checksum(url: str, session: requests.Session) -> str | None:
    """Return the MD5 published at ``url`` (a ``.md5`` file), None when the server has none.

    Raises
    ------
    SourceError
        When the server cannot be reached, fails, or the file holds no MD5.
    """
    host = server_name(url)
    try:
        response = session.get(url, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise _unreachable(host, error) from error
    if response.status_code in (404, 410):
        return None
    if response.status_code != 200:
        raise SourceError(f"{host} answered HTTP {response.status_code} for {url}")
    found = re.match(r"\s*([0-9a-fA-F]{32})\b", response.text[:200])
    if found is None:
        raise SourceError(f"{host} sent no MD5 checksum at {url} (an HTML page?)")
    return found.group(1).lower()


def download(
    url: str, partial: Path, session: requests.Session, *, progress: bool = True
) -> Transfer:
    """Download ``url`` into ``partial``, continuing what an earlier run left there.

    Parameters
    ----------
    url
        The file (an ``.osm.pbf``).
    partial
        Where the body goes; kept when the run stops short.
    session
        The HTTP session.
    progress
        Show progress on stderr.

    Raises
    ------
    SourceError
        Naming the server and what went wrong: unreachable, an HTTP error, an HTML
        page or other body that is not OSM PBF (nothing kept), a connection dropped
        more than :data:`RECONNECTS` times or a full disk (the partial file kept).
    """
    state = _read_state(partial)
    have = partial.stat().st_size if partial.is_file() and state.get("url") == url else 0
    if not have:
        discard_partial(partial)
    first, drops = have, 0
    while True:
        try:
            size, restarted = _transfer(url, partial, have, session, progress=progress)
        except _DroppedError:
            have = partial.stat().st_size if partial.is_file() else 0
            drops += 1
            if drops > RECONNECTS:
                raise SourceError(
                    f"{server_name(url)} dropped the connection {drops} times; "
                    f"{have / 1e6:.1f} MB are kept in {partial}: run the command again to resume"
                ) from None
            continue
        return Transfer(partial, size, first, restarted)


def _transfer(
    url: str, partial: Path, have: int, session: requests.Session, *, progress: bool
) -> tuple[int, bool]:
    """One request: return the size of the whole body and whether the server ignored Range."""
    host = server_name(url)
    state = _read_state(partial)
    headers, restarted = {}, False
    if have:
        headers["Range"] = f"bytes={have}-"
        if state.get("validator"):
            headers["If-Range"] = state["validator"]
    try:
        response = session.get(url, headers=headers, stream=True, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise _unreachable(host, error) from error
    with response:
        status = response.status_code
        if status == 416 and have and have == state.get("total"):
            return have, False
        if status == 206 and _range_start(response) == have:
            mode = "ab"
        elif status == 200:
            mode, restarted, have = "wb", bool(have), 0
        else:
            raise SourceError(f"{host} answered HTTP {status} {response.reason or ''} for {url}")
        length = response.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        if mode == "wb" and "text/html" in response.headers.get("Content-Type", ""):
            raise _not_osm(host, url, "an HTML page")
        _check_room(partial, host, have, total)
        _write_state(partial, url, response, total)
        bar = DownloadProgress(host, total, have, show=progress)
        try:
            _receive(response, partial, mode, bar, host, url)
        finally:
            bar.close()
    size = partial.stat().st_size
    if total is not None and size != total:
        raise _DroppedError
    return size, restarted


def _receive(
    response: requests.Response,
    partial: Path,
    mode: str,
    bar: DownloadProgress,
    host: str,
    url: str,
) -> None:
    """Write the body to ``partial``; a fresh body must start like an OSM PBF file."""
    chunks = response.iter_content(CHUNK_BYTES)
    try:
        with partial.open(mode) as out:
            for chunk in chunks:
                if mode == "wb" and out.tell() == 0:
                    _sniff(chunk, host, url, partial)
                out.write(chunk)
                bar.update(len(chunk))
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
        raise _DroppedError from error
    except OSError as error:
        if error.errno == errno.ENOSPC:
            kept = partial.stat().st_size / 1e6 if partial.is_file() else 0.0
            raise SourceError(
                f"disk full while downloading from {host} into {partial.parent}: "
                f"{kept:.1f} MB kept; free space and run the command again to resume"
            ) from error
        raise


def _sniff(chunk: bytes, host: str, url: str, partial: Path) -> None:
    """Refuse a body that does not start like an OSM PBF file (nothing of it is kept)."""
    if chunk[4:15] == PBF_START:
        return
    head = chunk[:1024].lstrip().lower()
    what = "an HTML page" if head.startswith((b"<!doctype html", b"<html")) else "a file"
    discard_partial(partial)
    raise _not_osm(host, url, what)


def _not_osm(host: str, url: str, what: str) -> SourceError:
    return SourceError(f"{host} sent {what}, not an OSM PBF file, for {url}")


def _unreachable(host: str, error: requests.RequestException) -> SourceError:
    if isinstance(error, requests.Timeout):
        return SourceError(f"{host} did not answer in time ({error.__class__.__name__})")
    deepest: BaseException = error
    while deepest.__cause__ or deepest.__context__:
        deepest = deepest.__cause__ or deepest.__context__  # type: ignore[assignment]
    reason = str(deepest).split(">: ", 1)[-1] or "no answer"
    return SourceError(f"cannot reach {host}: {reason}")


def _range_start(response: requests.Response) -> int:
    found = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
    return int(found.group(1)) if found else -1


def _check_room(partial: Path, host: str, have: int, total: int | None) -> None:
    partial.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(partial.parent).free
    if total is not None and total - have > free:
        raise SourceError(
            f"disk full: the file from {host} needs {(total - have) / 1e6:.1f} MB more, "
            f"{free / 1e6:.1f} MB free in {partial.parent}"
        )


def _read_state(partial: Path) -> dict[str, Any]:
    try:
        found = json.loads(state_path(partial).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write_state(partial: Path, url: str, response: requests.Response, total: int | None) -> None:
    validator = response.headers.get("ETag") or response.headers.get("Last-Modified")
    state = {"url": url, "validator": validator, "total": total}
    state_path(partial).write_text(json.dumps(state), encoding="utf-8")

"""GTFS feeds read once: their service patterns kept in the cache folder by content.

Reading a feed (gtfs-kit, which also imports folium) costs a cached commute run
more than its searches; the patterns of a feed depend only on its files, the
departure window and the reading code, so they are stored
(:mod:`ctz.geo.cache.values`) and read back while none of those changes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ctz.checks.commute.gtfs import DepartureWindow, FeedServices, read_feed_services
from ctz.files import default_cache_dir
from ctz.geo.cache.keys import code_digest
from ctz.geo.cache.values import cached_value, value_path


def stored_feed_services(
    path: Path, window: DepartureWindow | None = None, cache_dir: Path | None = None
) -> FeedServices:
    """Return :func:`~ctz.checks.commute.gtfs.read_feed_services` of ``path``, read once.

    Parameters
    ----------
    path
        A GTFS zip file or a folder of GTFS ``.txt`` tables.
    window
        Departures that count; 07:00–09:00 when None.
    cache_dir
        The cache folder (:func:`ctz.files.default_cache_dir` when None).

    Returns
    -------
    FeedServices
        As read from the feed; from the cache when the feed's files, its path as
        given, the window and the reading code are those it was stored for.

    Raises
    ------
    FeedError
        When the feed cannot be used (it is read, and the reason given, as without a cache).
    """
    window = window or DepartureWindow()
    try:
        content = feed_digest(path)
    except OSError:
        return read_feed_services(path, window)
    key = {
        "kind": "feed",
        "path": str(path),
        "feed": content,
        "window": [window.start_min, window.end_min],
        "code": code_digest(__name__),
    }
    return cached_value(
        value_path(cache_dir or default_cache_dir(), "feed", key),
        key,
        lambda: read_feed_services(path, window),
        FeedServices,
        check=lambda feed: feed.window == window and feed.path == path,
        about=f"service patterns of the GTFS feed {path}, departing {window}",
    )


def feed_digest(path: Path) -> str:
    """SHA-256 (hex) of a feed's content: a zip file's bytes, or a folder's files and names.

    Raises
    ------
    OSError
        When the path is missing or unreadable.
    """
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(f"{file.name}\0{file.stat().st_size}\0".encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()

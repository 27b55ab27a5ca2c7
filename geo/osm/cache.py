"""An on-disk cache of validated OSM answers, keyed by endpoint and request, written atomically."""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ctz.base import CacheWarning
from ctz.files import replacing
from ctz.geo.osm.answers import BadAnswerError

T = TypeVar("T")


class AnswerCache:
    """Answers stored as files named by a hash of the endpoint URL and the request.

    Only answers that passed validation are stored; a stored one is validated
    again when read, and one that fails (a truncated or edited file) is deleted
    with a :class:`CacheWarning`, so that it is fetched again.

    Parameters
    ----------
    folder
        Where the files live; created on first write.
    refresh
        Ignore what earlier runs stored (answers are fetched again and
        overwrite it); answers stored by this run are still reused.
    """

    def __init__(self, folder: Path, *, refresh: bool = False) -> None:
        self.folder = Path(folder)
        self.refresh = refresh
        self._written: set[Path] = set()

    def path(self, endpoint: str, request: str) -> Path:
        """Return the file that holds the answer of ``endpoint`` to ``request``."""
        key = json.dumps([endpoint, request], ensure_ascii=False).encode()
        return self.folder / f"{hashlib.sha256(key).hexdigest()[:32]}.json"

    def load(self, endpoint: str, request: str, parse: Callable[[bytes], T]) -> T | None:
        """Return the cached answer read by ``parse``, or None when there is none to trust.

        Parameters
        ----------
        endpoint, request
            The key.
        parse
            Validates and reads the stored body; raises :class:`BadAnswerError` on a bad one.
        """
        path = self.path(endpoint, request)
        if (self.refresh and path not in self._written) or not path.is_file():
            return None
        try:
            return parse(path.read_bytes())
        except BadAnswerError as error:
            warnings.warn(
                f"dropped unreadable cache file {path} ({error}); fetching it again",
                CacheWarning,
                stacklevel=2,
            )
            path.unlink(missing_ok=True)
            return None

    def save(self, endpoint: str, request: str, body: bytes) -> None:
        """Store a validated answer; an interrupted write leaves no partial file."""
        path = self.path(endpoint, request)
        with replacing(path) as temporary:
            temporary.write_bytes(body)
        self._written.add(path)

"""Fetch Overpass downloads and Nominatim searches through the cache, validated before stored."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from shapely.geometry.base import BaseGeometry

from ctz.base import SourceError
from ctz.geo.matching import Candidate
from ctz.geo.osm.answers import (
    BadAnswerError,
    IncompleteAnswerError,
    nominatim_candidates,
    overpass_candidates,
    read_overpass,
)
from ctz.geo.osm.cache import AnswerCache
from ctz.geo.osm.client import AnswerTooLargeError, HttpClient
from ctz.geo.osm.queries import OverpassQuery

MAX_TILE_DEPTH = 2
"""How often a download the server cannot answer whole is split into quarters (16 tiles)."""


class Downloads:
    """Overpass and Nominatim answers, from the cache or the servers.

    Parameters
    ----------
    client
        Sends the requests (endpoints, deadline, retries).
    cache
        Where validated answers are kept.
    say
        Called with one-line progress messages.
    """

    def __init__(self, client: HttpClient, cache: AnswerCache, say: Callable[[str], None]):
        self.client = client
        self.endpoints = client.endpoints
        self.cache = cache
        self.say = say
        self._next_search_s = 0.0

    def overpass(self, query: OverpassQuery, what: str) -> list[Candidate]:
        """Return the elements ``query`` asks for, downloaded once and cached whole.

        Parameters
        ----------
        query
            The download.
        what
            Names it in messages, e.g. ``roads``.

        Raises
        ------
        SourceError
            When the server cannot be reached in time, or answers with anything
            but Overpass JSON of the expected shape (then nothing is cached).
        """
        url = self.endpoints.interpreter_url
        cached = self.cache.load(url, query.key, _overpass_candidates)
        if cached is not None:
            return cached
        self.say(f"ctz: downloading {what} from Overpass at {self.endpoints.overpass_url}")
        body, document = self._answer(query, what, depth=0)
        candidates = self._checked("Overpass", url, overpass_candidates, document)
        self.cache.save(url, query.key, body)
        return candidates

    def nominatim(self, name: str, region: BaseGeometry) -> list[Candidate]:
        """Return Nominatim's best place called ``name`` inside ``region``'s box (or none).

        Searches are at least ``Endpoints.nominatim_interval`` seconds apart and cached.
        """
        west, south, east, north = region.bounds
        params = {
            "q": name,
            "format": "json",
            "polygon_geojson": "1",
            "viewbox": f"{west},{north},{east},{south}",
            "bounded": "1",
            "limit": "1",
        }
        url = self.endpoints.search_url
        request = json.dumps(params, sort_keys=True, ensure_ascii=False)
        cached = self.cache.load(url, request, nominatim_candidates)
        if cached is not None:
            return cached
        time.sleep(max(self._next_search_s - time.monotonic(), 0.0))
        body = self.client.get("Nominatim", url, params)
        self._next_search_s = time.monotonic() + self.endpoints.nominatim_interval
        found = self._checked("Nominatim", url, nominatim_candidates, body)
        self.cache.save(url, request, body)
        return found

    def _answer(self, query: OverpassQuery, what: str, depth: int) -> tuple[bytes, dict[str, Any]]:
        """Return the body and document answering ``query``, split into tiles when needed."""
        url = self.endpoints.interpreter_url
        try:
            body = self.client.post("Overpass", url, {"data": query.text(self.endpoints.timeout)})
            return body, read_overpass(body)
        except (IncompleteAnswerError, AnswerTooLargeError) as error:
            if depth >= MAX_TILE_DEPTH:
                raise SourceError(
                    f"Overpass at {url} could not answer the {what} download "
                    f"even in {4**depth} tiles ({error})"
                ) from error
            self.say(f"ctz: Overpass stopped early on {what} ({error}); asking in 4 tiles")
        except BadAnswerError as error:
            raise SourceError(f"Overpass at {url} sent {error}; nothing was cached") from error
        parts = [self._answer(tile, what, depth + 1)[1] for tile in query.tiles()]
        for part in parts:  # every element typed and numbered before they are merged
            self._checked("Overpass", url, overpass_candidates, part)
        unique = {(e["type"], e["id"]): e for part in parts for e in part["elements"]}
        merged = {**parts[0], "elements": list(unique.values())}
        return json.dumps(merged, ensure_ascii=False).encode(), merged

    @staticmethod
    def _checked(
        service: str, url: str, parse: Callable[[Any], list[Candidate]], answer: Any
    ) -> list[Candidate]:
        try:
            return parse(answer)
        except BadAnswerError as error:
            raise SourceError(f"{service} at {url} sent {error}; nothing was cached") from error


def _overpass_candidates(body: bytes) -> list[Candidate]:
    return overpass_candidates(read_overpass(body))

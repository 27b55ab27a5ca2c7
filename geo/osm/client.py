"""Overpass and Nominatim through osmnx: endpoints, timeouts, bounded retries, error lines."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import geopandas as gpd
import osmnx as ox
import requests
from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError
from shapely.geometry.base import BaseGeometry

from ctz.base import SourceError
from ctz.geo.matching import Candidate
from ctz.geo.osm.kinds import TagFilter

OVERPASS_URL = "https://overpass-api.de/api"
NOMINATIM_URL = "https://nominatim.openstreetmap.org/"
MAX_QUERY_AREA_M2 = 1e11
"""Ask for the whole region in one query (osmnx would split it into 50 km squares)."""
_NOT_TAGS = frozenset({"geometry", "nodes", "ways", "members"})
T = TypeVar("T")


@dataclass(frozen=True)
class Endpoints:
    """Where and how patiently to ask.

    osmnx itself waits and retries when a server answers 429 or 504, without a
    limit; ``max_wait`` bounds the whole of one request, those waits included
    (enforced in the main thread, where the CLI runs).  osmnx's probe of the
    Overpass ``/status`` endpoint is off: when that endpoint cannot be reached it
    pauses 60 s before every query, and a busy server says so with 429 anyway.  Timeouts, refused
    connections and other server errors are retried here ``retries`` times with
    exponential back-off (``backoff``, ``2 × backoff`` … seconds).
    """

    overpass_url: str = OVERPASS_URL
    nominatim_url: str = NOMINATIM_URL
    timeout: float = 180
    retries: int = 3
    backoff: float = 2.0
    max_wait: float = 600

    def call(self, what: str, request: Callable[[], T]) -> T:
        """Run one osmnx request under these settings, retrying transient failures.

        Raises
        ------
        SourceError
            When every attempt failed.
        """
        failures = 0
        while True:
            try:
                with self._settings(), _deadline(self.max_wait):
                    return request()
            except _DeadlineExceededError as error:
                raise SourceError(
                    f"{what} gave no answer within {self.max_wait:g} s "
                    "(server busy, HTTP 429/504?); try again later or use a mirror"
                ) from error
            except (requests.RequestException, ResponseStatusCodeError) as error:
                failures += 1
                if failures > self.retries:
                    reason = type(error).__name__
                    raise SourceError(
                        f"{what} failed after {failures} attempts ({reason})"
                    ) from error
                time.sleep(self.backoff * 2 ** (failures - 1))

    @contextmanager
    def _settings(self) -> Iterator[None]:
        names = (
            "overpass_url",
            "nominatim_url",
            "requests_timeout",
            "use_cache",
            "log_console",
            "max_query_area_size",
            "overpass_rate_limit",
        )
        saved = {n: getattr(ox.settings, n) for n in names}
        ox.settings.overpass_url = self.overpass_url
        ox.settings.nominatim_url = self.nominatim_url
        ox.settings.requests_timeout = self.timeout
        ox.settings.use_cache = False  # ctz caches whole results atomically instead
        ox.settings.log_console = False
        ox.settings.max_query_area_size = MAX_QUERY_AREA_M2
        ox.settings.overpass_rate_limit = False
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(ox.settings, name, value)


class _DeadlineExceededError(BaseException):
    """Raised by the alarm of :func:`_deadline`; a BaseException so no library swallows it."""


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of wall time (main thread only; elsewhere no limit)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _DeadlineExceededError

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def overpass_features(
    endpoints: Endpoints, tags: TagFilter, polygon: BaseGeometry
) -> list[Candidate]:
    """Ask Overpass (``ox.features_from_polygon``) for elements with ``tags`` in ``polygon``."""
    osmnx_tags: dict[str, bool | str | list[str]] = {
        key: value if isinstance(value, bool | str) else list(value) for key, value in tags.items()
    }

    def request() -> list[Candidate]:
        try:
            frame = ox.features_from_polygon(polygon, osmnx_tags)
        except InsufficientResponseError:
            return []
        return frame_candidates(frame)

    return endpoints.call(f"Overpass query at {endpoints.overpass_url}", request)


def nominatim_place(endpoints: Endpoints, name: str, region: BaseGeometry) -> list[Candidate]:
    """Ask Nominatim for ``name`` (bounded to ``region``'s box); the top result, if any."""
    west, south, east, north = region.bounds
    query = {"q": name, "viewbox": f"{west},{north},{east},{south}", "bounded": "1"}

    def request() -> list[Candidate]:
        try:
            frame = ox.geocode_to_gdf(query, which_result=1)
        except InsufficientResponseError:
            return []
        row = frame.iloc[0]
        tags = {"name": str(row["display_name"]).split(",")[0].strip(), row["class"]: row["type"]}
        return [Candidate(f"{row['osm_type']}/{row['osm_id']}", tags, row.geometry)]

    return endpoints.call(f"Nominatim search at {endpoints.nominatim_url}", request)


def frame_candidates(frame: gpd.GeoDataFrame) -> list[Candidate]:
    """Turn an osmnx features frame (index ``element``, ``id``) into candidates."""
    columns = [c for c in frame.columns if c not in _NOT_TAGS]
    records = frame[columns].to_dict(orient="records")
    return [
        Candidate(f"{element}/{osm_id}", {k: v for k, v in tags.items() if isinstance(v, str)}, g)
        for (element, osm_id), tags, g in zip(frame.index, records, frame.geometry, strict=True)
    ]

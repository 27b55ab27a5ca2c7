"""HTTP to Overpass and Nominatim: endpoints, timeouts under one deadline, back-off, error lines."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ctz.base import SourceError
from ctz.geo.osm.deadline import Deadline

if TYPE_CHECKING:
    import requests

OVERPASS_URL = "https://overpass-api.de/api"
NOMINATIM_URL = "https://nominatim.openstreetmap.org/"
CONNECT_TIMEOUT_S = 10.0
"""Longest wait for a connection: a server that does not accept one in time is unreachable."""
MAX_ANSWER_BYTES = 64 * 2**20
"""Largest answer read (64 MiB): a bigger one is refused, not held in memory and parsed."""
READ_CHUNK_BYTES = 2**16
"""Most bytes read at once; the deadline is checked between reads."""
MAX_PAUSE_S = 60.0
"""Longest pause between two attempts."""
USER_AGENT = "ctz/0.1 (CZT planner: Changsha-Zhuzhou-Xiangtan plan checks)"
"""Sent with every request, as the Nominatim and Overpass usage policies ask."""
MAX_QUERY_AREA_M2 = 1e11
"""Let osmnx ask for a whole road-graph polygon at once (it would split it into 50 km squares)."""
_BUSY = frozenset({429, 504})
T = TypeVar("T")


@dataclass(frozen=True)
class Endpoints:
    """Where and how patiently to ask.

    Attributes
    ----------
    overpass_url, nominatim_url
        Base URLs of the two APIs (Overpass without ``/interpreter``).
    timeout
        Seconds one request may take to answer (also the Overpass server's own
        ``[timeout:]``); connecting gets at most :data:`CONNECT_TIMEOUT_S`.
    retries
        How often a failed request (refused or dropped connection, timeout,
        HTTP 5xx other than 504) is sent again before the command gives up.
    backoff
        Seconds of the first pause before asking again; each further pause
        doubles, up to :data:`MAX_PAUSE_S`.
    max_wait
        Seconds the whole command may spend on OpenStreetMap servers, from its
        first request: every request, pause and retry counts.  A server that
        keeps answering 429 or 504 (busy) is asked again until this runs out.
    nominatim_interval
        Seconds between two Nominatim searches (its usage policy: one a second).
    max_answer_bytes
        Largest answer body read; past it an Overpass download is asked again in
        tiles, and any other request fails.
    """

    overpass_url: str = OVERPASS_URL
    nominatim_url: str = NOMINATIM_URL
    timeout: float = 180
    retries: int = 2
    backoff: float = 2.0
    max_wait: float = 600
    nominatim_interval: float = 1.0
    max_answer_bytes: int = MAX_ANSWER_BYTES

    @property
    def interpreter_url(self) -> str:
        """The Overpass endpoint queries are posted to."""
        return self.overpass_url.rstrip("/") + "/interpreter"

    @property
    def search_url(self) -> str:
        """The Nominatim search endpoint."""
        return self.nominatim_url.rstrip("/") + "/search"


class AnswerTooLargeError(SourceError):
    """An answer larger than :attr:`Endpoints.max_answer_bytes` (asked again in parts)."""


class _RetryableError(Exception):
    """An attempt that failed in a way worth repeating; ``state`` is ``busy``, ``failed`` …."""

    def __init__(self, reason: str, state: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.state = state


class _RefusedError(Exception):
    """The server answered with an HTTP status that asking again will not change."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class HttpClient:
    """Sends requests under one :class:`Deadline`, pausing and retrying as :class:`Endpoints` say.

    Parameters
    ----------
    endpoints
        URLs, timeout and retry policy.
    deadline
        The budget shared by every request of the command.
    say
        Called with a one-line progress message while the client waits
        (e.g. ``ctz: Overpass busy (HTTP 429), retrying in 8 s; 35 of 600 s used``).
    """

    def __init__(self, endpoints: Endpoints, deadline: Deadline, say: Callable[[str], None]):
        self.endpoints = endpoints
        self.deadline = deadline
        self.say = say
        import requests  # imported when a request is to be made: every command imports this module

        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def post(self, service: str, url: str, data: Mapping[str, str]) -> bytes:
        """POST ``data`` to ``url`` and return the body of its HTTP 200 answer.

        Parameters
        ----------
        service
            ``Overpass`` or ``Nominatim``, for messages.
        url
            The endpoint.
        data
            Form fields.

        Raises
        ------
        SourceError
            When the server refuses, keeps failing, or the deadline runs out.
        """
        return self._attempts(
            service, url, lambda timeout: self._send("POST", url, timeout, data=data)
        )

    def get(self, service: str, url: str, params: Mapping[str, str]) -> bytes:
        """GET ``url`` with ``params``; see :meth:`post`."""
        return self._attempts(
            service, url, lambda timeout: self._send("GET", url, timeout, params=params)
        )

    def osmnx(self, request: Callable[[], T]) -> T:
        """Run one osmnx Overpass request under this client's deadline and retry policy.

        osmnx's own waits are off: a 429/504 answer is retried here, within the
        deadline, and osmnx's result cache is off (ctz caches whole results).
        Its answers are read as :func:`read_body` reads them: within the deadline
        and the size limit.
        """
        from osmnx._errors import ResponseStatusCodeError

        def attempt(timeout: tuple[float, float]) -> T:
            with _osmnx_settings(self.endpoints, timeout, self.deadline):
                try:
                    return request()
                except ResponseStatusCodeError as error:
                    raise _RetryableError(type(error).__name__, "failed") from error

        return self._attempts("Overpass", self.endpoints.overpass_url, attempt)

    def _send(self, method: str, url: str, timeout: tuple[float, float], **fields: Any) -> bytes:
        with self.session.request(method, url, timeout=timeout, stream=True, **fields) as response:
            _raise_for_status(response)
            return read_body(response, self.deadline, self.endpoints.max_answer_bytes, url)

    def _attempts(self, service: str, url: str, attempt: Callable[[tuple[float, float]], T]) -> T:
        import requests

        self.deadline.start()
        failures = busy = 0
        reason = "no time left"
        while (remaining := self.deadline.remaining_s) > 0:
            timeout = (min(CONNECT_TIMEOUT_S, remaining), min(self.endpoints.timeout, remaining))
            try:
                return attempt(timeout)
            except _RefusedError as error:
                raise SourceError(f"{service} at {url} refused the request: {error}") from error
            except _RetryableError as error:
                reason, state = error.reason, error.state
            except requests.ConnectionError as error:  # also a connect timeout
                reason, state = type(error).__name__, "unreachable"
            except requests.Timeout as error:
                reason, state = type(error).__name__, "timed out"
            except requests.RequestException as error:
                reason, state = type(error).__name__, "failed"
            if self.deadline.remaining_s <= 0:
                break
            if state == "busy":
                busy += 1
                count = busy
            else:
                failures += 1
                count = failures
                if failures > self.endpoints.retries:
                    raise SourceError(
                        f"{service} at {url} failed after {failures} attempts ({reason})"
                    )
            pause = min(self.endpoints.backoff * 2 ** (count - 1), MAX_PAUSE_S)
            if pause >= self.deadline.remaining_s:
                break
            self.say(
                f"ctz: {service} {state} ({reason}), retrying in {pause:g} s; "
                f"{self.deadline.used_s:.0f} of {self.deadline.seconds:g} s used"
            )
            time.sleep(pause)
        raise SourceError(
            f"{service} at {url} gave no answer within the {self.deadline.seconds:g} s bound "
            f"({reason}); try again later or use a mirror"
        )


def read_body(response: requests.Response, deadline: Deadline, limit: int, url: str) -> bytes:
    """Read a streamed answer within the deadline and at most ``limit`` bytes.

    Each read waits no longer than the time left, so a server that trickles its
    body cannot stretch the bound; reading stops as soon as the body passes the limit.

    Raises
    ------
    AnswerTooLargeError
        When the body is larger than ``limit``.
    requests.Timeout
        When the deadline runs out before the body is complete.
    """
    import requests  # imported when a request is made: every command imports this module
    import urllib3

    chunks: list[bytes] = []
    size = 0
    raw = response.raw
    while True:
        remaining = deadline.remaining_s
        if remaining <= 0:
            raise requests.Timeout("the answer did not arrive in full in time")
        connection = getattr(raw, "connection", None)
        if connection is not None and connection.sock is not None:
            connection.sock.settimeout(remaining)
        try:
            chunk = raw.read1(READ_CHUNK_BYTES, decode_content=True)
        except (TimeoutError, urllib3.exceptions.ReadTimeoutError) as error:
            raise requests.Timeout("the answer did not arrive in full in time") from error
        except urllib3.exceptions.HTTPError as error:
            raise requests.ConnectionError(type(error).__name__) from error
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise AnswerTooLargeError(
                f"the answer from {url} is larger than {limit / 2**20:g} MiB: "
                "narrow the region or use a .osm.pbf extract"
            )
        chunks.append(chunk)


def _raise_for_status(response: requests.Response) -> None:
    """Let HTTP 200 through; 429/504 are busy, other 5xx failures, the rest a refusal."""
    status = response.status_code
    if status == 200:
        return
    if status in _BUSY:
        raise _RetryableError(f"HTTP {status}", "busy")
    if status >= 500:
        raise _RetryableError(f"HTTP {status}", "failed")
    raise _RefusedError(status)


@contextmanager
def _osmnx_settings(
    endpoints: Endpoints, timeout: tuple[float, float], deadline: Deadline
) -> Iterator[None]:
    import osmnx as ox

    def bounded_hook(response: requests.Response, *args: object, **kwargs: object) -> None:
        if response.status_code in _BUSY:
            raise _RetryableError(f"HTTP {response.status_code}", "busy")
        # osmnx asks with stream=True (below): the body is read here, under the bounds
        body = read_body(response, deadline, endpoints.max_answer_bytes, response.url)
        response._content = body

    values = {
        "overpass_url": endpoints.overpass_url,
        "requests_timeout": sum(timeout),
        "requests_kwargs": {"hooks": {"response": bounded_hook}, "stream": True},
        "use_cache": False,
        "log_console": False,
        "max_query_area_size": MAX_QUERY_AREA_M2,
        "overpass_rate_limit": False,
    }
    saved = {name: getattr(ox.settings, name) for name in values}
    for name, value in values.items():
        setattr(ox.settings, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(ox.settings, name, value)

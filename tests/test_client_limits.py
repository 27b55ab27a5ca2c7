"""The live client's bounds hold for the whole answer: a trickling body, an oversized answer."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from ctz.base import SourceError
from ctz.geo.osm.client import Endpoints, HttpClient
from ctz.geo.osm.deadline import Deadline


def read_request(connection: socket.socket) -> None:
    """Read one HTTP request, headers and Content-Length body."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.lower().split(b"\r\n")
            if line.startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        body += connection.recv(65536)


def serve(body_chunks: Iterator[bytes], pause_s: float) -> tuple[str, threading.Event]:
    """Serve one HTTP 200 answer on 127.0.0.1, sending each chunk after ``pause_s``."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def run() -> None:
        connection, _ = listener.accept()
        with connection, listener:
            read_request(connection)  # all of it: closing on unread bytes would reset
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n")
            try:
                for chunk in body_chunks:
                    if stop.wait(pause_s):
                        return
                    connection.sendall(chunk)
            except OSError:
                return

    threading.Thread(target=run, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/api/interpreter", stop


def client(max_wait: float, max_answer_bytes: int = 2**26) -> HttpClient:
    endpoints = Endpoints(
        timeout=30, retries=0, max_wait=max_wait, max_answer_bytes=max_answer_bytes
    )
    return HttpClient(endpoints, Deadline(max_wait), lambda line: None)


def test_a_trickling_body_ends_within_the_bound() -> None:
    url, stop = serve((b" " for _ in range(10_000)), 0.05)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"within the 1\.5 s bound"):
        client(1.5).post("Overpass", url, {"data": "[out:json];"})
    stop.set()
    assert time.monotonic() - started < 3.0


def test_an_answer_past_the_size_cap_is_refused_without_reading_it_all() -> None:
    sent = []

    def chunks() -> Iterator[bytes]:
        for _ in range(1024):
            sent.append(1)
            yield b"x" * 65536  # 64 MiB in all: more than the sockets' buffers hold

    url, stop = serve(chunks(), 0.0)
    with pytest.raises(SourceError, match=r"larger than 1 MiB"):
        client(20, max_answer_bytes=2**20).post("Overpass", url, {"data": "[out:json];"})
    time.sleep(0.2)  # the server stops once the client has hung up
    stop.set()
    assert len(sent) < 1024


def test_a_small_answer_arrives_whole() -> None:
    url, _ = serve(iter([b'{"elements":', b" []}"]), 0.01)
    assert client(5).post("Overpass", url, {"data": "[out:json];"}) == b'{"elements": []}'


def test_osmnx_requests_keep_the_same_bounds() -> None:
    import osmnx as ox
    import requests

    def ask(url: str) -> bytes:
        settings = ox.settings
        kwargs = settings.requests_kwargs
        return requests.post(url, timeout=settings.requests_timeout, **kwargs).content

    url, stop = serve((b" " for _ in range(10_000)), 0.05)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"within the 1\.5 s bound"):
        client(1.5).osmnx(lambda: ask(url))
    stop.set()
    assert time.monotonic() - started < 3.0
    url, _ = serve(iter([b'{"elements": []}']), 0.0)
    assert client(5).osmnx(lambda: ask(url)) == b'{"elements": []}'


def test_a_download_past_the_size_cap_is_asked_again_in_tiles(httpserver, tmp_path) -> None:
    import json

    from geo_osm_support import ITEMS, FakeOverpass, czt_data, osm_source
    from werkzeug import Request, Response

    fake = FakeOverpass(*czt_data()).serve(httpserver)

    def handler(request: Request) -> Response:
        bbox = request.form["data"].split("[bbox:")[1].split("]")[0]
        _, west, _, east = (float(x) for x in bbox.split(","))
        answer = fake.interpreter(request)
        if east - west > 2.0:  # the whole region: padded past the cap
            data = json.loads(answer.get_data())
            return Response(json.dumps(data | {"padding": "x" * 100_000}))
        return answer

    httpserver.clear_all_handlers()
    httpserver.expect_request("/api/interpreter").respond_with_handler(handler)
    roads = ITEMS[:2]
    resolution = osm_source(httpserver, tmp_path, roads, max_answer_bytes=65536).resolve(roads)
    assert sorted(resolution.matched) == ["furong", "g4"]
    assert len(fake.queries) == 5  # the whole box (refused past the cap), then four quarters

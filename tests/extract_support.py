"""A small HTTP server on 127.0.0.1 serving extracts the tests write, with faults on demand."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import osmium
from geo_osm_support import czt_data
from osmium.osm.mutable import Node, Relation, Way

DATA_TIME = "2026-11-30T21:21:02Z"
"""Replication time written into the test extract's header."""

HUNAN_BOX = (108.8, 24.6, 114.3, 30.1)


def write_extract(
    path: Path, replication: str | None = DATA_TIME, stamp: str = "2024-05-06T07:08:09Z"
) -> Path:
    """Write the CZT test data (with a Kunming namesake) as a Geofabrik-like extract.

    The header has Hunan's box and, unless None, ``replication`` as its replication
    time; every element carries ``stamp`` as its edit time. A multipolygon
    crossing the clip edge (one member way far outside) and a way with only one
    node inside are added to test referential completeness.
    """
    nodes, ways = czt_data()
    nodes += [(71, 112.00, 25.30, {}), (72, 112.10, 25.30, {}), (73, 112.10, 25.40, {})]
    nodes += [(81, 112.90, 28.30, {}), (82, 109.50, 29.50, {})]
    ways += [(171, [61, 62, 63, 64, 61], {}), (172, [71, 72, 73, 71], {})]
    ways += [(181, [81, 82], {"highway": "trunk", "name": "长出去的路"})]
    relations = [
        (
            1,
            [("w", 171, "outer"), ("w", 172, "outer")],
            {"type": "multipolygon", "landuse": "forest"},
        )
    ]
    header = osmium.io.Header()
    west, south, east, north = HUNAN_BOX
    header.add_box(
        osmium.osm.Box(osmium.osm.Location(west, south), osmium.osm.Location(east, north))
    )
    if replication is not None:
        header.set("osmosis_replication_timestamp", replication)
    path.unlink(missing_ok=True)
    meta: dict[str, Any] = {"version": 1, "timestamp": stamp, "changeset": 1, "uid": 1, "user": "t"}
    writer = osmium.SimpleWriter(str(path), header=header)
    try:
        for node_id, lon, lat, tags in sorted(nodes):
            writer.add_node(Node(id=node_id, location=(lon, lat), tags=tags, **meta))
        for way_id, refs, tags in sorted(ways):
            writer.add_way(Way(id=way_id, nodes=refs, tags=tags, **meta))
        for rel_id, members, tags in relations:
            writer.add_relation(Relation(id=rel_id, members=members, tags=tags, **meta))
    finally:
        writer.close()
    return path


def md5_line(data: bytes, name: str) -> bytes:
    """Return a ``.md5`` file's content, as Geofabrik writes it."""
    return f"{hashlib.md5(data).hexdigest()}  {name}\n".encode()


@dataclass
class Faults:
    """What the server does wrong.

    Attributes
    ----------
    ignore_range
        Answer every request with the whole file (200), as a server without Range support.
    drop_at
        Close the connection when the body reaches this byte of the file.
    drops
        How many responses are still to be cut at ``drop_at``.
    """

    ignore_range: bool = False
    drop_at: int | None = None
    drops: int = 0


@dataclass
class Served:
    """Files by URL path (bytes, content type, status) and the requests seen."""

    files: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    faults: Faults = field(default_factory=Faults)
    requests: list[tuple[str, str | None]] = field(default_factory=list)

    def put(
        self, path: str, data: bytes, kind: str = "application/octet-stream", status: int = 200
    ) -> None:
        self.files[path] = (status, kind, data)


def _handler(served: Served) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            wanted = self.headers.get("Range")
            served.requests.append((self.path, wanted))
            if self.path not in served.files:
                self._answer(404, "text/plain", b"not found")
                return
            status, kind, data = served.files[self.path]
            if status != 200:
                self._answer(status, "text/plain", b"failure")
                return
            found = re.match(r"bytes=(\d+)-$", wanted or "")
            start = int(found.group(1)) if found and not served.faults.ignore_range else 0
            if start >= len(data) and found:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206 if start else 200)
            self.send_header("Content-Type", kind)
            self.send_header("ETag", '"' + hashlib.md5(data).hexdigest() + '"')
            self.send_header("Accept-Ranges", "none" if served.faults.ignore_range else "bytes")
            self.send_header("Content-Length", str(len(data) - start))
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.end_headers()
            faults = served.faults
            if faults.drops and faults.drop_at is not None and start < faults.drop_at < len(data):
                faults.drops -= 1
                self.wfile.write(data[start : faults.drop_at])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data[start:])

        def _answer(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def extract_server(served: Served) -> Iterator[str]:
    """Serve ``served`` on 127.0.0.1 (a free port); yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(served))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

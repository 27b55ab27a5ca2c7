"""Write a map out: HTML file, PNG picture, or an iframe snippet for another page."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

import folium

from ctz.base import CtzError, InputError
from ctz.files import replacing
from ctz.maps.browser import headless_chromium, open_map, tiles_loaded
from ctz.maps.ids import stabilise_ids
from ctz.maps.popup import escape_text

PNG_SIZE = (1600, 1000)
"""Default ``--png`` size: a 16:10 slide."""
EMBED_SIZE = (960, 600)
"""Default ``--embed`` iframe size."""

_SIZE = re.compile(r"^\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def parse_size(text: str) -> tuple[int, int]:
    """Read ``WIDTHxHEIGHT`` (pixels, each 10-16384).

    Raises
    ------
    InputError
        When the text is not of that form.
    """
    match = _SIZE.match(text)
    width, height = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not (10 <= width <= 16384 and 10 <= height <= 16384):
        raise InputError(f"bad size '{text}': use WIDTHxHEIGHT in pixels, e.g. 1600x1000")
    return width, height


def check_png_name(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` ends in ``.png`` (the one picture format)."""
    if path.suffix.lower() != ".png":
        raise InputError(f"--png {path}: a PNG picture is written to a name ending in .png")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no half-written file is left."""
    with replacing(path) as temp:
        temp.write_bytes(data)


def map_html(m: folium.Map) -> str:
    """Render ``m`` as a standalone HTML page with stable element ids (same map, same text)."""
    root = m.get_root()
    stabilise_ids(root)
    return root.render()


def save_html(m: folium.Map, path: Path) -> int:
    """Render ``m`` to a standalone HTML file and return its size in bytes."""
    write_bytes_atomic(path, map_html(m).encode("utf-8"))
    return path.stat().st_size


@dataclass(frozen=True, slots=True)
class Picture:
    """A photographed map: its size in pixels and how many basemap tiles it shows."""

    width: int
    height: int
    tiles: int


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header.

    Raises
    ------
    CtzError
        When ``data`` is not a PNG.
    """
    if data[:8] != _PNG_SIGNATURE or data[12:16] != b"IHDR":
        raise CtzError("the screenshot is not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def save_png(html: Path, png: Path, size: tuple[int, int] = PNG_SIZE) -> Picture:
    """Photograph a map file in headless Chromium.

    Parameters
    ----------
    html
        The map's HTML file.
    png
        Where to write the picture.
    size
        Width and height in pixels.

    Returns
    -------
    Picture
        Width and height, and the number of basemap tiles that loaded (0 when
        the tile server was unreachable: the picture shows the offline base).

    Raises
    ------
    CtzError
        When Chromium is missing, or Leaflet never drew the map (e.g. its CDN
        was unreachable and the file is not self-contained).
    """
    with headless_chromium(*size) as driver:
        if not open_map(driver, html):
            raise CtzError(
                f"the map in {html} did not finish drawing in Chromium "
                "(Leaflet unreachable? a map that links its CDN needs the network)"
            )
        data = driver.get_screenshot_as_png()
        tiles = tiles_loaded(driver)
    write_bytes_atomic(png, data)
    return Picture(*png_size(data), tiles)


def embed_snippet(src: str, size: tuple[int, int] = EMBED_SIZE, title: str = "") -> str:
    """Return an ``<iframe>`` that shows the map file ``src`` at a fixed size inside another page.

    Parameters
    ----------
    src
        The map's address as the host page will see it (a relative path works).
    size
        Width and height in pixels.
    title
        Accessible title of the frame.
    """
    width, height = size
    return (
        f'<iframe src="{escape_text(src)}" width="{width}" height="{height}" '
        f'title="{escape_text(title)}" style="border:0;max-width:100%" loading="lazy" '
        "allowfullscreen></iframe>"
    )

"""Leaflet's script and stylesheet: inlined by default, or linked from a CDN on request.

The maps use Leaflet alone (circle markers and text labels, no icon fonts or
jQuery). By default a map inlines Leaflet from the ``xstatic-leaflet`` package
(XStatic packaging of the upstream release), with the stylesheet's images as
data URIs, so opening it requests no script or stylesheet from anywhere: it
works offline and behind networks that block public CDNs. Linking the CDN
instead makes the file about 150 kB smaller.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import folium
from branca.element import Element, Figure

from ctz.base import CtzError

LEAFLET_VERSION = "1.9.3"
"""The Leaflet release both the CDN links and the bundled package carry."""
LEAFLET_JS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CSS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"
LEAFLET_PACKAGE = "xstatic.pkg.leaflet"
"""Import name of the PyPI package ``xstatic-leaflet`` that ships Leaflet's files."""

MAP_SCRIPT = "ctz-map.js"
MAP_STYLES = "ctz-map.css"
"""ctz's own map script and stylesheet (in ``ctz/maps/static``): always inlined."""

_CSS_IMAGE = re.compile(r"url\((images/[\w.-]+\.png)\)")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def _leaflet_folder() -> Traversable:
    try:
        return files(LEAFLET_PACKAGE).joinpath("data")
    except ModuleNotFoundError as error:
        raise CtzError(
            "Leaflet is missing: install the xstatic-leaflet package (a ctz dependency)"
        ) from error


@cache
def leaflet_files() -> tuple[str, str]:
    """Return Leaflet's minified script and its stylesheet with images inlined.

    The script's source-map comment is dropped, so that no developer tool asks
    for a file next to the page.

    Raises
    ------
    CtzError
        When the bundled Leaflet package is missing or is another release.
    """
    folder = _leaflet_folder()
    try:
        script = folder.joinpath("leaflet.js").read_text(encoding="utf-8")
        css = folder.joinpath("leaflet.css").read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CtzError("the xstatic-leaflet package has no leaflet.js or leaflet.css") from error
    if f"Leaflet {LEAFLET_VERSION}" not in script[:200]:
        raise CtzError(f"the bundled Leaflet is not release {LEAFLET_VERSION}")

    def data_uri(match: re.Match[str]) -> str:
        png = folder.joinpath(*match.group(1).split("/")).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return _SOURCE_MAP.sub("", script), _CSS_IMAGE.sub(data_uri, css)


def use_leaflet(m: folium.Map, *, inline: bool = True) -> None:
    """Give ``m`` Leaflet alone, inlined or linked from the CDN.

    folium's other default assets (jQuery, Bootstrap, icon fonts) are dropped:
    these maps do not use them.

    Parameters
    ----------
    m
        The map, before it is rendered.
    inline
        Inline the script and stylesheet (the default); False links the CDN.
    """
    if not inline:
        m.default_js = [("leaflet", LEAFLET_JS_URL)]
        m.default_css = [("leaflet_css", LEAFLET_CSS_URL)]
        return
    script, css = leaflet_files()
    # "</script" inside the inline script (only possible in a string) would end it early.
    script = re.sub("</(script)", r"<\/\1", script, flags=re.IGNORECASE)
    m.default_js = []
    m.default_css = []
    root = m.get_root()
    assert isinstance(root, Figure)  # a folium Map's root is always its Figure
    root.header.add_child(
        Element(f"<style>{css}</style>\n<script>{script}</script>"), name="leaflet_inline"
    )


@cache
def ctz_files() -> tuple[str, str]:
    """Return ctz's own map script and stylesheet (:data:`MAP_SCRIPT`, :data:`MAP_STYLES`)."""
    folder = files("ctz.maps").joinpath("static")
    script = folder.joinpath(MAP_SCRIPT).read_text(encoding="utf-8")
    return script, folder.joinpath(MAP_STYLES).read_text(encoding="utf-8")


def use_ctz_assets(m: folium.Map) -> None:
    """Inline ctz's map script and stylesheet into the page of ``m`` (once per page)."""
    script, css = ctz_files()
    root = m.get_root()
    assert isinstance(root, Figure)  # a folium Map's root is always its Figure
    root.header.add_child(
        Element(f"<style>{css}</style>\n<script>{script}</script>"), name="ctz_map"
    )

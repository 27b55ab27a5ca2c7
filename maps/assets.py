"""Leaflet's script and stylesheet: linked from a CDN, or inlined for offline briefings.

The maps use Leaflet alone (circle markers, no icon fonts or jQuery). A
self-contained map inlines Leaflet from the ``django-js-lib-leaflet`` package,
with the stylesheet's images as data URIs, so opening it requests no script or
stylesheet from anywhere.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib.resources import files

import folium
from branca.element import Element, Figure

from ctz.base import CtzError

LEAFLET_VERSION = "1.9.4"
"""The Leaflet release both the CDN links and the bundled package carry."""
LEAFLET_JS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CSS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"
LEAFLET_PACKAGE = "js_lib_leaflet"
"""Import name of the PyPI package ``django-js-lib-leaflet`` that ships Leaflet's files."""

_CSS_IMAGE = re.compile(r"url\((images/[\w.-]+\.png)\)")


@cache
def leaflet_files() -> tuple[str, str]:
    """Return Leaflet's minified script and its stylesheet with images inlined.

    Raises
    ------
    CtzError
        When the bundled Leaflet package is missing or is another release.
    """
    try:
        folder = files(LEAFLET_PACKAGE).joinpath("static", LEAFLET_PACKAGE)
        script = folder.joinpath("leaflet.js").read_text(encoding="utf-8")
        css = folder.joinpath("leaflet.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise CtzError(
            "--self-contained needs Leaflet from the django-js-lib-leaflet package: "
            "pip install django-js-lib-leaflet"
        ) from error
    if f"Leaflet {LEAFLET_VERSION}" not in script[:200]:
        raise CtzError(f"the bundled Leaflet is not release {LEAFLET_VERSION}")

    def data_uri(match: re.Match[str]) -> str:
        png = folder.joinpath(*match.group(1).split("/")).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return script, _CSS_IMAGE.sub(data_uri, css)


def use_leaflet(m: folium.Map, self_contained: bool) -> None:
    """Give ``m`` Leaflet alone, linked from the CDN or inlined.

    folium's other default assets (jQuery, Bootstrap, icon fonts) are dropped:
    these maps do not use them.

    Parameters
    ----------
    m
        The map, before it is rendered.
    self_contained
        Inline the script and stylesheet instead of linking them.
    """
    if not self_contained:
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

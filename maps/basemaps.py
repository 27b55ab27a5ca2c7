"""Background tiles: OpenStreetMap, CartoDB, Tianditu (WGS-84) and Gaode (GCJ-02).

Gaode tiles are drawn in the GCJ-02 datum, so a map on them shifts every vector
to GCJ-02 and offers only GCJ-02 alternatives; the others share WGS-84.
Tianditu and CartoDB need an API key (option or environment variable).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import folium
import xyzservices.providers as xyz

from ctz.base import InputError
from ctz.maps.choices import BASEMAPS
from ctz.maps.display import Datum

KEY_ENV: dict[str, str] = {"tianditu": "TIANDITU_KEY", "carto": "CARTO_KEY"}
"""Environment variable read for each keyed basemap when no key option is given."""
TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
TIANDITU_ATTRIBUTION = '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'
GAODE_URLS: dict[str, str] = {
    "normal": "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}",
    "satellite": "https://webst0{s}.is.autonavi.com/appmaptile?style=6&x={x}&y={y}&z={z}",
}
"""Gaode (Amap) road and satellite tiles over https (xyzservices lists them over http,
which an https page blocks as mixed content)."""
GAODE_ATTRIBUTION = '&copy; <a href="https://www.amap.com/">高德地图 Amap</a>'


@dataclass(frozen=True, slots=True)
class Basemap:
    """The tile layers of a map and the datum its vectors must be drawn in.

    Attributes
    ----------
    datum
        ``wgs84`` or ``gcj02``.
    base
        Base tile layers; the first is shown, the others are hidden choices in the layer control.
    overlays
        Tile overlays such as Tianditu's place-name labels.
    """

    datum: Datum
    base: tuple[folium.TileLayer, ...]
    overlays: tuple[folium.TileLayer, ...] = ()


def api_key(name: str, option: str | None) -> str | None:
    """Return the key for a keyed basemap from its option, else its environment variable."""
    key = (option or os.environ.get(KEY_ENV[name], "")).strip()
    return key or None


def require_key(name: str, option: str | None) -> str:
    """Return the key for a keyed basemap chosen as the main one.

    Raises
    ------
    InputError
        When neither the option nor the environment gives a key.
    """
    key = api_key(name, option)
    if key is None:
        raise InputError(
            f"--basemap {name} needs an API key: pass --{name}-key or set {KEY_ENV[name]}"
        )
    return key


def _osm(*, show: bool) -> folium.TileLayer:
    return folium.TileLayer(xyz.OpenStreetMap.Mapnik, name="OpenStreetMap", show=show)


def _carto(key: str, *, show: bool) -> folium.TileLayer:
    provider = xyz.CartoDB.Positron(apikey=key)
    return folium.TileLayer(provider, name="CartoDB Positron", show=show)


def _tianditu(key: str, layer: str, name: str, *, overlay: bool, show: bool) -> folium.TileLayer:
    return folium.TileLayer(
        TIANDITU_URL.format(layer=layer, key=key, s="{s}"),
        attr=TIANDITU_ATTRIBUTION,
        name=name,
        subdomains="01234567",
        max_zoom=18,
        overlay=overlay,
        show=show,
    )


def _gaode(variant: str, name: str, *, show: bool) -> folium.TileLayer:
    return folium.TileLayer(
        GAODE_URLS[variant],
        attr=GAODE_ATTRIBUTION,
        name=name,
        subdomains="1234",
        max_zoom=18,
        show=show,
    )


def basemap(name: str, lang: str, keys: Mapping[str, str | None] | None = None) -> Basemap:
    """Build the tile layers for a basemap choice.

    Parameters
    ----------
    name
        One of :data:`BASEMAPS`; shown first.
    lang
        ``zh`` or ``en``: Tianditu labels in Chinese or English.
    keys
        Option values for the keyed basemaps (``tianditu``, ``carto``); their
        environment variables are read where a value is None. A keyed basemap
        that is not the main one is offered only when its key is known.

    Returns
    -------
    Basemap

    Raises
    ------
    InputError
        For an unknown name, or a keyed main basemap without a key.
    """
    if name not in BASEMAPS:
        raise InputError(f"unknown basemap '{name}': use {', '.join(BASEMAPS)}")
    if name == "gaode":
        return Basemap(
            "gcj02",
            (
                _gaode("normal", "高德地图 Gaode", show=True),
                _gaode("satellite", "高德影像 Gaode satellite", show=False),
            ),
        )
    options = keys or {}
    known = {n: api_key(n, options.get(n)) for n in KEY_ENV}
    if name in KEY_ENV:
        known[name] = require_key(name, options.get(name))
    base = [_osm(show=name == "osm")]
    overlays = []
    if known["carto"]:
        base.append(_carto(known["carto"], show=name == "carto"))
    if known["tianditu"]:
        token, main = known["tianditu"], name == "tianditu"
        base.append(_tianditu(token, "vec", "天地图 Tianditu", overlay=False, show=main))
        labels = "cva" if lang == "zh" else "eva"
        overlays.append(
            _tianditu(token, labels, "天地图注记 Tianditu labels", overlay=True, show=main)
        )
    base.sort(key=lambda layer: not layer.show)
    return Basemap("wgs84", tuple(base), tuple(overlays))

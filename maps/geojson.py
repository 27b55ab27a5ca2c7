"""A Leaflet GeoJSON layer whose styles, popups and tooltips are decided in Python.

Each feature carries a style key (``s``), its escaped popup HTML (``popup``) and
tooltip HTML (``tip``); the style table is written once per layer, so a large
layer does not repeat its style per feature. Points become circle markers,
which need no icon images or extra scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

FEATURE_COLUMNS: tuple[str, ...] = ("s", "popup", "tip", "geometry")
"""Columns of the frame a :class:`FeatureLayer` draws."""


class FeatureLayer(MacroElement):
    """Draw a frame of styled, annotated features inside a folium FeatureGroup.

    Parameters
    ----------
    frame
        Columns :data:`FEATURE_COLUMNS`, geometry in the basemap's lon/lat datum.
    styles
        Style key to Leaflet path options; every key in ``frame["s"]`` must be present.
    credits
        HTML credit lines shown while the layer is on (OpenStreetMap, GeoNames, …);
        each is its own entry, so layers sharing a source share its credit.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_styles = {{ this.styles|tojson }};
        var {{ this.get_name() }} = L.geoJson({{ this.data|tojson }}, {
            style: function (feature) {
                return {{ this.get_name() }}_styles[feature.properties.s];
            },
            pointToLayer: function (feature, latlng) {
                return L.circleMarker(latlng);
            },
            onEachFeature: function (feature, layer) {
                layer.bindPopup(feature.properties.popup, {maxWidth: 380});
                layer.bindTooltip(feature.properties.tip, {sticky: true});
            }
        }).addTo({{ this._parent.get_name() }});
        {{ this.credits|tojson }}.forEach(function (credit) {
            L.layerGroup([], {attribution: credit}).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}
        """
    )

    def __init__(
        self,
        frame: gpd.GeoDataFrame,
        styles: dict[str, dict[str, Any]],
        credits: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self._name = "FeatureLayer"
        missing = set(frame["s"]) - set(styles)
        if missing:
            raise ValueError(f"no style for {sorted(missing)}")
        self.data = frame[list(FEATURE_COLUMNS)].to_geo_dict(drop_id=True)
        self.styles = styles
        self.credits = list(credits)

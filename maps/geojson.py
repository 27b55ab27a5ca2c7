"""A Leaflet GeoJSON layer whose styles, popups and tooltips are decided in Python.

Each feature carries a style key (``s``), its escaped popup HTML (``popup``),
tooltip HTML (``tip``) and whether it is a sketch (``x``: 1 for schematic); the
style table is written once per layer, so a large layer does not repeat its
style per feature. Points become circle markers, which need no icon images or
extra scripts. Schematic lines and outlines get a wide pale halo underneath,
the map's sign for "the alignment lies somewhere along here".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

FEATURE_COLUMNS: tuple[str, ...] = ("s", "popup", "tip", "x", "geometry")
"""Columns of the frame a :class:`FeatureLayer` draws."""

HALO_EXTRA_PX = 6
"""How much wider than its line a schematic halo is drawn."""
HALO_OPACITY = 0.13
"""Opacity of a schematic halo."""
POPUP_CLEARANCE_PX = (60, 70)
"""Left and top room popups keep from the frame's edge when they pan into view (clear
of the zoom buttons and the title)."""


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
    pane
        Leaflet pane to draw in; None for the default overlay pane.
    interactive
        Bind popups and tooltips; False draws a passive background.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_styles = {{ this.styles|tojson }};
        var {{ this.get_name() }}_data = {{ this.data|tojson }};
        {%- if this.has_halo %}
        L.geoJson({{ this.get_name() }}_data, {
            filter: function (feature) {
                return feature.properties.x === 1 && feature.geometry.type.indexOf("Point") < 0;
            },
            style: function (feature) {
                var own = {{ this.get_name() }}_styles[feature.properties.s];
                return {color: own.color, weight: own.weight + {{ this.halo_extra }},
                        opacity: {{ this.halo_opacity }}, fill: false, lineCap: "round",
                        lineJoin: "round", interactive: false};
            },
            interactive: false
        }).addTo({{ this._parent.get_name() }});
        {%- endif %}
        var {{ this.get_name() }} = L.geoJson({{ this.get_name() }}_data, {
            {%- if this.pane %}
            pane: {{ this.pane|tojson }},
            {%- endif %}
            interactive: {{ this.interactive|tojson }},
            style: function (feature) {
                return {{ this.get_name() }}_styles[feature.properties.s];
            },
            pointToLayer: function (feature, latlng) {
                return L.circleMarker(latlng);
            },
            onEachFeature: function (feature, layer) {
                {%- if this.interactive %}
                layer.bindPopup(feature.properties.popup, {
                    maxWidth: 380, autoPanPaddingTopLeft: {{ this.clearance|tojson }}
                });
                layer.bindTooltip(feature.properties.tip, {sticky: true});
                {%- endif %}
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
        pane: str | None = None,
        *,
        interactive: bool = True,
    ) -> None:
        super().__init__()
        self._name = "FeatureLayer"
        missing = set(frame["s"]) - set(styles)
        if missing:
            raise ValueError(f"no style for {sorted(missing)}")
        self.data = frame[list(FEATURE_COLUMNS)].to_geo_dict(drop_id=True)
        self.styles = styles
        self.credits = list(credits)
        self.pane = pane
        self.interactive = interactive
        self.has_halo = bool((frame["x"] == 1).any())
        self.halo_extra = HALO_EXTRA_PX
        self.halo_opacity = HALO_OPACITY
        self.clearance = list(POPUP_CLEARANCE_PX)

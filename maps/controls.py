"""The map's own elements: panes and opening view, labels and their placement, scale and north.

Each is a branca ``MacroElement`` that calls a function of ``static/ctz-map.js``
(inlined into the page by :func:`ctz.maps.assets.use_ctz_assets`); none loads
anything from the network.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from ctz.maps.labels import LABEL_COLUMNS
from ctz.maps.views import Bounds

BASE_PANE = "ctzBase"
"""Pane of the offline base: z-index 150, under the tiles (200)."""
LABEL_PANE = "ctzLabels"
"""Pane of the labels: z-index 640, over the vectors and markers, under tooltips and popups."""
VIEW_PADDING_PX = 12
"""Padding inside the frame when fitting the opening view."""


class MapSetup(MacroElement):
    """Create the base and label panes and open the map on ``bounds``.

    The bounds are fitted into the part of the frame below the title and left
    of the legend, so nothing of the view is hidden under them.

    Parameters
    ----------
    bounds
        West, south, east, north of the opening view; None keeps the map's view.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        ctzSetup({{ this._parent.get_name() }}, {{ this.corners|tojson }}, {{ this.padding }},
                 {{ this.base_pane|tojson }}, {{ this.label_pane|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: Bounds | None) -> None:
        super().__init__()
        self._name = "MapSetup"
        self.corners = None
        if bounds is not None:
            west, south, east, north = bounds
            self.corners = [[south, west], [north, east]]
        self.base_pane = BASE_PANE
        self.label_pane = LABEL_PANE
        self.padding = VIEW_PADDING_PX


class LabelLayer(MacroElement):
    """Labels of one layer, added to its feature group (so they hide with it).

    Parameters
    ----------
    labels
        A table of :func:`ctz.maps.labels.label_table` (columns :data:`LABEL_COLUMNS`);
        ``html`` is already escaped.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        ctzAddLabels({{ this._parent.get_name() }}, {{ this.rows|tojson }}, {{ this.pane|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, labels: pd.DataFrame) -> None:
        super().__init__()
        self._name = "LabelLayer"
        self.rows: list[list[Any]] = labels[list(LABEL_COLUMNS)].to_numpy().tolist()
        self.pane = LABEL_PANE


class MapControls(MacroElement):
    """Scale bar, north arrow, the title's fading under popups, and label placement.

    Parameters
    ----------
    furniture
        Add the scale bar, north arrow and title fading; False places labels only
        (for a map that is not ctz's own).

    Notes
    -----
    Labels are placed after every zoom, pan or layer switch: in priority order,
    each takes the first candidate position (on its anchor for lines and areas;
    right, left, above or below a point's symbol) inside the frame and clear of
    the labels already placed and of the title, legend and controls; the rest
    are hidden until there is room. The number shown is kept in the map
    container's ``data-ctz-labels-shown`` attribute.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- if this.furniture %}
        ctzScaleAndNorth({{ this._parent.get_name() }});
        ctzTitleFade({{ this._parent.get_name() }});
        {%- endif %}
        ctzPlaceLabels({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, furniture: bool = True) -> None:
        super().__init__()
        self._name = "MapControls"
        self.furniture = furniture

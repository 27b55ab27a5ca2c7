"""Names written on the map: which items get one, its text, where it sits, when it shows.

Labels are drawn by :class:`ctz.maps.controls.LabelPlacer` in the browser: in
priority order, each label takes the first of its candidate positions that is
inside the frame and clear of the labels already placed, the title, the legend
and the controls; a label that fits nowhere, or whose minimum zoom is not
reached, is hidden. So the core is not crowded at the opening view and more
names appear as a reader zooms in.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ctz.catalog.model import Catalog
from ctz.maps.popup import escape
from ctz.maps.style import KIND_STYLES
from ctz.maps.views import Bounds

LABEL_COLUMNS: tuple[str, ...] = (
    "lat",
    "lon",
    "html",
    "priority",
    "min_zoom",
    "point",
    "css",
    "color",
)
"""Columns of a label table, in the order the browser reads them."""

MAX_CHARS = {"zh": 12, "en": 34}
"""Longest label line per language; a longer name goes on two lines, and only a name
too long for two is cut with an ellipsis."""
LONG_CZT = "Changsha–Zhuzhou–Xiangtan"
"""Written ``CZT`` in English labels, as the plans' English summaries do."""


@dataclass(frozen=True, slots=True)
class LabelRule:
    """When a kind of item is named on the map.

    Attributes
    ----------
    priority
        Lower is placed first and wins a collision.
    min_zoom
        The label shows from this Leaflet zoom on (9: the three cities fill a
        screen; 11: one city does).
    """

    priority: int
    min_zoom: float


LABEL_RULES: dict[str, LabelRule] = {
    "core_pair": LabelRule(1, 5),
    "city": LabelRule(0, 5),
    "green_heart": LabelRule(1, 8),
    "expressway": LabelRule(2, 8.5),
    "high_speed_rail": LabelRule(3, 9),
    "intercity_rail": LabelRule(3, 9),
    "airport": LabelRule(4, 9),
    "hub": LabelRule(4, 10),
    "port": LabelRule(4, 10),
    "river": LabelRule(5, 9),
    "waterway": LabelRule(5, 10),
    "trunk_road": LabelRule(5, 10),
    "boundary": LabelRule(6, 10),
    "maglev": LabelRule(6, 11),
    "metro": LabelRule(6, 11),
    "station": LabelRule(6, 11),
    "logistics": LabelRule(7, 11),
    "park": LabelRule(7, 11),
    "lock": LabelRule(7, 12),
    "water_works": LabelRule(7, 12),
    "urban_road": LabelRule(7, 12),
    "county": LabelRule(8, 10),
}
"""Kinds that are named on the map (the base's ``city``, ``county`` and ``river`` included)."""

SCHEMATIC_CLASS = "ctz-label-schematic"
"""CSS class of the names of sketched (schematic) items: set in italics."""
REF_CLASS = "ctz-label-ref"
"""CSS class of an expressway's route number: white on red, like a road sign."""

TEXT_COLORS: dict[str, str] = {
    "city": "#212529",
    "county": "#6c757d",
    "river": "#1864ab",
    "core_pair": "#212529",
}
"""Label colour of the base's names; items are named in a darkened colour of their kind."""


def anchor_points(geometry: gpd.GeoSeries, bounds: Bounds | None) -> gpd.GeoSeries:
    """Return where each geometry's label is pinned.

    A line is named at the middle of its longest piece, a polygon at a point
    inside its largest piece, a point at itself. Only the part inside
    ``bounds`` counts when there is one, so lines crossing the opening view
    are named in it.

    Parameters
    ----------
    geometry
        Display geometry (lon/lat); no empty geometries.
    bounds
        The opening view, or None.

    Returns
    -------
    GeoSeries
        One point per row, same index.
    """
    values = np.asarray(geometry.values, dtype=object)
    if bounds is not None:
        in_view = shapely.clip_by_rect(values, *bounds)
        values = np.where(shapely.is_empty(in_view), values, in_view)
    parts, row = shapely.get_parts(values, return_index=True)
    kind = shapely.get_type_id(parts)
    is_line = np.isin(kind, (1, 2))
    is_area = kind == 3
    size = np.where(is_line, shapely.length(parts), np.where(is_area, shapely.area(parts), 0.0))
    largest = pd.Series(size).groupby(row).idxmax().to_numpy()
    chosen, chosen_kind = parts[largest], kind[largest]
    middle = shapely.line_interpolate_point(
        np.where(np.isin(chosen_kind, (1, 2)), chosen, None), 0.5, normalized=True
    )
    inside = shapely.point_on_surface(np.where(chosen_kind == 3, chosen, None))
    points = np.where(
        np.isin(chosen_kind, (1, 2)), middle, np.where(chosen_kind == 3, inside, chosen)
    )
    return gpd.GeoSeries(points, index=geometry.index[np.unique(row)], crs=geometry.crs)


def two_lines(text: str, limit: int) -> str:
    """Return ``text`` on two lines when longer than ``limit``, cut with "…" only past two.

    Chinese breaks at the middle; English at the space nearest the middle.
    """
    if len(text) <= limit:
        return text
    if len(text) > 2 * limit:
        text = text[: 2 * limit - 1] + "…"
    middle = (len(text) + 1) // 2
    spaces = [i for i, c in enumerate(text) if c == " "]
    if spaces:
        cut = min(spaces, key=lambda i: abs(i - middle))
        if cut <= limit and len(text) - cut - 1 <= limit:
            return text[:cut] + "\n" + text[cut + 1 :]
    return text[:middle] + "\n" + text[middle:]


def short_names(name_zh: pd.Series, name_en: pd.Series, lang: str) -> pd.Series:
    """Return label text from item names, on two lines when longer than :data:`MAX_CHARS`.

    English names lose their bracketed notes and any ``CZT vertical:`` style
    prefix, and :data:`LONG_CZT` is shortened.
    """
    if lang == "zh":
        text = name_zh.fillna("")
    else:
        text = name_en.fillna("").str.replace(r"\s*\([^)]*\)", "", regex=True)
        text = text.str.replace(r"^[^:]{1,24}: ", "", regex=True)
        text = text.str.replace(LONG_CZT, "CZT", regex=False)
    limit = MAX_CHARS[lang]
    return pd.Series([two_lines(t, limit) for t in text], index=text.index, dtype=object)


def _darker(color: str) -> str:
    """Return the colour at 70 % brightness, so light kind colours stay readable as text."""
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) * 0.7
    return "#" + "".join(f"{int(v):02x}" for v in rgb)


def label_table(
    text: pd.Series,
    kinds: pd.Series,
    anchors: gpd.GeoSeries,
    shape: pd.Series,
    classes: pd.Series,
) -> pd.DataFrame:
    """Assemble labels (columns :data:`LABEL_COLUMNS`) for rows whose kind has a rule.

    Parameters
    ----------
    text
        Plain label text per row (escaped here).
    kinds
        Item kind (or ``city``, ``county``, ``river``) per row.
    anchors
        Label point per row in display coordinates (rows without one get no label).
    shape
        ``point``, ``line`` or ``area`` per row: points are labelled beside
        the symbol, lines and areas on it.
    classes
        Extra CSS classes per row (space-separated, may be empty), e.g.
        :data:`SCHEMATIC_CLASS` for a label set in italics.

    Returns
    -------
    DataFrame
        Sorted by priority, then text.
    """
    keep = kinds.isin(list(LABEL_RULES)) & (text.str.len() > 0) & kinds.index.isin(anchors.index)
    rows = kinds.index[keep]
    if not len(rows):
        return pd.DataFrame(columns=list(LABEL_COLUMNS))
    kind = kinds[rows]
    points = anchors[rows]
    colors = {k: TEXT_COLORS.get(k) or _darker(KIND_STYLES[k].color) for k in kind.unique()}
    css = ("ctz-label ctz-label-" + kind.str.replace("_", "-") + " " + classes[rows]).str.strip()
    frame = pd.DataFrame(
        {
            "lat": points.y.round(5),
            "lon": points.x.round(5),
            "html": escape(text[rows]),
            "priority": kind.map({k: r.priority for k, r in LABEL_RULES.items()}),
            "min_zoom": kind.map({k: r.min_zoom for k, r in LABEL_RULES.items()}),
            "point": shape[rows] == "point",
            "css": css,
            "color": kind.map(colors),
        }
    )
    return frame.sort_values(["priority", "html"], kind="stable").reset_index(drop=True)


def item_label_text(
    frame: gpd.GeoDataFrame, catalog: Catalog, lang: str
) -> tuple[pd.Series, pd.Series]:
    """Return the label text of layer rows.

    An expressway is named by its route number (``G4``, ``S21``) where the
    catalog knows one; any other item by its short name in ``lang``.

    Returns
    -------
    text
        Plain text per row.
    is_ref
        True where the text is a route number.
    """
    refs = {
        item_id: item.osm["refs"][0]
        for item_id, item in catalog.items.items()
        if item.kind == "expressway" and item.osm.get("refs")
    }
    names = short_names(frame["name_zh"], frame["name_en"], lang)
    ref = frame["item_id"].map(refs)
    is_ref = ref.notna() & (frame["kind"] == "expressway")
    return ref.where(is_ref, names), is_ref

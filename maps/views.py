"""What a map opens on, and how far its lines are drawn.

Three views (``--view``):

- ``core`` (the default): the three city centres and the green heart between
  them, the subject of the integration plans, at a scale where the cross-city
  roads and rail lines can be told apart and named;
- ``cities``: the three prefectures whole, down to Yanling in the south;
- ``region``: every item drawn at full length, including provincial lines to
  the neighbouring provinces.

In ``core`` and ``cities`` every item is cut, for display only, at a margin
around the three cities: provincial lines no longer run to the edges of the
frame. Popups still give the full length, and exports keep full geometry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import METRIC_CRS, REGION_BOUNDS, STORAGE_CRS, InputError
from ctz.layers.boundaries import city_boundaries
from ctz.maps.choices import VIEWS

Bounds = tuple[float, float, float, float]
"""West, south, east, north in degrees."""

CORE_BOUNDS: Bounds = (112.78, 27.72, 113.26, 28.36)
"""The three city cores (Wuyi Square, Zhuzhou and Xiangtan city halls, ``seeds/cores.yaml``),
the green heart between them, Huanghua airport and the Xianing port area, with about
10 km to spare."""

CLIP_MARGIN_KM = 15.0
"""How far beyond the three cities' outline items are drawn in the ``core`` and ``cities`` views."""


@dataclass(frozen=True, slots=True)
class View:
    """A view choice.

    Attributes
    ----------
    name
        ``core``, ``cities`` or ``region``.
    bounds
        What the map opens on; None to fit everything drawn.
    clip
        Whether items are cut at :data:`CLIP_MARGIN_KM` around the three cities.
    """

    name: str
    bounds: Bounds | None
    clip: bool


VIEW_SPECS: dict[str, View] = {
    "core": View("core", CORE_BOUNDS, clip=True),
    "cities": View("cities", REGION_BOUNDS, clip=True),
    "region": View("region", None, clip=False),
}
"""Each of :data:`ctz.maps.choices.VIEWS` spelled out."""
DEFAULT_VIEW = VIEWS[0]
"""``core``: what a planner puts on a slide (see the README)."""


def get_view(name: str) -> View:
    """Return the named view.

    Raises
    ------
    InputError
        For a name not in :data:`ctz.maps.choices.VIEWS`.
    """
    if name not in VIEW_SPECS:
        raise InputError(f"unknown view '{name}': use {', '.join(VIEWS)}")
    return VIEW_SPECS[name]


@cache
def study_margin() -> BaseGeometry:
    """Return the three cities' outline widened by :data:`CLIP_MARGIN_KM` (EPSG:4326).

    The outline is simplified to 500 m, which is plenty for cutting lines for display.
    """
    cities = city_boundaries().to_crs(METRIC_CRS)
    widened = shapely.union_all(cities.geometry.to_numpy()).buffer(CLIP_MARGIN_KM * 1000)
    simple = shapely.simplify(widened, 500.0)
    return gpd.GeoSeries([simple], crs=METRIC_CRS).to_crs(STORAGE_CRS).iloc[0]


def clip_to_margin(geometry: gpd.GeoSeries) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Cut geometry at the study margin, for display.

    Parameters
    ----------
    geometry
        Full geometry in EPSG:4326.

    Returns
    -------
    clipped
        Same index; the part inside :func:`study_margin` (empty when none is).
    cut
        Boolean per row: True where something was cut away.
    """
    margin = study_margin()
    values = np.asarray(geometry.values, dtype=object)
    shapely.prepare(margin)
    inside = shapely.contains(margin, values)
    clipped = values.copy()
    clipped[~inside] = shapely.intersection(values[~inside], margin)
    return gpd.GeoSeries(clipped, index=geometry.index, crs=geometry.crs), ~inside


def data_bounds(frames: list[gpd.GeoDataFrame]) -> Bounds:
    """Bounds of every geometry in ``frames``; the three cities' box when there is none."""
    boxes = np.array([f.total_bounds for f in frames if len(f)])
    boxes = boxes[np.isfinite(boxes).all(axis=1)] if len(boxes) else boxes
    if not len(boxes):
        return REGION_BOUNDS
    west, south = boxes[:, :2].min(axis=0)
    east, north = boxes[:, 2:].max(axis=0)
    return float(west), float(south), float(east), float(north)

"""How much of the study area and of the catalog a report's data covered, and what to doubt."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import geopandas as gpd
import shapely

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.checks.population import RasterPeople
from ctz.geo.source import GeometrySource, data_date, data_path, serves_osm_data
from ctz.layers.boundaries import study_area

SKETCH_SOURCE = "embedded"
"""Layer ``source`` value of rows drawn from the embedded sketches rather than OSM."""

FULL_COVER = 0.995
"""A source covering at least this share of the study area covers all of it (edge slivers)."""


@dataclass(frozen=True)
class DataCoverage:
    """What a report's figures rest on.

    Attributes
    ----------
    source
        The geometry source (``embedded``, ``osm``, ``pbf``).
    study_area_share
        Share (0–1) of the study area (the three cities) inside the bounds of the
        source's OpenStreetMap data; None when the source holds none (``embedded``).
    items, items_matched
        Catalog items resolved, and how many of them from OpenStreetMap rather than
        a sketch; None when the report resolved no items.
    warnings
        One line each: what a reader should doubt.
    path
        The extract the data was read from (``pbf``), else None.
    data_date
        The day the OpenStreetMap data is of, when known.
    population_share
        Share (0–1) of the study area where the population raster has data; None
        without a raster (census counties spread over places).
    """

    source: str
    study_area_share: float | None
    items: int | None = None
    items_matched: int | None = None
    warnings: tuple[str, ...] = ()
    path: str | None = None
    data_date: date | None = None
    population_share: float | None = None

    @property
    def partial(self) -> bool:
        """True when the source's data leaves part of the study area uncovered."""
        return self.study_area_share is not None and self.study_area_share < FULL_COVER

    def warn(self, *lines: str) -> DataCoverage:
        """Return a copy with more warnings."""
        return replace(self, warnings=(*self.warnings, *lines))

    def with_raster(self, people: RasterPeople | None) -> DataCoverage:
        """Return a copy with the population raster's cover of the study area and its warning."""
        if people is None:
            return self
        warnings = (*self.warnings, *people.warnings())
        return replace(self, population_share=people.cover, warnings=warnings)

    def to_dict(self) -> dict[str, Any]:
        """Return the coverage as JSON-ready data."""
        share = self.study_area_share
        return {
            "source": self.source,
            "path": self.path,
            "data_date": None if self.data_date is None else self.data_date.isoformat(),
            "study_area_share": None if share is None else round(share, 4),
            "items": self.items,
            "items_matched": self.items_matched,
            "warnings": list(self.warnings),
            "population_raster_share": (
                None if self.population_share is None else round(self.population_share, 4)
            ),
        }


def source_coverage(source: GeometrySource, layer: gpd.GeoDataFrame | None = None) -> DataCoverage:
    """Measure what ``source`` covers of the study area and, given a layer, of the catalog.

    Parameters
    ----------
    source
        The geometry source the report used.
    layer
        The resolved items (layer schema), or None when the report resolved none.

    Returns
    -------
    DataCoverage
        With a warning when the data covers only part of the study area, when the
        source holds no OpenStreetMap data, or when items fell back to sketches.
    """
    name = source.name
    path = data_path(source)
    file, day = None if path is None else str(path), data_date(source)
    items = matched = None
    warnings: list[str] = []
    if layer is not None:
        items = len(layer)
        matched = int((layer["source"] != SKETCH_SOURCE).sum())
    if not serves_osm_data(source):
        warnings.append(
            f"source '{name}' holds no OpenStreetMap data: item geometry is schematic "
            "(sketches through the catalog's anchors), not surveyed"
        )
        return DataCoverage(name, None, items, matched, tuple(warnings), file, day)
    area = gpd.GeoSeries([study_area(), source.extent()], crs=STORAGE_CRS).to_crs(METRIC_CRS)
    share = float(shapely.intersection(area.iloc[0], area.iloc[1]).area / area.iloc[0].area)
    if share < FULL_COVER:
        warnings.append(
            f"the {name} data covers {share:.1%} of the study area (the three cities): "
            "figures outside it rest on sketches or are missing"
        )
    if items is not None and matched is not None and matched < items:
        warnings.append(
            f"{items - matched} of {items} catalog items were not found in the {name} "
            "data and are drawn from sketches"
        )
    return DataCoverage(name, share, items, matched, tuple(warnings), file, day)

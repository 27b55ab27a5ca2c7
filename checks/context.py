"""What every goal check reads: catalog, geometry source and, when served, OSM features."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from ctz.catalog.model import Catalog, Goal
from ctz.checks.population import RasterPeople
from ctz.geo.source import FeatureSource, GeometrySource, serves_osm_data


@dataclass
class CheckContext:
    """Shared inputs of the goal checks; item geometry is resolved once and reused.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        The geometry source (``embedded``, ``osm``, ``pbf:PATH``).
    population
        People of a population raster (e.g. WorldPop) over the study area, for
        population shares; None to report areas only.
    """

    catalog: Catalog
    source: GeometrySource
    population: RasterPeople | None = None
    _layer: gpd.GeoDataFrame | None = field(default=None, init=False, repr=False)
    absent: list[str] = field(default_factory=list, init=False)
    """Kinds of feature the source lacks altogether, one line each (for the data coverage)."""

    @property
    def layer(self) -> gpd.GeoDataFrame:
        """Every catalog item resolved by the source, one row each (layer schema), indexed by id."""
        if self._layer is None:
            resolution = self.source.resolve(list(self.catalog.items.values()))
            self._layer = resolution.layer.set_index("item_id", drop=False)
        return self._layer

    @property
    def resolved_layer(self) -> gpd.GeoDataFrame | None:
        """The resolved items when a check has asked for them, else None (nothing is resolved)."""
        return self._layer

    @property
    def features(self) -> FeatureSource | None:
        """The source as a :class:`FeatureSource`, or None when it serves no OSM features."""
        return self.source if serves_osm_data(self.source) else None

    def goal_rows(self, goal: Goal, kinds: frozenset[str] | None = None) -> gpd.GeoDataFrame:
        """Layer rows of the goal's items, in the goal's order, optionally only of some kinds."""
        ids = [i for i in goal.items if i in self.layer.index]
        rows = self.layer.loc[ids]
        return rows if kinds is None else rows[rows["kind"].isin(kinds)]

    def lacks(self, what: str, where: str) -> str:
        """Record that the source holds no ``what`` in ``where``; return it as a reason.

        Zero features of a kind across a whole area is absence of data, not a
        measurement: the goal is ``unknown`` and the data coverage says so.
        """
        reason = (
            f"the {self.source.name} data holds no {what} {where}: missing data, not a measurement"
        )
        self.absent.append(reason)
        return reason

    def no_features_reason(self) -> str:
        """Why OSM features cannot be read from this source."""
        return (
            f"source '{self.source.name}' serves no OpenStreetMap features "
            "(measure from the osm source or a .osm.pbf extract)"
        )

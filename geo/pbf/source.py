"""The ``pbf:PATH`` source: catalog items and OSM features from a local OpenStreetMap extract."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import networkx as nx
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.base import STORAGE_CRS
from ctz.catalog.model import Catalog, Item
from ctz.geo.candidate_index import LOOKUP_TAGS, CandidateIndex, element_keys, item_keys
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.osm.kinds import TagFilter, default_region, item_tags, tags_match, union_tags
from ctz.geo.osm.resolution import resolve_by_matching
from ctz.geo.pbf.graph import read_road_graph
from ctz.geo.pbf.scan import scan
from ctz.geo.source import Resolution


class PbfSource:
    """Geometry from a local ``.osm.pbf`` (or ``.osm``) extract, read in streaming passes.

    Parameters
    ----------
    path
        The extract, e.g. the Hunan ``.osm.pbf``.
    catalog
        The catalog (for sketches: distance test and fallbacks).
    region
        Search region in EPSG:4326; the three cities' box by default.
    progress
        Show tqdm progress on stderr.
    """

    name = "pbf"

    def __init__(
        self,
        path: Path,
        catalog: Catalog,
        region: BaseGeometry | None = None,
        progress: bool = True,
    ) -> None:
        self.path = Path(path)
        self.region = region if region is not None else default_region()
        self.sketcher = EmbeddedSource(catalog)
        self.progress = progress

    def resolve(self, items: Sequence[Item]) -> Resolution:
        """Resolve ``items`` with one pass over the extract; unmatched items are sketched."""
        tag_filter = union_tags([item_tags(item) for item in items])
        wanted = frozenset().union(*(item_keys(item) for item in items))

        def keep(tags: Mapping[str, str]) -> bool:
            return tags_match(tags, tag_filter) and not wanted.isdisjoint(element_keys(tags))

        candidates = []
        if items:
            candidates = scan(
                self.path, tag_filter, keep, and_keys=LOOKUP_TAGS, progress=self.progress
            )
        index = CandidateIndex(candidates)
        return resolve_by_matching(items, index.of, self.sketcher, self.region, self.name)

    def extent(self) -> BaseGeometry:
        """Return the area the source's data covers: its search region (EPSG:4326)."""
        return self.region

    def features(self, tags: TagFilter, polygon: BaseGeometry) -> gpd.GeoDataFrame:
        """Return elements matching ``tags`` (osmnx style) inside ``polygon``, EPSG:4326.

        Columns: ``osm_id``, one per tag key found, ``geometry``.
        """
        accepted = {k: v if isinstance(v, bool) else _as_list(v) for k, v in tags.items()}
        found = scan(self.path, accepted, lambda t: tags_match(t, accepted), progress=self.progress)
        frame = gpd.GeoDataFrame(
            [{"osm_id": c.osm_id, **c.tags} for c in found],
            geometry=[c.geometry for c in found],
            crs=STORAGE_CRS,
        )
        if frame.empty:
            return gpd.GeoDataFrame({"osm_id": []}, geometry=[], crs=STORAGE_CRS)
        inside = shapely.intersects(frame.geometry.to_numpy(), polygon)
        return frame[inside].reset_index(drop=True)

    def road_graph(self, polygon: BaseGeometry) -> nx.MultiDiGraph:
        """Return the drivable road graph inside ``polygon``, simplified as osmnx does."""
        return read_road_graph(self.path, polygon, progress=self.progress)


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)

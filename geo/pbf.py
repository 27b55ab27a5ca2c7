"""The ``pbf:PATH`` source: catalog items and OSM features from a local OpenStreetMap extract."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import networkx as nx
import shapely
from shapely.geometry.base import BaseGeometry

from ctz.catalog.model import Catalog, Item
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.matching import ItemQuery
from ctz.geo.osm_kinds import TagFilter, default_region, item_tags, tags_match, union_tags
from ctz.geo.osm_names import (
    OTHER_NAME_TAGS,
    PRIMARY_NAME_TAGS,
    REF_TAGS,
    normalize,
    split_refs,
    split_values,
    variant_key,
)
from ctz.geo.osm_resolution import resolve_by_matching
from ctz.geo.pbf_graph import read_road_graph
from ctz.geo.pbf_scan import scan
from ctz.geo.source import Resolution
from ctz.layers.schema import STORAGE_CRS

_NAME_TAGS = (*PRIMARY_NAME_TAGS, *OTHER_NAME_TAGS)


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
        queries = [ItemQuery.of(item) for item in items]
        names = frozenset().union(*(q.names | q.keys for q in queries))
        refs = frozenset().union(*(q.refs for q in queries))

        def wanted(tags: Mapping[str, str]) -> bool:
            return tags_match(tags, tag_filter) and _named(tags, names, refs)

        candidates = scan(self.path, tag_filter, wanted, progress=self.progress) if items else []
        return resolve_by_matching(
            items, lambda _: candidates, self.sketcher, self.region, self.name
        )

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


def _named(tags: Mapping[str, str], names: frozenset[str], refs: frozenset[str]) -> bool:
    if refs and any(refs.intersection(split_refs(tags.get(t, ""))) for t in REF_TAGS):
        return True
    values = [v for t in _NAME_TAGS for v in split_values(tags.get(t, ""))]
    return any(normalize(v) in names or variant_key(v) in names for v in values)


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)

"""The ``osm`` source: live OpenStreetMap through osmnx (Overpass, Nominatim), cached on disk."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import networkx as nx
import osmnx as ox
from shapely.geometry.base import BaseGeometry
from tqdm import tqdm

from ctz.base import STORAGE_CRS
from ctz.catalog.model import LINE_KINDS, Catalog, Item
from ctz.files import replacing
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.matching import Candidate, ItemQuery, name_score
from ctz.geo.osm.cache import CandidateCache
from ctz.geo.osm.client import Endpoints, nominatim_place, overpass_features
from ctz.geo.osm.kinds import TagFilter, default_region, item_tags
from ctz.geo.osm.names import name_forms
from ctz.geo.osm.resolution import resolve_by_matching
from ctz.geo.source import Resolution

NAME_KEYS: tuple[str, ...] = ("name", "name:zh", "alt_name", "old_name")
"""Tags Overpass is asked to match against an item's name forms."""


class OsmSource:
    """Geometry from live OpenStreetMap, every answer cached under ``cache_dir``.

    Each item costs one Overpass query for its names (both scripts, suffix and
    segment forms); items with route numbers add one query for their road class
    in the region (shared between items); point and area items that Overpass
    does not know are looked up with Nominatim.  A re-run reads the cache.

    Parameters
    ----------
    catalog
        The catalog (sketches for the distance test and fallbacks).
    cache_dir
        Folder of cached answers.
    endpoints
        Overpass/Nominatim URLs, timeout and retry policy.
    region
        Search region (EPSG:4326); the three cities' box by default.
    progress
        Show a tqdm bar on stderr.
    """

    name = "osm"

    def __init__(
        self,
        catalog: Catalog,
        cache_dir: Path,
        endpoints: Endpoints | None = None,
        region: BaseGeometry | None = None,
        progress: bool = True,
    ) -> None:
        self.sketcher = EmbeddedSource(catalog)
        self.cache = CandidateCache(Path(cache_dir))
        self.graph_dir = Path(cache_dir) / "graphs"
        self.endpoints = endpoints or Endpoints()
        self.region = region if region is not None else default_region()
        self._quiet = None if progress else True  # tqdm: None = only on a terminal

    def resolve(self, items: Sequence[Item]) -> Resolution:
        """Resolve ``items`` against OpenStreetMap; unmatched items are sketched."""
        found: dict[str, list[Candidate]] = {}
        bar = tqdm(items, desc="OpenStreetMap", unit=" items", leave=False, disable=self._quiet)
        with bar:
            for item in bar:
                found[item.id] = self._candidates(item)
        return resolve_by_matching(
            items, lambda item: found[item.id], self.sketcher, self.region, self.name
        )

    def extent(self) -> BaseGeometry:
        """Return the area the source's data covers: its search region (EPSG:4326)."""
        return self.region

    def features(self, tags: TagFilter, polygon: BaseGeometry) -> gpd.GeoDataFrame:
        """Return elements matching ``tags`` inside ``polygon`` (EPSG:4326), cached.

        Columns: ``osm_id``, one per tag key found, ``geometry``.
        """
        found = self._overpass(dict(tags), polygon)
        return gpd.GeoDataFrame(
            {"osm_id": [c.osm_id for c in found]} | _tag_columns(found),
            geometry=[c.geometry for c in found],
            crs=STORAGE_CRS,
        )

    def road_graph(self, polygon: BaseGeometry) -> nx.MultiDiGraph:
        """Return osmnx's drive graph inside ``polygon``, cached as GraphML."""
        path = self.graph_dir / f"{hashlib.sha256(polygon.wkb).hexdigest()[:32]}.graphml"
        if path.is_file():
            return ox.load_graphml(path)
        graph = self.endpoints.call(
            f"Overpass road graph at {self.endpoints.overpass_url}",
            lambda: ox.graph_from_polygon(polygon, network_type="drive"),
        )
        with replacing(path) as temp:
            ox.save_graphml(graph, temp)
        return graph

    def _candidates(self, item: Item) -> list[Candidate]:
        forms = name_forms([*item.names, *item.osm.get("names", [])])
        by_name: dict[str, bool | Sequence[str]] = {key: forms for key in NAME_KEYS}
        refs = [str(r) for r in item.osm.get("refs", [])]
        if refs:
            by_name["ref"] = refs
        found = self._overpass(by_name, self.region)
        if refs:
            found = _unique(found + self._overpass(item_tags(item), self.region))
        query = ItemQuery.of(item)
        if item.kind in LINE_KINDS or any(name_score(query, c.tags) > 0 for c in found):
            return found
        return found + self._nominatim(item.name_zh)

    def _overpass(self, tags: TagFilter, polygon: BaseGeometry) -> list[Candidate]:
        key = ("overpass", tags, polygon.wkt)
        cached = self.cache.load(*key)
        if cached is None:
            cached = overpass_features(self.endpoints, tags, polygon)
            self.cache.save(cached, *key)
        return cached

    def _nominatim(self, name: str) -> list[Candidate]:
        key = ("nominatim", name, self.region.wkt)
        cached = self.cache.load(*key)
        if cached is None:
            cached = nominatim_place(self.endpoints, name, self.region)
            self.cache.save(cached, *key)
        return cached


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    return list({c.osm_id: c for c in candidates}.values())


def _tag_columns(found: list[Candidate]) -> dict[str, list[str | None]]:
    keys = sorted({k for c in found for k in c.tags})
    return {k: [c.tags.get(k) for c in found] for k in keys}

"""The ``osm`` source: live OpenStreetMap, downloaded by region and theme, matched locally."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from ctz.base import STORAGE_CRS, SourceError
from ctz.catalog.model import LINE_KINDS, Catalog, Item
from ctz.geo.cache.keys import code_digest, geometry_digest
from ctz.geo.cache.networks import load_network, network_path, save_network
from ctz.geo.candidate_index import CandidateIndex
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.item_tags import (
    KIND_TAGS,
    KindsSeen,
    TagFilter,
    default_region,
    item_tags,
    tags_match_any_stage,
    union_tags,
)
from ctz.geo.matching import Candidate
from ctz.geo.network.from_osmnx import network_from_osmnx
from ctz.geo.network.model import RoadNetwork
from ctz.geo.osm.cache import AnswerCache
from ctz.geo.osm.client import Endpoints, HttpClient
from ctz.geo.osm.deadline import Deadline
from ctz.geo.osm.downloads import Downloads
from ctz.geo.osm.queries import Theme, region_query, theme_of
from ctz.geo.resolve import resolve_by_matching
from ctz.geo.source import Resolution


class OsmSource:
    """Geometry and features from live OpenStreetMap, every answer validated and cached.

    Items are resolved from region downloads: the region's bounding box is
    downloaded once per theme of item kinds (:data:`~ctz.geo.osm.queries.THEMES`:
    roads, railways, stations, waterways and ports, parks and land use), each
    download holding every element of the theme's tags that has a name or ref,
    and items are matched locally with the matcher the ``pbf`` source uses.  The
    whole catalog costs five Overpass queries.  Point and area items that no
    download holds are looked up with Nominatim (bounded to the region's box).
    All requests of one source share one wall-clock bound (``Endpoints.max_wait``).

    Parameters
    ----------
    catalog
        The catalog (sketches for the distance test and fallbacks; its items'
        tag hints widen the theme downloads).
    cache_dir
        Folder of cached answers.
    endpoints
        Overpass/Nominatim URLs, timeout, retry policy and the bound.
    region
        Search region (EPSG:4326); the three cities' box by default.
    progress
        Print one-line progress messages on stderr (downloads, waits on a busy server).
    refresh
        Fetch every answer again instead of reading the cache, and overwrite it.
    """

    name = "osm"

    def __init__(
        self,
        catalog: Catalog,
        cache_dir: Path,
        endpoints: Endpoints | None = None,
        region: BaseGeometry | None = None,
        *,
        progress: bool = True,
        refresh: bool = False,
    ) -> None:
        self.catalog = catalog
        self.sketcher = EmbeddedSource(catalog)
        self.graph_dir = Path(cache_dir) / "graphs"
        self.refresh = refresh
        self.endpoints = endpoints or Endpoints()
        self.region = region if region is not None else default_region()
        say = _to_stderr if progress else _silent
        self.client = HttpClient(self.endpoints, Deadline(self.endpoints.max_wait), say)
        self.downloads = Downloads(self.client, AnswerCache(Path(cache_dir), refresh=refresh), say)
        self._indexes: dict[str, CandidateIndex] = {}

    def resolve(self, items: Sequence[Item]) -> Resolution:
        """Resolve ``items`` from the region downloads; unmatched items are sketched."""
        for item in items:
            self._index(theme_of(item.kind))

        def candidates_of(item: Item) -> list[Candidate]:
            found = self._index(theme_of(item.kind)).of(item)
            tag_filter = item_tags(item)
            if item.kind in LINE_KINDS or any(
                tags_match_any_stage(c.tags, tag_filter) for c in found
            ):
                return found
            return found + self.downloads.nominatim(item.name_zh, self.region)

        found = resolve_by_matching(items, candidates_of, self.sketcher, self.region, self.name)
        seen = KindsSeen({item.kind for item in items})
        for index in self._indexes.values():
            for candidate in index.candidates:
                seen.note(candidate.tags)
        found.kinds_present = sorted(seen.seen)
        return found

    def features(self, tags: TagFilter, polygon: BaseGeometry) -> gpd.GeoDataFrame:
        """Return elements matching ``tags`` inside ``polygon`` (EPSG:4326).

        One download per tag filter and bounding box, cached whole.  Columns:
        ``osm_id``, one per tag key found, ``geometry``.
        """
        query = region_query(tags, polygon.bounds, named=False)
        found = self.downloads.overpass(query, f"{'/'.join(sorted(tags))} features")
        inside = shapely.intersects([c.geometry for c in found], polygon)
        found = [c for c, keep in zip(found, inside, strict=True) if keep]
        return gpd.GeoDataFrame(
            {"osm_id": [c.osm_id for c in found]} | _tag_columns(found),
            geometry=[c.geometry for c in found],
            crs=STORAGE_CRS,
        )

    def extent(self) -> Polygon:
        """Return the area the source's OSM data covers: the box its downloads ask for."""
        return box(*self.region.bounds)

    def road_network(self, polygon: BaseGeometry) -> RoadNetwork:
        """Return osmnx's drive network inside ``polygon``, downloaded once and cached.

        Cached per Overpass endpoint, area and converting code; the stored record
        notes when it was downloaded (``ctz cache list``). ``refresh`` downloads it again.

        Raises
        ------
        SourceError
            When Overpass cannot be reached or the area holds no drivable road.
        """
        key = {
            "kind": "network",
            "overpass": self.endpoints.overpass_url,
            "area": geometry_digest(polygon),
            "code": code_digest("ctz.geo.network.from_osmnx", "ctz.geo.network.tags"),
        }
        path = network_path(self.graph_dir, key)
        network = None if self.refresh else load_network(path, key)
        if network is not None:
            return network
        import osmnx as ox

        graph = self.client.osmnx(lambda: ox.graph_from_polygon(polygon, network_type="drive"))
        network = network_from_osmnx(graph)
        if network.n_edges == 0:
            raise SourceError(
                f"Overpass at {self.endpoints.overpass_url} has no drivable road in the area"
            )
        save_network(network, path, key, {"source": f"osm:{self.endpoints.overpass_url}"})
        return network

    def _index(self, theme: Theme) -> CandidateIndex:
        """Return the candidates of ``theme``'s region download, downloading it once."""
        if theme.name not in self._indexes:
            query = region_query(self._theme_tags(theme), self.region.bounds, named=True)
            self._indexes[theme.name] = CandidateIndex(self.downloads.overpass(query, theme.name))
        return self._indexes[theme.name]

    def _theme_tags(self, theme: Theme) -> TagFilter:
        """Return the tags of a theme's kinds, widened by the tag hints of the catalog's items."""
        hinted = [item_tags(i) for i in self.catalog.items.values() if i.kind in theme.kinds]
        return union_tags([KIND_TAGS[kind] for kind in theme.kinds] + hinted)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _silent(message: str) -> None:
    """Drop a progress message."""


def _tag_columns(found: list[Candidate]) -> dict[str, list[str | None]]:
    keys = sorted({k for c in found for k in c.tags})
    return {k: [c.tags.get(k) for c in found] for k in keys}

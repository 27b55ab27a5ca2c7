"""The ``pbf:PATH`` source: catalog items, OSM features and the road network of a local extract.

The road network and the resolved catalog are cached in the cache folder,
keyed by the extract's content (SHA-256), the area or items asked for and the
code that derives them, so the next command on the same extract reads them
back instead of passing over the file again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import osmium
import shapely
from shapely.geometry import box

from ctz.base import STORAGE_CRS, SourceError
from ctz.files import default_cache_dir
from ctz.geo.cache.keys import code_digest, file_digest, geometry_digest, key_digest
from ctz.geo.cache.networks import load_network, network_path, save_network
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.item_tags import (
    KindsSeen,
    TagFilter,
    default_region,
    item_tags,
    tags_match,
    tags_match_any_stage,
    union_tags,
)
from ctz.geo.network.tags import DRIVE_HIGHWAYS
from ctz.geo.pbf.check import check_extract
from ctz.geo.pbf.dates import day_of, replication_time
from ctz.geo.pbf.extent import stored_extent
from ctz.geo.pbf.roads import COORDINATE_SCALE, UNDEFINED_COORDINATE, read_ways
from ctz.geo.pbf.scan import scan, stream_elements

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

    from ctz.catalog.model import Catalog, Item
    from ctz.geo.network.model import RoadNetwork
    from ctz.geo.source import Resolution

NETWORK_CODE: tuple[str, ...] = ("ctz.geo.network.build", "ctz.geo.pbf.roads")
"""Where a cached network is derived: its key covers these modules and all they import."""

RESOLUTION_CODE: tuple[str, ...] = (__name__,)
"""Where a cached resolution is derived: this module and all it imports (the matcher,
the candidate index, the sketches, the pass over the file)."""


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
    cache_dir
        Where built networks and resolutions are kept
        (:func:`ctz.files.default_cache_dir` by default).
    classes
        ``highway`` values of the road network (drivable roads by default).
    refresh
        Build networks and resolve items again instead of reading the cache
        (and overwrite what it holds).

    Raises
    ------
    SourceError
        When ``path`` is missing, empty, cut short or not an OSM file
        (:func:`~ctz.geo.pbf.check.check_extract`).
    """

    name = "pbf"

    def __init__(
        self,
        path: Path,
        catalog: Catalog,
        region: BaseGeometry | None = None,
        *,
        progress: bool = True,
        cache_dir: Path | None = None,
        classes: Sequence[str] = DRIVE_HIGHWAYS,
        refresh: bool = False,
    ) -> None:
        self.path = Path(path)
        check_extract(self.path)
        self._extent = _header_box(self.path)
        self.catalog = catalog
        self.region = region if region is not None else default_region()
        self.sketcher = EmbeddedSource(catalog)
        self.progress = progress
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.classes = tuple(classes)
        self.refresh = refresh

    @cached_property
    def content_digest(self) -> str:
        """SHA-256 of the extract's content: the part of every cache key naming the data."""
        return file_digest(self.path)

    @cached_property
    def data_date(self) -> date | None:
        """The day (UTC) the extract's data is of, from its header's replication time.

        None when the header has none (``ctz data get`` writes it into every extract
        it clips, from the download's header or its newest edit).
        """
        return day_of(replication_time(self.path))

    def resolve(self, items: Sequence[Item]) -> Resolution:
        """Resolve ``items`` with one pass over the extract (or from the cache).

        Unmatched items are sketched. The result is cached per extract content,
        region, items (with their anchors) and matching code.
        """
        from ctz.geo.cache.resolutions import load_resolution, resolution_path, save_resolution

        key = {
            "kind": "resolution",
            "extract": self.content_digest,
            "region": geometry_digest(self.region),
            "items": self._items_digest(items),
            "code": code_digest(*RESOLUTION_CODE),
        }
        path = resolution_path(self.cache_dir / "resolutions", key)
        found = None if self.refresh else load_resolution(path, key)
        if found is None:
            found = self._resolve(items)
            about = {"source": f"pbf:{self.path}", "items": len(items)}
            save_resolution(found, path, key, about)
        return found

    def _resolve(self, items: Sequence[Item]) -> Resolution:
        from ctz.geo.candidate_index import LOOKUP_TAGS, CandidateIndex, element_keys, item_keys
        from ctz.geo.resolve import resolve_by_matching

        tag_filter = union_tags([item_tags(item) for item in items])
        wanted = frozenset().union(*(item_keys(item) for item in items))

        seen = KindsSeen({item.kind for item in items})

        def keep(tags: Mapping[str, str]) -> bool:
            seen.note(tags)
            return tags_match_any_stage(tags, tag_filter) and not wanted.isdisjoint(
                element_keys(tags)
            )

        candidates = []
        if items:
            candidates = scan(
                self.path, tag_filter, keep, and_keys=LOOKUP_TAGS, progress=self.progress
            )
        index = CandidateIndex(candidates)
        found = resolve_by_matching(items, index.of, self.sketcher, self.region, self.name)
        found.kinds_present = sorted(seen.seen)
        return found

    def features(self, tags: TagFilter, polygon: BaseGeometry) -> gpd.GeoDataFrame:
        """Return elements matching ``tags`` (osmnx style) inside ``polygon``, EPSG:4326.

        Columns: ``osm_id``, one per tag key found, ``geometry``.
        """
        import geopandas as gpd

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

    def road_network(self, polygon: BaseGeometry) -> RoadNetwork:
        """Return the drivable road network inside ``polygon`` (EPSG:4326), built once.

        The first call passes over the extract (:func:`~ctz.geo.pbf.roads.read_ways`,
        :func:`~ctz.geo.network.build.road_network_from_ways`) and caches the network;
        later calls on the same extract content, area and classes read it back.

        Raises
        ------
        SourceError
            When the extract cannot be read or has no drivable road inside ``polygon``.
        """
        network = self.cached_network(polygon)
        if network is not None:
            return network
        from ctz.geo.network.build import road_network_from_ways

        key = self._network_key(polygon)
        path = network_path(self.cache_dir / "networks", key)
        ways_read = read_ways(self.path, self.classes, progress=self.progress)
        network = road_network_from_ways(ways_read, polygon)
        if network.n_edges == 0:
            raise SourceError(f"OSM file {self.path} has no drivable road inside the area")
        west, south, east, north = polygon.bounds
        about = {
            "source": f"pbf:{self.path}",
            "area": f"{west:.3f},{south:.3f},{east:.3f},{north:.3f}",
        }
        save_network(network, path, key, about)
        return network

    def cached_network(self, polygon: BaseGeometry) -> RoadNetwork | None:
        """Return the cached road network inside ``polygon``; None when there is none to read.

        None also with ``refresh``, and for a damaged entry (dropped with a warning).
        """
        if self.refresh:
            return None
        key = self._network_key(polygon)
        return load_network(network_path(self.cache_dir / "networks", key), key)

    def road_network_identity(self, polygon: BaseGeometry) -> str:
        """Return the digest naming the road network inside ``polygon`` without reading it.

        The key of its cache entry: the extract's content, the area, the classes and
        the building code fix the network, so equal digests mean equal networks.
        """
        return key_digest(self._network_key(polygon))

    def network_file(self, polygon: BaseGeometry) -> Path:
        """Return the cache file that holds (or will hold) the road network inside ``polygon``."""
        return network_path(self.cache_dir / "networks", self._network_key(polygon))

    def _network_key(self, polygon: BaseGeometry) -> dict[str, object]:
        return {
            "kind": "network",
            "extract": self.content_digest,
            "area": geometry_digest(polygon),
            "classes": list(self.classes),
            "code": code_digest(*NETWORK_CODE),
        }

    def extent(self) -> BaseGeometry:
        """Return the area the extract covers: its header's box, else its nodes' bounds.

        Without a header box every node is read once per extract content (kept in
        the cache folder, :func:`~ctz.geo.pbf.extent.stored_extent`).

        Raises
        ------
        SourceError
            When the extract cannot be read or holds no node.
        """
        if self._extent is None:
            self._extent = stored_extent(
                self.path,
                self.content_digest,
                self.cache_dir,
                lambda: _node_bounds(self.path, progress=self.progress),
            )
        return self._extent

    def _items_digest(self, items: Sequence[Item]) -> str:
        """SHA-256 of the items and the anchors their sketches use."""
        anchors = [self.catalog.anchors.get(a) for item in items for a in item.anchor_ids]
        return hashlib.sha256(repr((list(items), anchors)).encode()).hexdigest()


def _header_box(path: Path) -> BaseGeometry | None:
    """Return the bounding box in the file's header, None when it has none.

    Raises
    ------
    SourceError
        When the file does not start like an OSM file.
    """
    try:
        found = osmium.io.Reader(str(path), osmium.osm.NOTHING).header().box()
    except RuntimeError as error:
        raise SourceError(f"cannot read OSM file {path}: {error}") from error
    if not found.valid():
        return None
    corner, far = found.bottom_left, found.top_right
    return box(corner.lon, corner.lat, far.lon, far.lat)


def _node_bounds(path: Path, *, progress: bool) -> BaseGeometry:
    """Return the bounds of every node of the extract (one pass).

    Raises
    ------
    SourceError
        When the file cannot be read or holds no node with a location.
    """
    processor = osmium.FileProcessor(str(path), osmium.osm.NODE)
    low = np.full(2, np.iinfo(np.int64).max)
    high = np.full(2, np.iinfo(np.int64).min)
    chunk: list[tuple[int, int]] = []
    for node in stream_elements(path, processor, "nodes in", progress=progress):
        location = node.location
        chunk.append((location.x, location.y))
        if len(chunk) >= 1 << 20:
            low, high = _widen(low, high, chunk)
            chunk = []
    low, high = _widen(low, high, chunk)
    if low[0] > high[0]:
        raise SourceError(f"OSM file {path} holds no node")
    return box(*(low * COORDINATE_SCALE), *(high * COORDINATE_SCALE))


def _widen(
    low: np.ndarray, high: np.ndarray, points: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    if not points:
        return low, high
    block = np.array(points, dtype=np.int64)
    block = block[(block != UNDEFINED_COORDINATE).all(axis=1)]
    if not len(block):
        return low, high
    return np.minimum(low, block.min(axis=0)), np.maximum(high, block.max(axis=0))


def _as_list(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)

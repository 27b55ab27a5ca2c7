"""The drivable road network as arrays: nodes, directed edges and the road pieces they follow."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import numpy as np
import scipy.sparse as sp
import shapely

from ctz.base import STORAGE_CRS
from ctz.files import replacing
from ctz.geo.network.adjacency import lightest_adjacency

if TYPE_CHECKING:
    import geopandas as gpd


class NetworkSummary(TypedDict):
    """Counts and kilometres of a road network (see :meth:`RoadNetwork.summary`)."""

    nodes: int
    edges: int
    roads: int
    one_way_roads: int
    road_km: float
    road_km_by_class: dict[str, float]


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """A directed road network between intersections, every attribute an array.

    Nodes are the intersections and dead ends of the drivable roads (chains of
    degree-2 nodes are contracted into one edge), numbered so that linked nodes
    sit close together (reverse Cuthill–McKee, see :func:`locality_order`).
    Each edge follows one *piece*: the polyline of a contracted chain. A two-way
    road is one piece and two edges, a one-way road one piece and one edge.

    Attributes
    ----------
    lon, lat
        Node coordinates, degrees (EPSG:4326), shape ``(n_nodes,)``.
    osm_node
        OpenStreetMap id of each node.
    tail, head
        Node indices of each directed edge (int32).
    length_m
        Great-circle length of each edge along its piece, metres.
    road_class
        Index into :attr:`classes` of each edge's ``highway`` value (int8).
    maxspeed_kmh
        The lowest speed its ``maxspeed`` tag names, NaN when untagged or unreadable.
    way
        OpenStreetMap id of the edge's (first) way.
    name, ref
        Index into :attr:`texts` of the way's ``name`` / ``ref``; -1 when untagged.
    lanes
        Number of lanes from the ``lanes`` tag, NaN when untagged.
    piece
        The piece each edge follows (int32).
    reverse
        True where the edge runs against its piece's vertex order.
    piece_start
        Offsets of each piece's vertices in :attr:`vertex_lon` / :attr:`vertex_lat`,
        shape ``(n_pieces + 1,)``.
    vertex_lon, vertex_lat
        Vertices of all pieces, concatenated (degrees).
    classes
        ``highway`` values, in code order.
    texts
        Names and route numbers, in code order.
    """

    lon: np.ndarray
    lat: np.ndarray
    osm_node: np.ndarray
    tail: np.ndarray
    head: np.ndarray
    length_m: np.ndarray
    road_class: np.ndarray
    maxspeed_kmh: np.ndarray
    way: np.ndarray
    name: np.ndarray
    ref: np.ndarray
    lanes: np.ndarray
    piece: np.ndarray
    reverse: np.ndarray
    piece_start: np.ndarray
    vertex_lon: np.ndarray
    vertex_lat: np.ndarray
    classes: tuple[str, ...]
    texts: tuple[str, ...]

    @classmethod
    def empty(cls, classes: tuple[str, ...] = (), texts: tuple[str, ...] = ()) -> RoadNetwork:
        """Return a network without nodes or edges (with the given class and text tables)."""
        integer, real = np.zeros(0, dtype=np.int32), np.zeros(0)
        return cls(
            lon=real,
            lat=real,
            osm_node=integer.astype(np.int64),
            tail=integer,
            head=integer,
            length_m=real,
            road_class=integer.astype(np.int8),
            maxspeed_kmh=real,
            way=integer.astype(np.int64),
            name=integer,
            ref=integer,
            lanes=real,
            piece=integer,
            reverse=integer.astype(bool),
            piece_start=np.zeros(1, dtype=np.int64),
            vertex_lon=real,
            vertex_lat=real,
            classes=classes,
            texts=texts,
        )

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.lon)

    @property
    def n_edges(self) -> int:
        """Number of directed edges."""
        return len(self.tail)

    @property
    def n_pieces(self) -> int:
        """Number of road pieces (a two-way road counts once)."""
        return len(self.piece_start) - 1

    def summary(self) -> NetworkSummary:
        """Return counts and kilometres of road by class (a two-way road counts once)."""
        import pandas as pd  # tables are for summaries and exports, not for loading a network

        pieces, first = np.unique(self.piece, return_index=True)
        km = pd.Series(self.length_m[first] / 1000.0).groupby(self.edge_class()[first]).sum()
        one_way = int((np.bincount(self.piece, minlength=self.n_pieces)[pieces] == 1).sum())
        return {
            "nodes": self.n_nodes,
            "edges": self.n_edges,
            "roads": len(pieces),
            "one_way_roads": one_way,
            "road_km": round(float(km.sum()), 1),
            "road_km_by_class": {str(c): round(float(v), 1) for c, v in km.items()},
        }

    def arrays(self) -> dict[str, np.ndarray]:
        """Every array attribute by name (for storage)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _TABLE_FIELDS}

    def edge_class(self) -> np.ndarray:
        """Return the ``highway`` value of each edge, as strings."""
        return np.asarray(self.classes, dtype=object)[self.road_class]

    def edge_text(self, codes: np.ndarray) -> np.ndarray:
        """Decode :attr:`name` or :attr:`ref` codes into strings (None where untagged)."""
        table = np.asarray([*self.texts, None], dtype=object)
        return table[np.where(codes < 0, len(self.texts), codes)]

    def csr(self, weights: np.ndarray | None = None) -> sp.csr_matrix:
        """Return the network as a sparse adjacency matrix, the lightest of parallel edges kept.

        Parameters
        ----------
        weights
            One non-negative weight per edge (e.g. minutes); :attr:`length_m` by default.

        Returns
        -------
        scipy.sparse.csr_matrix
            ``n_nodes`` square; entry ``(tail, head)`` holds the edge weight.
            Zero weights are stored explicitly (``scipy.sparse.csgraph`` reads
            stored zeros as free edges).
        """
        weights = self.length_m if weights is None else np.asarray(weights, dtype=float)
        return lightest_adjacency(self.n_nodes, self.tail, self.head, weights)

    def piece_lines(self) -> np.ndarray:
        """Each piece as a shapely LineString (EPSG:4326), in piece order."""
        counts = np.diff(self.piece_start)
        coords = np.column_stack([self.vertex_lon, self.vertex_lat])
        return shapely.linestrings(coords, indices=np.repeat(np.arange(len(counts)), counts))

    def edge_table(self) -> gpd.GeoDataFrame:
        """One row per road piece: what maps and exports draw.

        Returns
        -------
        geopandas.GeoDataFrame
            ``way, highway, name, ref, maxspeed_kmh, lanes, oneway, length_m,
            from_node, to_node`` (OSM node ids along the piece's vertex order) and
            the piece's full geometry, EPSG:4326.
        """
        import geopandas as gpd
        import pandas as pd

        pieces, first = np.unique(self.piece, return_index=True)
        edges_per_piece = np.bincount(self.piece, minlength=self.n_pieces)[pieces]
        start = np.where(self.reverse[first], self.head[first], self.tail[first])
        end = np.where(self.reverse[first], self.tail[first], self.head[first])
        columns = {
            "way": self.way[first],
            "highway": self.edge_class()[first],
            "name": self.edge_text(self.name[first]),
            "ref": self.edge_text(self.ref[first]),
            "maxspeed_kmh": self.maxspeed_kmh[first],
            "lanes": self.lanes[first],
            "oneway": edges_per_piece == 1,
            "length_m": self.length_m[first],
            "from_node": self.osm_node[start],
            "to_node": self.osm_node[end],
        }
        geometry = self.piece_lines()[pieces]
        return gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geometry, crs=STORAGE_CRS)

    def write_edges(self, path: Path) -> None:
        """Write :meth:`edge_table` to ``path`` as GeoParquet (atomically)."""
        with replacing(path) as temp:
            self.edge_table().to_parquet(temp)


_TABLE_FIELDS = frozenset({"classes", "texts"})


def in_locality_order(network: RoadNetwork) -> RoadNetwork:
    """Return ``network`` with its nodes renumbered by :func:`locality_order`."""
    order = locality_order(network.n_nodes, network.tail, network.head)
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    return replace(
        network,
        lon=network.lon[order],
        lat=network.lat[order],
        osm_node=network.osm_node[order],
        tail=position[network.tail].astype(np.int32),
        head=position[network.head].astype(np.int32),
    )


def locality_order(n_nodes: int, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
    """Return a node order that keeps linked nodes close together (reverse Cuthill–McKee).

    OSM ids follow editing history rather than geography, and a Dijkstra run
    touches a node's neighbours next, so a graph renumbered this way is searched
    faster (see ``benchmarks/bench_commute.py``).

    Parameters
    ----------
    n_nodes
        Number of nodes.
    tail, head
        Directed edges; their direction does not matter here.

    Returns
    -------
    numpy.ndarray
        ``order[k]`` is the old index of the node that becomes node ``k``.
    """
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    pattern = sp.csr_matrix(
        (np.ones(len(tail), dtype=np.int8), (tail, head)), shape=(n_nodes, n_nodes)
    )
    return reverse_cuthill_mckee(pattern, symmetric_mode=False).astype(np.int64)

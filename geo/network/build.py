"""Build a :class:`RoadNetwork` from drivable ways: cut to an area, contract chains, all vectorised.

Steps, each a few numpy operations over all vertices at once:

1. **Segments**: consecutive vertices of a way, kept when both lie inside the
   area (and the extract has their location).
2. **Intersections by counting node use**: a node is *interior* when exactly two
   segments use it, to two different neighbours, traffic can pass through it
   (both two-way, or one-way in and one-way out) and both segments share class
   and speed limit; every other node is an endpoint. Without the last clause this
   is osmnx's ``simplify_graph`` rule; with it, an edge never mixes two speeds.
3. **Runs**: stretches of one way between endpoints (contiguous in the arrays).
4. **Chains**: runs joined end to end at interior nodes, ordered by pointer
   jumping (``log2`` of the longest chain in steps). Isolated rings without any
   endpoint are dropped, as osmnx drops them.
5. **Edges**: one per allowed direction of each chain, with its summed
   great-circle length, the attributes of its first way and its full polyline.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry.base import BaseGeometry

from ctz.geo.network.model import RoadNetwork, in_locality_order
from ctz.geo.network.ways import WayTable

EARTH_RADIUS_M = 6_371_009.0
"""Mean earth radius (metres) of the great-circle lengths, the one osmnx uses."""


def road_network_from_ways(ways: WayTable, area: BaseGeometry) -> RoadNetwork:
    """Contract the drivable ways inside ``area`` into a network between intersections.

    Parameters
    ----------
    ways
        Drivable ways with their vertices.
    area
        Keep segments whose two ends lie inside (EPSG:4326).

    Returns
    -------
    RoadNetwork
        Empty (no nodes, no edges) when no segment lies inside ``area``.
    """
    way_of = np.repeat(np.arange(ways.n_ways, dtype=np.int64), np.diff(ways.start))
    usable = np.isfinite(ways.lon) & _inside(area, ways.lon, ways.lat)
    tail_vertex = np.flatnonzero(
        (way_of[:-1] == way_of[1:]) & usable[:-1] & usable[1:] & (ways.node[:-1] != ways.node[1:])
    )
    if not len(tail_vertex):
        return RoadNetwork.empty(ways.classes, ways.texts)
    segments = _Segments(ways, way_of, tail_vertex)
    runs = _Runs(segments)
    chains = _chains(runs)
    if not chains.n_chains:
        return RoadNetwork.empty(ways.classes, ways.texts)
    return _network(ways, segments, runs, chains)


def great_circle_m(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Haversine distance in metres on a sphere of radius :data:`EARTH_RADIUS_M`."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def _inside(area: BaseGeometry, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Whether each point lies inside ``area``; the bounding box is tested first."""
    west, south, east, north = area.bounds
    inside = (lon > west) & (lon < east) & (lat > south) & (lat < north)
    candidates = np.flatnonzero(inside)
    shapely.prepare(area)
    inside[candidates] = shapely.contains_xy(area, lon[candidates], lat[candidates])
    return inside


class _Segments:
    """Kept segments (vertex ``tail_vertex[k]`` to the next), their nodes and the node rule."""

    def __init__(self, ways: WayTable, way_of: np.ndarray, tail_vertex: np.ndarray) -> None:
        self.tail_vertex = tail_vertex
        self.way = way_of[tail_vertex]
        used = np.zeros(len(ways.node), dtype=bool)
        used[tail_vertex] = used[tail_vertex + 1] = True
        self.osm_node, compact = np.unique(ways.node[used], return_inverse=True)
        node_of_vertex = np.full(len(ways.node), -1, dtype=np.int64)
        node_of_vertex[used] = compact
        self.a = node_of_vertex[tail_vertex]
        self.b = node_of_vertex[tail_vertex + 1]
        self.lon = np.empty(len(self.osm_node))
        self.lat = np.empty(len(self.osm_node))
        self.lon[compact] = ways.lon[used]
        self.lat[compact] = ways.lat[used]
        self.length_m = great_circle_m(
            ways.lon[tail_vertex],
            ways.lat[tail_vertex],
            ways.lon[tail_vertex + 1],
            ways.lat[tail_vertex + 1],
        )
        self.interior = self._interior(ways)

    def __len__(self) -> int:
        return len(self.a)

    def _interior(self, ways: WayTable) -> np.ndarray:
        """Whether each node joins exactly two segments that one chain may pass through."""
        n_segments, n_nodes = len(self.a), len(self.osm_node)
        ends = np.concatenate([self.a, self.b])
        uses = np.bincount(ends, minlength=n_nodes)
        order = np.argsort(ends, kind="stable")
        first_use = np.cumsum(uses) - uses
        pair = np.flatnonzero(uses == 2)
        one, two = order[first_use[pair]], order[first_use[pair] + 1]
        seg1, seg2 = one % n_segments, two % n_segments
        at_head1, at_head2 = one >= n_segments, two >= n_segments
        other1 = np.where(at_head1, self.a[seg1], self.b[seg1])
        other2 = np.where(at_head2, self.a[seg2], self.b[seg2])
        direction = ways.direction[self.way]
        d1, d2 = direction[seg1], direction[seg2]
        # Flow into the node along a segment: along it when the node is its head.
        in1 = np.where(at_head1, d1 == 1, d1 == -1)
        out1 = np.where(at_head1, d1 == -1, d1 == 1)
        in2 = np.where(at_head2, d2 == 1, d2 == -1)
        out2 = np.where(at_head2, d2 == -1, d2 == 1)
        passable = ((d1 == 0) & (d2 == 0)) | (in1 & out2) | (out1 & in2)
        w1, w2 = self.way[seg1], self.way[seg2]
        speed1, speed2 = ways.maxspeed_kmh[w1], ways.maxspeed_kmh[w2]
        same_speed = (speed1 == speed2) | (np.isnan(speed1) & np.isnan(speed2))
        same = (ways.road_class[w1] == ways.road_class[w2]) & same_speed
        interior = np.zeros(n_nodes, dtype=bool)
        interior[pair] = (other1 != other2) & passable & same
        return interior


class _Runs:
    """Stretches of consecutive segments of one way with no endpoint inside."""

    def __init__(self, segments: _Segments) -> None:
        vertex = segments.tail_vertex
        boundary = np.ones(len(segments), dtype=bool)
        boundary[1:] = (vertex[1:] != vertex[:-1] + 1) | ~segments.interior[segments.a[1:]]
        self.first = np.flatnonzero(boundary)
        self.last = np.r_[self.first[1:] - 1, len(segments) - 1].astype(np.int64)
        self.of_segment = np.cumsum(boundary) - 1
        self.start_node = segments.a[self.first]
        self.end_node = segments.b[self.last]
        self.way = segments.way[self.first]
        self.first_vertex = vertex[self.first]
        self.n_segments = self.last - self.first + 1
        self.length_m = np.bincount(self.of_segment, segments.length_m, minlength=len(self.first))
        self.link_run, self.link_end = self._links(segments.interior)

    def __len__(self) -> int:
        return len(self.first)

    def _links(self, interior: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each run end (0 start, 1 end): the run and end joined there, or -1.

        An interior node that ends a run is used by exactly two segments, each
        ending a run there, so run ends at interior nodes come in pairs.
        """
        n = len(self)
        node = np.concatenate([self.start_node, self.end_node])
        end = np.repeat(np.array([0, 1], dtype=np.int64), n)
        run = np.tile(np.arange(n, dtype=np.int64), 2)
        joined = np.flatnonzero(interior[node])
        joined = joined[np.argsort(node[joined], kind="stable")]
        one, two = joined[0::2], joined[1::2]
        link_run = np.full((n, 2), -1, dtype=np.int64)
        link_end = np.full((n, 2), -1, dtype=np.int64)
        link_run[run[one], end[one]] = run[two]
        link_end[run[one], end[one]] = end[two]
        link_run[run[two], end[two]] = run[one]
        link_end[run[two], end[two]] = end[one]
        return link_run, link_end


class _Chains:
    """Chains as ordered runs: ``run[k]`` travelled ``backward[k]``, ``chain[k]`` it belongs to."""

    def __init__(self, chain: np.ndarray, run: np.ndarray, backward: np.ndarray) -> None:
        self.chain = chain
        self.run = run
        self.backward = backward
        self.first = np.ones(len(chain), dtype=bool)
        self.first[1:] = chain[1:] != chain[:-1]

    @property
    def n_chains(self) -> int:
        """Number of chains."""
        return int(self.chain[-1]) + 1 if len(self.chain) else 0


def _chains(runs: _Runs) -> _Chains:
    """Order the runs of every chain from one of its ends (pointer jumping, vectorised).

    A *state* ``2 * run + backward`` is a run travelled in one direction; each
    state leads to at most one next state, so every chain is a path of states,
    found twice (once from each end). The path starting at the lower state is kept.
    """
    n = len(runs)
    linked = runs.link_run >= 0
    one, end = np.nonzero(linked)
    graph = coo_matrix((np.ones(len(one)), (one, runs.link_run[one, end])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    state = np.arange(2 * n, dtype=np.int64)
    run_of, backward = state // 2, state % 2
    entry_linked = linked[run_of, backward]
    # Leaving a run through its far end, the next run is entered at the end it is joined by.
    exit_end = 1 - backward
    next_state = np.where(
        linked[run_of, exit_end],
        2 * runs.link_run[run_of, exit_end] + runs.link_end[run_of, exit_end],
        -1,
    )
    chain_start = np.full(component.max() + 1, 2 * n, dtype=np.int64)
    np.minimum.at(chain_start, component[run_of[~entry_linked]], state[~entry_linked])
    has_start = chain_start < 2 * n
    keep = has_start[component[run_of]]  # rings without an endpoint are dropped
    previous = np.full(2 * n, -1, dtype=np.int64)
    following = (next_state >= 0) & keep
    previous[next_state[following]] = state[following]
    root = np.where(previous >= 0, previous, state)
    depth = (previous >= 0).astype(np.int64)
    root[~keep], depth[~keep] = state[~keep], 0
    while True:
        up = root[root]
        if np.array_equal(up, root):
            break
        depth += depth[root]
        root = up
    start_of_state = chain_start[component[run_of]]
    kept = np.flatnonzero(keep & (root == start_of_state))
    kept = kept[np.lexsort((depth[kept], start_of_state[kept]))]
    chain = np.unique(start_of_state[kept], return_inverse=True)[1]
    return _Chains(chain.astype(np.int64), run_of[kept], backward[kept].astype(bool))


def _network(ways: WayTable, segments: _Segments, runs: _Runs, chains: _Chains) -> RoadNetwork:
    """Edges, node arrays and piece polylines of the chains."""
    n_chains = chains.n_chains
    run, backward = chains.run, chains.backward
    entry = np.where(backward, runs.end_node[run], runs.start_node[run])
    leave = np.where(backward, runs.start_node[run], runs.end_node[run])
    last = np.r_[chains.first[1:], True]
    start_node, end_node = entry[chains.first], leave[last]
    length_m = np.bincount(chains.chain, runs.length_m[run], minlength=n_chains)
    first_run, first_backward = run[chains.first], backward[chains.first]
    way = runs.way[first_run]
    direction = ways.direction[way]
    along = np.where(first_backward, -1, 1)
    forward_ok = (direction == 0) | (direction == along)
    backward_ok = (direction == 0) | (direction == -along)
    vertex, piece_start = _piece_vertices(runs, chains)

    pieces = np.r_[np.flatnonzero(forward_ok), np.flatnonzero(backward_ok)]
    reverse = np.r_[np.zeros(forward_ok.sum(), bool), np.ones(backward_ok.sum(), bool)]
    tail = np.where(reverse, end_node[pieces], start_node[pieces])
    head = np.where(reverse, start_node[pieces], end_node[pieces])
    edge_way = way[pieces]

    used, compact = np.unique(np.r_[tail, head], return_inverse=True)
    network = RoadNetwork(
        lon=segments.lon[used],
        lat=segments.lat[used],
        osm_node=segments.osm_node[used],
        tail=compact[: len(tail)].astype(np.int32),
        head=compact[len(tail) :].astype(np.int32),
        length_m=length_m[pieces],
        road_class=ways.road_class[edge_way],
        maxspeed_kmh=ways.maxspeed_kmh[edge_way],
        way=ways.way[edge_way],
        name=ways.name[edge_way],
        ref=ways.ref[edge_way],
        lanes=ways.lanes[edge_way],
        piece=pieces.astype(np.int32),
        reverse=reverse,
        piece_start=piece_start,
        vertex_lon=ways.lon[vertex],
        vertex_lat=ways.lat[vertex],
        classes=ways.classes,
        texts=ways.texts,
    )
    return in_locality_order(network)


def _piece_vertices(runs: _Runs, chains: _Chains) -> tuple[np.ndarray, np.ndarray]:
    """Vertex indices of every chain's polyline and each chain's offset into them.

    Each run contributes its vertices in travel order; a run after the first
    skips its first vertex, the node it shares with the run before.
    """
    run, backward = chains.run, chains.backward
    skip = (~chains.first).astype(np.int64)
    count = runs.n_segments[run] + 1 - skip
    offset = np.cumsum(count) - count
    step = np.arange(count.sum()) - np.repeat(offset, count)
    first = runs.first_vertex[run]
    last = first + runs.n_segments[run]
    vertex = np.where(
        np.repeat(backward, count),
        np.repeat(last, count) - step - np.repeat(skip, count),
        np.repeat(first, count) + step + np.repeat(skip, count),
    )
    per_chain = np.bincount(chains.chain, count, minlength=chains.n_chains).astype(np.int64)
    return vertex, np.r_[0, np.cumsum(per_chain)]

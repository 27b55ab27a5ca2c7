"""Drive times from each city core to its county seats, against reference figures.

A check of the road network itself: if the model cannot drive from 五一广场 to
宁乡 in about the time a route planner gives, its coverage figures for 宁乡's
people mean nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from pyproj import Transformer

from ctz.base import METRIC_CRS, STORAGE_CRS
from ctz.catalog.context import CountySeat, load_context
from ctz.catalog.model import Catalog
from ctz.checks.commute.coverage import Study
from ctz.checks.commute.network import ALWAYS_ON, ROAD, Network
from ctz.checks.commute.origins import attach
from ctz.checks.commute.paths import router

SEAT_TOLERANCE = 0.25
"""How far (as a share of the reference) a modelled drive time may be off and still agree."""


SEAT_COLUMNS: tuple[str, ...] = (
    "county",
    "name_zh",
    "core",
    "model_min",
    "reference_min",
    "ratio",
    "agrees",
    "route",
    "model_route",
    "source",
)
"""Columns of :func:`seat_drive_times`' frame."""

STREETS = "streets"
"""What :func:`route_texts` calls road edges of no catalog item (an OpenStreetMap road graph)."""


def seat_drive_times(
    study: Study, seats: tuple[CountySeat, ...], catalog: Catalog, items: set[str]
) -> pd.DataFrame:
    """Minutes by road from each seat's city core to the seat, next to its reference.

    Parameters
    ----------
    study
        The study (network, cores, parameters).
    seats
        County seats with their core and reference drive time.
    catalog
        For the seats' anchors.
    items
        Items switched on (usually the baseline: roads open today).

    Returns
    -------
    pandas.DataFrame
        :data:`SEAT_COLUMNS`, one row per seat: ``ratio`` is model / reference,
        ``agrees`` says whether it is within :data:`SEAT_TOLERANCE`; ``model_min``
        is ``inf`` where the seat cannot be reached; ``model_route`` is the route
        the model drives (:func:`route_texts`).
    """
    if not seats:
        return pd.DataFrame(columns=list(SEAT_COLUMNS))
    network = study.network
    roads = network.item_mask(items) & (network.mode == ROAD)
    drive = router(network, roads, study.core_out)
    core_times = study.core_times(roads)
    to_metric = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)
    x, y = to_metric.transform(
        [catalog.anchors[s.anchor].lon for s in seats],
        [catalog.anchors[s.anchor].lat for s in seats],
    )
    at_seats = attach(network, np.column_stack([x, y]).reshape(-1, 2), study.params)
    core_row = {core.id: k for k, core in enumerate(study.cores)}
    rows = np.array([core_row[s.core] for s in seats])
    via = core_times[rows[:, None], at_seats.nodes] + at_seats.minutes
    best = via.argmin(axis=1)
    model = via[np.arange(len(seats)), best]
    last = at_seats.nodes[np.arange(len(seats)), best]
    names = {i.id: i.name_zh for i in catalog.items.values()}
    names |= {r.id: r.name_zh for r in load_context(catalog).roads}
    paths = fastest_paths(drive.graph, core_times, drive.sources[rows], last)
    routes = np.where(np.isfinite(model), route_texts(network, roads, paths, names), "")
    reference = np.array([s.reference_min for s in seats])
    ratio = model / reference
    return pd.DataFrame(
        {
            "county": [s.county for s in seats],
            "name_zh": [s.name_zh for s in seats],
            "core": [s.core for s in seats],
            "model_min": model,
            "reference_min": reference,
            "ratio": ratio,
            "agrees": np.abs(ratio - 1.0) <= SEAT_TOLERANCE,
            "route": [s.route for s in seats],
            "model_route": routes,
            "source": [s.source for s in seats],
        }
    )


def fastest_paths(
    graph: sp.csr_matrix, times: np.ndarray, sources: np.ndarray, targets: np.ndarray
) -> list[np.ndarray]:
    """Return the nodes of a fastest path from each source to its target, source first.

    An edge ``u → v`` lies on a fastest path when the minutes to ``u`` plus its
    weight are the minutes to ``v``; one such edge into every node (found for
    all nodes at once) makes a tree of fastest paths, walked back from each
    target. Weights are positive, so the walk ends at the source.

    Parameters
    ----------
    graph
        The searched graph: network nodes, then the virtual sources.
    times
        Minutes from each source to every network node, shape ``(n_sources, n_nodes)``
        (:meth:`~ctz.checks.commute.paths.Router.times`).
    sources, targets
        One source node (of ``graph``) and one network node per path; a target
        the source does not reach gets the one-node path ``[target]``.
    """
    edges = graph.tocoo()
    tail, head, weight = edges.row, edges.col, edges.data
    n_nodes = times.shape[1]
    first_source = graph.shape[0] - len(times)
    paths: list[np.ndarray] = []
    back: dict[int, np.ndarray] = {}
    for source, target in zip(sources.tolist(), targets.tolist(), strict=True):
        if source not in back:
            row = source - first_source
            to_node = np.r_[times[row], np.full(graph.shape[0] - n_nodes, np.inf)]
            to_node[source] = 0.0
            tight = np.isfinite(to_node[tail]) & (to_node[tail] + weight == to_node[head])
            back[source] = np.full(graph.shape[0], -1)
            back[source][head[tight]] = tail[tight]
        path = [target]
        while back[source][path[-1]] >= 0 and len(path) <= len(back[source]):  # one path's nodes
            path.append(int(back[source][path[-1]]))
        paths.append(np.array(path[::-1]))
    return paths


def route_texts(
    network: Network, active: np.ndarray, paths: list[np.ndarray], names: dict[str, str]
) -> list[str]:
    """Name the roads each path drives, in order, with their straight lengths.

    Consecutive edges of one item make one stretch: its name (``names``, else its
    id; :data:`STREETS` for edges of no item) and the straight length between its
    nodes, e.g. ``"潇湘北路 24.0 km, 长沙至益阳高速扩容工程 27.8 km"``. Access links
    from virtual sources are left out (their minutes are the cores'). Each step of
    a path is matched to the fastest ``active`` edge between its nodes, for all
    paths at once.
    """
    n = network.n_nodes
    steps = [p[p < n] for p in paths]
    u = np.concatenate([s[:-1] for s in steps]).astype(np.int64)
    v = np.concatenate([s[1:] for s in steps]).astype(np.int64)
    keys = u * n + v
    on_path = np.zeros(n, dtype=bool)
    on_path[u] = on_path[v] = True
    near = np.flatnonzero(active & on_path[network.tail] & on_path[network.head])
    near_keys = network.tail[near].astype(np.int64) * n + network.head[near]
    on_steps = np.isin(near_keys, keys)
    candidates, candidate_keys = near[on_steps], near_keys[on_steps]
    by_key = np.lexsort((network.minutes[candidates], candidate_keys))
    if by_key.size == 0:  # no path takes a step on the network (every seat unreached)
        return [""] * len(paths)
    sorted_keys = candidate_keys[by_key]
    fastest = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    item = network.item[candidates[by_key][fastest][np.searchsorted(sorted_keys[fastest], keys)]]
    km = np.hypot(*(network.xy[v] - network.xy[u]).T) / 1000.0
    ends = np.cumsum([max(len(s) - 1, 0) for s in steps])
    return [
        _stretches(network, item[end - len(s) + 1 : end], km[end - len(s) + 1 : end], names)
        if len(s) > 1
        else ""
        for s, end in zip(steps, ends, strict=True)
    ]


def _stretches(network: Network, item: np.ndarray, km: np.ndarray, names: dict[str, str]) -> str:
    """One path's steps (their items and straight km) as named stretches."""
    start = np.flatnonzero(np.r_[True, item[1:] != item[:-1]])
    labels = [
        STREETS if i == ALWAYS_ON else names.get(network.item_ids[i], network.item_ids[i])
        for i in item[start]
    ]
    return ", ".join(
        f"{label} {length:.1f} km"
        for label, length in zip(labels, np.add.reduceat(km, start), strict=True)
    )

"""The measured commute: travel times from each core to every cell and between cores."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from ctz.base import CtzError
from ctz.checks.commute.adjacency import mask_key
from ctz.checks.commute.dijkstra import KERNEL_MIN_NODES
from ctz.checks.commute.network import ROAD, Assumptions, Network
from ctz.checks.commute.origins import Attachment, attach
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.paths import improved_times, rail_times, router
from ctz.checks.commute.transit import ServiceLines

THRESHOLDS: tuple[int, ...] = (30, 45, 60, 90)
"""Travel-time bands reported (minutes)."""

GOAL_MINUTES = 60
"""The plan's one-hour commute circle."""


@dataclass(frozen=True)
class CoreSite:
    """A city core placed on the map (metric CRS)."""

    id: str
    name_zh: str
    name_en: str
    x: float
    y: float


@dataclass
class Study:
    """Everything fixed across scenarios: the network, the cores and the populated cells.

    Parameters
    ----------
    network
        The full network (all items); scenarios mask its edges.
    cores
        The city cores.
    cells
        Origin cells: ``code`` (county), ``city``, ``population`` and point geometry (metric).
    params
        Model parameters.
    services
        Every rail or transit service and where it came from (see
        :attr:`~ctz.checks.commute.feeds.Timetable.services`); empty when not known.
    base_items
        Items open today: origins always link to the street nodes of their
        roads (see :func:`~ctz.checks.commute.origins.attach`); every item when None.
    lines
        The services the network runs (for station-to-station times); None when not known.

    Raises
    ------
    CtzError
        When a core lies farther than ``params.max_access_km`` from every street
        node and farther than ``params.station_reach_m`` from every station:
        cores are the centres of the cities, on their networks.
    """

    network: Network
    cores: list[CoreSite]
    cells: gpd.GeoDataFrame
    params: CommuteParams
    services: pd.DataFrame = field(default_factory=pd.DataFrame)
    base_items: set[str] | None = None
    lines: ServiceLines | None = None
    core_out: Attachment = field(init=False)
    core_in: Attachment = field(init=False)
    cell_in: Attachment = field(init=False)
    _searched: dict[str, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, init=False, repr=False
    )

    def __post_init__(self) -> None:
        xy = np.array([[c.x, c.y] for c in self.cores]).reshape(-1, 2)
        open_nodes = self.network.open_nodes(self.base_items)
        network, params = self.network, self.params
        self.core_out = attach(
            network, xy, params, "depart", open_nodes, stations=True, beyond_reach=False
        )
        self.core_in = attach(
            network, xy, params, "arrive", open_nodes, stations=True, beyond_reach=False
        )
        off = ~np.isfinite(self.core_out.minutes).any(axis=1)
        if off.any():
            names = ", ".join(c.id for c, o in zip(self.cores, off, strict=True) if o)
            raise CtzError(
                f"core {names} lies more than {params.max_access_km:g} km "
                "from every node of the commute network"
            )
        cell_xy = np.column_stack([self.cells.geometry.x, self.cells.geometry.y])
        self.cell_in = attach(self.network, cell_xy, self.params, "arrive", open_nodes)

    @property
    def population(self) -> np.ndarray:
        """People per cell."""
        return self.cells["population"].to_numpy(dtype=float)

    @property
    def far_from_network(self) -> np.ndarray:
        """True for cells farther than ``params.local_access_km`` from every road open today."""
        return self.cell_in.nearest_m > self.params.local_access_km * 1000.0

    def core_times(self, active: np.ndarray) -> np.ndarray:
        """Minutes from each core to every network node over the ``active`` edges.

        Searched once per edge set. On a network large enough for the threaded
        kernel, an edge set that adds edges to one searched already (today's items,
        then a scenario's) is searched only where the added edges gain
        (:func:`~ctz.checks.commute.paths.improved_times`: the same times, a far
        smaller search); otherwise from the cores over the whole network.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_cores, n_nodes)``; read-only.
        """
        key = mask_key(active)
        if key not in self._searched:
            times = self._search(active)
            times.flags.writeable = False
            self._searched[key] = (active.copy(), times)
        return self._searched[key][1]

    def _search(self, active: np.ndarray) -> np.ndarray:
        network = self.network
        if network.n_nodes >= KERNEL_MIN_NODES:
            within = [(m, t) for m, t in self._searched.values() if not (m & ~active).any()]
            if within:
                kept, times = max(within, key=lambda searched: int(searched[0].sum()))
                base = network.adjacency(kept)
                return improved_times(network, base, active & ~kept, times, np.inf)
        return router(network, active, self.core_out).times()

    def reweighted(self, assumptions: Assumptions) -> Study:
        """Return this study under other ``assumptions``: new edge weights, same links.

        Nothing is rebuilt: the network's minutes change
        (:meth:`~ctz.checks.commute.network.Network.reweighted`) and the access
        links' times scale with the access speed.
        """
        network = self.network
        now = network.assumptions or assumptions
        share = assumptions.access_speed_share / now.access_speed_share
        other = copy.copy(self)
        other._searched = {}  # its times are other times
        other.network = network.reweighted(assumptions)
        other.core_out = self.core_out.at_speed(share)
        other.core_in = self.core_in.at_speed(share)
        other.cell_in = self.cell_in.at_speed(share)
        return other


@dataclass
class Measurement:
    """Travel times under one set of items.

    Attributes
    ----------
    node_minutes
        Minutes from each core to every network node, shape ``(n_cores, n_nodes)``.
    cell_minutes
        Shape ``(n_cores, n_cells)``.
    best
        Core-to-core minutes by any mode, shape ``(n_cores, n_cores)``.
    road, rail
        Core-to-core minutes by road only, and over paths riding rail at least
        once (roads to and from stations allowed); None when not measured.
    """

    node_minutes: np.ndarray
    cell_minutes: np.ndarray
    best: np.ndarray
    road: np.ndarray | None = None
    rail: np.ndarray | None = None

    @property
    def nearest(self) -> np.ndarray:
        """Minutes from the nearest core to each cell."""
        return self.cell_minutes.min(axis=0)


def measure(study: Study, items: set[str], *, modes: bool = True) -> Measurement:
    """Travel times with exactly ``items`` built.

    One Dijkstra per core on the CSR graph of the active edges; with ``modes``,
    one more on the road-only graph and one on the two-layer rail graph (for the
    road and rail columns of the core pairs). Edge sets searched already in the
    study are not searched again (:meth:`Study.core_times`).
    """
    network = study.network
    active = network.item_mask(items)
    times = study.core_times(active)
    measured = Measurement(times, study.cell_in.times(times), _pairs(study, times))
    if modes:
        road = study.core_times(active & (network.mode == ROAD))
        measured.road = _pairs(study, road)
        measured.rail = _pairs(study, rail_times(network, active, study.core_out))
    return measured


def _pairs(study: Study, node_times: np.ndarray) -> np.ndarray:
    pairs = study.core_in.times(node_times)
    np.fill_diagonal(pairs, 0.0)
    return pairs


def shares(minutes: np.ndarray, population: np.ndarray) -> dict[int, float]:
    """Return the population share (0–1) within each of :data:`THRESHOLDS` minutes.

    Unreachable cells (``inf``) count as not covered.
    """
    total = population.sum()
    return {t: float(population[minutes <= t].sum() / total) if total else 0.0 for t in THRESHOLDS}

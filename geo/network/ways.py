"""Drivable ways as flat arrays: what a reader hands to the network builder."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class WayTable:
    """The drivable ways of an extract, their node lists concatenated.

    Attributes
    ----------
    node
        OpenStreetMap node id of every way vertex, way after way (int64).
    lon, lat
        Vertex coordinates in degrees; NaN where the extract lacks the node.
    start
        Offsets of each way's first vertex, shape ``(n_ways + 1,)``.
    way
        OpenStreetMap way ids.
    road_class
        Index into :attr:`classes` of each way's ``highway`` value.
    maxspeed_kmh
        Lowest speed the ``maxspeed`` tag names, NaN when none.
    direction
        1 one-way along the nodes, -1 against them, 0 two-way (int8).
    name, ref
        Index into :attr:`texts`, -1 when untagged.
    lanes
        ``lanes`` as a number, NaN when untagged.
    classes
        ``highway`` values in code order.
    texts
        Names and route numbers in code order.
    """

    node: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    start: np.ndarray
    way: np.ndarray
    road_class: np.ndarray
    maxspeed_kmh: np.ndarray
    direction: np.ndarray
    name: np.ndarray
    ref: np.ndarray
    lanes: np.ndarray
    classes: tuple[str, ...]
    texts: tuple[str, ...]

    @property
    def n_ways(self) -> int:
        """Number of ways."""
        return len(self.way)

"""What the tags of an OSM road say about driving on it: class, speed limit, direction."""

from __future__ import annotations

import numpy as np
import pandas as pd

DRIVE_HIGHWAYS: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
)
"""``highway`` values a car may use (osmnx's ``drive`` network, roughly): the default classes."""

NOT_FOR_CARS: dict[str, frozenset[str]] = {
    "area": frozenset({"yes"}),
    "access": frozenset({"private", "no"}),
    "motor_vehicle": frozenset({"no"}),
    "motorcar": frozenset({"no"}),
}
"""Tag values that take a way of a drivable class out of the network (as osmnx's filter does)."""

ONEWAY_FORWARD = frozenset({"yes", "true", "1"})
"""``oneway`` values meaning one-way in the way's node order."""

ONEWAY_BACKWARD = frozenset({"-1", "reverse"})
"""``oneway`` values meaning one-way against the way's node order."""

KMH_PER_MPH = 1.609344
"""Kilometres per hour in one mile per hour."""

_SPEED = r"(?P<number>\d+(?:\.\d+)?)\s*(?P<mph>mph)?"


def maxspeed_kmh(maxspeed: pd.Series) -> pd.Series:
    """Lowest speed (km/h) named by each ``maxspeed`` value; NaN when it names none.

    Values are strings such as ``"60"``, ``"60;80"``, ``"30 mph"``, lists of
    them (osmnx merges the tags of contracted ways into lists), or missing.
    Words without a number (``"none"``, ``"CN:urban"``) and zero count as missing.
    """
    values = maxspeed.explode().dropna().astype(str)
    found = values.str.extractall(_SPEED)
    speed: pd.Series = found["number"].astype(float) * np.where(
        found["mph"].notna(), KMH_PER_MPH, 1.0
    )
    speed = speed[speed > 0]
    return speed.groupby(level=0).min().reindex(maxspeed.index).astype(float)


def lane_count(lanes: pd.Series) -> pd.Series:
    """Return the first whole number of each ``lanes`` value (``"2"``, ``"2;3"``), else NaN."""
    number = lanes.dropna().astype(str).str.extract(r"(\d+)", expand=False)
    return pd.to_numeric(number, errors="coerce").reindex(lanes.index).astype(float)


def travel_direction(oneway: pd.Series, junction: pd.Series) -> np.ndarray:
    """Direction a way may be driven: 1 along its nodes, -1 against them, 0 both ways.

    ``oneway=yes|true|1`` and roundabouts (``junction=roundabout``) are one-way
    along the nodes, ``oneway=-1|reverse`` against them; anything else is two-way.
    """
    values = oneway.fillna("").astype(str).str.strip().str.lower()
    forward = values.isin(ONEWAY_FORWARD) | (junction.fillna("") == "roundabout")
    backward = values.isin(ONEWAY_BACKWARD)
    return np.where(backward, -1, np.where(forward, 1, 0)).astype(np.int8)

"""The choices of one commute run, with their defaults: the one place the API and CLI read them.

This module imports nothing heavy, so the command line can take its option defaults
from here without loading the commute engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

WALK_KMH = 4.5
"""Walking speed (km/h): walking transfers between stations, and access on foot."""

ACCESS_MODES: tuple[str, ...] = ("drive", "walk")
"""How people reach the network from their cell: by car on local streets, or on foot."""


@dataclass(frozen=True)
class CommuteOptions:
    """The choices of one commute run.

    Attributes
    ----------
    scenario
        ``existing``, ``all``, a target year (planned items due by then switched
        on) or a scenario file (:mod:`~ctz.checks.commute.scenario`).
    grid_km
        Side of the origin grid cells (km).
    congestion
        Road time multiplier in the central districts at the morning peak
        (1.0 = free flow; roads elsewhere run at free flow).
    access
        ``drive`` (local streets by car) or ``walk`` (:data:`WALK_KMH`); see
        :data:`ACCESS_MODES`.
    marginal
        Also rank planned items by the people each brings within 60 minutes alone.
    feeds
        GTFS feeds of today's services (zip files or folders); the timetable
        shipped with the catalog when None.
    depart
        Departure window of the feeds, ``HH:MM-HH:MM`` (the morning peak).
    """

    scenario: str | Path = "2025"
    grid_km: float = 1.0
    congestion: float = 1.2
    access: str = "drive"
    marginal: bool = False
    feeds: tuple[Path, ...] | None = None
    depart: str = "07:00-09:00"


DEFAULTS = CommuteOptions()
"""The default choices: :func:`ctz.commute`, :func:`ctz.compare` and ``ctz check commute``
read theirs from here."""

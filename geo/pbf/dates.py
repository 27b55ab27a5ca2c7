"""The date an extract's data is of: its header's replication time, else its newest edit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import osmium

from ctz.base import SourceError
from ctz.geo.pbf.dense_nodes import UndecodableError, newest_node_edit

REPLICATION_KEY = "osmosis_replication_timestamp"
"""Header option in which Geofabrik and osmosis write the time the data is of."""


def replication_time(path: Path) -> datetime | None:
    """Return the time in the file's header (:data:`REPLICATION_KEY`), None when it has none.

    Raises
    ------
    SourceError
        When the file's header cannot be read.
    """
    try:
        text = osmium.io.Reader(str(path), osmium.osm.NOTHING).header().get(REPLICATION_KEY, "")
    except RuntimeError as error:
        raise SourceError(f"cannot read OSM file {path}: {error}") from error
    return parse_time(text) if text else None


def parse_time(text: str) -> datetime | None:
    """Return an ISO time such as ``2026-11-30T21:21:02Z`` in UTC; None when it is not one."""
    try:
        found = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found.astimezone(UTC) if found.tzinfo else found.replace(tzinfo=UTC)


def newest_edit(path: Path) -> datetime | None:
    """Return the newest timestamp of any node, way or relation; None without any.

    Nodes are read with numpy (:func:`~ctz.geo.pbf.dense_nodes.newest_node_edit`)
    when the file allows it, ways and relations (and otherwise nodes) with pyosmium.

    Raises
    ------
    SourceError
        When the file cannot be read.
    """
    try:
        newest, rest = newest_node_edit(path), osmium.osm.WAY | osmium.osm.RELATION
    except UndecodableError:
        newest, rest = 0.0, osmium.osm.OBJECT
    try:
        for element in osmium.FileProcessor(str(path), rest):
            if isinstance(element, osmium.osm.OSMObject):
                stamp = element.timestamp.timestamp()
                newest = stamp if stamp > newest else newest
    except RuntimeError as error:
        raise SourceError(f"cannot read OSM file {path}: {error}") from error
    return datetime.fromtimestamp(newest, UTC) if newest > 0 else None


def data_time(path: Path) -> datetime | None:
    """Return the time the extract's data is of: header replication time, else newest edit."""
    return replication_time(path) or newest_edit(path)


def day_of(moment: datetime | None) -> date | None:
    """Return the UTC day of a time (None stays None)."""
    return None if moment is None else moment.astimezone(UTC).date()

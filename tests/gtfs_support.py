"""Small GTFS feeds written by the tests, with stops placed in kilometres near Xiangtan.

Stops are given in local kilometres around :data:`ORIGIN` (UTM 49N, EPSG:32649)
so that distances and the times derived from them are exact hand figures.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from pyproj import Transformer

from ctz.base import METRIC_CRS, STORAGE_CRS

ORIGIN = (700_000.0, 3_100_000.0)
"""Local origin in EPSG:32649 (about 113.05 E, 28.0 N, inside the study region)."""

WEEKDAYS = "1,1,1,1,1,0,0"
"""Monday to Friday in ``calendar.txt``."""

_TO_LONLAT = Transformer.from_crs(METRIC_CRS, STORAGE_CRS, always_xy=True)


def lonlat(x_km: float, y_km: float) -> tuple[float, float]:
    """Longitude and latitude of a point given in local kilometres."""
    lon, lat = _TO_LONLAT.transform(ORIGIN[0] + x_km * 1000.0, ORIGIN[1] + y_km * 1000.0)
    return float(lon), float(lat)


def write_feed(
    folder: Path,
    stops: dict[str, tuple[float, float]],
    routes: Sequence[tuple[str, int, str]],
    trips: Sequence[tuple[str, str]],
    stop_times: Sequence[tuple[str, str, str, str, int]],
    frequencies: Sequence[tuple[str, str, str, int]] = (),
    calendar: str | None = f"wk,{WEEKDAYS},20250106,20251231",
    raw_stops: Sequence[tuple[str, float, float]] = (),
) -> Path:
    """Write a GTFS feed as a folder and return its path (:func:`zip_feed` zips it).

    Parameters
    ----------
    folder
        Where the feed goes.
    stops
        ``stop_id`` to local ``(x_km, y_km)``.
    routes
        ``(route_id, route_type, route_long_name)``.
    trips
        ``(trip_id, route_id)``, all on service ``wk``.
    stop_times
        ``(trip_id, arrival, departure, stop_id, stop_sequence)``; times as written.
    frequencies
        ``(trip_id, start_time, end_time, headway_secs)``; none when empty.
    calendar
        The one ``calendar.txt`` row, or None for no calendar file.
    raw_stops
        Extra stops given directly as ``(stop_id, lon, lat)``.
    """
    tables = {
        "stops.txt": ["stop_id,stop_name,stop_lat,stop_lon"]
        + [f"{s},{s},{lonlat(*xy)[1]:.7f},{lonlat(*xy)[0]:.7f}" for s, xy in stops.items()]
        + [f"{s},{s},{lat:.7f},{lon:.7f}" for s, lon, lat in raw_stops],
        "routes.txt": ["route_id,route_short_name,route_long_name,route_type"]
        + [f"{r},{r},{name},{kind}" for r, kind, name in routes],
        "trips.txt": ["route_id,service_id,trip_id"] + [f"{r},wk,{t}" for t, r in trips],
        "stop_times.txt": ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
        + [",".join(map(str, row)) for row in stop_times],
    }
    if calendar is not None:
        header = "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
        tables["calendar.txt"] = [header + "start_date,end_date", calendar]
    if frequencies:
        tables["frequencies.txt"] = ["trip_id,start_time,end_time,headway_secs"] + [
            ",".join(map(str, row)) for row in frequencies
        ]
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in tables.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def zip_feed(folder: Path) -> Path:
    """Write the tables of the feed in ``folder`` into ``folder.zip`` and return its path."""
    path = folder.with_suffix(".zip")
    with zipfile.ZipFile(path, "w") as archive:
        for table in sorted(folder.glob("*.txt")):
            archive.write(table, table.name)
    return path

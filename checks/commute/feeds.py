"""Which catalog rail services GTFS feeds replace, and the table of every service used.

The overlap rule, applied feed by feed:

1. A feed route *is* a catalog rail item when its ``route_id`` is the item's id
   or its ``route_short_name`` or ``route_long_name`` is one of the item's
   names (simplified, traditional or alias). Its patterns then carry the
   item's id — a scenario switches them with the item — and the item's
   constant-headway sketch is dropped.
   A route the feed lists without a trip in the window so replaces its item
   with nothing: the way to say that a catalog line carries no commuters.
   A later feed's route naming the same item replaces the earlier feed's
   patterns of it (a scenario's timetable of a line stands in for today's).
2. An *existing* catalog rail item that no route names is dropped too when
   one of today's feeds (not a scenario's added feeds) serves all its stations
   in the study region: it has at least two
   sketch stops (vertices where its trains stop, see
   :func:`~ctz.checks.commute.build.sketch_services`) inside
   :data:`~ctz.base.REGION_BOUNDS`, each within
   ``feed_overlap_m`` of a stop of the feed's patterns of the same mode
   (rail: intercity and high-speed lines, GTFS ``route_type`` 2 and 100–117;
   urban rail: metro and maglev, ``route_type`` 0, 1, 5, 7, 12, 400–499 and
   900–999; anything else runs on the road). The feed is then taken as the
   timetable of those stations.
3. Any other route is a service of its own, ``<feed>:<route_id>`` (``<feed>``
   being the file or folder name without ``.zip``), open today.

Planned catalog items that no route names keep their sketches.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from scipy.spatial import cKDTree

from ctz.base import METRIC_CRS, REGION_BOUNDS, STORAGE_CRS
from ctz.checks.commute.gtfs import FeedServices
from ctz.checks.commute.params import CommuteParams
from ctz.checks.commute.transit import ServiceLines

CATALOG_MODE: dict[str, str] = {
    "intercity_rail": "rail",
    "high_speed_rail": "rail",
    "metro": "urban_rail",
    "maglev": "urban_rail",
}
"""Mode of each catalog rail kind, for comparing it with feed routes."""

SERVICE_COLUMNS: tuple[str, ...] = ("service", "name", "mode", "source", "route_id", "use", "note")
"""Columns of :attr:`Timetable.services`."""


@dataclass
class Timetable:
    """The rail and transit services of a study.

    Attributes
    ----------
    lines
        The catalog sketches the feeds leave in place, then the feeds' patterns,
        each pattern carrying its network item id.
    services
        One row per service (:data:`SERVICE_COLUMNS`): ``use`` is ``timetable``
        (from a feed), ``sketch`` (catalog, constant headway) or ``replaced``
        (a catalog item a feed stands in for; ``note`` says why); ``source``
        is ``catalog`` or the feed's path.
    feed_items
        Items the feeds add that are not in the catalog: ``item_id``,
        ``status`` (``existing``), ``target_year``, ``name_zh``.
    """

    lines: ServiceLines
    services: pd.DataFrame
    feed_items: pd.DataFrame


def route_mode(route_type: pd.Series) -> pd.Series:
    """``rail``, ``urban_rail`` or ``road`` for GTFS route types (basic and extended)."""
    kind = pd.to_numeric(route_type, errors="coerce").fillna(-1).astype(int)
    rail = (kind == 2) | kind.between(100, 117)
    urban = kind.isin([0, 1, 5, 7, 12]) | kind.between(400, 499) | kind.between(900, 999)
    return pd.Series(np.select([rail, urban], ["rail", "urban_rail"], "road"), index=kind.index)


def overlay_feeds(
    sketches: ServiceLines,
    rail: gpd.GeoDataFrame,
    feeds: list[FeedServices],
    names: dict[str, str],
    params: CommuteParams,
    added_from: int | None = None,
) -> Timetable:
    """Put the feeds' services in place of the catalog sketches they overlap.

    Parameters
    ----------
    sketches
        The catalog rail items as constant-headway services
        (:func:`~ctz.checks.commute.build.sketch_services`).
    rail
        The same items' rows (layer schema: ``item_id``, ``kind``, ``status``, ``name_zh``).
    feeds
        Feeds read with :func:`~ctz.checks.commute.gtfs.read_feed_services`.
    names
        Every name and alias of a catalog rail item, to its item id.
    params
        ``feed_overlap_m``.
    added_from
        Feeds from this position on are added services (a scenario's): they
        replace only the catalog items their routes name (rule 1), so that
        adding a feed adds services. None: every feed is today's.

    Returns
    -------
    Timetable
    """
    lines = ServiceLines.empty()
    rows: list[dict[str, str]] = []
    dropped: dict[str, str] = {}
    new_items: list[dict[str, object]] = []
    rail_ids = set(rail["item_id"])
    for position, feed in enumerate(feeds):
        label = feed.path.name.removesuffix(".zip")
        routes = feed.routes.assign(mode=route_mode(feed.routes["route_type"]).to_numpy())
        named = [_named_item(r, rail_ids, names) for _, r in routes.iterrows()]
        routes["service"] = [
            item or f"{label}:{r.route_id}"
            for item, r in zip(named, routes.itertuples(), strict=True)
        ]
        for item, r in zip(named, routes.itertuples(), strict=True):
            name = r.route_long_name or r.route_short_name or r.route_id
            note = "" if r.departures else f"no departure {feed.window}"
            rows.append(
                _row(r.service, name, r.mode, str(feed.path), r.route_id, "timetable", note)
            )
            if item:
                dropped.setdefault(item, f"named by route {r.route_id} of {feed.path}")
            else:
                new_items.append(
                    {
                        "item_id": r.service,
                        "status": "existing",
                        "target_year": None,
                        "name_zh": name,
                    }
                )
        service_of = dict(zip(routes["route_id"], routes["service"], strict=True))
        mode_of = dict(zip(routes["route_id"], routes["mode"], strict=True))
        today = added_from is None or position < added_from
        served = _served_stations(sketches, rail, feed, mode_of, params) if today else set()
        for item_id in served - dropped.keys():
            dropped[item_id] = f"every station in the region is served by {feed.path}"
        renamed = ServiceLines(
            feed.lines.xy,
            feed.lines.pattern,
            feed.lines.run_min,
            feed.lines.dwell_min,
            feed.lines.wait_min,
            feed.lines.serves,
            [service_of[r] for r in feed.lines.pattern_item],
        )
        lines = lines.without_items({i for i in named if i}).concat(renamed)
    on_rails = rail[rail["item_id"].isin(sketches.pattern_item)].drop_duplicates("item_id")
    for r in on_rails.itertuples():
        use, note = ("replaced", dropped[r.item_id]) if r.item_id in dropped else ("sketch", "")
        mode = CATALOG_MODE.get(str(r.kind), "road")
        rows.append(_row(r.item_id, str(r.name_zh), mode, "catalog", "", use, note))
    return Timetable(
        lines=sketches.without_items(set(dropped)).concat(lines),
        services=pd.DataFrame(rows, columns=list(SERVICE_COLUMNS)),
        feed_items=pd.DataFrame(new_items, columns=["item_id", "status", "target_year", "name_zh"]),
    )


def _named_item(route: pd.Series, rail_ids: set[str], names: dict[str, str]) -> str | None:
    """Return the catalog rail item a route names by id or name, if any."""
    route_id = str(route["route_id"])
    if route_id in rail_ids:
        return route_id
    for column in ("route_long_name", "route_short_name"):
        item = names.get(str(route[column]).strip())
        if item in rail_ids:
            return item
    return None


def _served_stations(
    sketches: ServiceLines,
    rail: gpd.GeoDataFrame,
    feed: FeedServices,
    mode_of: dict[str, str],
    params: CommuteParams,
) -> set[str]:
    """Existing rail items whose every stop in the region has a feed stop of its mode nearby."""
    existing = rail.loc[rail["status"] == "existing", ["item_id", "kind"]].drop_duplicates(
        "item_id"
    )
    mode_of_item = dict(zip(existing["item_id"], existing["kind"].map(CATALOG_MODE), strict=True))
    item = sketches.item
    rows = np.flatnonzero(sketches.serves & np.isin(item, list(mode_of_item)))
    if not len(rows) or not len(feed.lines):
        return set()
    inside = _in_region(sketches.xy[rows])
    rows = rows[inside]
    item_mode = np.array([mode_of_item[i] for i in item[rows]], dtype=object)
    feed_mode = np.array([mode_of[r] for r in feed.lines.pattern_item], dtype=object)
    feed_mode = feed_mode[feed.lines.pattern]
    near = np.zeros(len(rows), dtype=bool)
    for mode in set(item_mode):
        stops = feed.lines.xy[feed_mode == mode]
        if len(stops):
            distance, _ = cKDTree(stops).query(sketches.xy[rows[item_mode == mode]])
            near[item_mode == mode] = distance <= params.feed_overlap_m
    # Each stop appears once per direction: at least two stops means at least four rows.
    per_item = pd.DataFrame({"item": item[rows], "near": near}).groupby("item")["near"]
    summary = per_item.agg(["all", "size"])
    return set(summary.index[summary["all"] & (summary["size"] >= 4)])


def _in_region(xy: np.ndarray) -> np.ndarray:
    """Return True where metric points lie inside :data:`~ctz.base.REGION_BOUNDS`."""
    lon, lat = Transformer.from_crs(METRIC_CRS, STORAGE_CRS, always_xy=True).transform(
        xy[:, 0], xy[:, 1]
    )
    west, south, east, north = REGION_BOUNDS
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def _row(
    service: str, name: str, mode: str, source: str, route_id: str, use: str, note: str
) -> dict[str, str]:
    return dict(
        zip(SERVICE_COLUMNS, (service, name, mode, source, route_id, use, note), strict=True)
    )

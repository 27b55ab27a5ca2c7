"""The shipped timetable against its cited facts and the real station positions."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import yaml
from pyproj import Geod

from ctz.catalog import Catalog
from ctz.catalog.load import default_seeds_dir
from ctz.checks.commute.gtfs import read_feed_services

SEEDS = default_seeds_dir()
FEED = SEEDS / "transit" / "czt"
GEOD = Geod(ellps="WGS84")

REFERENCE_NAMES: dict[str, tuple[str, ...]] = {
    "长沙站": ("长沙火车站", "长沙"),
    "树木岭": ("树木岭",),
    "中信广场(城际先锋站)": ("中信广场(城际先锋站)", "先锋"),
    "株洲站": ("株洲",),
    "湘潭站": ("湘潭",),
    "长沙南站": ("长沙火车南站",),
    "湘潭北站": ("湘潭北站",),
    "磁浮高铁站": ("磁浮高铁",),
    "磁浮机场站": ("磁浮机场",),
    "北辰三角洲": ("北辰三角洲",),
    "五一广场": ("五一广场",),
    "侯家塘": ("侯家塘",),
    "文化艺术中心": ("文化艺术中心",),
    "洋湖湿地": ("洋湖湿地",),
    "长沙大学": ("长沙大学",),
    "湘龙": ("湘龙",),
    "福元大桥西": ("福元大桥西",),
    "圭塘": ("圭塘",),
    "火炬村": ("火炬村",),
    "杜家坪": ("杜家坪",),
    "株洲南站": ("株洲南",),
    "暮云站": ("暮云",),
    "田心东站": ("田心东",),
    "山塘": ("山塘",),
    "罐子岭": ("罐子岭",),
    "谢家桥": ("谢家桥",),
    "六沟垅": ("六沟垅",),
    "文昌阁": ("文昌阁",),
    "迎宾路口": ("迎宾路口",),
    "朝阳村": ("朝阳村",),
    "芙蓉区政府": ("芙蓉区政府",),
    "人民东路": ("人民东路",),
    "黄花机场T1T2": ("黄花机场T1T2",),
}
"""Each stop name and the names its station has in the reference table (one per line it serves)."""

NO_REFERENCE = {"株洲西站", "韶山南站"}
"""High-speed stations the reference table (metro, maglev, intercity) does not hold."""


def feed_table(name: str) -> pd.DataFrame:
    return pd.read_csv(FEED / f"{name}.txt", dtype=str)


def reference_points(reference_dir: Path) -> pd.DataFrame:
    """Named station points of both reference files: ``name``, ``lon``, ``lat``, ``listed``.

    ``listed`` marks the rows of the station table (``czt_rail_stations.csv``); the
    others are OpenStreetMap station nodes. The two disagree on 株洲南 by about 1.6 km
    (the table's point lies off the OSM node of that name), so a stop counts as placed
    when either file's station of its name is near.
    """
    table = pd.read_csv(reference_dir / "czt_rail_stations.csv")
    osm = gpd.read_file(reference_dir / "osm_railway_stations_czt.geojson").dropna(subset=["name"])
    return pd.concat(
        [
            pd.DataFrame(
                {"name": table["station_name"], "lon": table["lon"], "lat": table["lat"]}
            ).assign(listed=True),
            pd.DataFrame(
                {"name": osm["name"], "lon": osm.geometry.x, "lat": osm.geometry.y}
            ).assign(listed=False),
        ],
        ignore_index=True,
    )


def test_every_stop_lies_within_1500_m_of_the_reference_station_of_its_name(
    reference_dir: Path,
) -> None:
    reference = reference_points(reference_dir)
    stops = feed_table("stops")
    assert set(stops["stop_name"]) == set(REFERENCE_NAMES) | NO_REFERENCE
    far = []
    for stop in stops[~stops["stop_name"].isin(NO_REFERENCE)].itertuples():
        for name in REFERENCE_NAMES[stop.stop_name]:
            same = reference[reference["name"] == name]
            assert same["listed"].any(), name
            metres = min(
                GEOD.inv(float(stop.stop_lon), float(stop.stop_lat), lon, lat)[2]
                for lon, lat in zip(same["lon"], same["lat"], strict=True)
            )
            if metres > 1500:
                far.append((stop.stop_id, name, round(metres)))
    assert not far


def test_stops_are_cited_catalog_anchors_and_datuo_is_gone(catalog: Catalog) -> None:
    stops = feed_table("stops").set_index("stop_id")
    assert "datuo" not in stops.index and "大托" not in set(stops["stop_name"])
    uncited = set()
    for stop_id, stop in stops.iterrows():
        anchor = catalog.anchors[stop_id]
        assert float(stop["stop_lon"]) == pytest.approx(anchor.lon, abs=1e-5), stop_id
        assert float(stop["stop_lat"]) == pytest.approx(anchor.lat, abs=1e-5), stop_id
        if not anchor.source.startswith(("Wikipedia", "Dataset")):
            uncited.add(stop_id)
    # The four stations still placed from public maps (their anchors state the error);
    # every other stop cites a Wikipedia infobox or a public station dataset.
    assert uncited == {
        "changsha_station",
        "changsha_south_station",
        "xiangtan_north_station",
        "changsha_wuyi_square",
    }


def test_shipped_feed_agrees_with_its_sources() -> None:
    sources = yaml.safe_load((SEEDS / "transit" / "sources.yaml").read_text(encoding="utf-8"))
    times = feed_table("stop_times")
    trips = feed_table("trips").set_index("trip_id")
    every = feed_table("frequencies").set_index("trip_id")
    times = times.assign(
        route_id=times["trip_id"].map(trips["route_id"]),
        sequence=times["stop_sequence"].astype(int),
        arrive=pd.to_timedelta(times["arrival_time"]).dt.total_seconds() / 60.0,
        depart=pd.to_timedelta(times["departure_time"]).dt.total_seconds() / 60.0,
    )
    assert set(feed_table("routes")["route_id"]) == set(sources["routes"])
    for route_id, facts in sources["routes"].items():
        own = times[times["route_id"] == route_id]
        for fact in facts.get("run_minutes", []):
            found = set()
            for _, trip in own.groupby("trip_id"):
                at = trip.set_index("stop_id")
                both = {fact["from"], fact["to"]} <= set(at.index)
                if both and at.loc[fact["from"], "sequence"] < at.loc[fact["to"], "sequence"]:
                    seconds = (at.loc[fact["to"], "arrive"] - at.loc[fact["from"], "depart"]) * 60
                    found.add(round(seconds))
            assert found == {round(fact["minutes"] * 60)}, (route_id, fact)
        headways = {f["trip"]: f["minutes"] for f in facts.get("headway_min", [])}
        assert set(headways) == set(own["trip_id"]), route_id
        for trip_id, minutes in headways.items():
            assert int(every.loc[trip_id, "headway_secs"]) == pytest.approx(minutes * 60), trip_id
        if "no_trips" in facts:
            assert own.empty
        for fact in [*facts.get("run_minutes", []), *facts.get("headway_min", [])]:
            assert fact["status"] in {"published", "quoted", "estimate"} and fact["source"]


def test_west_ring_runs_through_onto_line_3_and_lines_3_to_6_run() -> None:
    feed = read_feed_services(FEED)
    routes = feed.routes.set_index("route_id")
    for route in ("czt_west_ring", *(f"changsha_metro_line{n}" for n in range(1, 7))):
        assert routes.loc[route, "departures"] > 0, route
    times = feed_table("stop_times")
    ring = times[times["trip_id"] == "west_ring_out"]["stop_id"].tolist()
    line3 = times[times["trip_id"] == "line3_out"]["stop_id"].tolist()
    assert ring[0] == "xiangtan_north_station" and ring[1:] == line3
    assert line3[0] == "shantang"


def test_every_line_6_stop_but_its_ends_is_an_interchange_with_lines_1_to_5() -> None:
    times = feed_table("stop_times")
    trips = feed_table("trips").set_index("trip_id")
    times = times.assign(route=times["trip_id"].map(trips["route_id"]))
    lines_at = times.groupby("stop_id")["route"].agg(lambda r: set(r) - {"changsha_metro_line6"})
    line6 = times[times["trip_id"] == "line6_out"]["stop_id"].tolist()
    assert line6[0] == "xiejiaqiao_station" and line6[-1] == "huanghua_airport_t1t2_station"
    metro = {f"changsha_metro_line{n}" for n in range(1, 6)}
    assert all(lines_at[stop] & metro for stop in line6[1:-1]), lines_at[line6[1:-1]]
    assert len(line6) == 8


def test_line_6_hops_add_up_to_its_published_82_minutes() -> None:
    sources = yaml.safe_load((SEEDS / "transit" / "sources.yaml").read_text(encoding="utf-8"))
    runs = sources["routes"]["changsha_metro_line6"]["run_minutes"]
    assert [r["from"] for r in runs[1:]] == [r["to"] for r in runs[:-1]]
    assert sum(r["minutes"] for r in runs) == pytest.approx(82.0, abs=1 / 60)


def test_shipped_feed_serves_the_cores_window() -> None:
    routes = read_feed_services(FEED).routes.set_index("route_id")
    # Four intercity patterns (two branches, both ways) every 21 min from 06:00:
    # 07:03, 07:24, …, 08:48 — six departures each in 07:00–09:00.
    assert routes.loc["czt_intercity_railway", "departures"] == 4 * 6
    assert routes.loc["beijing_guangzhou_railway", "departures"] == 0

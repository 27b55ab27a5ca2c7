"""The embedded default's context: county seats reached in time, the shipped feed, its sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pyproj import Geod

import ctz
from ctz.base import CatalogError
from ctz.catalog import Catalog
from ctz.catalog.context import Context, load_context
from ctz.catalog.load import default_seeds_dir
from ctz.checks.commute.gtfs import read_feed_services

SEEDS = default_seeds_dir()
FEED = SEEDS / "transit" / "czt"
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def seat_table(catalog: Catalog) -> pd.DataFrame:
    """County seats checked on the default embedded network (coarse grid: only roads matter)."""
    return ctz.commute(scenario="existing", grid_km=5.0, catalog=catalog).county_seats


def test_every_county_seat_is_reached_by_road_near_its_reference(seat_table: pd.DataFrame) -> None:
    assert len(seat_table) == 12
    assert seat_table["model_min"].lt(float("inf")).all()
    # The twelve references are estimates (see seeds/context/county_seats.yaml); the
    # model stays within 40 % of each, and within 25 % of most.
    assert seat_table["ratio"].between(0.6, 1.4).all(), seat_table
    assert seat_table["agrees"].sum() >= 9, seat_table


def test_every_county_seat_within_90_minutes_unless_it_is_farther_by_any_route(
    seat_table: pd.DataFrame,
) -> None:
    # 攸县, 茶陵 and 炎陵 lie 95–160 km from Zhuzhou: no route planner drives them in
    # 90 minutes, so the rule holds for the seats whose reference is under 90 minutes.
    near = seat_table[seat_table["reference_min"] < 90]
    assert set(seat_table["name_zh"]) - set(near["name_zh"]) == {"攸县", "茶陵县", "炎陵县"}
    assert near["model_min"].le(90).all(), near


def test_shipped_feed_stops_are_catalog_anchors(catalog: Catalog) -> None:
    stops = pd.read_csv(FEED / "stops.txt")
    for stop in stops.itertuples():
        anchor = catalog.anchors[stop.stop_id]
        assert stop.stop_lon == pytest.approx(anchor.lon, abs=1e-5), stop.stop_id
        assert stop.stop_lat == pytest.approx(anchor.lat, abs=1e-5), stop.stop_id


def test_shipped_feed_agrees_with_its_sources() -> None:
    sources = yaml.safe_load((SEEDS / "transit" / "sources.yaml").read_text(encoding="utf-8"))
    times = pd.read_csv(FEED / "stop_times.txt")
    trips = pd.read_csv(FEED / "trips.txt").set_index("trip_id")
    every = pd.read_csv(FEED / "frequencies.txt").set_index("trip_id")
    seconds = pd.to_timedelta(times["arrival_time"]).dt.total_seconds()
    times = times.assign(
        arrive_min=seconds / 60.0,
        depart_min=pd.to_timedelta(times["departure_time"]).dt.total_seconds() / 60.0,
    )
    routes = pd.read_csv(FEED / "routes.txt")["route_id"]
    assert set(routes) == set(sources["routes"])
    for route_id, facts in sources["routes"].items():
        own = times[times["trip_id"].map(trips["route_id"]) == route_id]
        for fact in facts.get("run_minutes", []):
            trip_times = own.groupby("trip_id")
            found = [
                t.set_index("stop_id").loc[fact["to"], "arrive_min"]
                - t.set_index("stop_id").loc[fact["from"], "depart_min"]
                for _, t in trip_times
                if {fact["from"], fact["to"]} <= set(t["stop_id"])
                and t.set_index("stop_id").loc[fact["from"], "stop_sequence"]
                < t.set_index("stop_id").loc[fact["to"], "stop_sequence"]
            ]
            assert found and set(found) == {fact["minutes"]}, (route_id, fact)
        for fact in facts.get("headway_min", []):
            assert every.loc[fact["trip"], "headway_secs"] == fact["minutes"] * 60, fact
        if "no_trips" in facts:
            assert own.empty


def test_shipped_feed_reads_and_serves_the_cores_window() -> None:
    feed = read_feed_services(FEED)
    routes = feed.routes.set_index("route_id")
    assert routes.loc["czt_intercity_railway", "departures"] == 2 * (6 + 4)  # both ways
    assert routes.loc["beijing_guangzhou_railway", "departures"] == 0


def test_station_stops_lie_near_the_reference_stations(
    catalog: Catalog, reference_dir: Path
) -> None:
    # Stops at town anchors (大托, 暮云, 昭山: the towns' centres) are not station positions.
    reference = pd.read_csv(reference_dir / "czt_rail_stations.csv")
    names = {
        "changsha_station": "长沙火车站",
        "czt_xianfeng_station": "先锋",
        "tianxin_zhuzhou": "田心东",
        "zhuzhou_station": "株洲",
        "zhuzhou_south_station": "株洲南",
        "xiangtan_station": "湘潭",
        "changsha_south_station": "长沙火车南站",
        "xiangtan_north_station": "湘潭北站",
        "langli_maglev": "磁浮榔梨",
        "kaifu_district_gov": "开福区政府",
        "changsha_wuyi_square": "五一广场",
        "citic_plaza_station": "中信广场(城际先锋站)",
        "meixihu_west": "梅溪湖西",
    }
    stops = pd.read_csv(FEED / "stops.txt").set_index("stop_id")
    assert {s for s in stops.index if catalog.anchors[s].kind == "town"} == {
        "datuo",
        "muyun",
        "zhaoshan",
    }
    for stop_id, name in names.items():
        same = reference[reference["station_name"] == name]
        lon, lat = stops.loc[stop_id, ["stop_lon", "stop_lat"]]
        metres = min(
            GEOD.inv(lon, lat, x, y)[2] for x, y in zip(same["lon"], same["lat"], strict=True)
        )
        assert metres < 2500, (stop_id, metres)


def test_context_of_a_foreign_catalog_is_empty() -> None:
    assert load_context(Catalog({}, {}, {}, {}, {})) == Context()


def test_broken_context_is_one_line_naming_file_and_entry(tmp_path: Path, catalog: Catalog) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS / "context", seeds / "context")
    roads = seeds / "context" / "roads.yaml"
    text = roads.read_text(encoding="utf-8")
    roads.write_text(
        text.replace("to: ningxiang", "to: nowhere_town", 1).replace(
            "kind: trunk_road", "kind: canal", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as error:
        load_context(catalog, seeds)
    message = str(error.value)
    assert "\n" not in message
    assert "roads.yaml: g319_liuyang_changsha_ningxiang: kind 'canal'" in message
    roads.write_text(text.replace("to: ningxiang", "to: nowhere_town", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match="g319_liuyang_changsha_ningxiang: unknown anchor"):
        load_context(catalog, seeds)

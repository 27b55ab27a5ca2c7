"""Embedded sketches against real OSM-derived reference data in ../shared/reference.

Stations must lie within 1.5 km of the OSM station of the same name; expressway
sketches must stay within 5 km of the reference polyline with the same ref
(directed Hausdorff distance: every point of the sketch is near the road; the
sketch may cover only part of it).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from ctz.base import METRIC_CRS
from ctz.catalog import load_catalog
from ctz.catalog.text import to_simplified
from ctz.geo.embedded import EmbeddedSource

STATION_TOLERANCE_M = 1500.0
EXPRESSWAY_TOLERANCE_M = 5000.0
DENSIFY_M = 250.0

ROUGH_SKETCHES = frozenset(
    {
        "g4_jinggangao",
        "g4_widening_guangfu_wangshiwan",
        "g60_hukun",
        "g60_widening_liling_loudi",
        "g0421_xuguang",
        "g0401_changsha_ring",
        "g55_erguang",
        "g55_changde_anhua",
        "g55_anhua_shaoyang",
        "g56_hangrui",
        "g56_linxiang_yueyang",
    }
)
"""Expressway sketches drawn from general knowledge of the route that stray more
than 5 km; known failures until surveyed via points replace them.  Strict: a
sketch that starts passing must leave this list."""

CATALOG = load_catalog()
STATIONS = [i for i in CATALOG.items.values() if i.kind == "station"]
EXPRESSWAYS = [
    pytest.param(
        item,
        marks=pytest.mark.xfail(item.id in ROUGH_SKETCHES, reason="rough sketch", strict=True),
    )
    for item in CATALOG.items.values()
    if item.kind == "expressway" and item.osm.get("refs")
]


def station_key(name: str) -> str:
    """Simplified name without the trailing 站 that OSM station names omit."""
    return to_simplified(name).removesuffix("站")


@pytest.fixture(scope="module")
def reference_stations(reference_dir: Path) -> gpd.GeoDataFrame:
    osm = gpd.read_file(reference_dir / "osm_railway_stations_czt.geojson")[["name", "geometry"]]
    table = pd.read_csv(reference_dir / "czt_rail_stations.csv")
    listed = gpd.GeoDataFrame(
        {"name": table["station_name"]},
        geometry=gpd.points_from_xy(table["lon"], table["lat"]),
        crs="EPSG:4326",
    )
    both = pd.concat([osm.to_crs("EPSG:4326"), listed], ignore_index=True).dropna(subset=["name"])
    both["key"] = both["name"].map(station_key)
    return both.to_crs(METRIC_CRS)


@pytest.fixture(scope="module")
def reference_expressways(reference_dir: Path) -> gpd.GeoDataFrame:
    roads = gpd.read_file(reference_dir / "hunan_expressways_rough.geojson")
    return roads.to_crs(METRIC_CRS).set_index("ref")


def metric(geometry: shapely.Geometry) -> shapely.Geometry:
    return gpd.GeoSeries([geometry], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]


@pytest.mark.parametrize("item", STATIONS, ids=lambda i: i.id)
def test_station_sketch_lies_near_the_osm_station(item, reference_stations):
    keys = {station_key(n) for n in item.names}
    same_name = reference_stations[reference_stations["key"].isin(keys)]
    if same_name.empty:
        pytest.skip(f"{item.name_zh}: no reference station of that name")
    point = metric(EmbeddedSource(CATALOG).sketch(item))
    distance = same_name.distance(point).min()
    assert distance <= STATION_TOLERANCE_M, f"{item.id} {item.name_zh}: {distance:.0f} m off"


@pytest.mark.parametrize("item", EXPRESSWAYS, ids=lambda i: i.id)
def test_expressway_sketch_follows_the_reference_road(item, reference_expressways):
    refs = [r for r in item.osm["refs"] if r in reference_expressways.index]
    if not refs:
        pytest.skip(f"{item.id}: no reference polyline for refs {item.osm['refs']}")
    reference = shapely.union_all(reference_expressways.loc[refs].geometry.to_numpy())
    sketch = shapely.segmentize(metric(EmbeddedSource(CATALOG).sketch(item)), DENSIFY_M)
    vertices = shapely.points(shapely.get_coordinates(sketch))
    worst = float(np.max(shapely.distance(vertices, reference)))
    message = f"{item.id} {item.name_zh}: strays {worst / 1000:.1f} km"
    assert worst <= EXPRESSWAY_TOLERANCE_M, message

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import rasterio
import shapely
from checks_support import ORIGIN, FakeOsmSource, catalog, features_frame, goal, item, to_lonlat
from rasterio.transform import from_origin
from shapely.geometry import box

from ctz.base import RasterError
from ctz.checks.charging import check_charging_goal
from ctz.checks.context import CheckContext
from ctz.checks.population import read_raster_people
from ctz.geo.embedded import EmbeddedSource

# A 10 km x 0.5 km strip (5 km2) with chargers on its axis at x = 1 km and x = 6 km.
# Each 1 km disc covers the strip over  2 * (h*sqrt(1-h^2) + asin h),  h = 0.25:
DISC_IN_STRIP = 2 * (0.25 * math.sqrt(1 - 0.25**2) + math.asin(0.25))
UNCOVERED = 5 - 2 * DISC_IN_STRIP
# patches: between the discs (x 1-6 less two half discs), the tail (x 6-10 less a half
# disc) and two corner slivers at x = 0
BETWEEN = 2.5 - DISC_IN_STRIP
TAIL = 2.0 - DISC_IN_STRIP / 2
STRIP = item("central", "中心城区", "boundary")
CHARGING = goal("charging", "charging_radius", 1, "km", ["central"])
CATALOG = catalog([], [STRIP], [CHARGING])
STATIONS = [({"amenity": "charging_station"}, shapely.Point(x, 0)) for x in (1, 6)]
ELSEWHERE = [({"amenity": "charging_station"}, shapely.Point(30, 30))]


def context(population: Path | None = None) -> CheckContext:
    geometry = {"central": to_lonlat(box(0, -0.25, 10, 0.25))}
    source = FakeOsmSource(CATALOG, geometry, features_frame(STATIONS + ELSEWHERE))
    area = to_lonlat(box(-0.02, -0.51, 10.02, 0.53))  # about the raster of the population test
    people = None if population is None else read_raster_people(population, area)
    return CheckContext(CATALOG, source, people)


def test_uncovered_share_and_largest_patches() -> None:
    result = check_charging_goal(CHARGING, context())
    # 64-gon buffers are 0.16 % smaller than discs: compare to 0.3 %
    assert result.measured == pytest.approx(UNCOVERED / 5 * 100, rel=3e-3)
    assert result.verdict == "not_met"
    assert result.details[0]["stations"] == 2
    assert result.details[0]["uncovered_patches"] == 4
    patches = result.evidence.to_crs("EPSG:32649").area.to_numpy() / 1e6
    assert patches[:2] == pytest.approx([BETWEEN, TAIL], rel=3e-3)
    assert patches.sum() == pytest.approx(UNCOVERED, rel=3e-3)


def test_population_share_beyond_the_radius(tmp_path: Path) -> None:
    # 100 m cells over x 0-10 km, y -0.49..0.51 km (no pixel centre on the strip's edge);
    # cell (row, col) holds col + 1 people
    cells = np.tile(np.arange(1, 101, dtype="float32"), (10, 1))
    raster = tmp_path / "pop.tif"
    west, north = ORIGIN[0], ORIGIN[1] + 510
    with rasterio.open(
        raster,
        "w",
        driver="GTiff",
        height=10,
        width=100,
        count=1,
        dtype="float32",
        crs="EPSG:32649",
        transform=from_origin(west, north, 100, 100),
    ) as out:
        out.write(cells, 1)
    # independently: centres inside the strip, farther than 1 km from both chargers
    x = (np.arange(100) * 100 + 50)[None, :].repeat(10, 0)
    y = (460 - np.arange(10) * 100)[:, None].repeat(100, 1)
    inside = np.abs(y) < 250
    far = np.minimum(np.hypot(x - 1000, y), np.hypot(x - 6000, y)) > 1000
    result = check_charging_goal(CHARGING, context(raster))
    assert result.details[0]["population"] == cells[inside].sum()
    assert result.details[0]["population_beyond"] == cells[inside & far].sum()


def test_missing_raster_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(RasterError, match="no such population raster"):
        context(tmp_path / "none.tif")


def test_no_stations_leaves_the_whole_area_uncovered() -> None:
    geometry = {"central": to_lonlat(box(0, -0.25, 10, 0.25))}
    ctx = CheckContext(CATALOG, FakeOsmSource(CATALOG, geometry, features_frame(ELSEWHERE)))
    result = check_charging_goal(CHARGING, ctx)
    assert result.measured == pytest.approx(100.0)


def test_embedded_source_cannot_measure_charging() -> None:
    fallback = goal("charging", "charging_radius", 1, "km", [])
    ctx = CheckContext(catalog([], [], [fallback]), EmbeddedSource(catalog([], [], [])))
    result = check_charging_goal(fallback, ctx)
    assert result.verdict == "unknown"
    assert "serves no OpenStreetMap features" in result.reason

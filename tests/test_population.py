"""Census population, its spread over cells, and population rasters in any CRS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from ctz.base import METRIC_CRS, STORAGE_CRS, CtzError, RasterError
from ctz.checks.commute.origins import grid_cells
from ctz.checks.data_coverage import DataCoverage
from ctz.checks.population import census_counties, read_raster_people, spread_population

# Hunan 7th census bulletin No. 2, table 2-1.
CITY_TOTALS = {"430100": 10_047_914, "430200": 3_902_738, "430300": 2_726_181}


def test_census_counties_add_up_to_the_city_totals_and_keep_exact_figures() -> None:
    counties = census_counties()
    assert len(counties) == 23
    assert counties.groupby("city")["population"].sum().to_dict() == CITY_TOTALS
    assert counties["population"].sum() == 16_676_833  # 长株潭地区, same bulletin
    by_code = counties.set_index("code")["population"]
    assert by_code["430103"] == 836_157  # 天心区 bulletin figure, not scaled
    assert by_code["430321"] == 792_829  # 湘潭县


def square_counties() -> gpd.GeoDataFrame:
    """Two 10 km x 10 km counties side by side (metric)."""
    x0, y0 = 700_000.0, 3_100_000.0
    return gpd.GeoDataFrame(
        {"code": ["430102", "430103"]},
        geometry=[
            box(x0, y0, x0 + 10_000, y0 + 10_000),
            box(x0 + 10_000, y0, x0 + 20_000, y0 + 10_000),
        ],
        crs=METRIC_CRS,
    )


def test_grid_has_one_cell_per_square_kilometre() -> None:
    cells = grid_cells(square_counties().to_crs(STORAGE_CRS), 1.0)
    # Reprojection bends the squares by metres only: 100 cells each.
    counts = cells["code"].value_counts().to_dict()
    assert counts == {"430102": 100, "430103": 100}


def test_spread_keeps_county_totals_and_leans_toward_places() -> None:
    cells = grid_cells(square_counties(), 1.0)
    counties = gpd.pd.DataFrame({"code": ["430102", "430103"], "population": [1_000_001, 7]})
    town = np.array([[700_500.0, 3_100_500.0]])  # centre of the first county's corner cell
    people = spread_population(cells, counties, town, np.array([50_000.0]))
    assert people.dtype.kind == "i"
    assert people[cells["code"].to_numpy() == "430102"].sum() == 1_000_001
    assert people[cells["code"].to_numpy() == "430103"].sum() == 7
    corner = cells.geometry.distance(Point(town[0])).to_numpy().argmin()
    assert people[corner] == people.max()


def test_spread_refuses_a_county_without_cells() -> None:
    cells = grid_cells(square_counties(), 1.0)
    counties = gpd.pd.DataFrame({"code": ["430102", "439999"], "population": [5, 5]})
    with pytest.raises(CtzError, match="439999"):
        spread_population(cells, counties, np.zeros((0, 2)), np.zeros(0))


def write_raster(
    path: Path, crs: str, values: np.ndarray, west: float, north: float, step: float
) -> None:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=values.shape[1],
        height=values.shape[0],
        count=1,
        dtype="float32",
        crs=crs,
        transform=from_origin(west, north, step, step),
        nodata=-1,
    ) as out:
        out.write(values.astype("float32"), 1)


def people_in_cells(raster: Path, counties: gpd.GeoDataFrame, size_km: float) -> np.ndarray:
    cells = grid_cells(counties, size_km)
    area = counties.to_crs(STORAGE_CRS).union_all()
    centres = np.column_stack([cells.geometry.x, cells.geometry.y])
    return read_raster_people(raster, area).in_cells(centres, size_km)


def test_raster_population_sums_pixels_into_cells(tmp_path: Path) -> None:
    counties = square_counties()
    west, _south, east, north = counties.to_crs(STORAGE_CRS).total_bounds
    raster = tmp_path / "pop.tif"
    values = np.full((60, 120), 2.0)
    values[0, 0] = -1  # nodata counts as nobody
    step = (east - west + 0.1) / 120
    write_raster(raster, "EPSG:4326", values, west - 0.05, north + 0.05, step)
    people = people_in_cells(raster, counties, 5.0)  # 8 cells of 5 km
    # Every pixel centre inside the counties lands in exactly one cell: total = 2 x pixels inside.
    lon = west - 0.05 + (np.arange(120) + 0.5) * step
    lat = north + 0.05 - (np.arange(60) + 0.5) * step
    grid_lon, grid_lat = np.meshgrid(lon, lat)
    inside = gpd.GeoSeries(gpd.points_from_xy(grid_lon.ravel(), grid_lat.ravel()), crs=STORAGE_CRS)
    inside = inside.to_crs(METRIC_CRS).within(counties.union_all()).to_numpy()
    assert people.sum() == pytest.approx(2.0 * inside.sum(), abs=4.0)


def test_raster_in_a_metric_crs_counts_the_same_people(tmp_path: Path) -> None:
    # 250 m pixels of 3 people over the two counties and a 1 km margin, in UTM 49N itself:
    # each 5 km cell holds 20 x 20 pixel centres, so 1200 people.
    raster = tmp_path / "utm.tif"
    values = np.full((48, 88), 3.0)
    write_raster(raster, METRIC_CRS, values, 699_000, 3_111_000, 250)
    people = people_in_cells(raster, square_counties(), 5.0)
    assert people.tolist() == [1200.0] * 8


def test_raster_elsewhere_or_empty_is_refused(tmp_path: Path) -> None:
    counties = square_counties()
    elsewhere = tmp_path / "europe.tif"  # around Paris
    write_raster(elsewhere, "EPSG:4326", np.ones((10, 10)), 2.0, 49.0, 0.01)
    with pytest.raises(RasterError, match="does not overlap the study area"):
        people_in_cells(elsewhere, counties, 5.0)
    empty = tmp_path / "empty.tif"
    write_raster(empty, METRIC_CRS, np.zeros((48, 88)), 699_000, 3_111_000, 250)
    with pytest.raises(RasterError, match="holds no population inside the study area"):
        people_in_cells(empty, counties, 5.0)
    with pytest.raises(RasterError, match="no such population raster"):
        people_in_cells(tmp_path / "missing.tif", counties, 5.0)
    not_raster = tmp_path / "notes.tif"
    not_raster.write_text("not a raster", encoding="utf-8")
    with pytest.raises(RasterError, match="cannot read population raster"):
        people_in_cells(not_raster, counties, 5.0)


def counties_area() -> object:
    return square_counties().to_crs(STORAGE_CRS).union_all()


@pytest.mark.parametrize("east_km", [14.0, 17.0, 19.5])
def test_raster_cover_of_the_study_area_is_measured_and_warned(
    tmp_path: Path, east_km: float
) -> None:
    # 250 m pixels from 1 km west of the counties to ``east_km`` along their 20 km
    raster = tmp_path / "part.tif"
    width = int((east_km + 1) * 4)
    write_raster(raster, METRIC_CRS, np.full((48, width), 3.0), 699_000, 3_111_000, 250)
    people = read_raster_people(raster, counties_area())
    assert people.cover == pytest.approx(east_km / 20, abs=0.01)
    (warning,) = people.warnings()
    assert f"{people.cover:.1%} of the study area" in warning
    coverage = DataCoverage("pbf", 1.0).with_raster(people)
    assert coverage.to_dict()["population_raster_share"] == pytest.approx(east_km / 20, abs=0.01)
    assert coverage.warnings == (warning,)


def test_raster_with_nan_over_part_is_no_data_there(tmp_path: Path) -> None:
    values = np.full((48, 88), 3.0)
    values[:, : 4 + 4 * 6] = np.nan  # the western 6 km of 20 (and the 1 km margin)
    raster = tmp_path / "holes.tif"
    write_raster(raster, METRIC_CRS, values, 699_000, 3_111_000, 250)
    assert read_raster_people(raster, counties_area()).cover == pytest.approx(0.7, abs=0.01)
    values[:, : 4 + 4 * 11] = np.nan  # 11 km of 20: under half
    write_raster(raster, METRIC_CRS, values, 699_000, 3_111_000, 250)
    with pytest.raises(RasterError, match="data for only 45"):
        read_raster_people(raster, counties_area())


def test_a_quarter_raster_is_refused(tmp_path: Path) -> None:
    raster = tmp_path / "quarter.tif"
    write_raster(raster, METRIC_CRS, np.full((48, 24), 3.0), 699_000, 3_111_000, 250)
    with pytest.raises(RasterError, match=r"data for only 25\.\d% of the study area"):
        read_raster_people(raster, counties_area())


@pytest.mark.parametrize("value", [3e38, np.inf, -5.0, 130_000.0])
def test_impossible_people_counts_are_refused(tmp_path: Path, value: float) -> None:
    # 130 000 people in 250 m x 250 m is 2.08 million per km²: denser than any city block
    values = np.full((48, 88), 3.0)
    values[10, 10] = value
    raster = tmp_path / "absurd.tif"
    write_raster(raster, METRIC_CRS, values, 699_000, 3_111_000, 250)
    with pytest.raises(RasterError, match="no people count"):
        read_raster_people(raster, counties_area())
    values[10, 10] = 120_000.0  # 1.92 million per km²: dense, but possible
    write_raster(raster, METRIC_CRS, values, 699_000, 3_111_000, 250)
    assert read_raster_people(raster, counties_area()).people.max() == 120_000.0

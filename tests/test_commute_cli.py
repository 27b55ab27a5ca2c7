"""``ctz check commute`` through click: bad input is one line and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import rasterio
from click.testing import CliRunner
from rasterio.transform import from_origin

from ctz.cli import main


def one_line_error(args: list[str]) -> str:
    result = CliRunner().invoke(main, ["check", "commute", *args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ctz: error:")
    return lines[0]


def test_missing_raster_is_one_line() -> None:
    assert "no such population raster" in one_line_error(["--population", "/nonexistent.tif"])


def test_raster_on_another_continent_is_one_line(tmp_path: Path) -> None:
    raster = tmp_path / "paris.tif"
    with rasterio.open(
        raster,
        "w",
        driver="GTiff",
        width=4,
        height=4,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_origin(2.0, 49.0, 0.01, 0.01),
    ) as out:
        out.write(np.ones((1, 4, 4), dtype="float32"))
    assert "does not overlap the study area" in one_line_error(["--population", str(raster)])


def test_unknown_scenario_and_empty_year_are_one_line() -> None:
    assert "unknown scenario" in one_line_error(["--scenario", "soon"])
    assert "no planned road or rail item" in one_line_error(["--scenario", "1990"])


def test_bad_grid_and_usage_errors_are_one_line() -> None:
    assert "must be positive" in one_line_error(["--grid-km", "0"])
    assert "--access" in one_line_error(["--access", "bicycle"])


def test_isochrones_and_grid_are_written_as_gis_layers(tmp_path: Path) -> None:
    import geopandas as gpd
    import pyogrio

    bands, grid = tmp_path / "bands.gpkg", tmp_path / "grid.parquet"
    args = ["--scenario", "existing", "--json", "--isochrones", str(bands), "--grid", str(grid)]
    result = CliRunner().invoke(main, ["check", "commute", *args])
    assert result.exit_code == 0, result.output
    layers = dict(pyogrio.list_layers(bands))
    assert list(layers.values()) == ["MultiPolygon"]
    frame = gpd.read_file(bands, layer=next(iter(layers)))
    assert sorted(set(frame["origin"])) == [
        "changsha_core",
        "nearest",
        "xiangtan_core",
        "zhuzhou_core",
    ]
    assert sorted(set(frame["minutes"])) == [30, 45, 60, 90]
    cells = gpd.read_parquet(grid)
    report = json.loads(result.stdout)
    assert len(cells) == report["cells"] and cells["population"].sum() == report["population"]


def test_a_layer_file_of_the_wrong_kind_is_refused_before_any_work(tmp_path: Path) -> None:
    assert "bands.shp: write a file ending in .gpkg" in one_line_error(
        ["--isochrones", str(tmp_path / "bands.shp")]
    )


def test_json_states_the_measure_its_range_and_a_finite_grid(tmp_path: Path) -> None:
    import geopandas as gpd

    grid = tmp_path / "grid.parquet"
    args = ["--json", "--grid-km", "4", "--grid", str(grid)]
    result = CliRunner().invoke(main, ["check", "commute", *args])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    indicator_keys = {"id", "name_zh", "rule", "area", "population", "value", "unit", "low", "high"}
    indicators = {row["id"]: row for row in report["indicators"]}
    assert all(row.keys() == indicator_keys for row in indicators.values())
    area = indicators["area_nearest_60"]
    assert area["area"] == "长株潭都市圈" and 13_000_000 < area["population"] < 16_000_000
    assert area["low"] <= area["value"] <= area["high"]
    assert indicators["prefectures_nearest_60"]["population"] == report["population"]
    goal = report["goal"]
    assert {"rule", "value", "low", "high", "verdict", "holds_over_range"} <= goal.keys()
    assert goal["value"] == area["value"] and "area_nearest_60" in goal["rule"]
    flips = (goal["low"] < goal["threshold"]) != (goal["high"] < goal["threshold"])
    assert goal["holds_over_range"] is not flips
    pairs = report["core_to_core_minutes"]
    assert all({"station_to_station", "station_service"} <= p.keys() for p in pairs)
    rides = {(r["from"], r["to"]): r for r in report["station_to_station"]}
    assert len(rides) == len(pairs) == 3
    changsha_zhuzhou = rides[("changsha_core", "zhuzhou_core")]
    assert changsha_zhuzhou["minutes"] <= 16 and changsha_zhuzhou["service"]
    cells = gpd.read_parquet(grid)
    people = cells["population"] > 0
    minutes = cells.loc[people, [c for c in cells.columns if c.startswith("minutes_")]]
    assert np.isfinite(minutes.to_numpy(dtype=float)).all()
    ningxiang = next(c for c in report["by_county"] if c["name_zh"] == "宁乡市")
    assert ningxiang["within_60_scenario"] > 0

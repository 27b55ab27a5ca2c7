"""``ctz check commute`` through click: bad input is one line and exit code 2."""

from __future__ import annotations

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

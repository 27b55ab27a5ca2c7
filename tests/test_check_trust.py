"""Checks on data that cannot carry them: unusable sources end the run, partial ones say so."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from geo_osm_support import write_osm

import ctz
from ctz.cli import main

ZHUZHOU_CORE = (113.129, 27.828)
"""Near the Zhuzhou core anchor (seeds/anchors/water_green.yaml): the extract covers only it."""


def zhuzhou_grid(path: Path, km: float = 6.0, step_km: float = 0.5) -> Path:
    """A grid of two-way residential streets around the Zhuzhou core and nothing else."""
    lon0, lat0 = ZHUZHOU_CORE
    ticks = np.arange(-km / 2, km / 2 + 1e-9, step_km)
    dlon, dlat = 1 / (111.32 * np.cos(np.radians(lat0))), 1 / 110.57
    n = len(ticks)
    nodes: list[tuple] = [
        (1 + i * n + j, lon0 + x * dlon, lat0 + y * dlat, {})
        for i, y in enumerate(ticks)
        for j, x in enumerate(ticks)
    ]
    street = {"highway": "residential"}
    ways = [(1000 + i, [1 + i * n + j for j in range(n)], street) for i in range(n)]
    ways += [(2000 + j, [1 + i * n + j for i in range(n)], street) for j in range(n)]
    return write_osm(path, nodes, ways)


@pytest.fixture(scope="module")
def zhuzhou_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return zhuzhou_grid(tmp_path_factory.mktemp("partial") / "zhuzhou.osm.pbf")


def test_commute_on_an_extract_that_misses_two_cores_is_unknown(zhuzhou_only: Path) -> None:
    result = ctz.commute(scenario="existing", source=f"pbf:{zhuzhou_only}")
    assert result.road_network == "osm"
    assert result.goal.verdict == "unknown"
    reason = result.goal.reason
    assert "长沙" in reason and "湘潭" in reason and "株洲" not in reason
    assert reason in result.data_coverage.warnings
    share = result.data_coverage.study_area_share
    assert share is not None and 0 < share < 0.01  # a 6 km square of some 28 000 km²
    assert any("covers" in warning for warning in result.data_coverage.warnings)
    assert result.exit_code(strict=True) == 3 and result.exit_code(strict=False) == 0


def test_check_commute_cli_says_unknown_and_exits_3_when_strict(zhuzhou_only: Path) -> None:
    args = ["check", "commute", "--scenario", "existing", "--source", f"pbf:{zhuzhou_only}"]
    result = CliRunner().invoke(main, [*args, "--json", "--strict"])
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert report["goal"]["verdict"] == "unknown"
    assert report["data_coverage"]["warnings"]


def test_a_corrupt_extract_ends_check_all_with_one_line(tmp_path: Path) -> None:
    corrupt = tmp_path / "hunan.osm.pbf"
    corrupt.write_bytes(b"\x00\x00\x00\x0dOSMHeader" + bytes(range(256)) * 4)
    result = CliRunner().invoke(main, ["check", "all", "--source", f"pbf:{corrupt}"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ctz: error:") and "hunan.osm.pbf" in lines[0]
    assert result.stdout == ""


def test_strict_exit_codes_tell_unknown_from_not_met() -> None:
    from ctz.checks.result import strict_exit_code

    assert strict_exit_code(["met", "met"]) == 0
    assert strict_exit_code(["met", "unknown"]) == 3
    assert strict_exit_code(["unknown", "not_met", "met"]) == 1


def test_markdown_to_stdout_and_usage_errors_are_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "charging", "--markdown", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# 长株潭一体化目标核查")
    assert "## 数据覆盖" in result.stdout and "❔ 未知" in result.stdout
    english = CliRunner().invoke(main, ["check", "charging", "--markdown", "-", "--lang", "en"])
    assert english.stdout.startswith("# Changsha–Zhuzhou–Xiangtan integration goal check")
    assert "## Data coverage" in english.stdout and "❔ unknown" in english.stdout
    folder = CliRunner().invoke(main, ["check", "charging", "--markdown", str(tmp_path)])
    assert folder.exit_code == 2
    assert len(folder.stderr.strip().splitlines()) == 1 and "is a directory" in folder.stderr
    kind = CliRunner().invoke(main, ["geocode", "--kind", "spaceport", "--out", "x.gpkg"])
    assert kind.exit_code == 2
    assert len(kind.stderr.strip().splitlines()) == 1 and "spaceport" in kind.stderr


def test_terminal_output_drops_control_characters() -> None:
    from ctz.maps.terminal import printable

    assert printable("长沙\x1b[2J南\u202e站\r\n") == "长沙[2J南站 "


def test_a_bug_is_one_line_with_its_own_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(ctz, "check", broken)
    monkeypatch.delenv("CTZ_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["check", "all", "--strict"])
    assert result.exit_code == 70
    assert result.stderr.strip().splitlines() == [
        "ctz: internal error: ZeroDivisionError: division by zero "
        "(a bug in ctz; rerun with CTZ_DEBUG=1 for the traceback)"
    ]


def test_a_server_busy_for_ever_ends_check_all_within_the_bound(httpserver, tmp_path) -> None:
    import time

    httpserver.expect_request("/api/interpreter").respond_with_data("rate limited", status=429)
    args = ["check", "all", "--source", "osm", "--overpass-url", httpserver.url_for("/api")]
    started = time.monotonic()
    result = CliRunner().invoke(main, [*args, "--max-wait", "5", "--cache-dir", str(tmp_path)])
    # one 2 s pause, as the next (4 s) would pass the bound; the rest is building the study
    assert time.monotonic() - started < 60
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("ctz: Overpass busy (HTTP 429)") for line in lines)
    assert lines[-1].startswith("ctz: error: Overpass at ") and "within the 5 s bound" in lines[-1]
    assert [line for line in lines if line.startswith("ctz: error")] == lines[-1:]
    assert result.stdout == ""


def test_warnings_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    from ctz.base import CacheWarning

    def warn(*args: object, **kwargs: object) -> None:
        message = "dropped the unreadable cache file\nx.json; fetching again"
        warnings.warn(message, CacheWarning, stacklevel=1)

    monkeypatch.setattr(ctz, "check", warn)
    result = CliRunner().invoke(main, ["check", "all"])
    assert "ctz: warning: dropped the unreadable cache file x.json; fetching again" in result.stderr

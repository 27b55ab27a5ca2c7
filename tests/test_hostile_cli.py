"""The command line under hostile and careless input: printable text, true exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import ctz
from ctz import cli

RAW_OSM_NAME = "way/1 \x1b]0;owned\x07长沙\x1b[2J\u202e站"


def test_the_ambiguous_line_prints_osm_names_without_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    geocode = ctz.geocode

    def ambiguous(*args: Any, **kwargs: Any) -> Any:
        layer = geocode(*args, **kwargs)
        layer.attrs["resolution"]["ambiguous_ids"] = {"czt_west_ring": [RAW_OSM_NAME]}
        return layer

    monkeypatch.setattr(ctz, "geocode", ambiguous)
    out = tmp_path / "items.geojson"
    result = CliRunner().invoke(cli.main, ["geocode", "czt_west_ring", "--out", str(out)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stderr.splitlines() if x.startswith("ambiguous czt_west_ring"))
    assert line == "ambiguous czt_west_ring: also way/1 ]0;owned长沙[2J站"


def test_map_from_an_extract_of_another_continent_says_what_it_covers(tmp_path: Path) -> None:
    from geo_osm_support import write_osm

    paris = tmp_path / "paris.osm.pbf"
    nodes: list[tuple[int, float, float, dict[str, str]]] = [
        (1, 2.35, 48.85, {}),
        (2, 2.36, 48.86, {}),
    ]
    write_osm(paris, nodes, [(10, [1, 2], {"highway": "primary", "name": "Rue de Rivoli"})])
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        cli.main, ["map", "--lang", "en", "--source", f"pbf:{paris}", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert "note: the pbf data covers 0.0% of the study area" in notes[0]
    assert any("drawn from sketches" in line for line in notes)
    embedded = CliRunner().invoke(cli.main, ["map", "-o", str(out)])
    assert embedded.exit_code == 0 and "note:" not in embedded.stderr


def test_ctrl_c_exits_130_not_the_code_of_a_goal_not_met(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ctz, "check", interrupted)
    result = CliRunner().invoke(cli.main, ["check", "all", "--strict"])
    assert result.exit_code == 130
    assert result.stderr.strip().splitlines()[-1] == "ctz: interrupted"


@pytest.mark.parametrize(("debug", "traceback"), [("1", True), ("0", False), ("", False)])
def test_ctz_debug_shows_the_traceback_and_keeps_exit_70(
    monkeypatch: pytest.MonkeyPatch, debug: str, *, traceback: bool
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(ctz, "check", broken)
    monkeypatch.setenv("CTZ_DEBUG", debug)
    result = CliRunner().invoke(cli.main, ["check", "all"])
    assert result.exit_code == 70
    assert ("Traceback (most recent call last)" in result.stderr) is traceback
    assert result.stderr.strip().splitlines()[-1].startswith("ctz: internal error: ZeroDivision")


def test_a_csv_report_whose_folder_is_a_file_names_the_folder(tmp_path: Path) -> None:
    from ctz.files import replacing

    (tmp_path / "brief").write_text("in the way", encoding="utf-8")
    with pytest.raises(OSError) as caught, replacing(tmp_path / "brief" / "goals.csv") as temp:
        temp.write_text("x", encoding="utf-8")
    assert caught.value.filename == str(tmp_path / "brief")
    assert "a file stands where a folder is needed" in str(caught.value)
    assert ".ctz-" not in str(caught.value)


def test_a_full_disk_names_the_path(tmp_path: Path) -> None:
    import errno

    from ctz.files import replacing

    target = tmp_path / "report.xlsx"
    with pytest.raises(OSError) as caught, replacing(target):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert caught.value.filename == str(target)
    assert caught.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []


def test_a_directory_given_as_an_extract_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.main, ["map", "--source", f"pbf:{tmp_path}", "-o", "x.html"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"ctz: error: {tmp_path} is a folder, not an OSM file"
    ]


def test_network_build_on_a_damaged_cache_entry_says_it_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from network_support import write_grid

    monkeypatch.setenv("CTZ_CACHE", str(tmp_path / "cache"))
    extract = write_grid(tmp_path / "grid.osm.pbf")
    args = ["network", "build", "--source", f"pbf:{extract}", "--json"]
    first = CliRunner().invoke(cli.main, args)
    assert first.exit_code == 0, first.output
    (tmp_path / "cache" / "networks").glob("*.npz").__next__().write_bytes(b"damaged")
    again = CliRunner().invoke(cli.main, args)
    assert again.exit_code == 0, again.output
    assert "building it again" in again.stderr
    assert '"from_cache": false' in again.stdout
    third = CliRunner().invoke(cli.main, args)
    assert '"from_cache": true' in third.stdout


@pytest.mark.slow
def test_seeds_extract_streams_a_large_text(tmp_path: Path) -> None:
    import subprocess
    import sys

    lines = (
        "二、行动举措\n"
        "5. 推进融城干道建设，建成长沙湘江大道—湘潭滨江路，打通湘潭至长沙汽车南站的快速通道。\n"
        "9. 加快建设长沙港、株洲港、湘潭港，构建长株潭岳组合港。\n"
        + "各项工作稳步推进，保障措施有力有效，统筹协调机制进一步完善。\n"
        * 20
    ).encode("utf-8")
    big = tmp_path / "001_big.txt"
    with big.open("wb") as out:
        for _ in range(50 * 2**20 // len(lines)):
            out.write(lines)
    if not Path("/proc/self/status").is_file():
        pytest.skip("the peak memory is read from /proc (Linux)")
    # VmHWM is the process's own peak (ru_maxrss of a child counts its parent's at fork)
    measure = (
        "import atexit, sys; from ctz.cli import main; "
        "peak = lambda: open('/proc/self/status').read().split('VmHWM:')[1].split()[0]; "
        "atexit.register(lambda: print('peak', peak(), file=sys.stderr)); "
        "main(['seeds', 'extract', sys.argv[1]])"
    )
    small = tmp_path / "001_small.txt"
    small.write_bytes(lines)
    for text in (small, big):  # the first run fills the cache (GeoNames), as any first run does
        run = [sys.executable, "-c", measure, str(text)]
        done = subprocess.run(run, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\t") > 100_000  # the mentions, printed as found
    peak_kib = int(done.stderr.split("peak")[-1])
    assert peak_kib < 300 * 1024  # 50 MB of text: read whole, it peaked near 1 GB


def test_an_error_naming_a_hostile_scenario_prints_no_control_characters(
    tmp_path: Path,
) -> None:
    for stem in ("a", "b"):
        (tmp_path / f"{stem}.yaml").write_text('name: "\\e]0;owned\\a\\e[2Jmine"\nbase: all\n')
    args = ["check", "commute", "--compare", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "named ']0;owned[2Jmine'" in line, line

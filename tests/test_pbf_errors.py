"""A bad extract is one line on stderr naming the file, and exit 2, for every command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from geo_osm_support import czt_data, write_osm

from ctz.base import SourceError
from ctz.catalog import Catalog
from ctz.cli import main
from ctz.geo.pbf.extract_source import PbfSource
from ctz.geo.pbf.roads import read_ways


def valid(path: Path) -> Path:
    return write_osm(path, *czt_data())


def missing(folder: Path) -> Path:
    return folder / "nowhere.osm.pbf"


def empty(folder: Path) -> Path:
    path = folder / "empty.osm.pbf"
    path.write_bytes(b"")
    return path


def cut_short(folder: Path) -> Path:
    path = valid(folder / "cut.osm.pbf")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def not_pbf(folder: Path) -> Path:
    path = folder / "notes.osm.pbf"
    path.write_text("roads of Changsha, to be mapped\n" * 20, encoding="utf-8")
    return path


def html_page(folder: Path) -> Path:
    path = folder / "portal.osm"
    path.write_text("<html><body>Please log in to the Wi-Fi</body></html>\n", encoding="utf-8")
    return path


def damaged_block(folder: Path) -> Path:
    """Whole block structure, but compressed data altered near the end (bit rot)."""
    path = valid(folder / "rotten.osm.pbf")
    data = bytearray(path.read_bytes())
    for k in range(len(data) - 40, len(data) - 8):
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def no_drivable_road(folder: Path) -> Path:
    nodes: list[tuple] = [(1, 112.98, 28.19, {}), (2, 112.99, 28.19, {})]
    return write_osm(folder / "paths.osm.pbf", nodes, [(1, [1, 2], {"highway": "footway"})])


OPENED_BADLY: dict[str, Callable[[Path], Path]] = {
    "missing": missing,
    "empty": empty,
    "cut short": cut_short,
    "not pbf": not_pbf,
    "html page": html_page,
}
"""Extracts refused as soon as they are opened."""

COMMANDS = {
    "geocode": ["geocode", "--out", "{out}.parquet"],
    "map": ["map", "-o", "{out}.html"],
    "check corridors": ["check", "corridors"],
    "check green-heart": ["check", "green-heart"],
    "check charging": ["check", "charging"],
    "check all": ["check", "all"],
    "check commute": ["check", "commute", "--grid-km", "5"],
}


def run(command: str, extract: Path, folder: Path) -> tuple[int, list[str]]:
    args = [a.format(out=folder / "out") for a in COMMANDS[command]]
    result = CliRunner().invoke(main, [*args, "--source", f"pbf:{extract}"])
    return result.exit_code, result.stderr.strip().splitlines()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", OPENED_BADLY)
def test_bad_extract_is_one_line_and_exit_2(command: str, case: str, tmp_path: Path) -> None:
    extract = OPENED_BADLY[case](tmp_path)
    code, lines = run(command, extract, tmp_path)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("ctz: error:")
    assert str(extract) in lines[0]
    assert not list(tmp_path.glob("out.*"))


@pytest.mark.parametrize("command", COMMANDS)
def test_damage_found_while_reading_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    extract = damaged_block(tmp_path)
    code, lines = run(command, extract, tmp_path)
    assert code == 2
    assert len(lines) == 1 and f"cannot read OSM file {extract}" in lines[0]


def test_no_drivable_road_in_the_cities_is_an_error(tmp_path: Path) -> None:
    extract = no_drivable_road(tmp_path)
    code, lines = run("check commute", extract, tmp_path)
    assert code == 2
    assert lines == [f"ctz: error: OSM file {extract} has no drivable road inside the area"]


@pytest.mark.parametrize("case", [*OPENED_BADLY, "damaged block"])
def test_library_raises_source_error(case: str, tmp_path: Path) -> None:
    make = {**OPENED_BADLY, "damaged block": damaged_block}[case]
    extract = make(tmp_path)
    with pytest.raises(SourceError, match=str(extract).replace(".", r"\.")):
        PbfSource(extract, Catalog({}, {}, {}, {}, {}), progress=False)
        read_ways(extract, progress=False)


def test_extent_is_the_header_box_or_the_nodes_bounds(tmp_path: Path) -> None:
    extract = valid(tmp_path / "czt.osm.pbf")
    bounds = PbfSource(extract, Catalog({}, {}, {}, {}, {}), progress=False).extent().bounds
    lon = [n[1] for n in czt_data()[0]]
    lat = [n[2] for n in czt_data()[0]]
    assert bounds == pytest.approx((min(lon), min(lat), max(lon), max(lat)), abs=1e-7)


def test_extent_of_osm_xml_is_its_bounds_element(reference_dir: Path) -> None:
    path = reference_dir / "csu_campus.osm"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    extent = PbfSource(path, Catalog({}, {}, {}, {}, {}), progress=False).extent()
    element = ElementTree.parse(path).getroot().find("bounds")
    assert element is not None
    expected = [float(element.get(k, "nan")) for k in ("minlon", "minlat", "maxlon", "maxlat")]
    assert extent.bounds == pytest.approx(expected, abs=1e-7)

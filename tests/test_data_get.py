"""``ctz data get/list/clear`` against a local HTTP server, and ``--source auto`` afterwards."""

from __future__ import annotations

import errno
import io
import json
import pathlib
import shutil
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import pandas as pd
import pytest
from click.testing import CliRunner, Result
from extract_support import DATA_TIME, Faults, Served, extract_server, md5_line, write_extract
from geo_osm_support import write_osm
from shapely import contains_xy
from shapely.geometry import Point, mapping

import ctz
from ctz.cli import main
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.extract import download as download_module
from ctz.geo.extract.clip import clip_extract
from ctz.geo.extract.progress import DownloadProgress
from ctz.geo.pbf.dates import newest_edit
from ctz.geo.pbf.dense_nodes import UndecodableError, newest_node_edit, node_blocks
from ctz.geo.pbf.extract_source import PbfSource
from ctz.geo.source import credit_line
from ctz.maps.drawable import source_credits

NAME = "hunan-latest.osm.pbf"


@pytest.fixture(scope="module")
def extract_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return write_extract(tmp_path_factory.mktemp("extract") / NAME).read_bytes()


@pytest.fixture
def served(extract_bytes: bytes) -> Served:
    served = Served()
    served.put(f"/{NAME}", extract_bytes)
    served.put(f"/{NAME}.md5", md5_line(extract_bytes, NAME))
    return served


@pytest.fixture
def base_url(served: Served) -> Iterator[str]:
    with extract_server(served) as url:
        yield url


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder; downloads written in small chunks, so a drop leaves a part."""
    monkeypatch.setattr(download_module, "CHUNK_BYTES", 64)
    return tmp_path / "cache"


def range_starts(served: Served) -> list[int | None]:
    """Where each request for the extract asked to start (None: the whole file)."""
    wanted = [w for path, w in served.requests if path == f"/{NAME}"]
    return [None if w is None else int(w.removeprefix("bytes=").rstrip("-")) for w in wanted]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def get(cache: Path, url: str, *more: str) -> Result:
    return run("data", "get", "--url", url, "--cache-dir", str(cache), *more)


def listed(cache: Path) -> list[dict]:
    result = run("data", "list", "--json", "--cache-dir", str(cache))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def kept_files(cache: Path) -> list[str]:
    folder = cache / "extracts"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("ctz: error: ")
    assert "Traceback" not in result.stderr
    return lines[-1]


def osm_ids(path: Path) -> dict[str, set[int]]:
    """Ids by kind, plus every id referenced by a way or relation."""
    found: dict[str, set[int]] = {"n": set(), "w": set(), "r": set(), "wn": set(), "rw": set()}
    for element in osmium.FileProcessor(str(path)):
        if isinstance(element, osmium.osm.Node):
            found["n"].add(element.id)
        elif isinstance(element, osmium.osm.Way):
            found["w"].add(element.id)
            found["wn"].update(n.ref for n in element.nodes)
        elif isinstance(element, osmium.osm.Relation):
            found["r"].add(element.id)
            found["rw"].update(m.ref for m in element.members if m.type == "w")
    return found


def test_whole_download_is_verified_clipped_and_listed(
    base_url: str, served: Served, cache: Path
) -> None:
    url = f"{base_url}/{NAME}"
    result = get(cache, url)
    assert result.exit_code == 0, result.stderr
    assert [path for path, _ in served.requests] == [f"/{NAME}.md5", f"/{NAME}"]
    assert all(wanted is None for _, wanted in served.requests)
    (record,) = listed(cache)
    assert record["region"] == "hunan" and record["url"] == url
    assert record["data_date"] == DATA_TIME[:10]
    assert record["md5_checked"] is True
    clipped = Path(record["path"])
    assert record["bytes"] == clipped.stat().st_size
    assert kept_files(cache) == ["hunan.json", "hunan.osm.pbf"]  # no partial, no whole file
    ids = osm_ids(clipped)
    assert 11 not in ids["n"] and 111 not in ids["w"]  # 芙蓉路 in Kunming: outside
    assert {101, 131, 161, 181} <= ids["w"]
    assert 82 in ids["n"]  # the far end of a way with a node inside
    assert {1} == ids["r"] and {171, 172} <= ids["w"]  # the multipolygon, both rings
    assert ids["wn"] <= ids["n"] and ids["rw"] <= ids["w"]  # referentially complete


def test_a_dropped_connection_is_resumed_with_range(
    base_url: str, served: Served, cache: Path, extract_bytes: bytes
) -> None:
    half = len(extract_bytes) // 2
    served.faults = Faults(drop_at=half, drops=1)
    result = get(cache, f"{base_url}/{NAME}")
    assert result.exit_code == 0, result.stderr
    starts = range_starts(served)
    assert len(starts) == 2 and starts[0] is None
    assert 0 < (starts[1] or 0) <= half
    assert listed(cache)[0]["md5"] == md5_line(extract_bytes, NAME).split()[0].decode()


def test_an_interrupted_download_is_kept_and_continued_by_the_next_run(
    base_url: str, served: Served, cache: Path, extract_bytes: bytes
) -> None:
    cut = len(extract_bytes) // 3
    served.faults = Faults(drop_at=cut, drops=download_module.RECONNECTS + 1)
    line = one_error_line(get(cache, f"{base_url}/{NAME}"))
    assert "127.0.0.1" in line and "dropped the connection" in line and "resume" in line
    assert listed(cache) == []
    kept = (cache / "extracts" / "hunan-full.osm.pbf.part").stat().st_size
    assert 0 < kept <= cut
    assert PbfSource is not type(ctz.open_source(cache_dir=cache))  # auto: still embedded
    served.requests.clear()
    result = get(cache, f"{base_url}/{NAME}")
    assert result.exit_code == 0, result.stderr
    assert range_starts(served) == [kept]
    assert "resumed at" in result.stderr
    assert listed(cache)[0]["data_date"] == DATA_TIME[:10]


def test_a_server_ignoring_range_gets_a_clean_restart(
    base_url: str, served: Served, cache: Path, extract_bytes: bytes
) -> None:
    served.faults = Faults(drop_at=100, drops=download_module.RECONNECTS + 1)
    assert get(cache, f"{base_url}/{NAME}").exit_code == 2
    served.faults = Faults(ignore_range=True)
    result = get(cache, f"{base_url}/{NAME}")
    assert result.exit_code == 0, result.stderr
    assert "ignored the resume request" in result.stderr
    assert listed(cache)[0]["md5"] == md5_line(extract_bytes, NAME).split()[0].decode()


def test_a_checksum_mismatch_keeps_only_the_partial_file(
    base_url: str, served: Served, cache: Path
) -> None:
    served.put(f"/{NAME}.md5", md5_line(b"another file", NAME))
    line = one_error_line(get(cache, f"{base_url}/{NAME}"))
    assert "checksum mismatch" in line and "127.0.0.1" in line
    assert kept_files(cache) == ["hunan-full.osm.pbf.part", "hunan-full.osm.pbf.part.json"]
    assert listed(cache) == []


@pytest.mark.parametrize(("status", "words"), [(404, "HTTP 404"), (503, "HTTP 503")])
def test_an_http_error_names_the_server_and_keeps_nothing(
    base_url: str, served: Served, cache: Path, status: int, words: str
) -> None:
    served.put(f"/{NAME}", b"", status=status)
    if status == 404:
        del served.files[f"/{NAME}"]
    line = one_error_line(get(cache, f"{base_url}/{NAME}"))
    assert words in line and "127.0.0.1" in line
    assert not any(name.endswith((".osm.pbf", ".part")) for name in kept_files(cache))


def test_no_server_is_one_line(cache: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = one_error_line(get(cache, f"http://127.0.0.1:{port}/{NAME}"))
    assert f"cannot reach 127.0.0.1:{port}" in line
    assert listed(cache) == []


@pytest.mark.parametrize("kind", ["text/html; charset=utf-8", "application/octet-stream"])
def test_an_html_body_is_refused_and_not_kept(
    base_url: str, served: Served, cache: Path, kind: str
) -> None:
    page = b"<!DOCTYPE html><html><body>Please log in to the Wi-Fi</body></html>" * 20
    served.put(f"/{NAME}", page, kind=kind)
    del served.files[f"/{NAME}.md5"]
    line = one_error_line(get(cache, f"{base_url}/{NAME}"))
    assert "HTML page, not an OSM PBF file" in line and "127.0.0.1" in line
    assert kept_files(cache) == []


def test_a_cut_file_with_its_own_checksum_is_not_taken_for_an_extract(
    base_url: str, served: Served, cache: Path, extract_bytes: bytes
) -> None:
    cut = extract_bytes[: len(extract_bytes) * 2 // 3]
    served.put(f"/{NAME}", cut)
    served.put(f"/{NAME}.md5", md5_line(cut, NAME))
    line = one_error_line(get(cache, f"{base_url}/{NAME}"))
    assert "cut short" in line
    assert kept_files(cache) == []


def test_a_full_disk_keeps_the_partial_file(
    base_url: str, cache: Path, extract_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = pathlib.Path.open

    class Full(io.BufferedWriter):
        room = 200

        def write(self, data: bytes) -> int:  # type: ignore[override]
            if len(data) > self.room:
                super().write(data[: self.room])
                self.flush()
                raise OSError(errno.ENOSPC, "No space left on device")
            self.room -= len(data)
            return super().write(data)

    def full_disk_open(path: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if path.name.endswith(".part") and "b" in mode:
            return Full(opened(path, mode, buffering=0))  # type: ignore[call-overload]
        return opened(path, mode, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", full_disk_open)
    line = one_error_line(get(cache, f"{base_url}/{NAME}"))
    monkeypatch.undo()
    assert "disk full" in line and "127.0.0.1" in line
    assert (cache / "extracts" / "hunan-full.osm.pbf.part").stat().st_size == 200
    assert listed(cache) == []


def test_too_little_room_is_refused_before_downloading(
    base_url: str, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        download_module.shutil,  # type: ignore[attr-defined]
        "disk_usage",
        lambda _: shutil._ntuple_diskusage(10**9, 10**9, 10),
    )
    line = one_error_line(get(cache, f"{base_url}/{NAME}"))
    assert "disk full" in line and "10 B" not in line and "needs" in line


def test_an_up_to_date_extract_is_not_fetched_again(
    base_url: str, served: Served, cache: Path
) -> None:
    assert get(cache, f"{base_url}/{NAME}").exit_code == 0
    fetched = listed(cache)[0]["fetched"]
    served.requests.clear()
    result = get(cache, f"{base_url}/{NAME}")
    assert result.exit_code == 0 and "up to date" in result.stderr
    assert served.requests == [(f"/{NAME}.md5", None)]
    assert listed(cache)[0]["fetched"] == fetched


def test_without_a_replication_time_the_newest_edit_dates_the_data(
    tmp_path: Path, cache: Path
) -> None:
    data = write_extract(tmp_path / NAME, replication=None, stamp="2025-03-04T05:06:07Z")
    served = Served()
    served.put(f"/{NAME}", data.read_bytes())
    with extract_server(served) as url:
        assert get(cache, f"{url}/{NAME}").exit_code == 0
    (record,) = listed(cache)
    assert record["data_date"] == "2025-03-04" and record["md5_checked"] is False
    day = PbfSource(Path(record["path"]), ctz.load_catalog()).data_date
    assert day is not None and day.isoformat() == "2025-03-04"


def test_auto_is_embedded_until_an_extract_is_fetched_and_after_clear(
    base_url: str, cache: Path
) -> None:
    assert isinstance(ctz.open_source(cache_dir=cache), EmbeddedSource)
    assert get(cache, f"{base_url}/{NAME}").exit_code == 0
    opened = ctz.open_source(cache_dir=cache)
    assert isinstance(opened, PbfSource) and opened.data_date is not None
    assert opened.path == cache / "extracts" / "hunan.osm.pbf"
    assert isinstance(ctz.open_source("embedded", cache_dir=cache), EmbeddedSource)
    result = run("data", "clear", "--cache-dir", str(cache))
    assert result.exit_code == 0 and "removed 2 files" in result.stderr
    assert isinstance(ctz.open_source(cache_dir=cache), EmbeddedSource)


def test_an_unknown_region_without_url_is_bad_input(cache: Path) -> None:
    result = run("data", "get", "atlantis", "--cache-dir", str(cache))
    assert "unknown region 'atlantis'" in one_error_line(result)


@pytest.mark.parametrize("total", [1, 999, 1000, 12_345])
def test_progress_without_a_terminal_is_one_line_per_tenth(total: int) -> None:
    stream = io.StringIO()
    progress = DownloadProgress("server", total, 0, show=True, stream=stream)
    step = max(total // 37, 1)
    for start in range(0, total, step):
        progress.update(min(step, total - start))
    lines = stream.getvalue().splitlines()
    assert [line.split(": ", 1)[1].split(" %")[0] for line in lines] == [
        str(10 * k) for k in range(11 - len(lines), 11)
    ]
    assert len(lines) == min(10, len({(k + 1) * step * 10 // total for k in range(total // step)}))


@pytest.mark.slow
def test_later_commands_use_the_extract_without_source_and_name_its_date(
    base_url: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTZ_CACHE", str(cache))
    assert run("data", "get", "--url", f"{base_url}/{NAME}").exit_code == 0
    commute = run("check", "commute", "--json")
    assert commute.exit_code == 0, commute.stderr
    coverage = json.loads(commute.stdout)["data_coverage"]
    assert coverage["source"] == "pbf" and coverage["data_date"] == DATA_TIME[:10]
    assert coverage["path"] == str(cache / "extracts" / "hunan.osm.pbf")
    text = run("check", "commute", "--lang", "en")
    assert f"data: pbf:{coverage['path']} (OpenStreetMap" in text.stderr
    assert f"data of {DATA_TIME[:10]})" in text.stderr
    brief = tmp_path / "brief.md"
    report = run("report", "-o", str(brief), "--lang", "en")
    assert report.exit_code == 0, report.stderr
    header = brief.read_text(encoding="utf-8").split("\n## ")[0]
    assert f"OpenStreetMap © contributors, ODbL, data of {DATA_TIME[:10]}" in header


@pytest.mark.skipif(shutil.which("osmium") is None, reason="osmium-tool is not installed")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clip_keeps_what_osmium_extract_keeps(tmp_path: Path, seed: int) -> None:
    """Random nodes and ways, a random round area: the same ways and nodes as osmium-tool."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(112, 114, 400), rng.uniform(27, 29, 400)
    nodes: list[tuple] = [
        (k + 1, float(x), float(y), {}) for k, (x, y) in enumerate(zip(lon, lat, strict=True))
    ]
    ways: list[tuple] = [
        (1000 + k, rng.choice(np.arange(1, 401), rng.integers(2, 6), replace=False).tolist(), {})
        for k in range(150)
    ]
    source = write_osm(tmp_path / "random.osm.pbf", nodes, ways)
    area = Point(rng.uniform(112.5, 113.5), rng.uniform(27.5, 28.5)).buffer(rng.uniform(0.2, 0.6))
    ours = tmp_path / "ours.osm.pbf"
    inside = clip_extract(source, ours, area, None)
    polygon = tmp_path / "area.geojson"
    polygon.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": mapping(area)}))
    theirs = tmp_path / "theirs.osm.pbf"
    command = ["osmium", "extract", "-s", "complete_ways", "-p", str(polygon), str(source)]
    subprocess.run([*command, "-o", str(theirs)], check=True, capture_output=True)
    mine, other = osm_ids(ours), osm_ids(theirs)
    assert mine["w"] == other["w"] and mine["n"] == other["n"]
    assert inside == int(contains_xy(area, lon, lat).sum())


def test_every_display_names_the_data_and_its_date() -> None:
    day = date(2026, 11, 30)
    assert credit_line("pbf", day) == "OpenStreetMap © contributors, ODbL, data of 2026-11-30"
    assert credit_line("pbf", None).endswith("data of unknown date")
    assert credit_line("osm", None).endswith("ODbL, live data")
    assert "ODbL" not in credit_line("embedded", day) and "sketches" in credit_line("embedded", day)
    (osm, sketches) = source_credits(pd.Series(["pbf", "embedded"]), day)
    assert osm.endswith("(ODbL), data of 2026-11-30") and "GeoNames" in sketches
    assert all("data of" not in c for c in source_credits(pd.Series(["embedded"]), day))


def random_nodes(seed: int, count: int) -> list[tuple]:
    """Nodes with ids far apart and coordinates anywhere on Earth, seeded."""
    rng = np.random.default_rng(seed)
    ids = np.cumsum(rng.integers(1, 10**7, count))
    lon, lat = rng.uniform(-180, 180, count), rng.uniform(-90, 90, count)
    return [(int(i), float(x), float(y), {}) for i, x, y in zip(ids, lon, lat, strict=True)]


@pytest.mark.parametrize("seed", [4, 5])
def test_dense_nodes_decode_as_pyosmium_reads_them(tmp_path: Path, seed: int) -> None:
    path = write_osm(tmp_path / "nodes.osm.pbf", random_nodes(seed, 20_000), [])
    blocks = list(node_blocks(path))
    ids = np.concatenate([b.ids for b in blocks])
    lon = np.concatenate([b.lon for b in blocks])
    lat = np.concatenate([b.lat for b in blocks])
    read = osmium.FileProcessor(str(path), osmium.osm.NODE)
    expected = [
        (n.id, n.location.lon, n.location.lat) for n in read if isinstance(n, osmium.osm.Node)
    ]
    assert ids.tolist() == [e[0] for e in expected]
    assert np.abs(lon - [e[1] for e in expected]).max() < 1e-9
    assert np.abs(lat - [e[2] for e in expected]).max() < 1e-9


def test_plain_nodes_are_clipped_through_pyosmium(tmp_path: Path) -> None:
    nodes = random_nodes(6, 3000)
    dense = write_osm(tmp_path / "dense.osm.pbf", nodes, [])
    plain = tmp_path / "plain.osm.pbf"
    writer = osmium.SimpleWriter(osmium.io.File(str(plain), "pbf,pbf_dense_nodes=false"))
    try:
        for node_id, lon, lat, tags in nodes:
            writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), tags=tags))
    finally:
        writer.close()
    with pytest.raises(UndecodableError):
        list(node_blocks(plain))
    area = Point(0, 0).buffer(60)
    one, two = tmp_path / "one.osm.pbf", tmp_path / "two.osm.pbf"
    assert clip_extract(dense, one, area, None) == clip_extract(plain, two, area, None) > 0
    assert osm_ids(one)["n"] == osm_ids(two)["n"]


def test_cache_clear_keeps_the_extract_and_cache_list_names_it(base_url: str, cache: Path) -> None:
    assert get(cache, f"{base_url}/{NAME}").exit_code == 0
    entries = json.loads(run("cache", "list", "--json", "--cache-dir", str(cache)).stdout)
    extracts = [e for e in entries if Path(e["path"]).parent.name == "extracts"]
    assert {Path(e["path"]).name for e in extracts} == {"hunan.osm.pbf", "hunan.json"}
    assert all("ctz data get" in e["about"] for e in extracts)
    assert run("cache", "clear", "--cache-dir", str(cache)).exit_code == 0
    assert isinstance(ctz.open_source(cache_dir=cache), PbfSource)


@pytest.mark.parametrize("seed", [7, 8])
def test_the_newest_edit_is_found_in_nodes_ways_and_relations(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    stamps = rng.integers(1_262_304_000, 1_767_225_600, 3000)  # 2010-2026, seconds
    newest_kind = int(rng.integers(0, 3))
    stamps[rng.integers(0, 1000) + 1000 * newest_kind] = 1_790_000_000  # 2026-09-21
    path = tmp_path / "dated.osm.pbf"
    writer = osmium.SimpleWriter(str(path))
    try:
        for k in range(1000):
            when = datetime.fromtimestamp(int(stamps[k]), UTC)
            writer.add_node(osmium.osm.mutable.Node(id=k + 1, location=(113, 28), timestamp=when))
        for k in range(1000):
            when = datetime.fromtimestamp(int(stamps[1000 + k]), UTC)
            writer.add_way(osmium.osm.mutable.Way(id=k + 1, nodes=[k + 1], timestamp=when))
        for k in range(1000):
            when = datetime.fromtimestamp(int(stamps[2000 + k]), UTC)
            members = [("w", k + 1, "")]
            writer.add_relation(
                osmium.osm.mutable.Relation(id=k + 1, members=members, timestamp=when)
            )
    finally:
        writer.close()
    assert newest_edit(path) == datetime.fromtimestamp(1_790_000_000, UTC)
    assert newest_node_edit(path) == float(stamps[:1000].max())

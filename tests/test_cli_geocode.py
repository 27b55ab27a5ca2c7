import json
from types import SimpleNamespace

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner
from geo_osm_support import ITEMS, FakeOverpass, catalog, czt_data, czt_extract

from ctz import cli
from ctz.base import LAYER_COLUMNS


@pytest.fixture(autouse=True)
def small_catalog(monkeypatch):
    monkeypatch.setattr(cli, "load_catalog", lambda: catalog(ITEMS))


@pytest.fixture(scope="module")
def extract(tmp_path_factory):
    return czt_extract(tmp_path_factory.mktemp("cli") / "czt.osm.pbf")


def read_layer(path):
    if path.suffix == ".parquet":
        return gpd.read_parquet(path)
    if path.suffix == ".gpkg":
        layers = pyogrio.list_layers(path)[:, 0]
        return pd.concat([gpd.read_file(path, layer=name) for name in layers], ignore_index=True)
    return gpd.read_file(path)


def run(*args):
    return CliRunner().invoke(cli.main, ["geocode", *map(str, args)])


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".parquet"])
def test_writes_one_row_per_item_in_the_layer_schema(extract, tmp_path, suffix):
    out = tmp_path / f"items{suffix}"
    result = run("--source", f"pbf:{extract}", "--out", out)
    assert result.exit_code == 0, result.output
    frame = read_layer(out)
    assert list(frame.columns) == list(LAYER_COLUMNS)
    assert frame.crs.to_epsg() == 4326
    assert sorted(frame["item_id"]) == sorted(i.id for i in ITEMS)
    assert frame.set_index("item_id").loc["g4", "source"] == "pbf"
    assert frame.set_index("item_id").loc["metro_12", "source"] == "embedded"
    assert "5 items, 4 matched, 1 sketch fallback, 0 ambiguous" in result.stderr
    assert "sketch fallback: metro_12" in result.stderr


def test_ids_kind_and_json_summary(extract, tmp_path):
    out = tmp_path / "roads.geojson"
    result = run("furong", "metro_12", "--source", f"pbf:{extract}", "--out", out, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["items"] == 2
    assert summary["matched"] == 1
    assert summary["fallback_ids"] == ["metro_12"]
    result = run("--kind", "station", "--source", f"pbf:{extract}", "--out", out, "--json")
    assert json.loads(result.stdout)["items"] == 1
    assert gpd.read_file(out)["item_id"].tolist() == ["csnan_station"]


def test_osm_source_with_a_mirror(httpserver, tmp_path):
    FakeOverpass(*czt_data()).serve(httpserver)
    out = tmp_path / "g4.geojson"
    args = ["g4", "--source", "osm", "--out", out, "--json", "--cache-dir", tmp_path / "cache"]
    result = run(*args, "--overpass-url", httpserver.url_for("/api"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["matched"] == 1
    assert gpd.read_file(out).loc[0, "osm_ids"] in ("way/131;way/132", "way/132;way/131")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere_road"], "unknown item id 'nowhere_road'"),
        (["--source", "wfs"], "unknown source 'wfs'"),
        (["--source", "pbf:/no/such.osm.pbf"], "no such OSM file"),
        (["--region", "114,28,113,27"], "is not (west, south, east, north)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    result = run(*args, "--out", tmp_path / "x.geojson")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.geojson").exists()


def test_bad_output_ending_and_corrupt_pbf(tmp_path):
    result = run("--out", tmp_path / "x.shp")
    assert result.exit_code == 2
    assert "x.shp: write a file ending in .gpkg, .geojson, .parquet" in result.stderr
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0dnot a pbf at all" * 10)
    result = run("--source", f"pbf:{bad}", "--out", tmp_path / "x.gpkg")
    assert result.exit_code == 2
    assert result.stderr.startswith("ctz: error: cannot read OSM file")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_overpass_with_empty_cache(tmp_path, monkeypatch):
    monkeypatch.setattr("ctz.geo.osm.client.time", SimpleNamespace(sleep=lambda s: None))
    args = ["--source", "osm", "--overpass-url", "http://127.0.0.1:9/api"]
    result = run(*args, "--cache-dir", tmp_path / "cache", "--out", tmp_path / "x.gpkg")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("ctz: error: Overpass at http://127.0.0.1:9/api/interpreter failed")
    assert lines[:-1] == [  # progress while it tried
        "ctz: downloading roads from Overpass at http://127.0.0.1:9/api",
        "ctz: Overpass unreachable (ConnectionError), retrying in 2 s; 0 of 600 s used",
        "ctz: Overpass unreachable (ConnectionError), retrying in 4 s; 0 of 600 s used",
    ]

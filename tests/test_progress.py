"""Plan progress on extracts written here: open, construction, proposed, absent, outside."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from click.testing import CliRunner
from geo_osm_support import ANCHORS, PLANNED, item, line_nodes, write_osm
from pyproj import Geod

import ctz
from ctz.catalog.model import Anchor, Catalog
from ctz.checks.progress import measure_progress
from ctz.cli import main
from ctz.geo.pbf.extract_source import PbfSource

GEOD = Geod(ellps="WGS84")

MORE_ANCHORS = {
    a.id: a
    for a in (
        Anchor("tanzhou_n", "潭州北", "Tanzhou north", "place", 112.93, 28.20, "test"),
        Anchor("tanzhou_s", "潭州南", "Tanzhou south", "place", 112.93, 28.00, "test"),
        Anchor("dongzhu_n", "洞株北", "Dongzhu north", "place", 113.05, 28.00, "test"),
        Anchor("dongzhu_s", "洞株南", "Dongzhu south", "place", 113.05, 27.88, "test"),
        Anchor("far_w", "远西", "Far west", "place", 112.80, 26.50, "test"),
        Anchor("far_e", "远东", "Far east", "place", 112.95, 26.50, "test"),
    )
}
OPENED = item(
    "furong",
    "芙蓉大道",
    "芙蓉大道",
    "urban_road",
    status="under_construction",
    from_anchor="furong_n",
    to_anchor="furong_s",
    target_year=2020,
    status_as_of="2019",
)
BUILDING = item(
    "tanzhou",
    "潭州大道",
    "潭州大道",
    "urban_road",
    status="planned",
    from_anchor="tanzhou_n",
    to_anchor="tanzhou_s",
    target_year=2022,
)
PROPOSED = item(
    "dongzhu",
    "洞株路",
    "洞株路",
    "trunk_road",
    status="planned",
    from_anchor="dongzhu_n",
    to_anchor="dongzhu_s",
    target_year=2030,
)
ABSENT = item(
    "metro_12",
    PLANNED.name_zh,
    PLANNED.name_zh_hant,
    "metro",
    status="planned",
    from_anchor="changsha",
    to_anchor="csnan",
    target_year=2020,
)
FAR = item(
    "far_road",
    "远方大道",
    "遠方大道",
    "urban_road",
    status="planned",
    from_anchor="far_w",
    to_anchor="far_e",
    target_year=2020,
)
ITEMS = (OPENED, BUILDING, PROPOSED, ABSENT, FAR)
CORNERS: list[tuple] = [(901, 112.80, 27.70, {}), (902, 113.30, 28.50, {})]
"""Untagged nodes that stretch the data's extent over 27.7–28.5 N (the far item lies south)."""


def small_catalog() -> Catalog:
    return Catalog({}, {**ANCHORS, **MORE_ANCHORS}, {i.id: i for i in ITEMS}, {}, {})


METRO_1 = (401, [31, 32], {"railway": "subway", "name": "长沙地铁1号线"})
"""A metro line the catalog does not ask for: the data holds railways, so line 12 is absent."""


def extract(path, furong: dict, tanzhou: dict | None, dongzhu: dict, railways=(METRO_1,)):
    """Write the three roads with the given lifecycle tags (tanzhou left out when None)."""
    nodes = CORNERS + line_nodes(1, 112.99, [28.25, 28.18, 28.10])
    nodes += line_nodes(11, 112.93, [28.19, 28.01]) + line_nodes(21, 113.05, [27.99, 27.89])
    nodes += line_nodes(31, 112.98, [28.30, 28.05])
    ways = [
        (101, [1, 2], {**furong, "name": "芙蓉中路"}),
        (102, [2, 3], {**furong, "name": "芙蓉南路"}),
        (301, [21, 22], {**dongzhu, "name": "洞株路"}),
        *railways,
    ]
    if tanzhou is not None:
        ways.append((201, [11, 12], {**tanzhou, "name": "潭州大道"}))
    return write_osm(path, sorted(nodes), sorted(ways))


OPEN_FURONG = {"highway": "primary", "opening_date": "2020-10-23"}
BUILT_TANZHOU = {"highway": "construction", "construction": "primary", "start_date": "2021-03"}
PROPOSED_DONGZHU = {"highway": "proposed", "proposed": "trunk"}


@pytest.fixture(scope="module")
def now(tmp_path_factory):
    return extract(
        tmp_path_factory.mktemp("now") / "now.osm.pbf", OPEN_FURONG, BUILT_TANZHOU, PROPOSED_DONGZHU
    )


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    building = {"highway": "construction", "construction": "primary"}
    return extract(
        tmp_path_factory.mktemp("before") / "old.osm.pbf", building, None, PROPOSED_DONGZHU
    )


def measure(path, tmp_path, as_of=date(2024, 1, 1)):
    source = PbfSource(path, small_catalog(), progress=False, cache_dir=tmp_path / "cache")
    return measure_progress(small_catalog(), source, as_of)


def rows(result) -> dict[str, dict]:
    return {r["item_id"]: r for r in result.items.to_dict("records")}


def test_each_item_gets_the_state_osm_shows(now, tmp_path):
    found = rows(measure(now, tmp_path))
    assert {i: r["osm_state"] for i, r in found.items()} == {
        "furong": "open",
        "tanzhou": "construction",
        "dongzhu": "proposed",
        "metro_12": "absent",
        "far_road": "outside_data",
    }
    assert found["furong"]["opening_date"] == "2020-10-23"
    assert sorted(found["furong"]["osm_ids"]) == ["way/101", "way/102"]
    assert found["tanzhou"]["start_date"] == "2021-03"
    assert found["tanzhou"]["osm_ids"] == ["way/201"]


def test_km_by_stage_follow_the_ways(now, tmp_path):
    found = rows(measure(now, tmp_path))
    furong_km = GEOD.line_length([112.99, 112.99], [28.25, 28.10]) / 1000
    tanzhou_km = GEOD.line_length([112.93, 112.93], [28.19, 28.01]) / 1000
    assert found["furong"]["km_open"] == pytest.approx(furong_km, rel=2e-3)
    assert found["tanzhou"]["km_construction"] == pytest.approx(tanzhou_km, rel=2e-3)
    assert found["tanzhou"]["km_open"] == 0
    # absent: the sketch's length counts as not started; outside the data counts nowhere
    sketch_km = GEOD.line_length([112.97, 113.065], [28.20, 28.15]) / 1000
    assert found["metro_12"]["km_not_started"] == pytest.approx(sketch_km, rel=2e-3)
    assert found["far_road"]["km_not_started"] == 0


def test_overdue_at_a_fixed_date(now, tmp_path):
    late = rows(measure(now, tmp_path, date(2024, 1, 1)))
    assert {i: r["overdue"] for i, r in late.items()} == {
        "furong": False,  # open, though target 2020
        "tanzhou": True,  # target 2022, still under construction
        "dongzhu": False,  # target 2030
        "metro_12": True,  # target 2020, absent
        "far_road": None,  # unknown: no data there
    }
    early = rows(measure(now, tmp_path, date(2022, 12, 31)))
    assert early["tanzhou"]["overdue"] is False  # the target year has not passed yet


def test_plan_status_behind_osm_is_outdated(now, tmp_path):
    found = rows(measure(now, tmp_path))
    assert found["furong"]["status_outdated"] is True  # plan: under construction; OSM: open
    assert found["tanzhou"]["status_outdated"] is True  # plan: planned; OSM: construction
    assert found["dongzhu"]["status_outdated"] is False
    assert found["metro_12"]["status_outdated"] is False
    assert found["far_road"]["status_outdated"] is None


def test_summary_by_kind_and_plan(now, tmp_path):
    result = measure(now, tmp_path)
    summary = result.summary
    assert summary["by_state"] == {
        "open": 1,
        "construction": 1,
        "proposed": 1,
        "absent": 1,
        "outside_data": 1,
    }
    urban = summary["by_kind"]["urban_road"]
    assert urban["km_open"] == pytest.approx(rows(result)["furong"]["km_open"], abs=0.05)
    assert urban["outside_data"] == 1
    plan = summary["by_plan"]["001"]
    assert plan["items"] == 5
    assert plan["share_done"] == pytest.approx(1 / 4)  # 1 open of the 4 whose state is known
    assert sorted(summary["overdue"]) == ["metro_12", "tanzhou"]


def test_a_roads_only_extract_says_nothing_of_the_metro(tmp_path):
    path = extract(
        tmp_path / "roads.osm.pbf", OPEN_FURONG, BUILT_TANZHOU, PROPOSED_DONGZHU, railways=()
    )
    metro = rows(measure(path, tmp_path))["metro_12"]
    assert metro["osm_state"] == "outside_data"
    assert metro["overdue"] is None
    assert "holds no metro element" in metro["note"]


def test_a_footway_being_built_does_not_match_a_road(tmp_path):
    path = extract(
        tmp_path / "f.osm.pbf",
        OPEN_FURONG,
        {"highway": "construction", "construction": "footway"},
        PROPOSED_DONGZHU,
    )
    assert rows(measure(path, tmp_path))["tanzhou"]["osm_state"] == "absent"


def test_two_extracts_compared(now, before, tmp_path):
    catalog = small_catalog()
    result = ctz.progress(
        source=PbfSource(now, catalog, progress=False, cache_dir=tmp_path),
        compare_with=PbfSource(before, catalog, progress=False, cache_dir=tmp_path),
        as_of="2024-01-01",
        catalog=catalog,
    )
    assert result.changes is not None
    changes = {r["item_id"]: r for r in result.changes.to_dict("records")}
    assert {i: (r["before"], r["after"], r["change"]) for i, r in changes.items()} == {
        "furong": ("construction", "open", "opened"),
        "tanzhou": ("absent", "construction", "started"),
    }
    now_rows = rows(result)
    assert changes["furong"]["km_opened"] == pytest.approx(now_rows["furong"]["km_open"], abs=0.01)
    by_kind = result.changes_by_kind["urban_road"]
    assert by_kind["opened"] == 1 and by_kind["started"] == 1
    assert by_kind["km_started"] == pytest.approx(now_rows["tanzhou"]["km_construction"], abs=0.1)
    comparison = result.to_dict()["comparison"]
    assert len(comparison["changes"]) == 2


def test_embedded_source_is_refused():
    with pytest.raises(ctz.SourceError, match="holds"):
        ctz.progress(source="embedded")


def test_bad_as_of_is_an_input_error(now, tmp_path):
    with pytest.raises(ctz.InputError, match="YYYY-MM-DD"):
        ctz.progress(source=f"pbf:{now}", as_of="last year", catalog=small_catalog())


@pytest.fixture(scope="module")
def shipped_extract(tmp_path_factory):
    """An extract of the three cities holding only 芙蓉大道 and the West Ring, both open."""
    from ctz.catalog import load_catalog
    from ctz.geo.embedded import EmbeddedSource

    catalog = load_catalog()
    sketches = EmbeddedSource(catalog)
    nodes: list[tuple] = [(1, 112.5, 27.5, {}), (2, 113.5, 28.5, {})]  # the data's extent
    ways = []
    tags = {
        "furong_dadao": {"highway": "primary", "name": "芙蓉大道", "opening_date": "2020-10-23"},
        "czt_west_ring": {"railway": "subway", "name": "长株潭城际轨道交通西环线"},
    }
    for number, (item_id, way_tags) in enumerate(tags.items(), start=1):
        coords = sketches.sketch(catalog.item(item_id)).coords
        ids = [number * 1000 + i for i in range(len(coords))]
        nodes += [(i, x, y, {}) for i, (x, y) in zip(ids, coords, strict=True)]
        ways.append((number, ids, way_tags))
    return write_osm(tmp_path_factory.mktemp("shipped") / "czt.osm.pbf", nodes, ways)


def run(*args: str):
    return CliRunner().invoke(main, ["progress", *args])


def test_cli_json_gives_every_item_its_state_and_flags(shipped_extract, tmp_path):
    result = run(
        "--source", f"pbf:{shipped_extract}", "--cache-dir", str(tmp_path), "--json",
        "--as-of", "2024-01-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2024-01-01"
    items = {i["item_id"]: i for i in data["items"]}
    assert len(items) == len(ctz.load_catalog().items)
    ring = items["czt_west_ring"]
    assert ring["osm_state"] == "open"
    assert (ring["plan_status"], ring["plan_status_as_of"]) == ("existing", "2023-06-28")
    assert ring["status_outdated"] is False
    assert items["furong_dadao"]["evidence"]["opening_date"] == "2020-10-23"
    states = {i["osm_state"] for i in data["items"]}
    assert {"open", "absent", "outside_data"} <= states
    outside = [i for i in data["items"] if i["osm_state"] == "outside_data"]
    assert all(i["overdue"] is not True and i["status_outdated"] is None for i in outside)
    assert sum(data["summary"]["by_state"].values()) == len(items)


def test_cli_writes_workbook_csv_and_map(shipped_extract, tmp_path):
    from openpyxl import load_workbook

    common = ["--source", f"pbf:{shipped_extract}", "--cache-dir", str(tmp_path)]
    book, table, page = tmp_path / "p.xlsx", tmp_path / "p.csv", tmp_path / "p.html"
    assert run(*common, "-o", str(book), "--map", str(page)).exit_code == 0
    assert run(*common, "-o", str(table)).exit_code == 0
    sheets = load_workbook(book).sheetnames
    assert sheets == ["progress_by_plan", "progress_by_kind", "progress"]
    assert "czt_west_ring" in table.read_text(encoding="utf-8-sig")
    html = page.read_text(encoding="utf-8")
    assert "已通车/建成" in html and "数据范围外" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "embedded"], "holds none"),
        (["--as-of", "soon"], "not YYYY-MM-DD"),
        (["-o", "p.pdf"], ".csv or .xlsx"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(shipped_extract, tmp_path, args, message):
    source = [] if "--source" in args else ["--source", f"pbf:{shipped_extract}"]
    result = run(*source, "--cache-dir", str(tmp_path), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_briefing_has_a_progress_section_and_sheets(shipped_extract, tmp_path):
    from openpyxl import load_workbook

    from ctz.maps.report.briefing import Briefing
    from ctz.maps.report.write import write_briefing

    catalog = ctz.load_catalog()
    source = ctz.open_source(f"pbf:{shipped_extract}", catalog=catalog, cache_dir=tmp_path)
    progress = ctz.progress(source=source, as_of="2024-01-01", catalog=catalog)
    briefing = Briefing(
        ctz.check("all", catalog=catalog),
        ctz.commute(catalog=catalog),
        catalog,
        "ctz report",
        made=date(2025, 3, 1),
        lang="en",
        progress=progress,
    )
    write_briefing(briefing, tmp_path / "b.md", {})
    text = (tmp_path / "b.md").read_text(encoding="utf-8")
    section = text[text.index("## Plan progress\n") :]
    overdue = section[
        section.index("### Overdue items") : section.index("### Plan status outdated")
    ]
    # Each overdue item is listed once; furong_dadao (target 2020) is open, so not overdue.
    assert overdue.count("\n- ") == len(progress.summary["overdue"]) > 0
    assert "furong\\_dadao" not in overdue
    assert f"{len(catalog.items)} plan items against OSM data" in section
    write_briefing(briefing, tmp_path / "b.xlsx", {})
    sheets = load_workbook(tmp_path / "b.xlsx").sheetnames
    titles = {briefing.title(key)[:31] for key in ("progress_by_plan", "progress_by_kind")}
    assert titles | {briefing.title("progress")[:31]} <= set(sheets)
    write_briefing(briefing, tmp_path / "b.html", {})
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert '<section id="progress"><h2>Plan progress</h2>' in page


def test_states_survive_the_resolution_cache(now, tmp_path, monkeypatch):
    first = measure(now, tmp_path)

    def no_second_pass(*args):
        raise AssertionError("resolved again instead of reading the cache")

    monkeypatch.setattr(PbfSource, "_resolve", no_second_pass)
    again = measure(now, tmp_path)
    columns = ["item_id", "osm_state", "km_open", "km_construction", "opening_date", "start_date"]
    assert again.items[columns].equals(first.items[columns])


def test_a_widening_found_open_is_neither_late_nor_outdated(now, tmp_path):
    widening = item(
        "furong",
        "芙蓉大道扩容工程",
        "芙蓉大道擴容工程",
        "urban_road",
        status="under_construction",
        from_anchor="furong_n",
        to_anchor="furong_s",
        target_year=2020,
        osm={"names": ["芙蓉大道"]},
    )
    catalog = Catalog({}, {**ANCHORS, **MORE_ANCHORS}, {"furong": widening}, {}, {})
    source = PbfSource(now, catalog, progress=False, cache_dir=tmp_path)
    found = rows(measure_progress(catalog, source, date(2024, 1, 1)))["furong"]
    assert found["osm_state"] == "open"
    assert (found["overdue"], found["status_outdated"]) == (None, None)
    assert "works on a road in use" in found["note"]


def test_a_way_two_items_share_counts_once_in_the_kind_total(now, tmp_path):
    from dataclasses import replace

    twin = replace(OPENED, id="furong_twin")
    catalog = Catalog(
        {}, {**ANCHORS, **MORE_ANCHORS}, {"furong": OPENED, "furong_twin": twin}, {}, {}
    )
    source = PbfSource(now, catalog, progress=False, cache_dir=tmp_path)
    result = measure_progress(catalog, source, date(2024, 1, 1))
    found = rows(result)
    assert found["furong"]["km_open"] == found["furong_twin"]["km_open"] > 0
    total = result.summary["by_kind"]["urban_road"]["km_open"]
    assert total == pytest.approx(found["furong"]["km_open"], abs=0.05)


def test_data_date_comes_from_the_extract_header(now, tmp_path):
    import osmium
    from osmium.osm.mutable import Node

    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", "2024-05-01T20:21:02Z")
    dated = tmp_path / "dated.osm.pbf"
    writer = osmium.SimpleWriter(str(dated), header=header)
    writer.add_node(Node(id=1, location=(112.99, 28.2), tags={}))
    writer.close()
    assert measure(dated, tmp_path).data_date == "2024-05-01"
    assert measure(now, tmp_path).data_date is None  # no header timestamp: not guessed


def test_an_extract_compared_with_itself_has_no_changes(now, tmp_path):
    from ctz.checks.progress_compare import compare_progress

    result = measure(now, tmp_path)
    same = compare_progress(result, result)
    assert same.changes is not None and same.changes.empty
    assert same.changes_by_kind == {}


def test_overdue_never_unflags_as_time_passes(now, tmp_path):
    years = range(2018, 2033)
    flags = {y: rows(measure(now, tmp_path, date(y, 6, 30))) for y in years}
    for item_id in flags[2018]:
        seen = [flags[y][item_id]["overdue"] for y in years]
        first = next((i for i, flag in enumerate(seen) if flag), None)
        if first is not None:
            assert all(seen[first:]), (item_id, seen)
        target = flags[2018][item_id]["target_year"]
        for year, flag in zip(years, seen, strict=True):
            if pd.isna(target) or year <= target or flags[year][item_id]["osm_state"] == "open":
                assert flag is not True, (item_id, year)


def test_cli_compare_with_an_older_extract(now, before, tmp_path):
    result = run(
        "--source", f"pbf:{now}", "--compare-with", f"pbf:{before}",
        "--cache-dir", str(tmp_path), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)["comparison"]
    assert comparison["data_date_before"] is None
    assert comparison["changes"], "芙蓉 opened between the two extracts"
    for change in comparison["changes"]:
        assert change["before"] != change["after"] or change["change"] == "extended"
    opened = {c["item_id"] for c in comparison["changes"] if c["change"] == "opened"}
    assert "furong_dadao" in opened

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ctz.catalog import default_seeds_dir, load_catalog
from ctz.cli import main


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(default_seeds_dir(), target)
    return target


def validate(path: Path | None = None):
    args = ["seeds", "validate"] + ([str(path)] if path else [])
    return CliRunner().invoke(main, args)


def add_items(seeds: Path, entries: list[dict]) -> None:
    (seeds / "items" / "zz_test.yaml").write_text(
        yaml.safe_dump({"items": entries}, allow_unicode=True), encoding="utf-8"
    )


def good_item(**changes) -> dict:
    item = {
        "id": "test_link",
        "name_zh": "测试大道",
        "name_zh_hant": "測試大道",
        "name_en": "Test Avenue",
        "kind": "trunk_road",
        "status": [{"value": "planned", "as_of": "2023", "source": "001 §5"}],
        "from": "changsha",
        "to": "xiangtan",
        "plans": ["001 §5"],
    }
    return item | changes


def test_shipped_catalog_is_valid():
    result = validate()
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_a_well_formed_addition_stays_valid(seeds_copy):
    add_items(seeds_copy, [good_item()])
    assert validate(seeds_copy).exit_code == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "motorway"}, "unknown kind 'motorway'"),
        (
            {"status": [{"value": "dreamt", "as_of": "2023", "source": "001 §5"}]},
            "status entry 1: unknown status 'dreamt'",
        ),
        ({"status": "planned"}, "status 'planned' is undated"),
        ({"status": [{"value": "planned", "source": "001 §5"}]}, "must have exactly"),
        (
            {"status": [{"value": "planned", "as_of": "2023-02-30", "source": "001 §5"}]},
            "as_of '2023-02-30' is not an ISO date or year",
        ),
        (
            {"status": [{"value": "planned", "as_of": "soon", "source": "001 §5"}]},
            "as_of 'soon' is not an ISO date or year",
        ),
        (
            {"status": [{"value": "planned", "as_of": "2023", "source": " "}]},
            "source must name a plan clause or a publication",
        ),
        (
            {
                "status": [
                    {"value": "existing", "as_of": "2023-06-28", "source": "a report, 2023"},
                    {"value": "planned", "as_of": "2015", "source": "000 §7"},
                ]
            },
            "not oldest first: 2023-06-28, 2015",
        ),
        ({"status": []}, "status must be a non-empty list"),
        ({"from": "atlantis"}, "dangling 'from' anchor 'atlantis'"),
        ({"to": "nowhere"}, "dangling 'to' anchor 'nowhere'"),
        ({"plans": ["009 §1"]}, "names a missing document 009"),
        ({"plans": ["001-5"]}, "is not of the form 'NNN §clause'"),
        ({"id": "Test Link"}, "is not lower-case ascii"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({"target_year": "soon"}, "is not a year"),
        ({"branches": [["changsha"]]}, "each branch must list at least 2 anchors"),
        ({"branches": [["changsha", "atlantis"]]}, "dangling anchor 'atlantis'"),
        ({"kind": "water_works"}, "a water_works needs an 'at' anchor"),
    ],
)
def test_broken_item_gets_one_line_naming_file_and_entry(seeds_copy, change, message):
    add_items(seeds_copy, [good_item(**change)])
    result = validate(seeds_copy)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert "items/zz_test.yaml" in lines[0]
    assert message in lines[0]
    assert "Traceback" not in result.output


def test_dated_history_loads_with_the_latest_entry_as_status(seeds_copy):
    history = [
        {"value": "planned", "as_of": "2015", "source": "000 §7"},
        {"value": "under_construction", "as_of": "2021", "source": "004 §2(1)"},
        {"value": "existing", "as_of": "2023-06-28", "source": "a cited report, 2023-06-28"},
    ]
    add_items(seeds_copy, [good_item(status=history)])
    item = load_catalog(seeds_copy).item("test_link")
    assert item.status == "existing"
    assert item.status_as_of == "2023-06-28"
    assert item.status_source == "a cited report, 2023-06-28"
    assert [e.value for e in item.status_history] == ["planned", "under_construction", "existing"]


def test_every_shipped_item_is_dated():
    for item in load_catalog().items.values():
        assert item.status_history, item.id
        assert item.status == item.status_history[-1].value
        assert item.status_as_of[:4].isdigit() and item.status_source


def test_duplicate_id_names_both_files(seeds_copy):
    add_items(seeds_copy, [good_item(), good_item(name_zh="另一条")])
    result = validate(seeds_copy)
    assert result.exit_code == 2
    assert "test_link: duplicate id, first defined in items/zz_test.yaml" in result.output


def test_goal_pointing_at_missing_item(seeds_copy):
    add_goal(seeds_copy, good_goal(items=["no_such_item"]))
    result = validate(seeds_copy)
    assert result.exit_code == 2
    assert "goals.yaml: test_goal: unknown item 'no_such_item'" in result.output


def good_goal(**changes) -> dict:
    goal = {
        "id": "test_goal",
        "name_zh": "测试目标",
        "name_zh_hant": "測試目標",
        "name_en": "Test goal",
        "kind": "corridor_package",
        "target": {"value": 50, "unit": "km"},
        "direction": "at_least",
        "items": ["furong_dadao"],
        "plans": ["001 §5"],
    }
    return goal | changes


def add_goal(seeds: Path, goal: dict) -> None:
    goals_file = seeds / "goals.yaml"
    data = yaml.safe_load(goals_file.read_text(encoding="utf-8"))
    data["goals"].append(goal)
    goals_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_well_formed_goal_stays_valid(seeds_copy):
    add_goal(seeds_copy, good_goal())
    assert validate(seeds_copy).exit_code == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"direction": "more"}, "direction 'more' is not one of at_least, at_most"),
        ({"direction": None}, "direction None is not one of at_least, at_most"),
        (
            {"target": {"value": "fifty", "unit": "km"}},
            "target needs a numeric 'value' and a 'unit'",
        ),
    ],
)
def test_broken_goal_gets_one_line(seeds_copy, change, message):
    add_goal(seeds_copy, good_goal(**change))
    result = validate(seeds_copy)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"ctz: error: {seeds_copy}/goals.yaml: test_goal: {message}"
    ]


def test_a_goal_without_direction_is_one_line(seeds_copy):
    goal = good_goal()
    del goal["direction"]
    add_goal(seeds_copy, goal)
    result = validate(seeds_copy)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"ctz: error: {seeds_copy}/goals.yaml: test_goal: missing field 'direction'"
    ]


def test_shipped_goals_point_the_right_way(catalog):
    directions = {goal.id: goal.direction for goal in catalog.goals.values()}
    assert set(directions.values()) <= {"at_least", "at_most"}
    by_kind = {(g.kind, g.direction) for g in catalog.goals.values()}
    assert ("commute", "at_most") in by_kind and ("charging_radius", "at_most") in by_kind
    assert {d for k, d in by_kind if k in {"corridor_package", "greenway_length"}} == {"at_least"}


def test_malformed_yaml_reports_the_line(seeds_copy):
    (seeds_copy / "items" / "zz_test.yaml").write_text("items:\n  - id: [unclosed\n", "utf-8")
    result = validate(seeds_copy)
    assert result.exit_code == 2
    assert "items/zz_test.yaml: not valid YAML (line" in result.output


def test_a_key_given_twice_is_named_with_its_line(seeds_copy):
    (seeds_copy / "anchors" / "zz_test.yaml").write_text(
        "anchors:\n  - id: test_place\n    name_zh: 测试\n    source: one\n    source: two\n",
        encoding="utf-8",
    )
    result = validate(seeds_copy)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"ctz: error: {seeds_copy}/anchors/zz_test.yaml: not valid YAML "
        "(line 5: found duplicate key 'source')"
    ]


def test_missing_folder_is_one_line(tmp_path):
    result = validate(tmp_path / "nope")
    assert result.exit_code == 2
    assert "no such catalog folder" in result.output


def test_a_name_shared_by_two_items_is_ambiguous(seeds_copy):
    add_items(seeds_copy, [good_item(), good_item(id="other_link", aliases=["測試大道"])])
    result = validate(seeds_copy)
    assert result.exit_code == 2
    assert "other_link: name '测试大道' is also a name of item 'test_link'" in result.output

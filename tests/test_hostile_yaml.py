"""Every YAML ctz reads is bounded, and a careless catalog file is one line per problem, exit 2."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ctz.base import InputError
from ctz.catalog import default_seeds_dir
from ctz.catalog.yaml_files import MAX_YAML_BYTES, read_yaml
from ctz.checks.commute.scenario import load_scenario
from ctz.cli import main

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)
"""Nine levels of ten aliases each: 10⁹ strings once expanded."""
NESTED_LAUGHS = "note:\n" + "".join(f"  {line}\n" for line in LAUGHS.splitlines())
"""The same under a scenario file's ``note``."""


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(default_seeds_dir(), target)
    return target


def validate(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["seeds", "validate", str(path)])
    return result.exit_code, result.stderr.strip().splitlines()


def test_a_billion_laughs_scenario_name_is_refused_quickly(tmp_path: Path) -> None:
    scenario = tmp_path / "laughs.yaml"
    scenario.write_text(NESTED_LAUGHS + "name: *i\nbase: '2025'\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(
        InputError, match=r"laughs\.yaml: not a valid YAML scenario file.*expand past"
    ):
        load_scenario(scenario)
    assert time.monotonic() - started < 5
    result = CliRunner().invoke(main, ["check", "commute", "--scenario", str(scenario)])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_a_huge_yaml_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("note: " + "x" * (MAX_YAML_BYTES + 1) + "\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError, match="larger than"):
        read_yaml(big)


def test_a_billion_laughs_catalog_file_is_one_line(seeds_copy: Path) -> None:
    (seeds_copy / "items" / "zz_laughs.yaml").write_text(LAUGHS + "items: *i\n", "utf-8")
    code, lines = validate(seeds_copy)
    assert code == 2
    assert lines == [
        f"ctz: error: {seeds_copy}/items/zz_laughs.yaml: not valid YAML "
        "(its aliases expand past 1,000,000 values)"
    ]


def test_a_binary_catalog_file_is_one_line(seeds_copy: Path) -> None:
    (seeds_copy / "items" / "zz_binary.yaml").write_bytes(bytes(range(256)) * 4)
    code, lines = validate(seeds_copy)
    assert code == 2
    assert lines == [f"ctz: error: {seeds_copy}/items/zz_binary.yaml: not UTF-8 text (byte 128)"]


def test_a_gb18030_catalog_file_is_one_line(seeds_copy: Path) -> None:
    text = "anchors:\n  - id: test_place\n    name_zh: 测试地点\n    name_en: Test\n"
    (seeds_copy / "anchors" / "zz_gb.yaml").write_bytes(text.encode("gb18030"))
    code, lines = validate(seeds_copy)
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(
        f"ctz: error: {seeds_copy}/anchors/zz_gb.yaml: not UTF-8"
    )


def test_a_list_where_a_name_belongs_is_one_line_per_problem(seeds_copy: Path) -> None:
    entry = {
        "id": "test_link",
        "name_zh": ["测试大道", "别名"],
        "name_zh_hant": "測試大道",
        "name_en": {"en": "Test Avenue"},
        "kind": "trunk_road",
        "status": "planned",
        "from": "changsha",
        "to": "xiangtan",
        "plans": ["001 §5"],
    }
    (seeds_copy / "items" / "zz_test.yaml").write_text(
        yaml.safe_dump({"items": [entry]}, allow_unicode=True), encoding="utf-8"
    )
    code, lines = validate(seeds_copy)
    assert code == 2
    assert lines == [
        f"ctz: error: {seeds_copy}/items/zz_test.yaml: test_link: 'name_en' must be text",
        f"ctz: error: {seeds_copy}/items/zz_test.yaml: test_link: 'name_zh' must be text",
    ]

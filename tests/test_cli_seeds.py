import json

import pytest
from click.testing import CliRunner

from ctz.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_help_lists_the_command_groups():
    result = run("--help")
    assert result.exit_code == 0
    assert "seeds" in result.output and "check" in result.output


def test_list_json_filters_by_kind_and_plan(catalog):
    result = run("seeds", "list", "--kind", "expressway", "--plan", "001", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    expected = {
        i.id
        for i in catalog.items.values()
        if i.kind == "expressway" and any(c.document == "001" for c in i.plans)
    }
    assert {r["id"] for r in rows} == expected
    assert all(r["kind"] == "expressway" and "001 §" in r["plans"] for r in rows)


def test_list_table_has_a_header_and_one_line_per_item(catalog):
    result = run("seeds", "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "name_zh", "name_en", "kind", "status", "plans"]
    assert len(lines) == 1 + len(catalog.items)


def test_unknown_plan_is_one_line_and_exit_2():
    result = run("seeds", "list", "--plan", "999")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "ctz: error: unknown plan document '999' (known: 000, 001, 002, 003, 004)"
    ]


def test_missing_plan_text_is_one_line_and_exit_2(tmp_path):
    result = run("seeds", "extract", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("seeds", "list", "--kind", "motorway"),
        ("seeds", "list", "--plan"),
        ("seeds", "list", "--colour", "red"),
        ("seeds", "validate", "one", "two"),
        ("seeds", "extract"),
        ("seeds", "nonsense"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("ctz: error: ")
    assert "Usage:" not in result.output


def test_unknown_kind_names_the_option_and_the_value():
    result = run("seeds", "list", "--kind", "motorway")
    assert "'--kind'" in result.output and "'motorway'" in result.output


@pytest.mark.parametrize("encoding", ["gb18030", "big5", "utf-16", "utf-8-sig"])
def test_extract_reads_a_plan_in_any_common_encoding(tmp_path, plan_texts, encoding):
    original = tmp_path / "001_plan.txt"
    original.write_text(plan_texts["001"], encoding="utf-8")
    recoded = tmp_path / f"001_{encoding}.txt"
    recoded.write_bytes(plan_texts["001"].encode(encoding))
    expected = run("seeds", "extract", str(original), "--json")
    result = run("seeds", "extract", str(recoded), "--json")
    assert result.exit_code == 0, result.output
    assert result.output == expected.output
    ids = {m["item_id"] for m in json.loads(result.output)}
    assert {"xiangjiang_dadao_binjiang_lu", "changsha_port", "czt_green_heart"} <= ids


def test_extract_reads_a_simplified_gb18030_plan(tmp_path, plan_texts):
    recoded = tmp_path / "003_gb18030.txt"
    recoded.write_bytes(plan_texts["003"].encode("gb18030"))
    result = run("seeds", "extract", str(recoded), "--json")
    assert result.exit_code == 0, result.output
    found = {(m["citation"], m["item_id"]) for m in json.loads(result.output)}
    assert {("003 §(二)5", "furong_dadao"), ("003 §12", "czt_combined_port")} <= found


def test_extract_of_a_binary_file_is_one_line_and_exit_2(tmp_path):
    binary = tmp_path / "001_scan.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    result = run("seeds", "extract", str(binary))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"ctz: error: {binary}: not a plan text (binary, or not UTF-8, UTF-16, GB18030 or Big5)"
    ]

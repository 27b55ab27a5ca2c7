import json

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

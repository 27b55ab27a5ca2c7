from pathlib import Path

from click.testing import CliRunner

from ctz.catalog import Catalog, default_seeds_dir
from ctz.catalog.clauses import split_passages
from ctz.catalog.extract import (
    GENERIC,
    UNCATALOGUED,
    catalog_names,
    extract_mentions,
    load_generic_phrases,
)
from ctz.catalog.text import to_simplified
from ctz.cli import main

MAX_GENERIC_PHRASES = 80
"""The generic-phrase list must stay short: named places belong in the catalog."""


def test_every_mention_in_the_five_plans_is_catalogued(plan_texts, catalog):
    names = catalog_names(catalog)
    generic = load_generic_phrases(default_seeds_dir() / "generic")
    missing = [
        f"{m.citation} {m.text}"
        for number, text in plan_texts.items()
        for m in extract_mentions(text, number, names, generic)
        if m.item_id == UNCATALOGUED
    ]
    assert missing == []


def test_every_clause_naming_an_item_is_among_its_citations(plan_texts, catalog):
    names = catalog_names(catalog)
    generic = load_generic_phrases(default_seeds_dir() / "generic")
    uncited = sorted(
        f"{m.item_id}: {m.citation} ({m.text})"
        for number, text in plan_texts.items()
        for m in extract_mentions(text, number, names, generic)
        if m.item_id in catalog.items
        and m.citation not in {str(c) for c in catalog.items[m.item_id].plans}
    )
    assert uncited == []


def test_generic_list_is_short_and_hides_no_catalog_name(catalog):
    generic = load_generic_phrases(default_seeds_dir() / "generic")
    assert 0 < len(generic) <= MAX_GENERIC_PHRASES
    assert len(set(generic)) == len(generic)
    clashes = set(generic) & set(catalog_names(catalog))
    assert clashes == set()


def test_every_citation_points_at_a_real_clause(plan_texts, catalog):
    labels = {
        number: {passage.clause for passage in split_passages(text)}
        for number, text in plan_texts.items()
    }
    cited = [
        (entry.id, str(c))
        for entry in [*catalog.items.values(), *catalog.goals.values()]
        for c in entry.plans
        if c.clause not in labels[c.document]
    ]
    assert cited == []


def test_each_document_is_cited(plan_texts, catalog):
    cited = {c.document for item in catalog.items.values() for c in item.plans}
    assert cited == set(plan_texts)


def test_command_maps_both_scripts_to_the_same_item(tmp_path: Path):
    simplified = tmp_path / "001_simplified.txt"
    traditional = tmp_path / "001_traditional.txt"
    simplified.write_text("二、行动举措\n5. 建成长沙湘江大道，打通融城干道。\n", "utf-8")
    traditional.write_text("二、行動舉措\n5. 建成長沙湘江大道，打通融城幹道。\n", "utf-8")
    outputs = [
        CliRunner().invoke(main, ["seeds", "extract", str(path), "--json"])
        for path in (simplified, traditional)
    ]
    assert all(out.exit_code == 0 for out in outputs), outputs[0].output
    assert outputs[0].output == outputs[1].output
    assert '"citation": "001 §5"' in outputs[0].output


def test_mentions_resolve_to_items_generic_or_uncatalogued():
    text = "一、总则\n1、建设芙蓉大道，完善高速公路网，新建梦想大道。\n"
    names = {"芙蓉大道": "furong_avenue"}
    found = [
        (m.clause, m.text, m.item_id) for m in extract_mentions(text, "009", names, ["高速公路网"])
    ]
    assert found == [
        ("1", "芙蓉大道", "furong_avenue"),
        ("1", "高速公路网", GENERIC),
        ("1", "新建梦想大道", UNCATALOGUED),
    ]


def test_name_without_keyword_is_still_a_mention():
    found = extract_mentions("1、扩容G4。", "009", {"G4": "g4"})
    assert [(m.text, m.item_id) for m in found] == [("G4", "g4")]


def test_a_place_counts_only_where_it_explains_a_keyword():
    names = {"长沙": "anchor:changsha", "茶亭互通": "anchor:chating"}
    found = extract_mentions("1、长沙至茶亭互通。", "009", names)
    assert [(m.text, m.item_id) for m in found] == [("茶亭互通", "anchor:chating")]


def test_clause_labels_follow_the_document_numbering():
    text = "\n".join(
        [
            "前言",
            "一、总体要求",
            "(一)目标",
            "1、第一项",
            "二、重点任务",
            "(二)交通",
            "1、第二项",
            "(1)细项",
            "附件2",
            "1、附件一项",
        ]
    )
    labels = [p.clause for p in split_passages(text)]
    assert labels == ["0", "一", "(一)", "(一)1", "二", "(二)", "(二)1", "(1)", "附件2.1"]


def test_simplified_conversion_folds_full_width_forms():
    assert to_simplified("長株潭（一）５．") == "长株潭(一)5."


NAMED_IN_A_SHARED_PHRASE = {
    "beijing_guangzhou_railway": "000 §7 lists the rail verticals by short name (京广)",
    "yueyang_airport": "000 names 'the Yueyang and Loudi airports' in one phrase",
    "yueyang_coal_rail_water_base": "000 names 'the Yueyang and Huarong bases' in one phrase",
    "yiyang_rice_logistics_node": "000 names the Changsha, Yiyang and Yueyang nodes in one phrase",
    "yueyang_rice_logistics_node": "000 names the Changsha, Yiyang and Yueyang nodes in one phrase",
}
"""Items no clause names in full, with where the plan names them instead."""


def test_every_item_is_named_in_a_clause_it_cites(
    plan_texts: dict[str, str], catalog: Catalog
) -> None:
    clause_texts: dict[str, list[str]] = {}
    for number, text in plan_texts.items():
        for passage in split_passages(text):
            clause_texts.setdefault(f"{number} §{passage.clause}", []).append(passage.text)
    unnamed = sorted(
        item.id
        for item in catalog.items.values()
        if not any(
            to_simplified(name) in passage
            for citation in item.plans
            for passage in clause_texts.get(str(citation), [])
            for name in item.names
        )
    )
    assert unnamed == sorted(NAMED_IN_A_SHARED_PHRASE)


def test_every_generic_phrase_says_why_it_names_no_place() -> None:
    lines = [
        line
        for path in sorted((default_seeds_dir() / "generic").glob("*.yaml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.lstrip().startswith("- ")
    ]
    assert lines
    assert [line for line in lines if "#" not in line] == []


def test_markets_freight_trains_and_water_works_are_mentions() -> None:
    text = "一、总则\n1、开行新的货运班列,建设梦想农贸交易中心,推进某湖治涝工程。\n"
    found = [(m.text, m.theme, m.item_id) for m in extract_mentions(text, "009", {})]
    assert found == [
        ("开行新的货运班列", "logistics", UNCATALOGUED),
        ("建设梦想农贸交易中心", "logistics", UNCATALOGUED),
        ("推进某湖治涝", "water", UNCATALOGUED),
    ]

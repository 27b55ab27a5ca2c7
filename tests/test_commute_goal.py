import json

import pytest
import shapely
from click.testing import CliRunner

from ctz.checks.commute.goal import check_commute_goal
from ctz.checks.context import CheckContext
from ctz.cli import main
from ctz.geo.embedded import EmbeddedSource


def test_goal_result_judges_by_the_rule_of_the_catalog_goal(catalog):
    goal = next(g for g in catalog.goals.values() if g.kind == "commute")
    assert goal.rule is not None
    result = check_commute_goal(goal, CheckContext(catalog, EmbeddedSource(catalog)))
    assert len(result.details) == 3  # three cores, three pairs
    assert result.target == pytest.approx(goal.rule.threshold * 100)
    assert result.measured is not None
    assert result.unit == "% of people" and 0 < result.measured < 100
    meets = result.measured >= goal.rule.threshold * 100
    assert result.verdict == ("met" if meets else "not_met")
    assert goal.rule.indicator in result.summary
    assert list(result.evidence["role"]) == ["core"] * 3
    assert result.evidence.geometry.within(shapely.box(112.4, 27.2, 114.2, 28.7)).all()


def test_check_all_measures_the_commute_goal():
    result = CliRunner().invoke(main, ["check", "all", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    rows = rows["goals"] if isinstance(rows, dict) else rows
    commute = [r for r in rows if r["kind"] == "commute"]
    assert commute and all(r["verdict"] in {"met", "not_met"} for r in commute)


RULE = {"indicator": "area_nearest_60", "threshold": 0.8, "direction": "at_least", "reading": "r"}


def seeds_with_commute_goal(tmp_path, **changes):
    """A copy of the shipped seeds whose commute goal's rule or area is changed."""
    import shutil

    import yaml

    from ctz.catalog import default_seeds_dir

    seeds = tmp_path / "seeds"
    shutil.copytree(default_seeds_dir(), seeds)
    path = seeds / "goals.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    goal = next(g for g in data["goals"] if g["kind"] == "commute")
    for key, value in changes.items():
        goal[key] = goal[key] | value if isinstance(value, dict) and key in goal else value
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return seeds


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule": {"indicator": "fastest"}}, "rule indicator 'fastest' is not one of"),
        ({"rule": {"threshold": 80}}, "rule threshold 80 of a share must lie in 0–1"),
        ({"rule": {"direction": "more"}}, "rule direction 'more' is not one of"),
        ({"rule": {"indicator": "area_nearest_60"} | {"extra": 1}}, "rule needs exactly"),
        ({"area": {"counties": ["4301"]}}, "area counties must be a non-empty list"),
        ({"area": {"centre": "hunan_core"}}, "area centre 'hunan_core' is not a core"),
    ],
)
def test_a_bad_goal_rule_or_area_is_one_line(tmp_path, changes, message):
    seeds = seeds_with_commute_goal(tmp_path, **changes)
    result = CliRunner().invoke(main, ["seeds", "validate", str(seeds)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "goals.yaml: one_hour_commute:" in lines[0] and message in lines[0]


def test_the_shipped_rule_and_area_load_and_match_the_published_area(catalog):
    goal = catalog.goals["one_hour_commute"]
    assert goal.rule is not None and goal.rule.indicator == "area_nearest_60"
    area = goal.area
    assert area is not None and area.centre in catalog.cores and len(area.counties) == 19
    from ctz.layers.boundaries import county_boundaries

    counties = county_boundaries()
    chosen = counties[counties["code"].isin(area.counties)].to_crs(6933)
    assert len(chosen) == 19
    assert chosen.area.sum() / 1e6 == pytest.approx(area.area_km2, rel=0.01)

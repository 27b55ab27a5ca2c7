import json

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
    assert result.target == goal.rule.threshold
    assert 0 < result.measured < 1  # a share of the area's people
    meets = result.measured >= goal.rule.threshold
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

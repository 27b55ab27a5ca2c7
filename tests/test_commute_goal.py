import json

import pytest
import shapely
from click.testing import CliRunner

from ctz.checks.commute.goal import check_commute_goal
from ctz.checks.context import CheckContext
from ctz.cli import main
from ctz.geo.embedded import EmbeddedSource


def test_goal_result_agrees_with_its_core_pairs(catalog):
    goal = next(g for g in catalog.goals.values() if g.kind == "commute")
    result = check_commute_goal(goal, CheckContext(catalog, EmbeddedSource(catalog)))
    best = [pair["best"] for pair in result.details]
    assert len(best) == 3  # three cores, three pairs
    assert result.measured == pytest.approx(max(best), abs=0.05)
    assert result.verdict == ("met" if max(best) <= goal.target_value else "not_met")
    assert list(result.evidence["role"]) == ["core"] * 3
    assert result.evidence.geometry.within(shapely.box(112.4, 27.2, 114.2, 28.7)).all()


def test_check_all_measures_the_commute_goal():
    result = CliRunner().invoke(main, ["check", "all", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    rows = rows["goals"] if isinstance(rows, dict) else rows
    commute = [r for r in rows if r["kind"] == "commute"]
    assert commute and all(r["verdict"] in {"met", "not_met"} for r in commute)

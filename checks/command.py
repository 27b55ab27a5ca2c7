"""What ``ctz check corridors|green-heart|charging|all`` do, apart from parsing options."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ctz.base import InputError
from ctz.catalog import load_catalog
from ctz.checks.context import CheckContext
from ctz.checks.evidence_map import write_evidence_map
from ctz.checks.registry import family_goals, run_goals
from ctz.checks.report import report_json, report_markdown
from ctz.checks.result import GoalResult
from ctz.geo.registry import open_source


@dataclass
class CheckRun:
    """The results of one check command and the source they were measured from."""

    source: str
    results: list[GoalResult]

    def json(self) -> dict[str, object]:
        """Return the report as JSON-ready data."""
        return report_json(self.results, self.source)

    @property
    def all_met(self) -> bool:
        """True when every goal's verdict is ``met``."""
        return all(r.verdict == "met" for r in self.results)


def run_check(
    family: str | None,
    source: str,
    goal_ids: Sequence[str] = (),
    population: Path | None = None,
    markdown: Path | None = None,
    map_file: Path | None = None,
) -> CheckRun:
    """Measure the goals of a family (all goals for None) and write the optional outputs.

    Parameters
    ----------
    family
        ``corridors``, ``green-heart``, ``charging`` or None for every catalog goal.
    source
        Geometry source spec: ``embedded``, ``osm`` or ``pbf:PATH``.
    goal_ids
        Only these goals (ids must exist among the family's goals).
    population
        Optional population raster.
    markdown, map_file
        Where to write the Markdown report and the evidence map.

    Raises
    ------
    InputError
        On an unknown source or goal id.
    """
    catalog = load_catalog()
    goals = family_goals(catalog.goals.values(), family)
    if goal_ids:
        known = {g.id: g for g in goals}
        unknown = [i for i in goal_ids if i not in known]
        if unknown:
            raise InputError(f"unknown goal '{unknown[0]}' (known: {', '.join(known) or 'none'})")
        goals = [known[i] for i in goal_ids]
    if population is not None and not population.is_file():
        raise InputError(f"population raster not found: {population}")
    ctx = CheckContext(catalog, open_source(source, catalog), population)
    run = CheckRun(source, run_goals(goals, ctx))
    if markdown is not None:
        _write_text(markdown, report_markdown(run.results, source))
    if map_file is not None:
        write_evidence_map(run.results, map_file)
    return run


def _write_text(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)

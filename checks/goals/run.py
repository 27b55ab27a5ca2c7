"""Measure a family of plan goals (or all of them) from one source: the data of ``ctz check``."""

from __future__ import annotations

from collections.abc import Sequence

from ctz.base import InputError
from ctz.catalog.model import Catalog
from ctz.checks.context import CheckContext
from ctz.checks.data_coverage import source_coverage
from ctz.checks.goals.registry import family_goals, run_goals
from ctz.checks.population import RasterPeople
from ctz.checks.result import Report
from ctz.geo.source import GeometrySource


def run_checks(
    catalog: Catalog,
    source: GeometrySource,
    *,
    label: str | None = None,
    family: str | None = None,
    goal_ids: Sequence[str] = (),
    people: RasterPeople | None = None,
) -> Report:
    """Measure the goals of a family (every catalog goal for None) from one source.

    Parameters
    ----------
    catalog
        The plan catalog.
    source
        The opened geometry source (embedded, osm, pbf).
    label
        How the report names the source (e.g. ``pbf:hunan.osm.pbf``); ``source.name`` by default.
    family
        ``corridors``, ``green-heart``, ``charging``, ``commute`` or None for every goal.
    goal_ids
        Only these goals, which must be among the family's.
    people
        A population raster's people over the study area (read, and refused when it
        does not cover it, before any goal is measured), or None.

    Returns
    -------
    Report

    Raises
    ------
    InputError
        On an unknown goal id.
    SourceError
        When the source's data cannot be had (unreachable server, corrupt extract).
    """
    goals = family_goals(catalog.goals.values(), family)
    if goal_ids:
        known = {g.id: g for g in goals}
        unknown = [i for i in goal_ids if i not in known]
        if unknown:
            raise InputError(f"unknown goal '{unknown[0]}' (known: {', '.join(known) or 'none'})")
        goals = [known[i] for i in goal_ids]
    ctx = CheckContext(catalog, source, people)
    results = run_goals(goals, ctx)
    layer = ctx.resolved_layer
    coverage = source_coverage(source, layer).warn(*ctx.absent).with_raster(people)
    return Report(label or source.name, results, coverage)

"""The plan's measure stated: the indicators of the one-hour commute and the one verdict.

Indicators (ids in :data:`~ctz.catalog.model.COMMUTE_INDICATORS`):

- ``area_central_60`` / ``area_nearest_60``: the share of the goal area's people
  (the 长株潭都市圈 of the 2022 plan, ``area`` of the goal in ``seeds/goals.yaml``)
  within 60 minutes of the central city's core / of the nearest core;
- ``prefectures_central_60`` / ``prefectures_nearest_60``: the same over the
  three prefectures (every populated cell of the study);
- ``pairs_station_to_station``: the slowest pair of cores, between their stations
  by the fastest scheduled ride (:func:`station_to_station`);
- ``pairs_door_to_door``: the slowest pair of cores door to door by the best mode.

Each carries its range over the model's uncertain assumptions (the times at the
optimistic and the pessimistic corner, see :mod:`~ctz.checks.commute.sensitivity`).
:func:`judge` is the one place a verdict is reached: the goal's rule (indicator,
threshold, direction) applied to its indicator, at its value and over its range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ctz.catalog.model import COMMUTE_INDICATORS, GoalArea, GoalRule
from ctz.checks.commute.coverage import GOAL_MINUTES, Measurement, Study
from ctz.checks.commute.sensitivity import OPTIMISTIC, PESSIMISTIC
from ctz.checks.commute.transit import ServiceLines

DEFAULT_RULE = GoalRule(
    indicator="pairs_door_to_door",
    threshold=float(GOAL_MINUTES),
    direction="at_most",
    reading="the catalog's commute goal states no rule: every pair of cores within the goal time",
)
"""The rule when the catalog's commute goal has none."""

STATION_MATCH_M = 1500.0
"""A stop this close to one of a core's station anchors serves that core's station."""

INDICATOR_COLUMNS: tuple[str, ...] = (
    "id",
    "name_zh",
    "rule",
    "area",
    "population",
    "value",
    "unit",
    "low",
    "high",
)
"""Columns of the indicator table."""

STATION_COLUMNS: tuple[str, ...] = ("from", "to", "minutes", "service", "low", "high")
"""Columns of the station-to-station table."""


@dataclass(frozen=True)
class Judgement:
    """A goal rule applied to its indicator.

    Attributes
    ----------
    rule
        The rule as a sentence.
    value, low, high
        The indicator's value and its range (None when not measured).
    verdict
        ``met``, ``not_met`` or ``unknown``.
    holds_over_range
        True when the verdict is the same at both ends of the range.
    reason
        Why the verdict is ``unknown`` (empty otherwise).
    """

    rule: str
    value: float | None
    low: float | None
    high: float | None
    verdict: str
    holds_over_range: bool
    reason: str = ""


def station_to_station(
    lines: ServiceLines,
    services: pd.DataFrame,
    stations: list[np.ndarray],
    core_ids: list[str],
    running: set[str],
) -> pd.DataFrame:
    """Fastest scheduled ride between the stations of each pair of cores, either way.

    A ride boards where the service takes people on at a stop within
    :data:`STATION_MATCH_M` of one of the first core's stations and alights at a
    later stop of the same pattern near one of the second's: its minutes are
    the scheduled in-vehicle time (runs and dwells between), no wait, no access.

    Parameters
    ----------
    lines
        The services, as stop patterns.
    services
        ``service, name, mode`` of each (road-mode services are left out).
    stations
        Per core, the metric positions of its station anchors, shape ``(n, 2)``.
    core_ids
        The cores' ids, in the same order.
    running
        Items switched on: only their patterns count.

    Returns
    -------
    pandas.DataFrame
        :data:`STATION_COLUMNS`, one row per pair of cores (``from`` before
        ``to`` in core order); minutes NaN and service empty where no ride exists;
        ``low`` and ``high`` equal to ``minutes`` (see :func:`station_ranges`).
    """
    names, road = {}, set()
    if not services.empty:
        names = dict(zip(services["service"], services["name"], strict=True))
        road = set(services.loc[services["mode"] == "road", "service"])
    item = lines.item
    on = np.isin(item, list(running - road)) & lines.serves if len(lines) else np.zeros(0, bool)
    near = [_near(lines.xy, xy) & on for xy in stations]
    timing = _timing(lines)
    rows = []
    for i, a in enumerate(core_ids):
        for j, b in enumerate(core_ids):
            if i >= j:
                continue
            there = _fastest(lines, timing, near[i] & np.isfinite(lines.wait_min), near[j])
            back = _fastest(lines, timing, near[j] & np.isfinite(lines.wait_min), near[i])
            minutes, _, row_to = min(there, back)
            service = str(names.get(item[row_to], item[row_to])) if np.isfinite(minutes) else ""
            minutes = minutes if np.isfinite(minutes) else np.nan
            rows.append((a, b, minutes, service, minutes, minutes))
    frame = pd.DataFrame(rows, columns=list(STATION_COLUMNS))
    return frame.astype({"minutes": float, "low": float, "high": float})


def station_ranges(
    lines: ServiceLines,
    services: pd.DataFrame,
    stations: list[np.ndarray],
    core_ids: list[str],
    running: set[str],
    circuity: float,
) -> pd.DataFrame:
    """:func:`station_to_station` with ``low`` and ``high`` over the sketch circuity range.

    Timetabled rides are fixed; sketched ones change with the circuity of their
    chains (:data:`~ctz.checks.commute.params.CIRCUITY_RANGE`). ``circuity`` is
    the factor the lines were built with.
    """
    table = station_to_station(lines, services, stations, core_ids, running)
    for column, corner in (("low", OPTIMISTIC), ("high", PESSIMISTIC)):
        other = lines.at_circuity(corner.circuity, circuity)
        table[column] = station_to_station(other, services, stations, core_ids, running)[
            "minutes"
        ].to_numpy()
    return table


def _near(stop_xy: np.ndarray, station_xy: np.ndarray) -> np.ndarray:
    """Return True for stops within :data:`STATION_MATCH_M` of one of the stations."""
    if not len(station_xy) or not len(stop_xy):
        return np.zeros(len(stop_xy), dtype=bool)
    gap = np.hypot(*(stop_xy[:, None, :] - station_xy[None, :, :]).transpose(2, 0, 1))
    return gap.min(axis=1) <= STATION_MATCH_M


def _timing(lines: ServiceLines) -> tuple[np.ndarray, np.ndarray]:
    """Minutes from each pattern's first departure to arriving at / departing from each row."""
    run = np.nan_to_num(lines.run_min, nan=0.0)
    step = pd.Series(lines.dwell_min + run)
    depart = step.groupby(lines.pattern).cumsum().to_numpy() - run
    return depart - lines.dwell_min, depart


def _fastest(
    lines: ServiceLines,
    timing: tuple[np.ndarray, np.ndarray],
    board: np.ndarray,
    alight: np.ndarray,
) -> tuple[float, int, int]:
    """Shortest ride boarding at a ``board`` row and alighting at a later ``alight`` row.

    Returns minutes (``inf`` when none) and the boarding and alighting rows.
    """
    arrive, depart = timing
    if not board.any() or not alight.any():
        return np.inf, -1, -1
    rows = np.arange(len(lines.pattern))
    first = np.r_[True, lines.pattern[1:] != lines.pattern[:-1]]
    latest = pd.Series(np.where(board, rows, np.nan)).shift(1)
    latest[first] = np.nan
    latest = latest.groupby(lines.pattern).ffill().to_numpy()
    ok = alight & np.isfinite(latest)
    if not ok.any():
        return np.inf, -1, -1
    start = latest[ok].astype(np.int64)
    ride = arrive[ok] - depart[start]
    best = int(np.argmin(ride))
    return float(ride[best]), int(start[best]), int(rows[ok][best])


def indicators(
    study: Study,
    measured: tuple[Measurement, Measurement, Measurement],
    stations: pd.DataFrame,
    area: GoalArea | None,
) -> pd.DataFrame:
    """Every indicator at the model's values and its range.

    Parameters
    ----------
    study
        Cells (``code``, ``population``) and cores.
    measured
        The scenario at the model's values, at the optimistic corner and at the
        pessimistic corner.
    stations
        :func:`station_to_station`.
    area
        The goal's area; the area indicators are left out when None.

    Returns
    -------
    pandas.DataFrame
        :data:`INDICATOR_COLUMNS`; shares 0–1, minutes.
    """
    people = study.population
    core_ids = [c.id for c in study.cores]
    centre = core_ids.index(area.centre) if area and area.centre in core_ids else 0
    centre_name = study.cores[centre].name_en
    rows = []
    regions = [
        (
            "prefectures",
            "长株潭三市",
            "the three prefectures (Changsha, Zhuzhou, Xiangtan)",
            np.ones(len(people), dtype=bool),
        )
    ]
    if area is not None:
        inside = study.cells["code"].isin(area.counties).to_numpy()
        regions.insert(0, ("area", area.name_zh, f"the {area.name_en}", inside))
    reach = {
        "central": ("中心城市核心", f"the central city's core ({centre_name})"),
        "nearest": ("最近核心", "the nearest core"),
    }
    for prefix, where, where_en, inside in regions:
        for kind, (to_zh, to_en) in reach.items():
            values = [
                _share(m.cell_minutes[centre] if kind == "central" else m.nearest, people, inside)
                for m in measured
            ]
            rows.append(
                _row(
                    f"{prefix}_{kind}_60",
                    f"{where}{GOAL_MINUTES}分钟内到达{to_zh}的人口比例",
                    f"share of the people of {where_en} within {GOAL_MINUTES} min of {to_en}, "
                    "morning peak, fastest usual mode",
                    where,
                    int(people[inside].sum()),
                    values,
                )
            )
    scheduled = stations["minutes"].to_numpy(dtype=float)
    served = np.isfinite(scheduled)
    slowest = [
        float(stations[column].to_numpy(dtype=float)[served].max()) if served.any() else np.nan
        for column in ("minutes", "low", "high")
    ]
    missing = [f"{r['from']}–{r['to']}" for r in stations[~served].to_dict(orient="records")]
    rows.append(
        _row(
            "pairs_station_to_station",
            "核心间站到站最快班次（最慢一对）",
            "the slowest pair of cores by the fastest scheduled ride between their stations "
            "(in-vehicle minutes, no wait or access)"
            + (f"; no direct scheduled service {', '.join(missing)}" if missing else ""),
            "三核心车站",
            0,
            slowest,
        )
    )
    rows.append(
        _row(
            "pairs_door_to_door",
            "核心间门到门时间（最慢一对）",
            "the slowest pair of cores door to door by the best mode at the morning peak",
            "三核心",
            0,
            [_slowest(m.best) for m in measured],
        )
    )
    return pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS))


def judge(rule: GoalRule, table: pd.DataFrame, unknown_reason: str = "") -> Judgement:
    """Apply a goal rule to its indicator: the verdict at its value and over its range.

    Parameters
    ----------
    rule
        The rule (from the catalog goal, or :data:`DEFAULT_RULE`).
    table
        :func:`indicators`.
    unknown_reason
        When not empty, the verdict is ``unknown`` for this reason whatever the values.

    Returns
    -------
    Judgement
    """
    text = rule_text(rule, table)
    found = table[table["id"] == rule.indicator]
    if found.empty:
        reason = "its indicator is not measured"
        return Judgement(text, None, None, None, "unknown", holds_over_range=False, reason=reason)
    row = found.iloc[0]
    value, low, high = (_finite(row[k]) for k in ("value", "low", "high"))
    if unknown_reason:
        return Judgement(
            text, value, low, high, "unknown", holds_over_range=False, reason=unknown_reason
        )
    verdicts = {_verdict(rule, v) for v in (value, low, high)}
    return Judgement(
        text, value, low, high, _verdict(rule, value), holds_over_range=len(verdicts) == 1
    )


def rule_text(rule: GoalRule, table: pd.DataFrame) -> str:
    """Return the rule as a sentence: indicator, direction, threshold and area."""
    unit = COMMUTE_INDICATORS.get(rule.indicator, "")
    found = table.loc[table["id"] == rule.indicator, "rule"]
    what = str(found.iloc[0]) if len(found) else rule.indicator
    bound = f"{rule.threshold:.0%}" if unit == "share" else f"{rule.threshold:g} min"
    return f"{what.replace('_', ' ')} {rule.direction.replace('_', ' ')} {bound} ({rule.indicator})"


def _verdict(rule: GoalRule, value: float | None) -> str:
    if value is None:
        return "not_met" if COMMUTE_INDICATORS.get(rule.indicator) == "min" else "unknown"
    meets = value >= rule.threshold if rule.direction == "at_least" else value <= rule.threshold
    return "met" if meets else "not_met"


def _share(minutes: np.ndarray, people: np.ndarray, inside: np.ndarray) -> float:
    total = people[inside].sum()
    return float(people[inside & (minutes <= GOAL_MINUTES)].sum() / total) if total else np.nan


def _slowest(best: np.ndarray) -> float:
    if len(best) < 2:
        return 0.0
    return float(best[~np.eye(len(best), dtype=bool)].max())


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _row(
    ident: str, name_zh: str, rule: str, area: str, population: int, values: list[float]
) -> dict[str, object]:
    """One indicator: its value at the model's values, and the range over the corners."""
    value = values[0]
    finite = [v for v in values if np.isfinite(v)]
    low = min(finite) if len(finite) == len(values) else np.nan
    high = max(finite) if len(finite) == len(values) else np.nan
    return {
        "id": ident,
        "name_zh": name_zh,
        "rule": rule,
        "area": area,
        "population": population,
        "value": value,
        "unit": COMMUTE_INDICATORS[ident],
        "low": low,
        "high": high,
    }

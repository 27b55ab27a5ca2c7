"""Plan progress as tables, a briefing section (Markdown and HTML) and a CSV or workbook file.

The tables are the same in every format: items (plan status and date, OSM
state, flags, km, evidence), km by kind, items by plan, and, with a two-extract
comparison, what changed state.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from ctz.base import InputError
from ctz.checks.progress import ProgressResult
from ctz.files import replacing
from ctz.maps.markdown import escape_markdown
from ctz.maps.report.cells import rows
from ctz.maps.report.safe_cells import append_as_text, csv_safe

PROGRESS_TITLES: dict[str, tuple[str, str]] = {
    "progress_by_plan": ("规划项目进展（分文件）", "Plan progress by document"),
    "progress_by_kind": ("规划项目进展（分类型，公里）", "Plan progress by kind (km)"),
    "progress": ("规划项目进展（逐项）", "Plan progress by item"),
    "progress_changes": ("两期数据间的变化", "Changes between the two extracts"),
}
"""Every progress table, in order, with its (Chinese, English) title."""

STATE_WORDS: dict[str, tuple[str, str]] = {
    "open": ("已通车/建成", "open"),
    "construction": ("在建", "under construction"),
    "proposed": ("OSM 标为规划", "proposed"),
    "absent": ("数据中未见", "absent"),
    "outside_data": ("数据范围外", "outside the data"),
}
"""OSM states in words."""

PROGRESS_KINDS: dict[str, str] = {
    **{c: "km" for c in ("open [km]", "under construction [km]", "not started [km]")},
    **{c: "km" for c in ("opened [km]", "started [km]")},
    **{f"{state} [items]": "count" for state in STATE_WORDS},
    "items": "count",
    "done (open) of known [%]": "plain",
}
"""Number columns of the progress tables and how a planner writes them
(:func:`ctz.words.planner_number`); the other columns are text."""

PROGRESS_FORMATS: tuple[str, ...] = (".csv", ".xlsx")
"""File endings ``ctz progress -o`` writes."""

_MAX_IDS = 5
"""OSM ids listed per item in tables (the JSON output lists all)."""


def progress_tables(result: ProgressResult) -> dict[str, pd.DataFrame]:
    """Return every progress table of :data:`PROGRESS_TITLES` that has rows, in order."""
    tables = {
        "progress_by_plan": plan_table(result),
        "progress_by_kind": kind_table(result),
        "progress": item_table(result),
        "progress_changes": change_table(result),
    }
    return {key: table for key, table in tables.items() if len(table)}


def item_table(result: ProgressResult) -> pd.DataFrame:
    """Return one row per item: plan status and date, OSM state, flags, km and evidence."""
    items = result.items
    ids = items["osm_ids"].map(
        lambda found: ";".join(found[:_MAX_IDS]) + (" …" if len(found) > _MAX_IDS else "")
    )
    return pd.DataFrame(
        {
            "item_id": items["item_id"],
            "name_zh": items["name_zh"],
            "kind": items["kind"],
            "plan status": items["plan_status"],
            "plan status as of": items["plan_status_as_of"],
            "plan status source": items["plan_status_source"],
            "OSM state": items["osm_state"],
            "target_year": pd.array(items["target_year"], dtype="Int64"),
            "overdue": items["overdue"].map(_yes_no),
            "status outdated": items["status_outdated"].map(_yes_no),
            "open [km]": items["km_open"],
            "under construction [km]": items["km_construction"],
            "not started [km]": items["km_not_started"],
            "opening_date": items["opening_date"],
            "OSM ids": ids,
        }
    )


def kind_table(result: ProgressResult) -> pd.DataFrame:
    """Return km open / under construction / not started and items per OSM state, per kind."""
    by_kind = result.summary["by_kind"]
    return pd.DataFrame(
        [
            {
                "kind": kind,
                "items": row["items"],
                "open [km]": row["km_open"],
                "under construction [km]": row["km_construction"],
                "not started [km]": row["km_not_started"],
                **{f"{state} [items]": row[state] for state in STATE_WORDS},
            }
            for kind, row in by_kind.items()
        ]
    )


def plan_table(result: ProgressResult) -> pd.DataFrame:
    """Return, per plan document, its items in each OSM state and the share open."""
    by_plan = result.summary["by_plan"]
    return pd.DataFrame(
        [
            {
                "plan": plan,
                "items": row["items"],
                **{f"{state} [items]": row[state] for state in STATE_WORDS},
                "done (open) of known [%]": None
                if row["share_done"] is None
                else round(row["share_done"] * 100, 1),
            }
            for plan, row in by_plan.items()
        ]
    )


def change_table(result: ProgressResult) -> pd.DataFrame:
    """Return the items that changed state between the two extracts (empty without one)."""
    if result.changes is None:
        return pd.DataFrame()
    return result.changes.rename(columns={"km_opened": "opened [km]", "km_started": "started [km]"})


def progress_markdown(result: ProgressResult | None, lang: str) -> list[str]:
    """Return the briefing's progress section as Markdown lines (none without a result).

    A heading, one line of counts by OSM state with the data's and the judgement's
    dates, then the overdue and the outdated items as lists.
    """
    if result is None:
        return []
    title = _word(("规划项目进展", "Plan progress"), lang)
    lines = ["", f"## {title}", "", escape_markdown(_headline(result, lang))]
    for heading, ids in _lists(result, lang):
        lines += ["", f"### {heading}", ""]
        lines += [f"- {escape_markdown(text)}" for text in _item_lines(result, ids, lang)]
        lines += [] if ids else [f"- {_word(('无', 'none'), lang)}"]
    return lines


def progress_html(result: ProgressResult | None, lang: str) -> str:
    """Return the briefing's progress section as an HTML ``<section>`` (empty without a result)."""
    if result is None:
        return ""
    title = html.escape(_word(("规划项目进展", "Plan progress"), lang))
    parts = [f'<section id="progress"><h2>{title}</h2>']
    parts.append(f"<p>{html.escape(_headline(result, lang))}</p>")
    for heading, ids in _lists(result, lang):
        entries = _item_lines(result, ids, lang) or [_word(("无", "none"), lang)]
        parts.append(f"<h3>{html.escape(heading)}</h3><ul>")
        parts += [f"<li>{html.escape(text)}</li>" for text in entries]
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def write_progress(result: ProgressResult, path: Path) -> None:
    """Write the item table (``.csv``) or every progress table as a workbook (``.xlsx``).

    Raises
    ------
    InputError
        For another file ending.
    """
    check_progress_output(path)
    with replacing(path) as temporary:
        if path.suffix.lower() == ".csv":
            csv_safe(item_table(result)).to_csv(temporary, index=False, encoding="utf-8-sig")
            return
        book = Workbook()
        book.remove(book.active)
        for key, table in progress_tables(result).items():
            sheet = book.create_sheet(key)
            append_as_text(sheet, [str(c) for c in table.columns])
            for row in rows(table):
                append_as_text(sheet, row)
            sheet.freeze_panes = "A2"
        book.save(temporary)


def check_progress_output(path: Path) -> None:
    """Raise :class:`InputError` unless ``path`` ends in one of :data:`PROGRESS_FORMATS`."""
    if path.suffix.lower() not in PROGRESS_FORMATS:
        raise InputError(f"{path}: write progress to a file ending in .csv or .xlsx")


def _headline(result: ProgressResult, lang: str) -> str:
    counts = result.summary["by_state"]
    states = ", ".join(f"{_word(STATE_WORDS[s], lang)} {n}" for s, n in counts.items())
    data = result.data_date or _word(("未注明", "not stated"), lang)
    if lang == "zh":
        return (
            f"{result.summary['items']} 个规划项目，OSM 数据（{result.source}，日期 {data}）："
            f"{states}；截至 {result.as_of.isoformat()} 逾期 {len(result.summary['overdue'])} 项，"
            f"规划状态落后于 OSM {len(result.summary['status_outdated'])} 项。"
        )
    return (
        f"{result.summary['items']} plan items against OSM data ({result.source}, data date "
        f"{data}): "
        f"{states}; as of {result.as_of.isoformat()}, {len(result.summary['overdue'])} overdue, "
        f"{len(result.summary['status_outdated'])} with a plan status behind OSM."
    )


def _lists(result: ProgressResult, lang: str) -> list[tuple[str, list[str]]]:
    return [
        (_word(("逾期项目", "Overdue items"), lang), result.summary["overdue"]),
        (
            _word(("规划状态已过时（OSM 显示更进一步）", "Plan status outdated"), lang),
            result.summary["status_outdated"],
        ),
    ]


def _item_lines(result: ProgressResult, ids: list[str], lang: str) -> list[str]:
    rows = result.items.set_index("item_id").loc[ids]
    return [
        f"{row.name_zh} ({item_id}): {_word(('规划', 'plan'), lang)} {row.plan_status} "
        f"({row.plan_status_as_of}), OSM {_word(STATE_WORDS[row.osm_state], lang)}"
        + (
            f", {_word(('目标', 'target'), lang)} {int(row.target_year)}"
            if pd.notna(row.target_year)
            else ""
        )
        for item_id, row in rows.iterrows()
    ]


def _word(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _yes_no(flag: bool | None) -> str | None:  # noqa: FBT001  # a value to write, not a switch
    return None if flag is None else ("yes" if flag else "no")

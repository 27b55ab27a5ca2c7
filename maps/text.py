"""Plain-text renderings for a terminal: the goal table rows, data notes and aligned tables.

Every report speaks ``lang`` (``zh`` or ``en``) through :mod:`ctz.words`: names, not ids
(ids are in ``--json``), numbers as a planner writes them (minutes whole, shares to
0.1 %, people with thousands separators). Plan and service names are Chinese in both
languages; English quotes them. Every name passes through
:func:`~ctz.maps.terminal.printable` before it is printed. The commute report is in
:mod:`ctz.maps.commute_text`: a goal table does not import the commute model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ctz.maps.terminal import display_width, pad, printable
from ctz.words import MISSING, goal_number, needed_data, planner_number, sentence, unit_word, word

if TYPE_CHECKING:
    from ctz.checks.result import Report

INDENT = "  "
"""How far a table's rows sit in from its title."""


def goal_rows(report: Report, lang: str = "zh") -> list[dict[str, str]]:
    """One plain-text row per goal, verdict first: verdict, name, measured, target, unit, summary.

    Keys are the column headers in ``lang``; names, not ids (ids are in ``--json``);
    values as a planner writes them in the goal's unit. The summary is the check's
    one-line summary in English; in Chinese, for an unknown goal, the data that would
    settle it (the checks write their summaries in English only).
    """
    rows = []
    for r in report.results:
        if lang == "zh":
            summary = word(needed_data(r.reason), lang) if r.verdict == "unknown" else MISSING
        else:
            summary = named(r.summary, {})
        rows.append(
            {
                word("verdict", lang): word(r.verdict, lang),
                word("goal", lang): printable(r.name_zh if lang == "zh" else r.name_en),
                word("measured", lang): goal_number(r.measured, r.unit),
                word("target", lang): goal_number(r.target, r.unit),
                word("unit", lang): unit_word(r.unit, lang),
                word("summary", lang): printable(summary),
            }
        )
    return rows


def coverage_lines(warnings: Sequence[str], lang: str = "zh") -> list[str]:
    """Return the data-coverage warnings in ``lang`` as one ``note:`` (提示：) line each."""
    if lang == "zh":
        return [f"{word('note', lang)}：{printable(sentence(w, lang))}" for w in warnings]
    return [f"{word('note', lang)}: {named(w, {})}" for w in warnings]


NUMBER = re.compile(rf"^([-+]?\d|{MISSING})")
"""A cell that starts as a number does (or is missing): its column is aligned right."""


def table_lines(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Return an aligned table, indented: number columns right, text left (CJK two wide)."""
    cells = [[printable(cell) for cell in row] for row in [header, *rows]]
    columns = list(zip(*cells, strict=True))
    widths = [max(display_width(cell) for cell in column) for column in columns]
    right = [bool(rows) and all(NUMBER.match(cell) for cell in column[1:]) for column in columns]
    return [
        (
            INDENT
            + "  ".join(pad(c, w, right=r) for c, w, r in zip(row, widths, right, strict=True))
        ).rstrip()
        for row in cells
    ]


def quoted(name: str, lang: str) -> str:
    """Return a Chinese plan or service name as the reader sees it: quoted in English."""
    return printable(name) if lang == "zh" else f'"{printable(name)}"'


CHINESE = re.compile(r"[\u3400-\u9fff](?:[\u3400-\u9fff\d—（）]*[\u3400-\u9fff）])?")
"""A run of Chinese: a plan, place or road name inside one of the checks' English sentences."""


BRACKETED_ID = re.compile(r"\s*\((?:[a-z0-9]+_)+[a-z0-9]+\)")
"""An id in brackets after what it names, as a summary writes it: ``(area_nearest_60)``."""

FINE_NUMBER = re.compile(r"\d+\.\d{2,}")
"""A number with more decimals than a planner writes (``522.87``)."""


def named(text: str, names: dict[str, str]) -> str:
    """Return one of the checks' English sentences as a reader sees it.

    Every id of ``names`` (a core's, say) is replaced by its name, an id in brackets
    after what it names is left out, numbers keep at most one decimal, and every
    Chinese name is quoted.
    """
    if names:
        ids = re.compile("|".join(re.escape(i) for i in sorted(names, key=len, reverse=True)))
        text = ids.sub(lambda found: names[found.group(0)], text)
    text = BRACKETED_ID.sub("", text)
    text = FINE_NUMBER.sub(lambda found: planner_number(float(found.group(0)), "plain"), text)
    return printable(CHINESE.sub(lambda found: f'"{found.group(0)}"', text))

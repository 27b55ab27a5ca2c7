"""The briefing as an Excel workbook: one sheet per table, frozen header row, real numbers.

Cells keep full precision; each number column carries a number format that
shows it as a planner writes it (minutes whole, shares as 0.0 %, people with
thousands separators), so sums and charts in Excel use the real values.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ctz.files import replacing
from ctz.maps.report.briefing import Briefing, Table
from ctz.maps.report.cells import rows
from ctz.maps.report.safe_cells import append_as_text
from ctz.words import UNIT_NUMBER_KINDS, word

ABOUT_SHEET = "about"
"""The :data:`~ctz.words.WORDS` key of the sheet that says what made the workbook, and when."""
MAX_COLUMN_WIDTH = 60
"""Widest column, in characters; longer text wraps in Excel's cell editor."""
NUMBER_FORMATS: dict[str, str] = {
    "minutes": "#,##0",
    "share": "0.0%",
    "people": "#,##0",
    "count": "#,##0",
    "km": "#,##0.0",
    "change": "+0.0;-0.0;0.0",
    "plain": "#,##0.0",
}
"""Excel number format of each column kind of :class:`~ctz.maps.report.briefing.Table`."""


def sheet_name(key: str, briefing: Briefing) -> str:
    """Return a table's sheet name: its title in the briefing's language (Excel's 31 chars)."""
    return briefing.title(key)[:31]


def _write_table(book: Workbook, name: str, table: Table, lang: str) -> None:
    sheet = book.create_sheet(name)
    values = table.values(lang)
    append_as_text(sheet, [str(c) for c in values.columns])
    for row in rows(values):
        append_as_text(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    shown = table.shown(lang)
    for index, key in enumerate(table.frame.columns, start=1):
        letter = get_column_letter(index)
        kind = table.kind(str(key))
        if kind == "goal":  # each goal's value in its unit's manner (minutes whole …)
            formats = [
                NUMBER_FORMATS[UNIT_NUMBER_KINDS.get(unit, "plain")] for unit in table.frame["unit"]
            ]
        else:
            formats = [NUMBER_FORMATS.get(kind, "General")] * len(table)
        cells = sheet.iter_rows(min_row=2, min_col=index, max_col=index)
        for (cell,), number_format in zip(cells, formats, strict=True):
            cell.number_format = number_format
        column = shown.iloc[:, index - 1]
        longest = max([len(str(column.name)), *(len(v) for v in column)])
        sheet.column_dimensions[letter].width = min(longest + 4, MAX_COLUMN_WIDTH)


def write_xlsx(briefing: Briefing, path: Path) -> list[str]:
    """Write the briefing to ``path`` (atomically).

    Each table is a sheet named by its title in the briefing's language, with
    headers, verdicts, statuses and units in that language, a bold header row
    frozen in place and numbers stored as numbers under a number format. A last
    sheet, :data:`ABOUT_SHEET`, gives the command and date.

    Parameters
    ----------
    briefing
        What to write.
    path
        The ``.xlsx`` file.

    Returns
    -------
    list of str
        The sheet names, in order.
    """
    book = Workbook()
    book.remove(book.active)
    for key, table in briefing.tables().items():
        _write_table(book, sheet_name(key, briefing), table, briefing.lang)
    about = book.create_sheet(word(ABOUT_SHEET, briefing.lang))
    append_as_text(about, [word("command", briefing.lang), briefing.command])
    append_as_text(about, [word("date", briefing.lang), briefing.made.isoformat()])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = MAX_COLUMN_WIDTH
    made = datetime(briefing.made.year, briefing.made.month, briefing.made.day)
    book.properties.created = book.properties.modified = made
    book.properties.creator = "ctz"
    with replacing(path) as temporary:
        book.save(temporary)
    return book.sheetnames

"""The briefing as an Excel workbook: one sheet per table, frozen header row, real numbers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ctz.files import replacing
from ctz.maps.report.briefing import Briefing
from ctz.maps.report.cells import display, rows
from ctz.maps.report.safe_cells import append_as_text

ABOUT_SHEET = "about"
"""The sheet that says what made the workbook, and when."""
MAX_COLUMN_WIDTH = 60
"""Widest column, in characters; longer text wraps in Excel's cell editor."""


def write_xlsx(briefing: Briefing, path: Path) -> list[str]:
    """Write the briefing to ``path`` (atomically).

    Each table is a sheet named by its key (``goals``, ``core_pairs`` …) with a
    bold header row frozen in place; numbers are stored as numbers, with units in
    the headers. A last sheet, :data:`ABOUT_SHEET`, gives the command and date.

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
        sheet = book.create_sheet(key)
        append_as_text(sheet, [str(c) for c in table.columns])
        for values in rows(table):
            append_as_text(sheet, values)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            longest = max([len(str(column)), *(len(display(v)) for v in table[column])])
            sheet.column_dimensions[get_column_letter(index)].width = min(
                longest + 2, MAX_COLUMN_WIDTH
            )
    about = book.create_sheet(ABOUT_SHEET)
    append_as_text(about, ["command", briefing.command])
    append_as_text(about, ["date", briefing.made.isoformat()])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = MAX_COLUMN_WIDTH
    made = datetime(briefing.made.year, briefing.made.month, briefing.made.day)
    book.properties.created = book.properties.modified = made
    book.properties.creator = "ctz"
    with replacing(path) as temporary:
        book.save(temporary)
    return book.sheetnames

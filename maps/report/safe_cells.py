"""Table cells that stay text: no formula in the workbook or the CSV folder, no illegal character.

A briefing's names come from scenario files, feeds, the catalog and OpenStreetMap,
which anyone can write. A name such as ``=HYPERLINK("http://…")`` must reach the
reader as text, never as a formula a spreadsheet evaluates, and a control
character must not make the workbook unwritable.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""
FORMULA_GUARD = "'"
"""Put before a formula-leading CSV text cell, so the spreadsheet shows it as text."""

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
"""Control characters (newline and tab kept) and bidirectional overrides."""


def clean_text(text: str) -> str:
    """Return ``text`` without control characters (but newline and tab) or bidi overrides."""
    return _UNSAFE.sub("", text)


def csv_text(value: Any) -> Any:
    """Return a CSV cell: text cleaned and guarded against formulas, anything else unchanged.

    Text starting with one of :data:`FORMULA_LEADS` gets :data:`FORMULA_GUARD`
    in front; numbers stay numbers (``-3.5`` is not text and is left alone).
    """
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    return FORMULA_GUARD + value if value.startswith(FORMULA_LEADS) else value


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Return ``table`` with every text cell and column name passed through :func:`csv_text`."""
    text = table.select_dtypes(include=["object", "string"]).columns
    safe = table.assign(**{str(c): table[c].map(csv_text) for c in text}) if len(text) else table
    return safe.set_axis([csv_text(str(c)) for c in table.columns], axis=1)


def append_as_text(sheet: Worksheet, values: Sequence[Any]) -> None:
    """Append a row to ``sheet``, every text cell stored as text, never as a formula.

    Text is cleaned of characters a workbook cannot hold (:func:`clean_text`);
    a text cell starting with ``=`` is kept a string and marked with Excel's
    quote prefix, so editing it does not turn it into a formula either.
    """
    sheet.append([clean_text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.quotePrefix = cell.value.startswith(FORMULA_LEADS)

"""Table cells as plain values (for Excel and CSV) or as display text (for HTML and Markdown)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

MISSING_TEXT = "—"
"""How a missing value is shown in HTML and Markdown."""


def plain(value: Any) -> Any:
    """Return a cell as a Python ``int``, ``float`` or ``str``, or None when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer | np.bool_):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    return value


def display(value: Any) -> str:
    """Return a cell as text: integers with thousands separators, other numbers to 2 decimals."""
    value = plain(value)
    if value is None:
        return MISSING_TEXT
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:,.2f}"
    return str(value)


def rows(table: pd.DataFrame) -> list[list[Any]]:
    """Return the table's rows as lists of :func:`plain` values."""
    return [[plain(v) for v in row] for row in table.itertuples(index=False, name=None)]

"""Table cells as plain Python values, for Excel and CSV."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """Return a cell as a Python ``int``, ``float`` or ``str``, or None when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.integer | np.bool_):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    return value


def rows(table: pd.DataFrame) -> list[list[Any]]:
    """Return the table's rows as lists of :func:`plain` values."""
    return [[plain(v) for v in row] for row in table.itertuples(index=False, name=None)]

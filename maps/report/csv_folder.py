"""The briefing as a folder of CSV files, one per table.

Files are UTF-8 with a byte-order mark, so that Excel reads the Chinese names.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ctz.files import replacing
from ctz.maps.report.briefing import Briefing
from ctz.maps.report.safe_cells import csv_safe

CSV_ENCODING = "utf-8-sig"


def csv_folder(path: Path) -> Path:
    """Return the folder a ``.csv`` output names: the path without its ending."""
    return path.with_suffix("")


def write_csv_folder(briefing: Briefing, path: Path) -> list[Path]:
    """Write each table to ``<folder>/<table>.csv`` and the command and date to ``about.csv``.

    Headers and words are in the briefing's language; numbers keep full precision.

    Parameters
    ----------
    briefing
        What to write.
    path
        ``NAME.csv``: the tables go to the folder ``NAME`` (created when missing).

    Returns
    -------
    list of Path
        The files written.
    """
    folder = csv_folder(path)
    about = pd.DataFrame(
        [("command", briefing.command), ("date", briefing.made.isoformat())],
        columns=["key", "value"],
    )
    written = []
    tables = {key: table.values(briefing.lang) for key, table in briefing.tables().items()}
    for key, table in (tables | {"about": about}).items():
        target = folder / f"{key}.csv"
        with replacing(target) as temporary:
            csv_safe(table).to_csv(
                temporary, index=False, encoding=CSV_ENCODING, lineterminator="\n"
            )
        written.append(target)
    return written

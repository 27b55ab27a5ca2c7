"""The briefing as Markdown: a heading and a table per section, every text escaped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ctz.files import replacing
from ctz.maps.markdown import escape_markdown
from ctz.maps.report.briefing import Briefing, data_line
from ctz.maps.report.cells import display
from ctz.maps.report.progress import progress_markdown

TITLE = ("长株潭一体化规划简报", "CZT integration plans: briefing")


def markdown_table(table: pd.DataFrame) -> list[str]:
    """Return a table as Markdown lines: numbers right-aligned, text escaped."""
    numeric = [pd.api.types.is_numeric_dtype(table[c]) for c in table.columns]
    head = "| " + " | ".join(escape_markdown(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = [
        "| " + " | ".join(escape_markdown(display(v)) for v in row) + " |"
        for row in table.itertuples(index=False, name=None)
    ]
    return [head, rule, *body]


def briefing_markdown(briefing: Briefing) -> str:
    """Return the briefing as Markdown text."""
    title = TITLE[0] if briefing.lang == "zh" else TITLE[1]
    lines = [
        f"# {title}",
        "",
        f"Made {briefing.made.isoformat()} by `{briefing.command.replace('`', '')}`.",
        "",
        escape_markdown(data_line(briefing.report, briefing.lang)),
    ]
    lines += progress_markdown(briefing.progress, briefing.lang)
    for key, table in briefing.tables().items():
        lines += ["", f"## {escape_markdown(briefing.title(key))}", "", *markdown_table(table)]
    return "\n".join(lines) + "\n"


def write_markdown(briefing: Briefing, path: Path) -> None:
    """Write :func:`briefing_markdown` to ``path`` (atomically)."""
    with replacing(path) as temporary:
        temporary.write_text(briefing_markdown(briefing), encoding="utf-8")

"""The briefing as Markdown: findings first, then key numbers, tables and the appendix."""

from __future__ import annotations

from pathlib import Path

from ctz.files import replacing
from ctz.maps.markdown import escape_markdown
from ctz.maps.report.briefing import APPENDIX_TABLES, Briefing, Table, data_line
from ctz.maps.report.findings import findings, key_numbers
from ctz.maps.report.progress import progress_markdown
from ctz.words import word

TITLE = ("长株潭一体化规划简报", "CZT integration plans: briefing")


def markdown_table(table: Table, lang: str) -> list[str]:
    """Return a table as Markdown lines: headers in ``lang``, numbers right-aligned."""
    shown = table.shown(lang)
    numeric = [table.is_number(str(c)) for c in table.frame.columns]
    head = "| " + " | ".join(escape_markdown(c) for c in shown.columns) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = [
        "| " + " | ".join(escape_markdown(v) for v in row) + " |"
        for row in shown.itertuples(index=False, name=None)
    ]
    return [head, rule, *body]


def _sentence(text: str) -> str:
    """Escape a finding, keeping its spans in backticks as code."""
    parts = text.split("`")
    return "".join(f"`{p}`" if i % 2 else escape_markdown(p) for i, p in enumerate(parts))


def briefing_markdown(briefing: Briefing) -> str:
    """Return the briefing as Markdown: findings, key numbers, tables, then the appendix."""
    lang = briefing.lang
    title = TITLE[0] if lang == "zh" else TITLE[1]
    made = "制作于" if lang == "zh" else "Made"
    lines = [
        f"# {title}",
        "",
        f"{made} {briefing.made.isoformat()}: `{briefing.command.replace('`', '')}`",
        "",
        escape_markdown(data_line(briefing.report, lang)),
        "",
        f"## {word('findings', lang)}",
        "",
        *(f"{n}. {_sentence(s)}" for n, (_, s) in enumerate(findings(briefing), start=1)),
        "",
        f"## {word('key_numbers', lang)}",
        "",
        *(
            f"- {escape_markdown(k.label)}: **{k.value}**"
            for k in key_numbers(briefing.commute, lang)
        ),
    ]
    lines += progress_markdown(briefing.progress, lang)
    tables = briefing.tables()
    for appendix in (False, True):
        if appendix:
            lines += ["", f"## {word('appendix', lang)}"]
        for number, (key, table) in enumerate(tables.items(), start=1):
            if (key in APPENDIX_TABLES) == appendix:
                heading = f"{word('table', lang)} {number} {briefing.title(key)}"
                lines += ["", f"### {escape_markdown(heading)}", "", *markdown_table(table, lang)]
    return "\n".join(lines) + "\n"


def write_markdown(briefing: Briefing, path: Path) -> None:
    """Write :func:`briefing_markdown` to ``path`` (atomically)."""
    with replacing(path) as temporary:
        temporary.write_text(briefing_markdown(briefing), encoding="utf-8")

"""The catalog as a compact HTML table, for a notebook's display."""

from __future__ import annotations

import html
from collections import Counter

from ctz.catalog.model import Catalog
from ctz.words import word

NOTEBOOK_LANG = "zh"
"""Language of the notebook views (names, kinds and statuses)."""


def catalog_html(catalog: Catalog, lang: str = NOTEBOOK_LANG) -> str:
    """Return the number of items by kind and status as an HTML table, with the goal count."""
    counts = Counter((i.kind, i.status) for i in catalog.items.values())
    statuses = sorted({s for _, s in counts})
    kinds = sorted({k for k, _ in counts})
    head = "".join(f"<th>{html.escape(word(s, lang))}</th>" for s in statuses)
    rows = "".join(
        f"<tr><th>{html.escape(word(k, lang))}</th>"
        + "".join(f'<td style="text-align:right">{counts.get((k, s), "")}</td>' for s in statuses)
        + "</tr>"
        for k in kinds
    )
    sizes = (len(catalog.items), len(catalog.goals), len(catalog.documents))
    summary = (
        "规划项目{}项 · 目标{}项 · 规划文件{}份"
        if lang == "zh"
        else "{} items · {} goals · {} plans"
    ).format(*sizes)
    return (
        f"<div><p><b>{html.escape(summary)}</b></p><table><thead><tr><th>{word('kind', lang)}</th>"
        f"{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )

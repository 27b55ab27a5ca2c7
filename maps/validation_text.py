"""The plain-text table of ``ctz check commute --validate``: the model against published figures.

One row per published figure (``seeds/transit/published.yaml``), headers and verdict words
in ``lang`` through :mod:`ctz.words`; the figure's id, its source and the reason a figure is
not modelled are printed as the seed file states them.
"""

from __future__ import annotations

from typing import Any

from ctz.words import unit_word, word

HEADERS = (
    "validated figure",
    "published value",
    "model value",
    "model/published",
    "within bound",
    "cited source",
    "why",
)
"""The table's columns, as keys of :data:`ctz.words.WORDS`."""


def validation_rows(records: list[dict[str, Any]], lang: str = "zh") -> list[dict[str, str]]:
    """One plain-text row per validation record, keyed by the column headers in ``lang``.

    Parameters
    ----------
    records
        :func:`ctz.checks.commute.validate.validation_records` of a validation table.
    lang
        ``zh`` or ``en``.
    """
    rows = []
    for r in records:
        cells = (
            r["id"],
            f"{round(r['published'], 2):g} {unit_word(r['unit'], lang)}",
            "-" if r["model"] is None else f"{r['model']:g}",
            "-" if r["ratio"] is None else f"{r['ratio']:.2f}",
            within_text(r, lang),
            f"{r['source']} ({r['date']})",
            r["note"],
        )
        rows.append({word(h, lang): c for h, c in zip(HEADERS, cells, strict=True)})
    return rows


def within_text(record: dict[str, Any], lang: str = "zh") -> str:
    """Say whether a validation record is within its bound, or that it is not modelled."""
    if record["measure"] == "not_modelled":
        return word("not modelled", lang)
    verdict = word("yes" if record["within"] else "NO", lang)
    return f"{verdict} (±{record['bound']:.0%})"

"""Small charts as inline SVG, written by ctz: no script, no network, prints sharp."""

from __future__ import annotations

import html
from collections.abc import Sequence

TODAY_COLOUR = "#adb5bd"
SCENARIO_COLOUR = "#1c7ed6"
BAR_HEIGHT = 9
ROW_HEIGHT = 24
LABEL_WIDTH = 150
PLOT_WIDTH = 420


def share_bars_svg(
    names: Sequence[str],
    today: Sequence[float],
    scenario: Sequence[float],
    legend: tuple[str, str],
    title: str,
) -> str:
    """Return a horizontal bar chart of shares (0–1): today's bar above the scenario's per row.

    Parameters
    ----------
    names
        One label per row (already in the reader's language).
    today, scenario
        Shares 0–1 per row; the scenario's value is written at its bar's end.
    legend
        Names of the two bars, (today, scenario).
    title
        The chart's accessible title.

    Returns
    -------
    str
        An ``<svg>`` element, sized in CSS pixels, that scales to its container.
    """
    top = 22
    height = top + ROW_HEIGHT * len(names) + 8
    width = LABEL_WIDTH + PLOT_WIDTH + 60
    parts = [
        f'<svg class="ctz-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
        f'<rect x="{LABEL_WIDTH}" y="4" width="10" height="9" fill="{TODAY_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 14}" y="12">{html.escape(legend[0])}</text>'
        f'<rect x="{LABEL_WIDTH + 140}" y="4" width="10" height="9" fill="{SCENARIO_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 154}" y="12">{html.escape(legend[1])}</text>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = LABEL_WIDTH + tick * PLOT_WIDTH
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 8}" stroke="#e9ecef"/>'
        )
    for row, (name, old, new) in enumerate(zip(names, today, scenario, strict=True)):
        y = top + row * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT + 4}" text-anchor="end">'
            f"{html.escape(name)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{old * PLOT_WIDTH:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{TODAY_COLOUR}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + BAR_HEIGHT}" width="{new * PLOT_WIDTH:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{SCENARIO_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + new * PLOT_WIDTH + 4:.1f}" y="{y + BAR_HEIGHT + 7}">'
            f"{new * 100:.1f}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def count_bars_svg(names: Sequence[str], values: Sequence[int], unit: str, title: str) -> str:
    """Return a horizontal bar chart of counts (e.g. people), each written at its bar's end.

    Parameters
    ----------
    names
        One label per row (already in the reader's language).
    values
        A count per row, 0 or more.
    unit
        The word written after each count (``人`` / ``people``).
    title
        The chart's accessible title.
    """
    top = 6
    height = top + ROW_HEIGHT * len(names) + 4
    width = LABEL_WIDTH + PLOT_WIDTH + 110
    largest = max([*values, 1])
    parts = [
        f'<svg class="ctz-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
    ]
    for row, (name, value) in enumerate(zip(names, values, strict=True)):
        y = top + row * ROW_HEIGHT
        length = value / largest * PLOT_WIDTH
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT + 4}" text-anchor="end">'
            f"{html.escape(name)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" height="{BAR_HEIGHT * 1.5}" '
            f'fill="{SCENARIO_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT + 4}">'
            f"{value:,} {html.escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)

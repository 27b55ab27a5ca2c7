"""Split a plan document into passages labelled with the clause they stand in.

A clause label is the shortest tail of the heading path that is unique in its
part of the document, written the way the document numbers it: ``一`` for
``一、``, ``(三)`` for ``（三）``, ``5`` for ``5、`` or ``5.``, ``(1)`` for
``(1)`` and ``第六条``.  Annexes restart numbering and are prefixed, e.g.
``附件2.13``.  Text before any heading is clause ``0``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ctz.catalog.text import to_simplified

CHINESE_DIGITS = "一二三四五六七八九十"
HEADINGS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{CHINESE_DIGITS}]+)、")),
    (1, re.compile(rf"^(第[{CHINESE_DIGITS}]+条)")),
    (2, re.compile(rf"^(\([{CHINESE_DIGITS}]+\))")),
    (3, re.compile(r"^(\d{1,2})[、.](?!\d)")),
    (4, re.compile(r"^(\(\d{1,2}\))")),
)
"""Heading level and pattern; the captured group is how the clause is written."""
ANNEX = re.compile(r"^附件\s*(\d+)\s*$")

Path = tuple[tuple[int, str], ...]
"""Heading steps from the top: (level, the number as the document writes it)."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A line (or table cell) of a document, in simplified script, with its clause."""

    clause: str
    text: str


def split_passages(text: str) -> list[Passage]:
    """Split a document into passages labelled by clause.

    Parameters
    ----------
    text
        The whole document, simplified or traditional.

    Returns
    -------
    list of Passage
        One per non-empty line or table cell, in document order.
    """
    return list(stream_passages(lambda: [text]))


def stream_passages(read: Callable[[], Iterable[str]]) -> Iterator[Passage]:
    """Split a document read in pieces into passages, in two passes over it.

    The first pass collects the headings (a label depends on every heading of the
    document), the second yields the passages; neither holds the document.

    Parameters
    ----------
    read
        Returns the document's pieces (lines, say) afresh at each call.

    Yields
    ------
    Passage
        As :func:`split_passages` returns them.
    """
    labels = _labels({(region, path) for region, path, _ in _located(read())})
    for region, path, cell in _located(read()):
        yield Passage(labels[(region, path)], cell)


def _located(pieces: Iterable[str]) -> Iterator[tuple[str, Path, str]]:
    """Each non-empty line or table cell with its region (annex) and heading path."""
    region = ""
    path: Path = ()
    for piece in pieces:
        for line in to_simplified(piece).splitlines():
            annex = ANNEX.match(line.strip())
            if annex:
                region, path = f"附件{annex.group(1)}", ()
                continue
            for cell in (c.strip() for c in line.split("|")):
                if not cell:
                    continue
                path = _advance(path, cell)
                yield region, path, cell


def _advance(path: Path, cell: str) -> Path:
    for level, pattern in HEADINGS:
        match = pattern.match(cell)
        if match:
            return (*(step for step in path if step[0] < level), (level, match.group(1)))
    return path


def _render(steps: Path) -> str:
    out = ""
    for _, written in steps:
        joins_with_dot = out and not out.endswith(")") and not written.startswith("(")
        out += ("." if joins_with_dot else "") + written
    return out


def _labels(located: set[tuple[str, Path]]) -> dict[tuple[str, Path], str]:
    tails: Counter[tuple[str, str]] = Counter()
    for region, path in located:
        tails.update({(region, _render(path[-k:])) for k in range(1, len(path) + 1)})
    labels = {}
    for region, path in located:
        label = next(
            (
                _render(path[-k:])
                for k in range(1, len(path) + 1)
                if tails[(region, _render(path[-k:]))] == 1
            ),
            _render(path) or "0",
        )
        labels[(region, path)] = f"{region}.{label}" if region else label
    return labels

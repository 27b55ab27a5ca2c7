"""Text safe to print on a terminal (light to import: the CLI's plain commands use it).

Catalog and OpenStreetMap names are user-contributed: control and bidirectional
override characters are removed before anything is printed, so a name cannot move
the cursor, clear the screen or reorder what follows it.
"""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    """Return ``text`` as one line without control or bidirectional-override characters."""
    line = unicodedata.normalize("NFC", str(text)).replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", line)


def display_width(text: str) -> int:
    """Return the columns ``text`` takes on a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """Return ``text`` padded with spaces to ``width`` terminal columns (``right``: align right)."""
    fill = " " * max(0, width - display_width(text))
    return fill + text if right else text + fill

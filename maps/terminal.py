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

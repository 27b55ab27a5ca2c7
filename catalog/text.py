"""Normalise Chinese plan text: full-width forms folded, traditional script to simplified."""

from __future__ import annotations

import unicodedata

import zhconv


def to_simplified(text: str) -> str:
    """Fold full-width characters (NFKC) and convert to simplified Chinese.

    Parameters
    ----------
    text
        Text in simplified or traditional script.

    Returns
    -------
    str
        The same text in simplified script, with ASCII digits and brackets.

    Examples
    --------
    >>> to_simplified("長株潭（一）")
    '长株潭(一)'
    """
    return zhconv.convert(unicodedata.normalize("NFKC", text), "zh-hans")


def to_traditional(text: str) -> str:
    """Convert simplified Chinese to traditional script (``zh-hant``)."""
    return zhconv.convert(text, "zh-hant")

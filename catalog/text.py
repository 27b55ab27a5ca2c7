"""Plan text: read from a file in any common encoding, then normalised to simplified script."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ctz.base import InputError

PLAN_ENCODINGS: tuple[str, ...] = (
    "utf_8",
    "utf_16",
    "utf_16_le",
    "utf_16_be",
    "gb18030",
    "big5",
    "big5hkscs",
    "cp950",
)
"""Encodings a plan text may be in (Python codec names). UTF-8 is read with or without
a byte-order mark; GB18030 covers GB2312 and GBK; cp950 and Big5-HKSCS are the common
Big5 variants. Detection is limited to these so that a short passage is not taken for,
say, Korean."""

MAX_CONTROL_SHARE = 0.01
"""Largest share of control characters a decoded file may hold and still count as text."""

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab, line and page breaks (Unicode category Cc)."""

NOT_TEXT = "not a plan text (binary, or not UTF-8, UTF-16, GB18030 or Big5)"
SAMPLE_BYTES = 2**20
"""The encoding is detected on this much of a file (all of any plan document); the rest
is decoded as it is read, line by line, so a file of any size is read in little memory."""


def read_plan_text(path: Path) -> str:
    """Read a plan document in UTF-8 (with or without BOM), UTF-16, GB18030/GBK or Big5.

    The encoding is detected with charset-normalizer among :data:`PLAN_ENCODINGS`
    (:func:`plan_encoding`); the text is :func:`plan_lines` joined.

    Parameters
    ----------
    path
        The text file.

    Returns
    -------
    str
        The decoded text in its own script, without byte-order mark and without the
        stray control characters (other than tab, line and page breaks) it may hold.

    Raises
    ------
    InputError
        One line naming ``path`` when the file cannot be read, is empty, or is not
        text in one of those encodings (a binary file, for instance).
    """
    return "".join(plan_lines(path, plan_encoding(path)))


def plan_encoding(path: Path) -> str:
    """Return the Python codec of a plan text, detected on its first :data:`SAMPLE_BYTES`.

    Raises
    ------
    InputError
        When the file cannot be read, is empty, or its sample is not text in one
        of :data:`PLAN_ENCODINGS`.
    """
    try:
        with path.open("rb") as file:
            sample = file.read(SAMPLE_BYTES)
            whole = not file.read(1)
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error
    if not sample.strip():
        raise InputError(f"{path}: empty file, no plan text")
    from charset_normalizer import from_bytes

    if not whole:
        sample = _whole_lines(sample)
    best = from_bytes(sample, cp_isolation=list(PLAN_ENCODINGS)).best()
    text = "" if best is None else str(best)
    controls = len(CONTROL_CHARACTERS.findall(text))
    if best is None or not text or "\x00" in text or controls > MAX_CONTROL_SHARE * len(text):
        raise InputError(f"{path}: {NOT_TEXT}")
    return "utf_8_sig" if best.encoding == "utf_8" else best.encoding


def _whole_lines(sample: bytes) -> bytes:
    """Cut a sample after its last line break (keeping a UTF-16LE break's zero byte)."""
    end = sample.rfind(b"\n") + 1
    if end <= 0:
        return sample
    if sample[end : end + 1] == b"\x00":
        end += 1
    return sample[:end]


def plan_lines(path: Path, encoding: str) -> Iterator[str]:
    """Yield the lines of a plan text (line breaks kept), without stray control characters.

    Raises
    ------
    InputError
        When a later part of the file is not text in ``encoding``.
    """
    try:
        with path.open(encoding=encoding, newline="") as file:
            for line in file:
                if "\x00" in line:
                    raise InputError(f"{path}: {NOT_TEXT}")
                yield CONTROL_CHARACTERS.sub("", line)
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: {NOT_TEXT}") from error
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error


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
    import zhconv  # imported on first use: it loads pkg_resources (0.3 s)

    return zhconv.convert(unicodedata.normalize("NFKC", text), "zh-hans")

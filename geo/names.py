"""Name and ref forms for comparing plan names with OpenStreetMap tags.

Plan texts and OSM mappers write the same road differently: traditional or
simplified script, ``大道`` or ``路``, ``芙蓉中路一段`` for one segment of
``芙蓉路``, ``京港澳高速公路`` or ``京港澳高速``, ``G4;G0422`` for a way that
carries two routes.  Everything here reduces both sides to comparable keys.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PRIMARY_NAME_TAGS: tuple[str, ...] = ("name", "name:zh", "name:zh-Hans", "name:zh-Hant")
"""Tags whose exact match is a full-score match."""

OTHER_NAME_TAGS: tuple[str, ...] = (
    "alt_name",
    "old_name",
    "official_name",
    "short_name",
    "alt_name:zh",
    "old_name:zh",
)
"""Tags holding further (often ``;``-separated) names: a slightly weaker match."""

REF_TAGS: tuple[str, ...] = ("ref", "nat_ref", "int_ref")
"""Tags holding route numbers such as ``G4`` or ``G4;G0422``."""

_PUNCTUATION = re.compile(r"[\s·・\-—–_()（）\[\]【】「」\"'“”]+")
_SEGMENT = re.compile(r"[一二三四五六七八九十0-9]+段$")
_EXTENSION = re.compile(r"(?:[东南西北]延|延长)线?$")
_DIRECTION = re.compile(r"^(.{2,}?)[东南西北中]路$")
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("高速公路", "高速"),
    ("高速铁路", "高铁"),
    ("城际铁路", "城际"),
    ("城际线", "城际"),
    ("大道", "路"),
    ("火车站", ""),
    ("站", ""),
)
_REF_SPLIT = re.compile(r"[;,/，；]")


@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """Return ``name`` in simplified script, half-width, without spaces or punctuation.

    Examples
    --------
    >>> normalize("長沙 南站")
    '长沙南站'
    """
    import zhconv  # imported on first use: it loads pkg_resources (0.3 s)

    text = unicodedata.normalize("NFKC", zhconv.convert(name, "zh-hans"))
    return _PUNCTUATION.sub("", text).lower()


@lru_cache(maxsize=1 << 16)
def variant_key(name: str) -> str:
    """Return the key shared by segment, suffix and extension variants of a name.

    ``芙蓉中路一段``, ``芙蓉南路``, ``芙蓉大道`` and ``芙蓉路南延线`` all give
    ``芙蓉路``; ``京港澳高速公路`` gives ``京港澳高速``; ``長沙南站`` gives ``长沙南``.

    Parameters
    ----------
    name
        A name in either script.

    Returns
    -------
    str
        The reduced key (empty when nothing is left).
    """
    key = _EXTENSION.sub("", _SEGMENT.sub("", normalize(name)))
    for long, short in _SUFFIXES:
        if key.endswith(long) and len(key) > len(long):
            key = key[: -len(long)] + short
            break
    return _DIRECTION.sub(r"\1路", key)


def split_values(value: str) -> list[str]:
    """Split a multi-valued OSM tag (``a;b``) into its non-empty parts."""
    return [part.strip() for part in value.split(";") if part.strip()]


def split_refs(value: str) -> list[str]:
    """Return the normalised route numbers of a ref tag: ``"G4; g0422"`` → ``["G4", "G0422"]``."""
    refs = (unicodedata.normalize("NFKC", part) for part in _REF_SPLIT.split(value))
    return [re.sub(r"\s+", "", ref).upper() for ref in refs if ref.strip()]

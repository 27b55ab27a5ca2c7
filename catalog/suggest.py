"""Nearest catalog ids for a mistyped one (``g4`` → ``g4_jinggangao``)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_SUGGESTIONS = 3
"""How many ids a suggestion names at most."""


def nearest_ids(wanted: str, known: Iterable[str], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Return the known ids nearest to ``wanted``: those it begins, then the closest spellings.

    Parameters
    ----------
    wanted
        The id as typed.
    known
        Every valid id.
    limit
        At most this many.

    Returns
    -------
    list of str
        Ids that start with ``wanted`` (shortest first), then ids
        :func:`difflib.get_close_matches` finds, without repeats.
    """
    ids = list(known)
    lowered = wanted.lower()
    starting = sorted((i for i in ids if i.lower().startswith(lowered)), key=lambda i: (len(i), i))
    close = difflib.get_close_matches(lowered, ids, n=limit, cutoff=0.6)
    return list(dict.fromkeys([*starting, *close]))[:limit]


def did_you_mean(wanted: str, known: Iterable[str]) -> str:
    """Return `` (did you mean g4_jinggangao?)`` for the nearest ids, or "" when none is near."""
    near = nearest_ids(wanted, known)
    return f" (did you mean {', '.join(near)}?)" if near else ""


def unknown_id_message(kind: str, wanted: str, known: Iterable[str]) -> str:
    """Return ``unknown item id 'g4' (did you mean g4_jinggangao?)``, or without the hint."""
    return f"unknown {kind} id '{wanted}'{did_you_mean(wanted, known)}"

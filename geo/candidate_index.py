"""Which OSM elements an item may be: name and ref keys, and an index of candidates by key.

Shared by the ``osm`` and ``pbf`` sources.  Both reduce an item's names and
route numbers, and every element's name and ref tags, to the same keys
(normalised names, variant keys, ``ref:G4``); an element is a candidate for an
item when they share a key.  :func:`~ctz.geo.matching.match_item` then decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache

from ctz.catalog.model import Item
from ctz.geo.matching import Candidate, ItemQuery
from ctz.geo.names import (
    OTHER_NAME_TAGS,
    PRIMARY_NAME_TAGS,
    REF_TAGS,
    normalize,
    split_refs,
    split_values,
    variant_key,
)

NAME_TAGS: tuple[str, ...] = (*PRIMARY_NAME_TAGS, *OTHER_NAME_TAGS)
"""Tags holding an element's names."""

LOOKUP_TAGS: tuple[str, ...] = (*NAME_TAGS, *REF_TAGS)
"""Tags an element must carry (one of) to be found by name or route number."""


def item_keys(item: Item) -> frozenset[str]:
    """Return the keys ``item`` is looked up by: names, variant keys and ``ref:``-prefixed refs."""
    query = ItemQuery.of(item)
    return query.names | query.keys | {f"ref:{r}" for r in query.refs}


def element_keys(tags: Mapping[str, str]) -> frozenset[str]:
    """Return an element's normalised names, variant keys and ``ref:``-prefixed route numbers.

    ``tags`` may be any mapping with ``get`` (a pyosmium tag list too). Ways of
    one road repeat the same names, so the keys are remembered by tag values.
    """
    return _keys_of_values(tuple(tags.get(t) or "" for t in LOOKUP_TAGS))


@lru_cache(maxsize=1 << 18)
def _keys_of_values(values: tuple[str, ...]) -> frozenset[str]:
    names = [v for value in values[: len(NAME_TAGS)] for v in split_values(value)]
    refs = {f"ref:{r}" for value in values[len(NAME_TAGS) :] for r in split_refs(value)}
    return frozenset(refs | set(map(normalize, names)) | set(map(variant_key, names)))


class CandidateIndex:
    """Candidates by name/ref key, so each item sees only the elements that share a key.

    Parameters
    ----------
    candidates
        OSM elements (any superset of those wanted).
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates = list(candidates)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        for index, candidate in enumerate(self.candidates):
            for key in element_keys(candidate.tags):
                self._by_key[key].append(index)

    def of(self, item: Item) -> list[Candidate]:
        """Return the candidates sharing a key with ``item``, in their original order."""
        found = sorted({i for key in item_keys(item) for i in self._by_key.get(key, ())})
        return [self.candidates[i] for i in found]

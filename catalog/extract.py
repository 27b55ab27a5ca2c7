"""Find infrastructure mentions in plan text and map each to a catalog item.

A mention is any occurrence of an infrastructure keyword (``高速``, ``铁路``,
``大道``, ``港`` …).  Each is explained by the catalog when a catalog name or
alias covers it, by the generic-phrase list when it is a common noun rather
than a place (``高速公路网``), and is otherwise ``UNCATALOGUED``.  Catalog
names found without a keyword (``G4``, ``湘江``) are reported as mentions too;
anchor names (cities, towns) only when they explain a keyword (``茶亭互通``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ctz.catalog.clauses import Passage, split_passages
from ctz.catalog.model import Catalog
from ctz.catalog.text import to_simplified
from ctz.catalog.yaml_files import read_yaml

KEYWORDS: dict[str, str] = {
    "road": (
        r"高速公路|高速|快速路|快速通道|快线|干道|大道|公路|国道|省道|特大桥|大桥|隧道|(?<![联相息书讯源连])互通(?![信互])"
        r"|绕城|(?<![道铁公网线思一水陆航马通出])路(?![网径线况演])|(?<![A-Za-z0-9])[GSX]\d{1,4}(?!\d)"
    ),
    "rail": (
        r"铁路|城际|高铁|地铁|轨道交通|轨道|磁浮|号线|环线|机场"
        r"|(?<![加充换网基级分务一])站(?![点式])"
    ),
    "water": r"港区|(?<![香澳息创赴])港(?![澳口洽])|码头|航道|船闸|航电|枢纽|水道|治涝|水资源配置",
    "green": r"绿心|公园|风光带|湿地|绿道|森林|生态修复|美丽走廊",
    "logistics": r"物流园|物流中心|物流基地|物流节点|陆港|保税|班列|联运|交易中心",
}
"""Keyword pattern per theme; any match is a mention to be explained.

The look-arounds leave out senses of the keyword characters that are not
infrastructure at all: 互通 as "interoperability" (信息互通, 互通互认), 站 as a
fuel, charging, mobile-phone or monitoring station (加油站, 5G基站, 监测超级站)
or "one-stop" (一站式), 港 as Hong Kong (香港, 赴港, 港洽周) or a campus (科创港).
Markets (交易中心), freight trains and intermodal corridors (班列, 联运), water
works (治涝, 水资源配置) and restoration sites (生态修复) are keywords too, so
that such projects cannot be missed the way a reading by road, rail and port
words once missed them.
"""

KEYWORD_PATTERN = re.compile("|".join(f"(?P<{theme}>{rx})" for theme, rx in KEYWORDS.items()))
CONTEXT_CHARS = 8
"""How many characters left of an uncatalogued keyword are shown with it."""
UNCATALOGUED = "UNCATALOGUED"
ANCHOR_PREFIX = "anchor:"
"""Prefix of the ids of anchors (places) in mentions, e.g. ``anchor:chating``."""
GENERIC = "GENERIC"


@dataclass(frozen=True, slots=True)
class Mention:
    """One infrastructure mention in a plan document."""

    document: str
    clause: str
    text: str
    theme: str
    item_id: str

    @property
    def citation(self) -> str:
        """Where the mention stands, e.g. ``001 §5``."""
        return f"{self.document} §{self.clause}"


def load_generic_phrases(folder: Path) -> tuple[str, ...]:
    """Read the generic phrases (common nouns, not places) of every YAML file in ``folder``."""
    return tuple(
        to_simplified(phrase)
        for path in sorted(folder.glob("*.yaml"))
        for phrase in read_yaml(path)["generic_phrases"]
    )


def catalog_names(catalog: Catalog) -> dict[str, str]:
    """Map every simplified name of every item and anchor to its catalog id.

    Anchors (interchanges, bridges, towns) are returned as ``anchor:<id>``;
    an item name wins over an anchor of the same name.
    """
    anchors = {
        to_simplified(anchor.name_zh): f"{ANCHOR_PREFIX}{anchor.id}"
        for anchor in catalog.anchors.values()
        if len(anchor.name_zh) >= 2
    }
    items = {
        to_simplified(name): item.id
        for item in catalog.items.values()
        for name in item.names
        if len(name) >= 2
    }
    return anchors | items


def extract_mentions(
    text: str,
    document: str,
    names: dict[str, str],
    generic_phrases: Iterable[str] = (),
) -> list[Mention]:
    """List the infrastructure mentions of one document.

    Parameters
    ----------
    text
        The document text, simplified or traditional.
    document
        The document number used in citations, e.g. ``"001"``.
    names
        Simplified name to item id, as made by :func:`catalog_names`.
    generic_phrases
        Simplified phrases that are common nouns, not places.

    Returns
    -------
    list of Mention
        In document order; ``item_id`` is a catalog id, ``GENERIC`` or
        ``UNCATALOGUED``.
    """
    return list(passage_mentions(split_passages(text), document, names, generic_phrases))


def passage_mentions(
    passages: Iterable[Passage],
    document: str,
    names: dict[str, str],
    generic_phrases: Iterable[str] = (),
) -> Iterator[Mention]:
    """Yield the mentions of passages as they come (a document of any size, streamed).

    Parameters are those of :func:`extract_mentions`, with the document's
    passages (:func:`~ctz.catalog.clauses.stream_passages`) in place of its text.
    """
    name_pattern = _alternation(names)
    generic_pattern = _alternation(generic_phrases)
    for passage in passages:
        mentions: list[Mention] = []
        spans = _spans(name_pattern, passage.text)
        generic = _overlapping_spans(generic_pattern, passage.text)
        reported: set[tuple[int, int]] = set()
        for match in KEYWORD_PATTERN.finditer(passage.text):
            hit = _covering(spans, match.start(), match.end())
            phrase = _covering(generic, match.start(), match.end())
            if hit in reported:
                continue
            if hit:
                reported.add(hit)
                item_id, shown = names[passage.text[hit[0] : hit[1]]], hit
            elif phrase:
                item_id, shown = GENERIC, phrase
            else:
                item_id, shown = (
                    UNCATALOGUED,
                    (_context_start(passage.text, match.start()), match.end()),
                )
            theme = match.lastgroup or ""
            mentions.append(
                Mention(document, passage.clause, passage.text[shown[0] : shown[1]], theme, item_id)
            )
        mentions += [
            Mention(document, passage.clause, passage.text[s:e], "", names[passage.text[s:e]])
            for s, e in spans
            if (s, e) not in reported and not names[passage.text[s:e]].startswith(ANCHOR_PREFIX)
        ]
        yield from mentions


def _alternation(phrases: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))) if ordered else None


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return [] if pattern is None else [m.span() for m in pattern.finditer(text)]


def _overlapping_spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    """Spans of the longest phrase starting at each position, overlaps kept."""
    if pattern is None:
        return []
    ahead = re.compile(f"(?=({pattern.pattern}))")
    return [(m.start(), m.start() + len(m.group(1))) for m in ahead.finditer(text)]


def _covering(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in spans if s <= start and end <= e), None)


def _context_start(text: str, start: int) -> int:
    left = start
    while (
        left > 0
        and start - left < CONTEXT_CHARS
        and not re.match(r"[\s,，。;；、:：“”\"()]", text[left - 1])
    ):
        left -= 1
    return left

"""Stable element ids, so that the same map written twice gives the same bytes.

folium (through branca) names every element with 32 random hex digits, and
those names become JavaScript variables and HTML ids. Before a map is written,
its elements are renumbered in tree order: the same map built the same way gets
the same names.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from branca.element import Element


def _walk(element: Element) -> Iterator[Element]:
    """Every element under ``element`` (itself first), depth first in child order."""
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)
    for part in ("header", "html", "script"):  # a Figure's three sections
        section = getattr(element, part, None)
        if isinstance(section, Element) and section._parent is element:
            yield from _walk(section)


def stabilise_ids(root: Element) -> None:
    """Renumber ``root`` and every element under it: ``0001``, ``0002`` … in tree order.

    Children are re-keyed under their new names, so templates that look
    elements up by name still find them. Call it just before rendering.

    Parameters
    ----------
    root
        Usually the map's Figure (``m.get_root()``).
    """
    elements = list(dict.fromkeys(_walk(root)))  # an element reachable twice keeps one number
    renamed: dict[str, str] = {}
    for number, element in enumerate(elements, start=1):
        old = element.get_name()
        element._id = f"{number:04d}"
        renamed[old] = element.get_name()
    for element in elements:
        element._children = OrderedDict(
            (renamed.get(key, key), child) for key, child in element._children.items()
        )

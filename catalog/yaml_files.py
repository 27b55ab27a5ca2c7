"""Read YAML files: libyaml's fast safe loader, no key given twice, bounded in size and expansion.

Every YAML file ctz reads (catalog, scenarios) goes through :func:`read_yaml`.
A file may be shared by anyone: one larger than :data:`MAX_YAML_BYTES`, or whose
aliases expand past :data:`MAX_YAML_VALUES` values (a "billion laughs"), is refused
before anything walks it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's ``CSafeLoader`` (about 7x faster on the seeds) when PyYAML was built with it,
else the pure-Python ``SafeLoader``; both build only plain Python objects."""


MAX_YAML_BYTES = 8 * 2**20
"""Largest YAML file read (8 MiB; the whole shipped catalog is some 260 kB)."""
MAX_YAML_VALUES = 1_000_000
"""Most values (mappings, lists, keys and scalars, aliases counted as expanded) in one file."""


class YamlTooLargeError(yaml.YAMLError):  # type: ignore[misc]  # yaml is untyped here
    """A YAML file too large to read, or whose aliases expand too far."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class UniqueKeyLoader(SAFE_LOADER):  # type: ignore[misc]  # the C or pure-Python loader
    """The safe loader, refusing a mapping that gives one key twice.

    Plain YAML keeps the last value of a repeated key without a word, so an anchor
    with two ``source`` lines would silently lose one of them.
    """

    def construct_mapping(
        self,
        node: MappingNode,
        deep: bool = False,  # noqa: FBT001, FBT002  # PyYAML's signature, which this overrides
    ) -> dict[Any, Any]:
        """Build a mapping, raising :class:`ConstructorError` on a repeated key."""
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
        return dict(super().construct_mapping(node, deep=deep))


def read_yaml(path: Path) -> Any:
    """Parse one UTF-8 YAML file safely.

    Parameters
    ----------
    path
        The file to read.

    Returns
    -------
    Any
        The parsed document (mappings, lists and scalars only).

    Raises
    ------
    OSError
        When the file cannot be read.
    UnicodeDecodeError
        When the file is not UTF-8 text.
    yaml.YAMLError
        When the text is not valid YAML or a mapping repeats a key;
        :class:`YamlTooLargeError` when the file is larger than :data:`MAX_YAML_BYTES`
        or expands past :data:`MAX_YAML_VALUES` values.
    """
    with path.open("rb") as file:
        data = file.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        raise YamlTooLargeError(f"larger than {MAX_YAML_BYTES // 2**20} MiB")
    document = yaml.load(data.decode("utf-8"), Loader=UniqueKeyLoader)
    check_expansion(document)
    return document


def check_expansion(document: Any, limit: int = MAX_YAML_VALUES) -> None:
    """Count a document's values as a reader expanding its aliases would meet them.

    Aliases share one Python object, so loading is cheap; printing, comparing or
    walking the document is not. The count stops at ``limit`` (a self-referring
    alias is infinite).

    Raises
    ------
    YamlTooLargeError
        Past ``limit`` values.
    """
    stack = [document]
    for _ in range(limit):
        if not stack:
            return
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    if stack:
        raise YamlTooLargeError(f"its aliases expand past {limit:,} values")

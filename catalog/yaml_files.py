"""Read the catalog's YAML files: libyaml's fast safe loader, and no key given twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's ``CSafeLoader`` (about 7x faster on the seeds) when PyYAML was built with it,
else the pure-Python ``SafeLoader``; both build only plain Python objects."""


class UniqueKeyLoader(SAFE_LOADER):  # type: ignore[misc]  # the C or pure-Python loader
    """The safe loader, refusing a mapping that gives one key twice.

    Plain YAML keeps the last value of a repeated key without a word, so an anchor
    with two ``source`` lines would silently lose one of them.
    """

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
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
    yaml.YAMLError
        When the text is not valid YAML or a mapping repeats a key.
    """
    return yaml.load(path.read_text(encoding="utf-8"), Loader=UniqueKeyLoader)

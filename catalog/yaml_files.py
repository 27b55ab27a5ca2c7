"""Read the catalog's YAML files with libyaml's fast safe loader where PyYAML has it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's ``CSafeLoader`` (about 7x faster on the seeds) when PyYAML was built with it,
else the pure-Python ``SafeLoader``; both build only plain Python objects."""


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
        When the text is not valid YAML.
    """
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)

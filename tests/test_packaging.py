"""A non-editable install ships every folder of the package: each one is listed in
``pyproject.toml`` (setuptools installs only the packages it is told of)."""

from __future__ import annotations

import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
OUTSIDE = {"tests", "benchmarks", "tools", "docs", "build", "dist", ".venv", ".git"}
"""Folders of the repository that are not part of the installed package."""


def code_folders() -> set[str]:
    folders = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts[:-1]
        if parts and (parts[0] in OUTSIDE or parts[0].startswith(".") or "egg-info" in parts[0]):
            continue
        folders.add(".".join(("ctz", *parts)))
    return folders


def test_every_code_folder_is_installed() -> None:
    settings = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(settings["tool"]["setuptools"]["packages"])
    assert {"ctz", "ctz.geo", "ctz.maps.report"} <= code_folders()
    assert code_folders() <= listed, sorted(code_folders() - listed)

"""The data flow is visible in the imports: each folder imports only the stages before it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]

STAGES: dict[str, int] = {
    "base": 0,
    "files": 0,
    "words": 0,
    "catalog": 1,
    "geo": 2,
    "layers": 3,
    "checks": 4,
    "maps": 5,
    "cli": 6,
}
"""Stage of every top-level module or folder: ``catalog ← geo ← layers ← checks ← maps ← cli``,
with the shared bottom modules (``base``, ``files``, ``words``) at 0."""

ONLY_IN: dict[str, set[str]] = {"folium": {"maps"}, "branca": {"maps"}, "click": {"cli"}}
"""Third-party libraries only one stage may import."""


def package_modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] in STAGES or p.parent == PACKAGE
    )


def imported(path: Path) -> set[str]:
    """Every module name ``path`` imports, at the top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "ctz":
                names |= {f"ctz.{alias.name}" for alias in node.names}
    return names


def stage_of(path: Path) -> str:
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_data_flow(path: Path) -> None:
    stage = stage_of(path)
    if stage == "__init__":
        return  # the public API sits above every stage
    backwards = []
    for name in imported(path):
        parts = name.split(".")
        if parts[0] == "ctz" and len(parts) > 1 and parts[1] != "__version__":
            target = parts[1]
            if target not in STAGES or STAGES[target] > STAGES[stage]:
                backwards.append(name)
        elif parts[0] in ONLY_IN and stage not in ONLY_IN[parts[0]]:
            backwards.append(name)
    assert not backwards, f"{stage} may not import {sorted(backwards)}"


def test_the_check_detects_a_backward_import(tmp_path: Path) -> None:
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from ctz.maps.render import render_map\n", encoding="utf-8")
    assert "ctz.maps.render" in imported(module)
    assert STAGES["maps"] > STAGES["geo"]

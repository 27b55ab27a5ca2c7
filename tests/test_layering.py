"""The data flow is visible in the imports: each folder imports only the stages before it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from graphlib import CycleError, TopologicalSorter
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
    "__init__": 6,
    "outputs": 6,
    "cli": 7,
}
"""Stage of every top-level module or folder: ``catalog ← geo ← layers ← checks ← maps ← API
(ctz/__init__) and the CLI's output layer (ctz/outputs) ← cli``, with the shared bottom
modules (``base``, ``files``, ``words``) at 0."""

CLI_MAY_IMPORT: frozenset[str] = frozenset({"ctz", "ctz.outputs", "ctz.base", "ctz.files"})
"""All the command line imports of ctz: the public API, its documented output layer and the
bottom modules."""

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


def backward_imports(path: Path) -> list[str]:
    """Imports of ``path`` that point up or across the data flow (``[]`` for the public API).

    The top-level ``ctz`` package is the public API above every stage, so a stage that
    imports ``ctz`` itself (``import ctz`` or ``from ctz import x``) imports backwards.
    """
    stage = stage_of(path)
    if stage == "__init__":
        return []
    backwards = []
    for name in imported(path):
        parts = name.split(".")
        if parts[0] == "ctz":
            target = parts[1] if len(parts) > 1 else "__init__"
            if target not in STAGES or STAGES[target] > STAGES[stage]:
                backwards.append(name)
        elif parts[0] in ONLY_IN and stage not in ONLY_IN[parts[0]]:
            backwards.append(name)
    return sorted(backwards)


@pytest.mark.parametrize("path", package_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_data_flow(path: Path) -> None:
    backwards = backward_imports(path)
    assert not backwards, f"{stage_of(path)} may not import {backwards}"


@contextmanager
def reading(probe: Path, body: str) -> Iterator[None]:
    """Make ``probe`` read as ``body`` (and every other file as it is) inside the block."""
    original = Path.read_text

    def read_probe(path: Path, *args: object, **kwargs: object) -> str:
        return body if path == probe else original(path, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_text", read_probe)
        yield


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("def f():\n    from ctz.maps.render import render_map\n", ["ctz.maps.render"]),
        ("import ctz\n", ["ctz"]),
        ("from ctz import __version__\n", ["ctz", "ctz.__version__"]),
        ("import folium\n", ["folium"]),
        ("from ctz.catalog.model import Goal\nimport numpy\n", []),
    ],
)
def test_the_check_detects_a_backward_import(body: str, flagged: list[str]) -> None:
    probe = PACKAGE / "geo" / "probe_module.py"  # a path inside the geo stage; never written
    with reading(probe, body):
        assert backward_imports(probe) == flagged


def deeper_than_the_api(path: Path) -> list[str]:
    """The ctz modules ``path`` imports (at the top or inside functions) beyond
    :data:`CLI_MAY_IMPORT`; ``ctz.check`` of ``from ctz import check`` is the API, no module."""
    return sorted(
        name
        for name in imported(path)
        if name.startswith("ctz.") and name not in CLI_MAY_IMPORT and _names_a_module(name)
    )


def _names_a_module(name: str) -> bool:
    parts = name.split(".")[1:]
    return PACKAGE.joinpath(*parts).is_dir() or _is_module(parts)


def test_the_cli_imports_only_the_api_and_its_output_layer() -> None:
    deeper = deeper_than_the_api(PACKAGE / "cli.py")
    assert not deeper, f"cli.py may import only {sorted(CLI_MAY_IMPORT)}, not {deeper}"


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("import ctz\nfrom ctz.outputs import printable\n", []),
        ("from ctz.base import InputError\nfrom ctz.files import replacing\n", []),
        ("def f():\n    from ctz.maps.make import MapJob\n", ["ctz.maps.make"]),
        ("from ctz.catalog.model import ITEM_KINDS\n", ["ctz.catalog.model"]),
        ("from ctz import words\n", ["ctz.words"]),
        ("from ctz import check\n", []),
    ],
)
def test_the_cli_check_detects_a_deeper_import(body: str, flagged: list[str]) -> None:
    probe = PACKAGE / "cli.py"
    with reading(probe, body):
        assert deeper_than_the_api(probe) == flagged


def folder_of_module(name: str) -> str:
    """The node of the module ``name`` imports: its folder (dotted, below ``ctz``), or for a
    top-level module its own name (``base``, ``files``, ``cli``; ``__init__`` for ``ctz``)."""
    parts = name.split(".")[1:]
    while parts and not (PACKAGE.joinpath(*parts).is_dir() or _is_module(parts)):
        parts = parts[:-1]  # ``from ctz.x.y import name``: name is not a module
    if not parts:
        return "__init__"
    if PACKAGE.joinpath(*parts).is_dir():
        return ".".join(parts)
    return ".".join(parts[:-1]) or parts[0]


def _is_module(parts: list[str]) -> bool:
    return PACKAGE.joinpath(*parts[:-1], f"{parts[-1]}.py").is_file()


def folder_graph() -> dict[str, set[str]]:
    """Folder to the other folders its modules import (function-level imports included)."""
    graph: dict[str, set[str]] = {}
    for path in package_modules():
        folder = ".".join(path.relative_to(PACKAGE).parts[:-1]) or path.stem
        targets = graph.setdefault(folder, set())
        for name in imported(path):
            if name == "ctz" or name.startswith("ctz."):
                target = folder_of_module(name)
                if target != folder:
                    targets.add(target)
    return graph


def test_no_folder_imports_in_a_circle() -> None:
    graph = folder_graph()
    assert {"geo", "geo.osm", "geo.pbf", "checks", "checks.commute"} <= set(graph)
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        pytest.fail(f"folders import each other in a circle: {' -> '.join(error.args[1])}")
    assert order.index("geo.osm") > order.index("geo")


def test_the_circle_check_sees_a_circle() -> None:
    graph = folder_graph()
    graph["geo"].add("geo.osm")  # what geo/matching.py importing geo/osm/ once did
    with pytest.raises(CycleError):
        list(TopologicalSorter(graph).static_order())

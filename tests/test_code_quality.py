"""The repository passes its own linters: ruff (lint and format) and strict mypy."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

sys.path.insert(0, str(ROOT / "tools"))
from typecheck import typecheck  # noqa: E402


def needs(module: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        importlib.util.find_spec(module) is None, reason=f"{module} is not installed"
    )


@needs("ruff")
@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command: list[str]) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "ruff", *command, "."],
        cwd=ROOT,
        text=True,
        capture_output=True,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr


@needs("mypy")
@pytest.mark.slow
def test_mypy_strict_is_clean() -> None:
    finished = typecheck()
    assert finished.returncode == 0, finished.stdout + finished.stderr

"""Type-check the ctz package with the settings of ``pyproject.toml``.

The repository root is the ``ctz`` package itself, so mypy is pointed at a folder that
holds a link named ``ctz`` to it. Exit status is mypy's.

Usage: ``python tools/typecheck.py`` from anywhere.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The repository root, which is the ``ctz`` package."""


def typecheck(cache_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run mypy over the package and return the finished process (output captured).

    Parameters
    ----------
    cache_dir
        mypy's incremental cache; ``.mypy_cache`` in the repository when None.
    """
    cache = cache_dir or ROOT / ".mypy_cache"
    with tempfile.TemporaryDirectory(prefix="ctz-mypy-") as parent:
        (Path(parent) / "ctz").symlink_to(ROOT, target_is_directory=True)
        command = [
            sys.executable, "-m", "mypy",
            "--config-file", str(ROOT / "pyproject.toml"),
            "--cache-dir", str(cache),
            "-p", "ctz",
        ]  # fmt: skip
        return subprocess.run(
            command, cwd=parent, env={"MYPYPATH": parent, "PATH": ""}, text=True,
            capture_output=True, check=False,
        )  # fmt: skip


if __name__ == "__main__":
    finished = typecheck()
    sys.stdout.write(finished.stdout)
    sys.stderr.write(finished.stderr)
    sys.exit(finished.returncode)

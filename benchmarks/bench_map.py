"""Render time and file size of the default map against the issue's targets.

Targets (issue 4): ``ctz map`` with no options renders everything from the
embedded default, offline, in under 10 s, into a file under 3 MB. Measured here,
side by side with those targets:
- the whole command as a user runs it (``ctz map``, a fresh process, imports included);
- the default (Leaflet inlined) and ``--cdn`` file sizes;
- ``ctz map --png`` at the slide size (headless Chromium; tiles unreachable offline).

Run: .venv/bin/python benchmarks/bench_map.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
TARGET_BYTES = 3_000_000


def run_cli(args: list[str]) -> float:
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "ctz"), "map", *args]
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inline, linked, png = folder / "czt.html", folder / "czt_cdn.html", folder / "czt.png"
        run_cli(["-o", str(inline)])  # warm the file cache and bytecode
        seconds = min(run_cli(["-o", str(inline)]) for _ in range(3))
        cdn_seconds = run_cli(["-o", str(linked), "--cdn"])
        png_seconds = run_cli(["-o", str(inline), "--png", str(png)])
        rows = [
            ("ctz map (default), s", f"{seconds:.2f}", f"< {TARGET_SECONDS:.0f}"),
            ("ctz map --cdn, s", f"{cdn_seconds:.2f}", f"< {TARGET_SECONDS:.0f}"),
            ("ctz map --png (1600x1000), s", f"{png_seconds:.2f}", "-"),
            ("default HTML, MB", f"{inline.stat().st_size / 1e6:.2f}", "< 3"),
            ("--cdn HTML, MB", f"{linked.stat().st_size / 1e6:.2f}", "< 3"),
            ("PNG, MB", f"{png.stat().st_size / 1e6:.2f}", "-"),
        ]
    print(f"{'measure':34} {'ours':>8}  target")
    for name, ours, target in rows:
        print(f"{name:34} {ours:>8}  {target}")


if __name__ == "__main__":
    main()

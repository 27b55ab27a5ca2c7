"""Three-core Dijkstra: scipy's csgraph against a numba kernel, startup costs included.

The commute check searches from the three city cores six times per run (road,
all modes and rail, for the baseline and the scenario). This measures, on
street grids of 0.3 M, 1 M and 3 M nodes, each in a fresh process:

- ``scipy``: ``scipy.sparse.csgraph.dijkstra(graph, indices=cores)`` (what
  ``ctz.checks.commute.dijkstra.times_from`` runs);
- ``numba``: the threaded kernel of ``ctz.checks.commute.dijkstra_kernel`` (one
  thread per core, GIL released), with the import of numba and the first call
  counted apart, once with an empty compile cache (first run after installing)
  and once warm;

and reports per-call wall and CPU times (best of ``--calls``, the least
disturbed by other load) and the cost of one ``ctz check commute`` run (one
process, 6 calls) and of 10 scenarios in one session (60 calls). These figures
set ``KERNEL_MIN_NODES`` in ``ctz.checks.commute.dijkstra``.

    python benchmarks/bench_dijkstra.py [--sizes 0.3,1,3] [--calls 7]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy.sparse as sp

SPACING_M = 150.0
RUN_CALLS = 6
SESSION_CALLS = 60


def street_grid(n_nodes: int, seed: int = 11) -> tuple[sp.csr_matrix, np.ndarray]:
    """A jittered street grid of about ``n_nodes`` nodes (12 % of local links missing).

    Arterials every 8th line, expressways every 60th; two-way links in minutes;
    the three sources sit where bench_commute puts its city centres.
    """
    rng = np.random.default_rng(seed)
    side = int(np.sqrt(n_nodes))
    i, j = np.divmod(np.arange(side * side), side)
    xy = np.column_stack([j, i]) * SPACING_M + rng.normal(0, 30, (side * side, 2))
    right, up = np.flatnonzero(j < side - 1), np.flatnonzero(i < side - 1)
    tail, head = np.r_[right, up], np.r_[right + 1, up + side]
    line = np.r_[i[right], j[up]]
    kmh = np.where(line % 60 == 0, 90.0, np.where(line % 8 == 0, 45.0, 25.0))
    keep = (rng.random(len(tail)) > 0.12) | (kmh > 25)
    tail, head, kmh = tail[keep], head[keep], kmh[keep]
    minutes = np.hypot(*(xy[head] - xy[tail]).T) / (kmh * 1000 / 60)
    graph = sp.csr_matrix(
        (np.r_[minutes, minutes], (np.r_[tail, head], np.r_[head, tail])),
        shape=(side * side, side * side),
    )
    cores = np.array([[0.6, 0.3], [0.35, 0.6], [0.25, 0.45]]) * side
    return graph, (cores[:, 0].astype(int) * side + cores[:, 1].astype(int))


def measure(engine: str, n_nodes: int, calls: int) -> dict[str, float]:
    """Run in a fresh process: import, first call and the median of later calls (seconds)."""
    graph, cores = street_grid(n_nodes)
    started = time.perf_counter()
    if engine == "scipy":
        from scipy.sparse.csgraph import dijkstra

        def search() -> np.ndarray:
            return dijkstra(graph, indices=cores)
    else:
        from ctz.checks.commute.dijkstra_kernel import threaded_times

        def search() -> np.ndarray:
            return threaded_times(graph, cores, np.inf, len(cores))

    imported = time.perf_counter()
    search()
    first = time.perf_counter()
    seconds, cpu = [], []
    for _ in range(calls):
        start, start_cpu = time.perf_counter(), time.process_time()
        search()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    per_call = float(np.min(seconds))
    return {
        "import": imported - started,
        "first_extra": max(0.0, first - imported - per_call),
        "per_call": per_call,
        "cpu_per_call": float(np.min(cpu)),
    }


def child(engine: str, n_nodes: int, calls: int, cache: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = cache
    command = [sys.executable, __file__, "--child", engine, str(n_nodes), str(calls)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.3,1,3", help="Graph sizes in millions of nodes.")
    parser.add_argument("--calls", type=int, default=7, help="Timed calls after the first.")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, n_nodes, calls = args.child
        print(json.dumps(measure(engine, int(n_nodes), int(calls))))
        return
    print(f"cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.1f}")
    print(
        "| graph | engine | import s | first call extra s | per call s (3 cores) | CPU s "
        f"| one run ({RUN_CALLS} calls) s | {SESSION_CALLS} calls in a session s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in (float(s) for s in args.sizes.split(",")):
        n_nodes = int(size * 1e6)
        rows = {"scipy": child("scipy", n_nodes, args.calls, None)}
        with tempfile.TemporaryDirectory() as empty:
            rows["numba, cold cache"] = child("numba", n_nodes, args.calls, empty)
            rows["numba, warm cache"] = child("numba", n_nodes, args.calls, empty)
        for name, r in rows.items():
            startup = r["import"] + r["first_extra"]
            one_run = startup + RUN_CALLS * r["per_call"]
            session = startup + SESSION_CALLS * r["per_call"]
            print(
                f"| {size:g} M | {name} | {r['import']:.2f} | {r['first_extra']:.2f} "
                f"| {r['per_call']:.3f} | {r['cpu_per_call']:.3f} | {one_run:.2f} | {session:.1f} |"
            )


if __name__ == "__main__":
    main()

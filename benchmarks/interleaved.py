"""One command from two checkouts, run alternately beside its floor: processor-time medians.

Run: python benchmarks/interleaved.py N before=DIR,after=DIR -- ARGS... [--- FLOOR ARGS...]

Each round runs ``ARGS`` once with every checkout (``PYTHONPATH`` and the working folder set to
it, so ``python -m annotator`` imports that checkout's code), then the floor once; on a shared
machine every figure then sees the same load. Prints, per checkout and for the floor, the median
and least processor time (user + system, of the process and its children), the median wall time,
the largest peak memory and the ratio of the medians to the floor's. Output goes to /dev/null.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time


def _run(argv: list[str], env: dict[str, str], cwd: str) -> tuple[float, float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read() if proc.stderr else b""
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if status:
        raise SystemExit(f"{' '.join(argv)} failed: {err.decode(errors='replace')[-800:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return cpu, time.perf_counter() - start, usage.ru_maxrss / 1024


def main(argv: list[str]) -> None:
    rounds, trees = int(argv[0]), dict(x.split("=", 1) for x in argv[1].split(","))
    rest = argv[argv.index("--") + 1:]
    ours, floor = (rest[:rest.index("---")], rest[rest.index("---") + 1:]) if "---" in rest else (rest, [])
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in [*trees, "floor"]}
    for _ in range(rounds):
        for name, tree in trees.items():
            env = dict(os.environ, PYTHONPATH=tree)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            runs[name].append(_run(ours, env, tree))
        if floor:
            runs["floor"].append(_run(floor, dict(os.environ), "/"))
    base = statistics.median(r[0] for r in runs["floor"]) if floor else None
    for name, rs in runs.items():
        if not rs:
            continue
        cpu = statistics.median(r[0] for r in rs)
        ratio = f"  ratio {cpu / base:.2f}" if base else ""
        print(f"{name:8} cpu {cpu:.3f} (least {min(r[0] for r in rs):.3f}) wall"
              f" {statistics.median(r[1] for r in rs):.3f} peak {max(r[2] for r in rs):.0f} MB{ratio}")


if __name__ == "__main__":
    main(sys.argv[1:])

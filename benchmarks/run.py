"""Run every benchmark of the project and print each figure beside its baseline.

Usage: ``python -m benchmarks`` or ``python benchmarks/run.py [NAME ...]`` (names like
``bench_storage``; default: every ``benchmarks/bench_*.py`` and ``benchmarks/suggest_quality.py``).
Each benchmark runs in its own process (``python benchmarks/<name>.py``, i.e. its ``main()``),
so one's loaded models do not flatter another's start-up figures.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def discover() -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    quality = HERE / "suggest_quality.py"
    if quality.exists():
        found.append(quality)
    return found


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores {cpu}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")


def main(argv: list[str] | None = None) -> int:
    names = argv if argv is not None else sys.argv[1:]
    scripts = discover()
    if names:
        scripts = [s for s in scripts if s.stem in names or s.name in names]
    print(f"# annotator benchmarks — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"# machine: {machine()}")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    failed = []
    for script in scripts:
        print(f"\n## {script.stem}", flush=True)
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(script)], cwd=REPO, env=env)
        print(f"({script.stem}: {time.monotonic() - started:.1f} s)", flush=True)
        if done.returncode != 0:
            failed.append(script.stem)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Storage benchmarks: what one acknowledged change costs, beside bare SQLite in the same run.

Run: python3 benchmarks/bench_storage.py   (prints one line per figure; asserts nothing)

* per-tag commit latency through ``storage.coding.tag`` (state + event in one ``BEGIN
  IMMEDIATE`` transaction, WAL, synchronous=NORMAL) beside a bare ``sqlite3`` insert + commit in
  WAL mode with the same pragmas;
* ``annotator backup`` (online backup) and ``annotator check`` on a 2,000-segment project.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.storage.backup import copy_project
from annotator.storage.check import check_project
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project

SAMPLES = 500
SEGMENTS = 2000


def _line(name: str, ours: float, baseline: float | None, unit: str = "ms") -> None:
    if baseline is None:
        print(f"{name:<52} ours {ours:9.3f} {unit}  baseline         -")
    else:
        print(f"{name:<52} ours {ours:9.3f} {unit}  baseline {baseline:9.3f} {unit}"
              f"  ratio {ours / baseline:6.2f}")


def _project(folder: Path) -> Path:
    """A project with SEGMENTS segments, written directly (this measures storage, not import)."""
    from annotator.application.projects import create_project

    path = folder / "bench.db"
    create_project(path)
    with open_project(path) as p, p.write() as conn:
        conn.execute("INSERT INTO documents (id, position, title) VALUES ('doc', 1, 'doc')")
        conn.executemany(
            "INSERT INTO segments (id, document, position, zh, en) VALUES (?, 'doc', ?, ?, ?)",
            [(f"doc-{i:04d}", i, "我们街道现在最大的问题还是权责不匹配。" * 5,
              "The biggest problem is still the mismatch of powers and duties. " * 3)
             for i in range(1, SEGMENTS + 1)],
        )
    return path


def tag_latency(path: Path) -> list[float]:
    burdens = ["rights_mismatch", "trace_formalism", "feedback_gap"]
    times = []
    with open_project(path) as p:
        cb = load_codebook(p)
        for i in range(SAMPLES):
            seg = f"doc-{i % SEGMENTS + 1:04d}"
            dim = ["adaptation", "latency"][i // SEGMENTS % 2]
            start = time.perf_counter()
            tag(p, cb, "bench", seg, [dim, burdens[i % 3]])
            times.append(time.perf_counter() - start)
    return times


def bare_latency(folder: Path) -> list[float]:
    conn = sqlite3.connect(str(folder / "bare.db"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE a (coder TEXT, segment TEXT, code TEXT, at TEXT,"
                 " PRIMARY KEY (coder, segment, code))")
    times = []
    for i in range(SAMPLES):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO a VALUES (?, ?, ?, ?)", ("bench", f"s{i}", "c", "now"))
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    try:
        path = _project(folder)
        ours = tag_latency(path)
        bare = bare_latency(folder)
        ms = 1000.0
        _line("tag: commit latency, p50", statistics.median(ours) * ms, statistics.median(bare) * ms)
        q = statistics.quantiles
        _line("tag: commit latency, p99", q(ours, n=100)[98] * ms, q(bare, n=100)[98] * ms)
        with open_project(path) as p:
            times = []
            for i in range(3):
                start = time.perf_counter()
                copy_project(p, folder / f"copy{i}.db")
                times.append(time.perf_counter() - start)
            plain = []
            for i in range(3):
                start = time.perf_counter()
                shutil.copyfile(path, folder / f"plain{i}.db")
                plain.append(time.perf_counter() - start)
            _line(f"backup of {SEGMENTS} segments (vs file copy), median",
                  statistics.median(times) * ms, statistics.median(plain) * ms)
            times = []
            for _ in range(3):
                start = time.perf_counter()
                check_project(p)
                times.append(time.perf_counter() - start)
            _line(f"check of {SEGMENTS} segments + {SAMPLES} tags, median",
                  statistics.median(times) * ms, None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

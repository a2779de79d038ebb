"""Import benchmarks, each beside a baseline measured in the same run.

Run: python benchmarks/bench_import.py [--segments N]   (prints one line per figure; asserts nothing)

* ``annotator import`` of a bilingual CSV (``--segments`` turns, default 20,000; text drawn as by
  ``benchmarks.generate``), as a whole process: wall time, characters per second and peak memory,
  beside a whole process that imports jieba and runs ``jieba.lcut`` over the same Chinese text one
  segment at a time. Both rates count the same characters (Chinese and English of every turn),
  so the ratio of the rates is the ratio of the times; the CPU time of each (ours: of all
  its processes); and how much the import wrote to files beside the project file's size;
* wall time of ``annotator --help`` beside ``python -c "import typer"`` (medians of fresh
  subprocesses).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STARTUP_RUNS = 7

JIEBA_PASS = """
import csv, sys, time
import jieba
jieba.setLogLevel(60)
n = 0
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        jieba.lcut(row["zh"])
"""


def write_corpus(path: Path, segments: int, per_doc: int = 200) -> int:
    """A bilingual CSV (document, speaker, zh, en) of ``segments`` turns; its characters."""
    import numpy as np

    from annotator.codebook import bundled_codebook_path, load_codebook
    from benchmarks.generate import chinese_vocabulary, english_vocabulary, segment_rows

    codebook = load_codebook(bundled_codebook_path())
    zh = chinese_vocabulary([k for c in codebook.codes for k in c.keywords_zh])
    en = english_vocabulary([k for c in codebook.codes for k in c.keywords_en if " " not in k])
    chars = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["document", "speaker", "zh", "en"])
        for row in segment_rows(segments, per_doc, np.random.default_rng(7), zh, en):
            out.writerow([row[1], row[3], row[4], row[5]])
            chars += len(row[4]) + len(row[5])
    return chars


def _line(name: str, ours: float, baseline: float, unit: str, better: str) -> None:
    ratio = ours / baseline if baseline else float("nan")
    print(f"{name:<52} ours {ours:>12,.3f} {unit}  baseline {baseline:>12,.3f} {unit}"
          f"  ratio {ratio:5.2f} ({better} is better)")


def _timed_process(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds of it and the children it waited for, MB it
    wrote to files) of a fresh process running ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{cmd}: exit status {status}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, usage.ru_oublock * 512 / 1e6


def import_throughput(folder: Path, segments: int, env: dict[str, str]) -> None:
    corpus = folder / "interviews.csv"
    # written by another process: a child's peak memory counts from its parent's at the fork
    chars = int(subprocess.run(
        [sys.executable, "-c", "import sys; from benchmarks.bench_import import write_corpus;"
         " print(write_corpus(__import__('pathlib').Path(sys.argv[1]), int(sys.argv[2])))",
         str(corpus), str(segments)], env=env, cwd=REPO, check=True, capture_output=True,
        text=True).stdout)
    # warm jieba's dictionary cache for both sides (the floor's default cache, ours in its home)
    for warm in ("import jieba; jieba.initialize()",
                 "from annotator.nlp.tokenize import load; load(('zh',))"):
        subprocess.run([sys.executable, "-c", warm], env=env, check=True, stderr=subprocess.DEVNULL)
    project = folder / "bench.db"
    jieba_s, jieba_mb, jieba_cpu, _ = _timed_process([sys.executable, "-c", JIEBA_PASS, str(corpus)], env)
    ours_s, ours_mb, ours_cpu, written = _timed_process(
        [sys.executable, "-m", "annotator", "import", str(project), str(corpus)], env)
    size = corpus.stat().st_size
    print(f"corpus: {size / 1e6:.1f} MB CSV, {segments:,} bilingual turns, {chars:,} characters")
    _line("import, whole process (s) vs jieba pass (s)", ours_s, jieba_s, "s ", "lower")
    _line("import (chars/s) vs jieba pass (chars/s)", chars / ours_s, chars / jieba_s, "c/s", "higher")
    _line("import peak RSS (MB) vs jieba pass (MB)", ours_mb, jieba_mb, "MB", "lower")
    # on a loaded machine the wall times depend on the load; CPU time does much less (ours is
    # spread over one worker per core, so on an idle machine its wall time is about half)
    _line("import CPU, all processes (s) vs jieba pass (s)", ours_cpu, jieba_cpu, "s ", "lower")
    # the project file's size is the least an import writes; a write-ahead log copied into it
    # at the end doubles that
    print(f"import wrote {written:,.0f} MB to files; the project file holds"
          f" {project.stat().st_size / 1e6:,.0f} MB")


def _median_wall(cmd: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(STARTUP_RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup() -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    ours = _median_wall([sys.executable, "-m", "annotator", "--help"], env)
    base = _median_wall([sys.executable, "-c", "import typer"], env)
    _line("annotator --help (s) vs python -c 'import typer' (s)", ours, base, "s ", "lower")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["ANNOTATOR_HOME"] = str(folder / "home")
    try:
        if not args.skip_startup:
            startup()
        import_throughput(folder, args.segments, env)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

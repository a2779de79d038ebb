"""``/`` search on a large project: what the coding screen's search worker does, beside a scan.

Run: python benchmarks/bench_search.py PROJECT [--coder NAME] [--repeats R] [QUERY ...]

For each query (default: one- and two-character Chinese words, a three-character one, an
English word and an English phrase), the median and slowest of R runs of the search worker's
call (``CodingSession.find`` through a connection of its own: the full-text index, each answer
checked against the stored text, the answers placed in reading order; at most 1,000, the
screen's cap), beside the floor a project without the index would pay: one pass of SQLite's
``instr`` over every segment's Chinese and English (the median of ``--scans`` runs, the same
connection; it also finds an English query inside a word, where search matches from a word's
start, so its count can be higher). Each query's first run
is left out of the median (it reads the index's pages from disk) and shown alone.

The project is opened as the coding screen opens it, for ``--coder`` (default ``coder1``, a
coder of a generated project); nothing is written for a coder who already exists.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

QUERIES = ("权", "的", "权责", "的是", "网格员", "grid", "community work")

SCAN = ("SELECT id FROM segments WHERE instr(zh, :q) > 0 OR instr(lower(en), lower(:q)) > 0"
        " OR instr(coalesce(speaker, ''), :q) > 0")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("project", type=Path)
    ap.add_argument("queries", nargs="*", default=list(QUERIES))
    ap.add_argument("--coder", default="coder1")
    ap.add_argument("--repeats", type=int, default=9, help="timed runs per query (after a first one)")
    ap.add_argument("--scans", type=int, default=3, help="runs of the scan per query")
    args = ap.parse_args(argv)

    from annotator.storage.db import open_project
    from annotator.tui.session import CodingSession

    with open_project(args.project) as project, open_project(args.project) as worker:
        session = CodingSession(project, args.coder)
        print(f"project: {args.project}; median of {args.repeats} searches after a first one,"
              f" beside a scan of every segment's text (median of {args.scans})")
        for query in args.queries:
            t0 = time.perf_counter()
            found = session.find(query, worker)
            first = time.perf_counter() - t0
            runs = []
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                session.find(query, worker)
                runs.append(time.perf_counter() - t0)
            scans = []
            for _ in range(args.scans):
                t0 = time.perf_counter()
                scanned = len(worker.execute(SCAN, {"q": query}).fetchall())
                scans.append(time.perf_counter() - t0)
            print(f"{query!r:<18} {len(found):5d} answers (the scan: {scanned:,})  first {_ms(first)}"
                  f"  median {_ms(statistics.median(runs))}  slowest {_ms(max(runs))}"
                  f"  scan {_ms(statistics.median(scans))}", flush=True)


if __name__ == "__main__":
    main()

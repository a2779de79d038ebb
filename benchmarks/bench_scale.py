"""Batch commands on a large project, each beside the SQL that reads the same rows (its floor).

Run: python benchmarks/bench_scale.py [--segments N | --project PATH] [--repeats R] [--only NAME ...]
(default: a generated project of 100,000 segments; ``python -m benchmarks`` runs it so).
``--in-place`` times the read-only commands on the given file itself instead of a copy (and
leaves out merge, which writes).

Every figure is a whole process (``python -m annotator ...`` and the ``sqlite3`` shell for the
floor), timed wall-clock, the median of R runs, with the peak resident memory of that process
(``wait4`` rusage) and the processor time it used (with the processes it waited for; on a busy
machine the wall time includes waiting for a processor, the processor time does not). The
project is copied first (unless ``--in-place``): the given file is never written. Floors:

* agree: the done marks with their codes (``done`` left-joined with ``annotations``); with
  bootstrap intervals, that read and then the resampling arithmetic alone
  (``benchmarks/resample_floor.py``: the same 1,000 resamples of the units drawn and counted);
* stats: the group-bys of segments per document, done marks per coder, codes per coder;
* export csv: ``sqlite3 -csv`` of the same rows (every segment x coder, with codes and memo);
* export xlsx: the same ``sqlite3 -csv`` (a workbook is XML in a zip: more work per cell than CSV);
* export jsonl: ``sqlite3 -json`` of every table the export writes;
* export qdpx: the segments' text and the annotations read by the ``sqlite3`` shell (the SQL
  alone: nothing written); and, as "export qdpx, floor with deflate", the same rows read per
  document in a Python process and as many bytes as the export's archive holds deflated at the
  same level into a zip (``benchmarks/qdpx_floor.py``; it runs after the export, whose size it
  matches);
* check: ``PRAGMA integrity_check`` (the first thing check does);
* merge of two identical copies: copying the project file; and reading what a merge must read of
  both files (every segment's place and text, every coder's work, the source's event-log keys);
* suggest SEGMENT (after its first run has kept the engine, and its first run alone, with a data
  folder of its own): reading the segments' terms and the annotations the model learns from; and,
  for the first run, the dictionary-lookup floor the issue names for the suggestion benchmark
  (``benchmarks/suggest_floor.py``: the kept vocabulary read into dictionaries, the annotations
  read, the coded segments' terms read and every one looked up);
* keywords: every segment's stored terms;
* segments (and --json): every segment's row in reading order (``sqlite3``, and ``sqlite3 -json``);
* annotations --json: every coder's work per segment in reading order, one row each, as
  ``sqlite3 -json`` writes it;
* disagreements (the text listing and --json): the done marks with their codes, and the text of every
  done segment;
* matrix (facet × facet, code × document counting documents): one coder's coded segments with
  their codes, without text (what the counts are made of);
* quotes --format json / md / html / docx / the terminal table, and matrix --format html (its
  cells' quotes listed below the table): the same rows with their text (every quote the output
  holds).
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    seconds: float
    peak_mb: float
    #: processor time (user + system) of the process and of the processes it waited for: on a
    #: busy machine wall times wait for the processor, this does not
    cpu: float = 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(argv: list[str], stdout: Path | None = None) -> Run:
    """Run ``argv`` as a process; its wall time and peak RSS. Fails loudly on a non-zero exit."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    try:
        start, cpu = time.perf_counter(), _children_cpu()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=_env(), cwd=REPO)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        if proc.stderr:
            proc.stderr.close()
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {err.strip()[-500:]}")
    return Run(seconds, usage.ru_maxrss / 1024, cpu)


def median(make: Callable[[], Run], repeats: int) -> Run:
    runs = [make() for _ in range(repeats)]
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs),
               statistics.median(r.cpu for r in runs))


def annotator(*args: str) -> list[str]:
    return [sys.executable, "-m", "annotator", *args]


def afresh(argv: list[str]) -> list[str]:
    """``argv`` run with a data folder of its own (made and removed with it): no engine kept."""
    script = 'd="$(mktemp -d)"; ANNOTATOR_HOME="$d" "$@"; rc=$?; rm -rf "$d"; exit $rc'
    return ["sh", "-c", script, "sh", *argv]


def sql(db: Path, query: str, *mode: str) -> list[str]:
    return ["sqlite3", *mode, str(db), query]


CSV_ROWS = (
    "SELECT s.document, s.id, s.position, s.speaker, s.start, s.\"end\", s.zh, s.en, c.name,"
    " d.segment IS NOT NULL,"
    " (SELECT group_concat(a.code, '; ') FROM annotations a WHERE a.coder = c.name AND a.segment = s.id),"
    " m.text FROM documents doc JOIN segments s ON s.document = doc.id CROSS JOIN coders c"
    " LEFT JOIN done d ON d.coder = c.name AND d.segment = s.id"
    " LEFT JOIN memos m ON m.coder = c.name AND m.segment = s.id"
    " ORDER BY doc.position, s.position, c.name"
)


#: Every segment in reading order, as ``segments`` lists them.
SEGMENT_ROWS = ("SELECT s.id, s.document, s.position, s.speaker, s.zh, s.en, s.start, s.\"end\""
                " FROM documents doc JOIN segments s ON s.document = doc.id ORDER BY doc.position, s.position")

#: Every coder's work per segment in reading order, as ``annotations`` lists it.
WORK_ROWS = (
    "SELECT s.id, k.coder, EXISTS (SELECT 1 FROM done d WHERE d.coder = k.coder AND d.segment = s.id),"
    " (SELECT group_concat(a.code) FROM annotations a WHERE a.coder = k.coder AND a.segment = s.id),"
    " (SELECT m.text FROM memos m WHERE m.coder = k.coder AND m.segment = s.id)"
    " FROM (SELECT segment, coder FROM annotations UNION SELECT segment, coder FROM done"
    " UNION SELECT segment, coder FROM memos) k JOIN segments s ON s.id = k.segment"
    " JOIN documents doc ON doc.id = s.document ORDER BY doc.position, s.position, k.coder"
)

#: What a merge must read of both files (the target and a source attached): every segment's
#: place and text, every coder's work, and the keys of the source's event log.
MERGE_ROWS = "ATTACH '{twin}' AS src; " + " ".join(
    f"SELECT {columns} FROM {schema}.{table};"
    for schema in ("main", "src")
    for table, columns in (("segments", "document, position, id, zh, en"),
                           ("annotations", "coder, segment, code"), ("done", "coder, segment"),
                           ("memos", "coder, segment, text"))
) + " SELECT DISTINCT coder, segment FROM src.events;"


def _archive_bytes(path: Path) -> int:
    """The uncompressed size of every member of the archive at ``path``."""
    with zipfile.ZipFile(path) as z:
        return sum(i.file_size for i in z.infolist())


Floor = list[str] | Callable[[], list[str]]
"""A floor's command, or what makes it once our command has run (a floor that matches our output)."""


def cases(db: Path, work: Path, in_place: bool = False) -> dict[str, tuple[list[str], Floor, Path | None]]:
    """name → (our command, the floor's command, where the floor's output goes); ``in_place``:
    ``db`` is the caller's file, so the merges (which write) are left out."""
    twin = work / "twin.db"
    if not twin.exists() and not in_place:
        shutil.copyfile(db, twin)
    seg = subprocess.run(sql(db, "SELECT segment FROM done LIMIT 1"), capture_output=True, text=True,
                         check=True).stdout.strip()
    units = subprocess.run(sql(db, "SELECT count(*) FROM (SELECT segment FROM done GROUP BY segment"
                                   " HAVING count(*) >= 2)"), capture_output=True, text=True,
                           check=True).stdout.strip()
    coder = subprocess.run(sql(db, "SELECT min(coder) FROM annotations"), capture_output=True,
                           text=True, check=True).stdout.strip()
    marks = ("SELECT d.segment, d.coder, a.code FROM done d"
             " LEFT JOIN annotations a ON a.coder = d.coder AND a.segment = d.segment")
    resample = f"{shlex.quote(sys.executable)} -m benchmarks.resample_floor {units} --bootstrap 1000"
    return {
        "agree --format json": (
            annotator("agree", str(db), "--format", "json", "-o", str(work / "agree.json")),
            ["sh", "-c", f"sqlite3 {shlex.quote(str(db))} {shlex.quote(marks)} >/dev/null && {resample}"],
            None),
        "agree --format json --bootstrap 0": (
            annotator("agree", str(db), "--format", "json", "--bootstrap", "0",
                      "-o", str(work / "agree0.json")),
            sql(db, marks), None),
        "stats": (
            annotator("stats", str(db)),
            sql(db, "SELECT document, count(*) FROM segments GROUP BY document;"
                    " SELECT coder, count(*) FROM done GROUP BY coder;"
                    " SELECT coder, code, count(*) FROM annotations GROUP BY coder, code;"), None),
        "export csv": (
            annotator("export", str(db), "-f", "csv", "-o", str(work / "out.csv")),
            sql(db, CSV_ROWS, "-csv"), work / "floor.csv"),
        "export xlsx": (
            annotator("export", str(db), "-f", "xlsx", "-o", str(work / "out.xlsx")),
            sql(db, CSV_ROWS, "-csv"), work / "floor.csv"),
        "export jsonl": (
            annotator("export", str(db), "-f", "jsonl", "-o", str(work / "out.jsonl")),
            sql(db, "SELECT * FROM codes; SELECT * FROM documents; SELECT * FROM segments;"
                    " SELECT * FROM coders; SELECT * FROM annotations; SELECT * FROM done;"
                    " SELECT * FROM memos; SELECT * FROM events;", "-json"), work / "floor.json"),
        "export qdpx": (
            annotator("export", str(db), "-f", "qdpx", "-o", str(work / "out.qdpx")),
            sql(db, "SELECT id, speaker, zh, en FROM segments ORDER BY document, position;"
                    " SELECT coder, segment, code FROM annotations;"), work / "floor.txt"),
        "export qdpx, floor with deflate": (
            annotator("export", str(db), "-f", "qdpx", "-o", str(work / "out.qdpx")),
            lambda: [sys.executable, "-m", "benchmarks.qdpx_floor", str(db), str(work / "floor.zip"),
                     str(_archive_bytes(work / "out.qdpx"))], None),
        "check": (annotator("check", str(db)), sql(db, "PRAGMA integrity_check"), None),
        **({} if in_place else {
            "merge (two identical copies)": (
                annotator("merge", str(db), str(twin)), ["cp", str(db), str(work / "copy.db")], None),
            "merge vs reading both files": (
                annotator("merge", str(db), str(twin)), sql(db, MERGE_ROWS.format(twin=twin)), None)}),
        "matrix dimension x burden": (
            annotator("matrix", str(db), "--rows", "dimension", "--cols", "burden", "--coder", coder,
                      "-f", "csv", "-o", str(work / "matrix.csv")),
            sql(db, coded_rows(coder, text=False)), None),
        "matrix dimension x document": (
            annotator("matrix", str(db), "--rows", "dimension", "--cols", "document", "--count",
                      "documents", "--coder", coder, "-f", "csv", "-o", str(work / "matrix.csv")),
            sql(db, coded_rows(coder, text=False)), None),
        "quotes --format json": (
            annotator("quotes", str(db), "--coder", coder, "-f", "json", "-o", str(work / "quotes.jsonl")),
            sql(db, coded_rows(coder, text=True)), work / "floor.txt"),
        "quotes --format md": (
            annotator("quotes", str(db), "--coder", coder, "-f", "md", "-o", str(work / "quotes.md")),
            sql(db, coded_rows(coder, text=True)), work / "floor.txt"),
        "quotes --format html": (
            annotator("quotes", str(db), "--coder", coder, "-f", "html", "-o", str(work / "quotes.html")),
            sql(db, coded_rows(coder, text=True)), work / "floor.txt"),
        "quotes --format docx": (
            annotator("quotes", str(db), "--coder", coder, "-f", "docx", "-o", str(work / "quotes.docx")),
            sql(db, coded_rows(coder, text=True)), work / "floor.txt"),
        "quotes (terminal table, 100 columns)": (
            ["env", "COLUMNS=100", *annotator("quotes", str(db), "--coder", coder,
                                              "-o", str(work / "quotes.txt"))],
            sql(db, coded_rows(coder, text=True)), work / "floor.txt"),
        "matrix dimension x burden --format html": (
            annotator("matrix", str(db), "--rows", "dimension", "--cols", "burden", "--coder", coder,
                      "-f", "html", "-o", str(work / "matrix.html")),
            sql(db, coded_rows(coder, text=True)), work / "floor.txt"),
        "keywords": (
            annotator("keywords", str(db)),
            sql(db, "SELECT zh_terms, en_terms FROM segments;"), None),
        "disagreements --json": (
            annotator("disagreements", str(db), "--json"),
            sql(db, marks + "; SELECT id, zh, en FROM segments WHERE id IN (SELECT segment FROM done);"),
            work / "floor.txt"),
        "disagreements": (
            annotator("disagreements", str(db)),
            sql(db, marks + "; SELECT id, zh, en FROM segments WHERE id IN (SELECT segment FROM done);"),
            work / "floor.txt"),
        "segments": (
            annotator("segments", str(db)),
            sql(db, SEGMENT_ROWS), work / "floor.txt"),
        "segments --json": (
            annotator("segments", str(db), "--json"),
            sql(db, SEGMENT_ROWS, "-json"), work / "floor.json"),
        "annotations --json": (
            annotator("annotations", str(db), "--json"),
            sql(db, WORK_ROWS, "-json"), work / "floor.json"),
        "suggest SEGMENT": (
            annotator("suggest", str(db), seg),
            sql(db, "SELECT id, zh_terms, en_terms FROM segments;"
                    " SELECT coder, segment, code FROM annotations;"), None),
        "suggest SEGMENT, first run": (
            afresh(annotator("suggest", str(db), seg)),
            sql(db, "SELECT id, zh_terms, en_terms FROM segments;"
                    " SELECT coder, segment, code FROM annotations;"), None),
        "suggest SEGMENT, first run vs dictionary lookups": (
            afresh(annotator("suggest", str(db), seg)),
            [sys.executable, "-m", "benchmarks.suggest_floor", str(db)], None),
    }


#: Cases whose command runs once, untimed, before the timed runs: ``suggest SEGMENT`` is timed
#: with its engine kept (its first run, which builds and keeps it, has rows of its own).
WARMED = {"suggest SEGMENT"}


def _median_of(argv: list[str], stdout: Path | None, repeats: int) -> Run:
    return median(lambda: run(argv, stdout), repeats)


def coded_rows(coder: str, *, text: bool) -> str:
    """One coder's coded segments in reading order with their codes and memo (``text``: with
    their Chinese and English)."""
    who = "'" + coder.replace("'", "''") + "'"
    return (f"SELECT segment, code FROM annotations WHERE coder = {who} ORDER BY segment, code;"
            " SELECT s.id, s.document, s.position, s.speaker, s.start, s.\"end\","
            + (" s.zh, s.en," if text else "") +
            " m.text FROM segments s JOIN documents d ON d.id = s.document"
            f" LEFT JOIN memos m ON m.segment = s.id AND m.coder = {who}"
            f" WHERE s.id IN (SELECT segment FROM annotations WHERE coder = {who})"
            " ORDER BY d.position, s.position;")


def _line(name: str, ours: Run, floor: Run) -> None:
    print(f"{name:<36} ours {ours.seconds:8.2f} s ({ours.cpu:7.2f} s CPU) {ours.peak_mb:6.0f} MB"
          f"   floor {floor.seconds:8.2f} s ({floor.cpu:7.2f} s CPU) {floor.peak_mb:5.0f} MB"
          f"   ratio {ours.seconds / floor.seconds:6.2f} wall, {ours.cpu / max(floor.cpu, 1e-3):6.2f} CPU",
          flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--segments", type=int, default=100_000, help="generate a project this big")
    ap.add_argument("--project", type=Path, help="use (a copy of) this project instead")
    ap.add_argument("--repeats", type=int, default=3, help="runs per figure (the median is shown)")
    ap.add_argument("--only", nargs="*", help="only these figures (names as printed)")
    ap.add_argument("--in-place", action="store_true",
                    help="time read-only commands on --project itself (no copy; merge left out)")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="annotator-scale-"))
    try:
        db = work / "project.db"
        if args.project and args.in_place:
            db = args.project.resolve()
            source = f"{args.project} (in place)"
        elif args.project:
            shutil.copyfile(args.project, db)
            source = str(args.project)
        else:
            subprocess.run([sys.executable, "-m", "benchmarks.generate", "--segments",
                            str(args.segments), "-o", str(db)], check=True, env=_env(), cwd=REPO,
                           stdout=subprocess.DEVNULL)
            source = f"{args.segments:,} generated segments"
        size = db.stat().st_size / 1e6
        print(f"project: {source} ({size:.0f} MB); whole processes, median of {args.repeats}", flush=True)
        measured: dict[tuple[str, ...], Run] = {}  # our figures, shared by cases with two floors
        for name, (ours, floor, floor_out) in cases(db, work, bool(args.project and args.in_place)).items():
            if args.only and name not in args.only:
                continue
            f = None if callable(floor) else _median_of(floor, floor_out, args.repeats)
            if tuple(ours) not in measured:
                if name in WARMED:
                    run(ours)  # not timed: what the timed runs find kept
                # what it prints goes to a file, as the floor's does (the same work)
                measured[tuple(ours)] = _median_of(ours, work / "ours.out", args.repeats)
            if callable(floor):  # made from our output: measured after it
                f = _median_of(floor(), floor_out, args.repeats)
            assert f is not None
            _line(name, measured[tuple(ours)], f)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

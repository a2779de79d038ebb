"""``merge`` of two copies that each hold work of their own, from two checkouts, beside its floors.

Run: python benchmarks/merge_realistic.py PROJECT WORK_FOLDER ROUNDS before=DIR,after=DIR

Makes two copies of PROJECT in WORK_FOLDER: in the target, coder1 codes 1,000 segments nobody
had finished; in the source, coder2 codes 1,000 others and coder3 recodes 200 of its finished
segments (through annotator's own storage calls, so every state has its event). Then, each round:
a fresh copy of the target (not timed) merged from every checkout in turn, then the floors:
copying the file, and the ``sqlite3`` read of both files' segments and work
(``bench_scale.MERGE_ROWS``). Medians of processor time; the merge reports are printed so that
the checkouts can be seen to agree.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_scale import MERGE_ROWS, run


def make_copies(project: Path, folder: Path) -> tuple[Path, Path]:
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag
    from annotator.storage.db import open_project

    target, source = folder / "target0.db", folder / "source.db"
    shutil.copyfile(project, target)
    shutil.copyfile(project, source)
    with open_project(target) as p:
        fresh = [r[0] for r in p.execute("SELECT id FROM segments s WHERE NOT EXISTS (SELECT 1 FROM done d"
                                         " WHERE d.segment = s.id) ORDER BY rowid LIMIT 2000")]
        recoded = [r[0] for r in p.execute("SELECT segment FROM done WHERE coder = 'coder3'"
                                           " ORDER BY segment LIMIT 200")]
        codebook = load_codebook(p)
        for seg in fresh[:1000]:
            tag(p, codebook, "coder1", seg, ["latency"])
    with open_project(source) as p:
        codebook = load_codebook(p)
        for seg in fresh[1000:]:
            tag(p, codebook, "coder2", seg, ["feedback_gap", "adaptation"])
        for seg in recoded:
            tag(p, codebook, "coder3", seg, ["integration"])
    for path in (target, source):  # every page in the file itself: a copy of it is the project
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return target, source


def main(argv: list[str]) -> None:
    project, folder, rounds = Path(argv[0]), Path(argv[1]), int(argv[2])
    trees = dict(x.split("=", 1) for x in argv[3].split(","))
    folder.mkdir(parents=True, exist_ok=True)
    target0, source = make_copies(project, folder)
    target = folder / "target.db"
    cpu: dict[str, list[float]] = {name: [] for name in [*trees, "copy", "read"]}
    reports = {}
    for _ in range(rounds):
        for name, tree in trees.items():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(target0, target)
            env = dict(os.environ, PYTHONPATH=tree)
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            with tempfile.TemporaryFile() as out:
                before = os.times()
                subprocess.run([sys.executable, "-m", "annotator", "merge", str(target), str(source)],
                               env=env, cwd=tree, stdout=out, check=True)
                after = os.times()
                out.seek(0)
                reports[name] = out.read().decode().replace(str(source), "SOURCE").strip()
            cpu[name].append(after.children_user + after.children_system
                             - before.children_user - before.children_system)
        cpu["copy"].append(run(["cp", str(target0), str(folder / "copy.db")]).cpu)
        cpu["read"].append(run(["sqlite3", str(target0), MERGE_ROWS.format(twin=source)]).cpu)
    copy, read = statistics.median(cpu["copy"]), statistics.median(cpu["read"])
    for name, values in cpu.items():
        m = statistics.median(values)
        print(f"{name:8} cpu {m:.3f} (least {min(values):.3f})   / copy {m / copy:.2f}   / read {m / read:.2f}")
    for name, text in reports.items():
        print(f"{name}: {text}")


if __name__ == "__main__":
    main(sys.argv[1:])

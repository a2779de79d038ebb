"""Temporary files a killed run left beside an output are named for annotator and removed by
the next run writing that output (or, for the automatic backups, the next backup of that
project); those of a running process are left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from annotator.storage.backup import rotate_backup, rotating_dir
from tests.reliability.reliability_helpers import annotator


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_export_and_backup_temporaries_are_removed(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead, alive = _dead_pid(), os.getpid()
    stale = [out / f".final.csv.annotator-{dead}-k2j3.tmp", out / f".b.db.{dead}.partial",
             out / f".b.db.{dead}.partial-journal"]
    kept = [out / f".final.csv.annotator-{alive}-abcd.tmp", out / f".b.db.{alive}.partial",
            out / ".other.csv.annotator-1-x.tmp", out / "notes.txt"]
    for f in stale + kept:
        f.write_text("x")
    assert annotator("export", str(project), "--format", "csv", "-o", str(out / "final.csv")).returncode == 0
    assert annotator("backup", str(project), "-o", str(out / "b.db")).returncode == 0
    left = set(os.listdir(out))
    assert not {f.name for f in stale} & left
    assert {f.name for f in kept} <= left
    assert {"final.csv", "b.db"} <= left


def test_an_automatic_backup_removes_the_partial_copies_of_earlier_ones_cut_short(project: Path) -> None:
    """Each automatic backup is named for its time, so the partial copy that a coding screen
    closed or killed during its backup left (hundreds of megabytes on a large project) is never
    the next backup's own name: the next backup removes every such copy of a gone process."""
    folder = rotating_dir(project)
    folder.mkdir(parents=True)
    dead, alive = _dead_pid(), os.getpid()
    stem = project.stem
    stale = [folder / f".{stem}.auto-20261204T173146.681Z.db.annotator-{dead}-q279e58q.partial",
             folder / f".{stem}.auto-20261204T173146.681Z.db.annotator-{dead}-q279e58q.partial-journal",
             folder / f".{stem}.auto-20261203T090000.000Z-1.db.annotator-{dead}-abcdefgh.partial"]
    kept = [folder / f".{stem}.auto-20261204T180000.000Z.db.annotator-{alive}-zzzzzzzz.partial",
            folder / f".other.auto-20261204T173146.681Z.db.annotator-{dead}-q279e58q.partial",
            folder / "notes.txt"]
    for f in stale + kept:
        f.write_text("x")
    newest = rotate_backup(project)
    left = set(os.listdir(folder))
    assert not {f.name for f in stale} & left
    assert {f.name for f in kept} <= left
    assert newest is not None and newest.name in left


def test_a_backup_beside_the_project_removes_the_partial_copies_of_earlier_ones_cut_short(
        project: Path) -> None:
    """``annotator backup PROJECT`` names its copy for the time too: a killed one's partial copy
    is removed by the next backup of that project, not by one of another project."""
    folder, stem, dead = project.parent, project.stem, _dead_pid()
    stale = folder / f".{stem}.backup-20261204T173146.681Z.db.annotator-{dead}-q279e58q.partial"
    other = folder / f".x{stem}.backup-20261204T173146.681Z.db.annotator-{dead}-q279e58q.partial"
    for f in (stale, other):
        f.write_text("x")
    assert annotator("backup", str(project)).returncode == 0
    assert not stale.exists() and other.exists()
    assert len(list(folder.glob(f"{stem}.backup-*.db"))) == 1


def test_a_killed_export_leaves_a_recognisable_name(project: Path, tmp_path: Path) -> None:
    code = ("import os, sys, annotator.files as i\n"
            "with i.atomic_output(__import__('pathlib').Path(sys.argv[1])) as f:\n"
            "    f.write('x'); f.flush(); os._exit(9)\n")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "final.csv")], check=False,
                   env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    names = [n for n in os.listdir(tmp_path) if "final.csv" in n]
    assert len(names) == 1 and names[0].startswith(".final.csv.annotator-") and names[0].endswith(".tmp")
    assert annotator("export", str(project), "--format", "csv", "-o", str(tmp_path / "final.csv")).returncode == 0
    assert sorted(n for n in os.listdir(tmp_path) if "final.csv" in n) == ["final.csv"]

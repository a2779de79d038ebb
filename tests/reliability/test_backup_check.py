"""``annotator backup`` (consistent while coders work, rotating) and ``annotator check``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.storage import backup
from annotator.storage.backup import copy_project, list_rotating, rotate_backup, set_backups_kept
from annotator.storage.check import check_project
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, env, integrity

WORKERS = Path(__file__).with_name("workers.py")
runner = CliRunner()


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


@pytest.mark.slow  # a coder process tagging while backups are taken
def test_backups_taken_while_a_coder_works_are_consistent(project: Path, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, str(WORKERS), "ack", str(project), "kim", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env(), cwd=REPO)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        copies = []
        for i in range(5):
            time.sleep(0.15)
            dest = tmp_path / f"copy{i}.db"
            result = runner.invoke(app, ["backup", str(project), "-o", str(dest)])
            assert result.exit_code == 0, result.stderr
            copies.append(dest)
    finally:
        proc.kill()
        proc.wait()
    counts = []
    for dest in copies:
        assert integrity(dest) == "ok"
        assert not Path(str(dest) + "-wal").exists()  # a single self-contained file
        with open_project(dest) as p:
            report = check_project(p)
        assert report.ok, list(report.lines())  # every tag with its event: one snapshot
        counts.append(_count(dest, "SELECT count(*) FROM annotations"))
    assert counts == sorted(counts) and counts[-1] > counts[0] > 0, counts
    assert not list(tmp_path.glob("*.partial*"))


def test_backup_default_name_and_refusals(project: Path) -> None:
    result = runner.invoke(app, ["backup", str(project)])
    assert result.exit_code == 0, result.stderr
    made = list(project.parent.glob("project.backup-*.db"))
    assert len(made) == 1 and integrity(made[0]) == "ok"
    same = runner.invoke(app, ["backup", str(project), "-o", str(project)])
    assert same.exit_code == 1 and len(same.stderr.strip().splitlines()) == 1
    missing = runner.invoke(app, ["backup", str(project.parent / "nope.db")])
    assert missing.exit_code == 1 and "no such project" in missing.stderr


def test_rotating_backups_keep_the_configured_number(project: Path) -> None:
    for _ in range(7):
        rotate_backup(project)
    kept = list_rotating(project)
    assert len(kept) == 5  # config.BACKUPS_KEPT
    assert all(integrity(p) == "ok" for p in kept)
    with open_project(project) as p:
        set_backups_kept(p, 2)
    newest = rotate_backup(project)
    assert list_rotating(project)[-1] == newest and len(list_rotating(project)) == 2
    assert runner.invoke(app, ["backup", str(project), "--keep", "0", "-o",
                               str(project.parent / "x.db")]).exit_code == 0
    assert rotate_backup(project) is None and len(list_rotating(project)) == 2


def test_a_paced_backup_copies_the_snapshot_it_began_with_while_others_commit(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "STEP_PAGES", 8)
    _tagged(project)
    before = _count(project, "SELECT count(*) FROM annotations")
    steps = -(-_count(project, "PRAGMA page_count") // 8)
    assert steps >= 3  # commits come between steps
    writer = sqlite3.connect(project, isolation_level=None)
    writer.execute("PRAGMA busy_timeout = 5000")
    paces: list[bool] = []

    def pace(long: bool) -> None:  # another connection commits between the steps
        paces.append(long)
        assert len(paces) <= steps + 1, "the copy started again"
        writer.execute("DELETE FROM annotations WHERE rowid = (SELECT min(rowid) FROM annotations)")
        writer.execute("INSERT INTO settings (key, value) VALUES (?, 'x')", (f"paced-{len(paces)}",))
        writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    try:
        with open_project(project) as p:
            dest = copy_project(p, project.parent / "paced.db", pace)
    finally:
        writer.close()
    assert paces == [False] * steps + [True]  # one call per step, and one before the check
    assert integrity(dest) == "ok" and _count(dest, "SELECT count(*) FROM annotations") == before
    assert _count(dest, "SELECT count(*) FROM settings WHERE key LIKE 'paced-%'") == 0
    assert _count(project, "SELECT count(*) FROM settings WHERE key LIKE 'paced-%'") == len(paces)
    with open_project(dest) as p:
        assert check_project(p).ok


def test_a_project_with_a_rollback_journal_is_copied_in_one_step(project: Path) -> None:
    # there a read transaction held between steps would keep every writer waiting
    paces: list[bool] = []
    with open_project(project) as p:
        assert p.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        dest = copy_project(p, project.parent / "rollback.db", paces.append)
    assert paces == [] and integrity(dest) == "ok"


def _tagged(project: Path) -> None:
    with open_project(project) as p:
        cb = load_codebook(p)
        for i in range(1, 6):
            tag(p, cb, "ana", f"interview-{i:03d}", ["adaptation", "feedback_gap"])


def test_check_passes_a_healthy_project(project: Path) -> None:
    _tagged(project)
    result = runner.invoke(app, ["check", str(project)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith(f"{project}: ok")


def test_check_finds_every_kind_of_problem(project: Path) -> None:
    _tagged(project)
    conn = sqlite3.connect(project, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    stamp = "2025-01-01T00:00:00.000Z"
    # an annotation on a segment that does not exist (orphan + foreign key)
    conn.execute("INSERT INTO annotations VALUES ('ana', 'ghost-001', 'latency', ?)", (stamp,))
    # an annotation written behind the event log's back
    conn.execute("INSERT INTO annotations VALUES ('ana', 'interview-009', 'trace_formalism', ?)", (stamp,))
    # a second dimension: single choice broken (and the log disagrees)
    conn.execute("INSERT INTO annotations VALUES ('ana', 'interview-002', 'latency', ?)", (stamp,))
    # a lost annotation: the log says feedback_gap, the table does not
    conn.execute("DELETE FROM annotations WHERE segment = 'interview-003' AND code = 'feedback_gap'")
    # an archived code that still has live annotations
    conn.execute("UPDATE codes SET archived = 1 WHERE id = 'adaptation'")
    conn.close()
    result = runner.invoke(app, ["check", str(project)])
    assert result.exit_code == 1
    out = result.stdout
    kinds = {line.split(":")[0] for line in out.splitlines() if not line.startswith(str(project))}
    assert {"foreign-key", "orphan", "event-log", "single-choice", "archived"} <= kinds, out
    assert "interview-009" in out and "with no event" in out
    assert "interview-003" in out and "interview-002" in out and "ghost-001" in out
    n = sum(1 for line in out.splitlines() if not line.startswith(str(project)))
    assert result.stderr.strip() == f"annotator: {project}: {n} problems"


def test_check_after_forced_codebook_change_and_replace_is_clean(project: Path, tmp_path: Path) -> None:
    """Archiving (codebook --force, import --replace) is not mistaken for a broken log."""
    import yaml

    _tagged(project)
    data = yaml.safe_load((REPO / "codebook.yaml").read_text(encoding="utf-8"))
    for facet in data["facets"]:
        facet["codes"] = [c for c in facet["codes"] if c["id"] != "feedback_gap"]
        for c in facet["codes"]:
            c.pop("examples", None)  # some hold feedback_gap
    file = tmp_path / "cb.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert runner.invoke(app, ["codebook", "set", str(project), str(file), "--force"]).exit_code == 0
    short = tmp_path / "interview.txt"
    short.write_text("采访者：只剩一段。\n", encoding="utf-8")
    replaced = runner.invoke(app, ["import", str(project), str(short), "--replace"])
    assert replaced.exit_code == 0, replaced.stderr
    result = runner.invoke(app, ["check", str(project)])
    assert result.exit_code == 0, result.stdout

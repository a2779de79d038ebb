"""A project file or its write-ahead log deleted under an open coding session: no change is
acknowledged after that, and every change of the session is in the project or in a recovery
file that ``annotator recover`` merges back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.storage.coding import get_state
from annotator.storage.db import open_project
from annotator.storage.file_guard import ProjectFileLost
from annotator.storage.recovery import merge_recovery, read_recovery
from annotator.tui.session import CodingSession
from tests.reliability.reliability_helpers import env


def _codes(path: Path, coder: str) -> dict[str, set[str]]:
    with open_project(path) as p:
        out: dict[str, set[str]] = {}
        for seg, code in p.execute("SELECT segment, code FROM annotations WHERE coder = ?", (coder,)):
            out.setdefault(seg, set()).add(code)
        return out


def _two_codes(session: CodingSession) -> list[str]:
    return [c.id for c in session.codebook.codes[:2]]


def _recovery_named(error: ProjectFileLost) -> Path:
    text = str(error)
    assert "annotator recover" in text
    return Path(text.split(" are kept in ")[1].split("; merge")[0])


def test_deleted_wal_stops_acknowledging_and_keeps_every_change(project: Path) -> None:
    session = CodingSession(open_project(project), "ww")
    first, second = _two_codes(session)
    session.toggle(first)
    seg1 = session.current
    session.move(1)
    session.save_position()
    os.unlink(str(project) + "-wal")
    seg2 = session.current
    with pytest.raises(ProjectFileLost) as caught:
        session.toggle(second)
    assert "write-ahead log" in str(caught.value)
    recovery = _recovery_named(caught.value)
    kept = {(c, s): st.codes for c, s, st in read_recovery(recovery)}
    assert kept[("ww", seg1)] == {first}
    assert kept[("ww", seg2)] == {second}
    session.move(1)
    with pytest.raises(ProjectFileLost):  # and it stays refused; the change is kept too
        session.mark_none()
    seg3 = session.current
    assert session.close() is not None
    assert ("ww", seg3) in {(c, s) for c, s, _ in read_recovery(recovery)}
    with open_project(project) as p:
        merge_recovery(p, recovery)
        assert get_state(p, "ww", seg1).codes == {first}
        assert get_state(p, "ww", seg2).codes == {second}
        assert get_state(p, "ww", seg2).done
        assert get_state(p, "ww", seg3).done


def test_deleted_project_file_keeps_changes_for_a_backup_copy(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(project, copy)
    session = CodingSession(open_project(project), "ww")
    first, _ = _two_codes(session)
    seg = session.current
    os.unlink(project)
    with pytest.raises(ProjectFileLost) as caught:
        session.toggle(first)
    assert "deleted" in str(caught.value)
    session.close()
    recovery = _recovery_named(caught.value)
    done = subprocess.run([sys.executable, "-m", "annotator", "recover", str(copy), str(recovery)],
                          capture_output=True, text=True, env=env(), check=False)
    assert done.returncode == 0, done.stderr
    assert _codes(copy, "ww") == {seg: {first}}


def test_replaced_project_file_is_noticed_at_close(project: Path, tmp_path: Path) -> None:
    session = CodingSession(open_project(project), "ww")
    first, _ = _two_codes(session)
    session.toggle(first)
    other = tmp_path / "other.db"
    shutil.copy(project, other)
    os.replace(other, project)
    lost = session.close()
    assert lost is not None and "replaced" in str(lost)
    assert read_recovery(_recovery_named(lost))


def test_recover_refuses_a_file_that_is_not_a_recovery_file(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"annotator": "recovery", "version": 1}\n{"coder": "ww", "segment": "nope"}\n')
    done = subprocess.run([sys.executable, "-m", "annotator", "recover", str(project), str(bad)],
                          capture_output=True, text=True, env=env(), check=False)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "bad.jsonl:2" in done.stderr

"""Fixtures of the command-line tests: a small coded study built once per session, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.cli_helpers import EN, ZH, run


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bilingual interview, coded on int01-002 by li and wang (built once per session)."""
    folder = tmp_path_factory.mktemp("template")
    (folder / "int01.zh.txt").write_text(ZH, encoding="utf-8")
    (folder / "int01.en.txt").write_text(EN, encoding="utf-8")
    db = folder / "study.db"
    with pytest.MonkeyPatch.context() as mp:  # before the per-test isolated home exists
        mp.setenv("ANNOTATOR_HOME", str(tmp_path_factory.getbasetemp() / "annotator-home"))
        code, out = run("import", db, folder / "int01.zh.txt", "--translation",
                        folder / "int01.en.txt")
        assert code == 0, out
        for coder, codes in (("li", ["adaptation", "rights_mismatch"]),
                             ("wang", ["goal_attainment"])):
            code, out = run("tag", db, "int01-002", *codes, "--coder", coder)
            assert code == 0, out
    return db


@pytest.fixture()
def project(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template project in this test's folder, with its transcripts."""
    for name in ("int01.zh.txt", "int01.en.txt", "study.db", "study.db-wal"):
        if (template.parent / name).exists():
            shutil.copy(template.parent / name, tmp_path / name)
    return tmp_path / "study.db"

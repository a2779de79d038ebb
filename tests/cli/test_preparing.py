"""Steps that load jieba and spaCy say so on a terminal instead of seconds of silence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ZH = "A：我们社区的减负工作做了很多。\n\nB：上级来检查。\n"


def _run(args: list[str], tmp_path: Path, *, terminal: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANNOTATOR_HOME": str(tmp_path / "home"), "TTY_COMPATIBLE": "1" if terminal else "0"}
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True,
                          timeout=300, env=env, stdin=subprocess.DEVNULL)


def test_import_and_suggest_say_they_are_preparing_on_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "int01.zh.txt").write_text(ZH, encoding="utf-8")
    db = str(tmp_path / "p.db")
    done = _run(["import", db, str(tmp_path / "int01.zh.txt")], tmp_path, terminal=True)
    assert done.returncode == 0, done.stderr
    assert "preparing the Chinese and English word segmenters" in done.stderr
    assert "preparing" not in done.stdout
    done = _run(["suggest", db], tmp_path, terminal=True)
    assert done.returncode == 0 and "preparing" in done.stderr


def test_nothing_is_said_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "int01.zh.txt").write_text(ZH, encoding="utf-8")
    done = _run(["import", str(tmp_path / "p.db"), str(tmp_path / "int01.zh.txt")], tmp_path, terminal=False)
    assert done.returncode == 0 and "preparing" not in done.stderr


def test_help_loads_neither_jieba_nor_spacy() -> None:
    code = ("import sys, runpy; sys.argv = ['annotator', 'import', '--help']\n"
            "try:\n    runpy.run_module('annotator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "assert not {'jieba', 'spacy', 'textual'} & set(sys.modules), 'loaded'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

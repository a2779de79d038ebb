"""The layers of the package hold (CONTRIBUTING.md draws them).

import-linter checks the imports against the contracts in pyproject.toml, function-level imports
included; a search of the source checks what imports cannot show: SQL only in annotator/storage/,
and keys bound through Textual's public API only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "annotator"
STORAGE = PACKAGE / "storage"

SQL = re.compile(
    r"\bsqlite3\b|\bsqlite_utils\b|\.execute(many|script)?\("
    r"|\b(SELECT|INSERT|UPDATE \w+ SET|DELETE FROM|REPLACE INTO|PRAGMA|VACUUM"
    r"|(CREATE|DROP|ALTER) (TABLE|INDEX|TRIGGER|VIEW)|BEGIN IMMEDIATE|ROLLBACK)\b"
)
PRIVATE_KEY_API = re.compile(r"\b_bindings\b|\b_character_to_key\b")


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on this checkout, with the configuration in pyproject.toml."""
    scripts = Path(sys.executable).parent
    exe = shutil.which("lint-imports", path=os.pathsep.join([str(scripts), os.environ.get("PATH", "")]))
    assert exe, "lint-imports is missing: pip install -e '.[test]'"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([exe, "--no-cache", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def lines_matching(pattern: re.Pattern[str], files: list[Path]) -> list[str]:
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_domain_never_imports_the_ui() -> None:
    done = lint_imports("--contract", "domain-without-ui")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_coding_screen_reaches_the_project_only_through_the_application() -> None:
    """No module of annotator/tui/ imports storage or io, not even lazily; what it takes from
    annotator.nlp is the values it shows, each import listed in the contract."""
    for contract in ("tui-through-application", "tui-nlp-values"):
        done = lint_imports("--contract", contract)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_command_line_reaches_the_project_only_through_the_application() -> None:
    done = lint_imports("--contract", "cli-through-application")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_import_follows_the_layers() -> None:
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr


def test_only_storage_speaks_sql() -> None:
    outside = [p for p in sorted(PACKAGE.rglob("*.py")) if STORAGE not in p.parents]
    found = lines_matching(SQL, outside)
    assert not found, "SQL outside annotator/storage/:\n" + "\n".join(found)


def test_the_coding_screen_binds_keys_through_public_api() -> None:
    found = lines_matching(PRIVATE_KEY_API, sorted((PACKAGE / "tui").rglob("*.py")))
    assert not found, "Textual's private key API:\n" + "\n".join(found)


def test_the_searches_find_what_they_look_for() -> None:
    """The patterns above are not vacuous: each one catches the forms it is meant to."""
    for line in ('import sqlite3', 'rows = p.execute("SELECT id FROM segments")',
                 'conn.executemany(sql, rows)', '"INSERT OR REPLACE INTO project (key) VALUES (?)"',
                 "UPDATE codes SET archived = 1", '"DELETE FROM done"', "PRAGMA table_info",
                 "CREATE TRIGGER t AFTER INSERT", "import sqlite_utils"):
        assert SQL.search(line), line
    for line in ("Select a code", "the selected segment", "insert a memo", "update the screen",
                 "from annotator.storage.coding import tag"):
        assert not SQL.search(line), line
    assert PRIVATE_KEY_API.search("self._bindings.bind('j', 'next')")
    assert PRIVATE_KEY_API.search("from textual.keys import _character_to_key")
    assert not PRIVATE_KEY_API.search("BINDINGS = [Binding('j', 'next')]")

"""Escape sequences, bidi overrides, newlines and lone surrogates in names and labels: refused
at the door, and never printed raw by any command."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.safe_text import printable
from tests.reliability.reliability_helpers import annotator

ESC = "ev\x1b]0;PWNED\x07il"
NAMES = [ESC, "two\nlines", "right\u202eto", "c1\x9b31m"]
UNSAFE = ["\x1b", "\x07", "\x9b", "\u202e"]


def _clean(text: str) -> None:
    for ch in UNSAFE:
        assert ch not in text, f"{ch!r} printed raw in {text!r}"


@pytest.mark.parametrize("name", NAMES)
def test_tag_refuses_a_coder_name_with_control_characters(project: Path, name: str) -> None:
    seg = sqlite3.connect(project).execute("SELECT id FROM segments LIMIT 1").fetchone()[0]
    done = annotator("tag", str(project), seg, "--coder", name, "--none")
    assert done.returncode == 1
    assert "coder name" in done.stderr and done.stderr.count("\n") == 1
    _clean(done.stdout + done.stderr)
    names = {r[0] for r in sqlite3.connect(project).execute("SELECT name FROM coders")}
    assert name not in names


@pytest.mark.parametrize("label", ['"\\e[31mred\\e]0;title\\a"', '"x\\ud800"', '"a\\u202eb"',
                                   '"two\\nlines"'])
def test_codebook_check_refuses_unsafe_labels(tmp_path: Path, label: str) -> None:
    book = tmp_path / "book.yaml"
    book.write_text(f"facets:\n  - id: f\n    codes:\n      - id: c\n        label: {label}\n",
                    encoding="utf-8")
    done = annotator("codebook", "check", str(book))
    assert done.returncode == 1
    assert "book.yaml:" in done.stderr and done.stderr.count("\n") == 1
    _clean(done.stdout + done.stderr)


def _poison(project: Path) -> None:
    """A project written by an older annotator, which let such names in."""
    conn = sqlite3.connect(project)
    seg = conn.execute("SELECT id FROM segments ORDER BY position LIMIT 1").fetchone()[0]
    code, = conn.execute("SELECT id FROM codes ORDER BY position LIMIT 1").fetchone()
    conn.execute("UPDATE codes SET label_en = ?, label_zh = ? WHERE id = ?",
                 ("\x1b[31mred\x1b]0;title\x07", "\u202ezh", code))
    for coder in (ESC, "plain"):
        conn.execute("INSERT INTO coders (name, created_at) VALUES (?, 'now')", (coder,))
        conn.execute("INSERT INTO annotations VALUES (?, ?, ?, 'now')", (coder, seg, code))
        conn.execute("INSERT INTO done VALUES (?, ?, 'now')", (coder, seg))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("args", [["stats"], ["annotations"], ["disagreements"], ["agree"],
                                  ["codebook", "show"], ["annotations", "--json"]])
def test_no_command_prints_a_control_character_from_data(project: Path, args: list[str]) -> None:
    _poison(project)
    cmd, *rest = args
    done = annotator(cmd, *rest, str(project)) if cmd != "codebook" else \
        annotator("codebook", "show", str(project))
    _clean(done.stdout + done.stderr)
    assert "\\u001b" in done.stdout + done.stderr or cmd in ("disagreements",)


def test_printable_keeps_lines_and_text() -> None:
    assert printable("采访者：a\tb\r\n") == "采访者：a\tb\r\n"
    assert printable("\x1b[0m\ud800") == "\\u001b[0m\\ud800"

"""What the command-line tests share: a short bilingual interview, running a command, reading a project."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

ZH = "采访者：您好，请介绍一下您的工作。\n\nA：权责不匹配的问题很严重。\n\nA：拍照留痕，痕迹主义太重了。\n"
EN = ("Interviewer: Hello, please tell me about your work.\n\nA: The mismatch of rights and"
      " responsibilities is serious.\n\nA: We take photos to leave traces; trace formalism.\n")


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def annotations_of(db: Path) -> set[tuple[str, str, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT coder, segment, code FROM annotations"))


def codes_of(db: Path) -> list[tuple[str, str, str | None, int]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT id, facet, key, archived FROM codes ORDER BY id"))


def segments_of(db: Path, document: str) -> list[tuple[str | None, str, str]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(
            "SELECT speaker, zh, en FROM segments WHERE document = ? ORDER BY position", (document,)))

"""The project table: key/value facts about the project file itself (e.g. when it was created)."""

from __future__ import annotations

from annotator.storage.db import Project


def get_meta(project: Project, key: str) -> str | None:
    row = project.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(project: Project, key: str, value: str) -> None:
    with project.write() as conn:
        conn.execute("INSERT OR REPLACE INTO project (key, value) VALUES (?, ?)", (key, value))

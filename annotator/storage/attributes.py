"""Document attributes (respondent, role, date, ...): read, set and import, each change logged."""

from __future__ import annotations

import json
from typing import Any

from annotator.errors import UsageError
from annotator.storage.db import Project, now


def document_attributes(project: Project) -> dict[str, dict[str, Any]]:
    """document id → its attributes, in project order."""
    return {
        r[0]: json.loads(r[1] or "{}")
        for r in project.execute("SELECT id, attributes FROM documents ORDER BY position")
    }


def _write(project: Project, document: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    conn = project.conn
    conn.execute(
        "UPDATE documents SET attributes = ? WHERE id = ?",
        (json.dumps(after, ensure_ascii=False), document),
    )
    conn.execute(
        "INSERT INTO events (at, action, detail, before, after) VALUES (?, 'attributes', ?, ?, ?)",
        (now(), json.dumps({"document": document}, ensure_ascii=False),
         json.dumps(before, ensure_ascii=False), json.dumps(after, ensure_ascii=False)),
    )


def set_attributes(project: Project, values: dict[str, dict[str, str | None]]) -> int:
    """Set (value) or remove (None) attributes of documents, all in one transaction.

    ``values`` maps document id → attribute → value. Returns how many documents changed.
    Unknown documents are refused before anything is written.
    """
    with project.write():
        current = document_attributes(project)
        unknown = [d for d in values if d not in current]
        if unknown:
            raise UsageError(f"no document {', '.join(map(repr, unknown[:5]))} in the project"
                             " (see 'annotator attributes PROJECT list')")
        changed = 0
        for document, changes in values.items():
            before = current[document]
            after = dict(before)
            for key, value in changes.items():
                if value is None:
                    after.pop(key, None)
                else:
                    after[key] = value
            if after != before:
                _write(project, document, before, after)
                changed += 1
    return changed

"""Stored segments read one at a time through a reader's own read-only connection.

The connection is opened read-only (``mode=ro``: the reader can never write to the project)
with ``check_same_thread=False`` and used under a lock, so a reader made in a worker thread can
be used from the UI thread, and it outlives the connection it was made from.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

from annotator.errors import ProjectError
from annotator.storage import search_index
from annotator.storage.db import Project
from annotator.storage.deleted_log import refuse_if_log_deleted

SegmentRow = tuple[str | None, str | None, str | None, str | None, str | None]


class SegmentReader:
    """(zh, zh_tokens, zh_terms, en_tokens, en_terms) of stored segments, by id."""

    _ROW = "SELECT zh, zh_tokens, zh_terms, en_tokens, en_terms FROM segments WHERE id = ?"

    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = path
        refuse_if_log_deleted(path)
        try:
            self._conn: sqlite3.Connection | None = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout,
                isolation_level=None, check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise ProjectError(f"cannot open for reading: {exc}", path=path) from None
        search_index.register(self._conn)  # the segments' triggers name it, even to refuse a write
        self._lock = threading.Lock()

    @classmethod
    def of(cls, project: Project) -> SegmentReader:
        """A reader of ``project``'s file (with the project's busy timeout)."""
        return cls(project.path, project.busy_timeout)

    def _query(self, sql: str, params: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._conn is None:
                raise ProjectError("the segment reader has been closed", path=self.path)
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise ProjectError(f"cannot read segments: {exc}", path=self.path) from None

    def row(self, segment_id: str) -> SegmentRow | None:
        """(zh, zh_tokens, zh_terms, en_tokens, en_terms) of a segment, None if there is none."""
        rows = self._query(self._ROW, (segment_id,))
        if not rows:
            return None
        zh, zh_tokens, zh_terms, en_tokens, en_terms = rows[0]
        return zh, zh_tokens, zh_terms, en_tokens, en_terms

    def ids(self) -> list[str]:
        return [r[0] for r in self._query("SELECT id FROM segments")]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None

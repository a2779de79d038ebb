"""Writing imported transcripts: documents, tokenised segment rows, replacement by position.

The caller (``annotator.application.importing``) reads the files and tokenises; this module
only writes, inside the caller's ``project.write()`` transaction.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from annotator.errors import ImportFormatError
from annotator.model import ImportSummary, Segment, SegmentTerms
from annotator.storage import search_index
from annotator.storage.db import Project, now

Progress = Callable[[int], None]

#: The page cache (KiB) while an import writes; the connection's own is restored after.
CACHE_KIB = 65536

SEGMENT_COLUMNS = ("id", "document", "position", "speaker", "start", "end", "zh", "en",
                   "zh_tokens", "en_tokens", "zh_terms", "en_terms")


_BLANK = SegmentTerms()


def segment_row(s: Segment, terms: dict[str, SegmentTerms]) -> tuple[Any, ...]:
    """The values of ``SEGMENT_COLUMNS`` for a segment and its terms."""
    t = terms.get(s.id, _BLANK)
    return (s.id, s.document, s.position, s.speaker, s.start, s.end, s.zh, s.en,
            t.zh_tokens, t.en_tokens, t.zh_terms, t.en_terms)


def insert_segments(project: Project, segments: list[Segment], terms: dict[str, SegmentTerms]) -> None:
    project.conn.executemany(
        "INSERT INTO segments (" + ", ".join(f'"{c}"' for c in SEGMENT_COLUMNS) + ") VALUES ("
        + ", ".join("?" for _ in SEGMENT_COLUMNS) + ")", [segment_row(s, terms) for s in segments])


def upsert_segments_sql() -> str:
    cols = SEGMENT_COLUMNS
    return (
        "INSERT INTO segments (" + ", ".join(f'"{c}"' for c in cols) + ") VALUES ("
        + ", ".join("?" for _ in cols) + ") ON CONFLICT(id) DO UPDATE SET "
        + ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c != "id")
    )


def insert_document(project: Project, doc: str, title: str, attributes: dict[str, Any],
                    source: str) -> None:
    """A new document after the last one."""
    conn = project.conn
    pos = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM documents").fetchone()[0]
    conn.execute(
        "INSERT INTO documents (id, position, title, attributes, source, imported_at)"
        " VALUES (?,?,?,?,?,?)",
        (doc, pos, title, json.dumps(attributes, ensure_ascii=False), source, now()),
    )


def log_import(project: Project, detail: dict[str, Any]) -> None:
    project.conn.execute("INSERT INTO events (at, action, detail) VALUES (?, 'import', ?)",
                         (now(), json.dumps(detail, ensure_ascii=False)))


class TranscriptWriter:
    """Writes the documents and segment rows of one transcript import, replacing by position
    when asked. Segments come with their tokens and terms (segment id → terms).

    Use as a context manager inside the import's write transaction: the search index is brought
    up to date after each batch written, in one statement, rather than row by row.
    """

    def __init__(self, project: Project, summary: ImportSummary, replace: bool,
                 progress: Progress | None = None):
        self.conn = project.conn
        self.project = project
        self.summary = summary
        self.replace = replace
        self.progress = progress
        self._sql = upsert_segments_sql()
        self._stack = contextlib.ExitStack()
        self._index: Callable[[], None] = lambda: None
        self._replaced: set[str] = set()
        self._cache_size = 0

    def __enter__(self) -> TranscriptWriter:
        # a big page cache keeps the segment, id and position b-trees' pages at hand
        self._cache_size = int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        self._index = self._stack.enter_context(search_index.indexed_in_batches(self.conn))
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._stack.__exit__(*exc)  # type: ignore[arg-type]
        finally:
            self.conn.execute(f"PRAGMA cache_size = {self._cache_size}")

    def start_document(self, doc: str, source: str, attributes: dict[str, Any], line: int | None) -> None:
        exists = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc,)).fetchone()
        if exists and not self.replace:
            raise ImportFormatError(
                f"document {doc!r} is already in the project; use --replace to replace it, or"
                " --document ID to import this file as another document",
                path=source, line=line,
            )
        if exists:
            self.summary.replaced.append(doc)
            self._replaced.add(doc)
            self.conn.execute(
                "UPDATE documents SET attributes = ?, source = ?, imported_at = ? WHERE id = ?",
                (json.dumps(attributes, ensure_ascii=False), source, now(), doc),
            )
        else:
            insert_document(self.project, doc, str(attributes.get("title") or doc), attributes, source)
        self.summary.documents.append(doc)

    def write(self, segments: list[Segment], terms: dict[str, SegmentTerms]) -> None:
        """Store a batch of segments (of one or more documents, started before)."""
        replaced = [s for s in segments if s.document in self._replaced]
        if replaced:
            self._note_changed_text(replaced)
        self.conn.executemany(self._sql, [segment_row(s, terms) for s in segments])
        self._index()
        self.summary.segments += len(segments)
        if self.progress:
            self.progress(sum(len(s.zh.encode()) + len(s.en.encode()) for s in segments))

    def _note_changed_text(self, segments: list[Segment]) -> None:
        """Remember segments that keep coders' work although a text they had was changed (a turn
        inserted or removed shifts every later segment: the work stays with the position)."""
        ids = [s.id for s in segments]
        old: dict[str, tuple[str, str]] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ",".join("?" for _ in part)
            old.update((r[0], (r[1], r[2])) for r in self.conn.execute(
                f"SELECT id, zh, en FROM segments WHERE id IN ({marks}) AND (id IN"
                " (SELECT segment FROM done) OR id IN (SELECT segment FROM annotations)"
                " OR id IN (SELECT segment FROM memos))", part))
        for s in segments:
            before = old.get(s.id)
            if before and any(b and b != now_text for b, now_text in zip(before, (s.zh, s.en), strict=True)):
                self.summary.changed_with_work.append(s.id)

    def finish_document(self, doc: str, last: int) -> None:
        """Drop segments beyond position ``last`` of a replaced document (their work is archived)."""
        stale = [r[0] for r in self.conn.execute(
            "SELECT id FROM segments WHERE document = ? AND position > ?", (doc, last))]
        stamp = now()
        for seg in stale:
            cur = self.conn.execute(
                "INSERT INTO archived_annotations (coder, segment, code, facet, created_at, archived_at,"
                " reason) SELECT a.coder, a.segment, a.code, c.facet, a.created_at, ?, "
                "'segment removed by --replace' FROM annotations a JOIN codes c ON c.id = a.code"
                " WHERE a.segment = ?", (stamp, seg))
            self.summary.archived_annotations += cur.rowcount
            for table in ("annotations", "done", "memos", "redecide"):  # nothing left to decide
                self.conn.execute(f"DELETE FROM {table} WHERE segment = ?", (seg,))
            self.conn.execute("UPDATE coders SET last_segment = NULL WHERE last_segment = ?", (seg,))
            self.conn.execute("DELETE FROM segments WHERE id = ?", (seg,))


def set_translation(project: Project, lang: str, rows: list[tuple[str, str, str, str]]) -> None:
    """Set the ``lang`` text, tokens and terms of segments: rows of (text, tokens, terms, id)."""
    if lang not in ("zh", "en"):
        raise ValueError(lang)
    project.conn.executemany(
        f"UPDATE segments SET {lang} = ?, {lang}_tokens = ?, {lang}_terms = ? WHERE id = ?", rows)

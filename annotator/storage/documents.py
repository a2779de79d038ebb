"""Reading documents and segments from a project file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from annotator.errors import UsageError
from annotator.model import Document, Segment
from annotator.storage import search_index
from annotator.storage.db import Project

ORDER = "ORDER BY d.position, s.position"
SEGMENT_COLUMNS = 's.id, s.document, s.position, s.speaker, s.start, s."end", s.zh, s.en'


def _segment(row: Any) -> Segment:
    return Segment(
        id=row[0], document=row[1], position=row[2], speaker=row[3], start=row[4], end=row[5],
        zh=row[6], en=row[7],
    )


def list_documents(project: Project) -> list[Document]:
    return [
        Document(id=r[0], title=r[1], attributes=json.loads(r[2] or "{}"), position=r[3])
        for r in project.execute(
            "SELECT id, title, attributes, position FROM documents ORDER BY position"
        )
    ]


def document_title(project: Project, document: str) -> str | None:
    """``document``'s title (None: no such document)."""
    row = project.execute("SELECT title FROM documents WHERE id = ?", (document,)).fetchone()
    return None if row is None else str(row[0])


def check_document(project: Project, document: str) -> None:
    if not project.execute("SELECT 1 FROM documents WHERE id = ?", (document,)).fetchone():
        raise UsageError(f"no document {document!r} in the project")


def iter_segments(project: Project, document: str | None = None) -> Iterator[Segment]:
    """Segments in reading order (document order, then position)."""
    if document is not None:
        check_document(project, document)
        rows = project.execute(
            f"SELECT {SEGMENT_COLUMNS} FROM segments s JOIN documents d ON d.id = s.document"
            f" WHERE s.document = ? {ORDER}",
            (document,),
        )
    else:
        rows = project.execute(
            f"SELECT {SEGMENT_COLUMNS} FROM segments s JOIN documents d ON d.id = s.document {ORDER}"
        )
    for row in rows:
        yield _segment(row)


def iter_done_segments(project: Project, coder: str) -> Iterator[tuple[Segment, frozenset[str]]]:
    """The segments ``coder`` marked done, in reading order, each with the codes ``coder``
    applied to it, read as the caller iterates."""
    rows = project.execute(
        f"SELECT {SEGMENT_COLUMNS}, (SELECT json_group_array(a.code) FROM annotations a"
        "  WHERE a.coder = k.coder AND a.segment = k.segment)"
        " FROM done k JOIN segments s ON s.id = k.segment JOIN documents d ON d.id = s.document"
        f" WHERE k.coder = ? {ORDER}", (coder,))
    for row in rows:
        yield _segment(row), frozenset(json.loads(row[8]))


def segment_order(project: Project) -> list[tuple[str, str]]:
    """(segment id, document id) of every segment in reading order; cheap for 100k segments."""
    return [
        (r[0], r[1])
        for r in project.execute(
            f"SELECT s.id, s.document FROM segments s JOIN documents d ON d.id = s.document {ORDER}"
        )
    ]


def get_segment(project: Project, segment_id: str) -> Segment:
    row = project.execute(
        f"SELECT {SEGMENT_COLUMNS} FROM segments s WHERE s.id = ?", (segment_id,)
    ).fetchone()
    if row is None:
        raise UsageError(f"no segment with id {segment_id!r} (see 'annotator segments')")
    return _segment(row)


def segment_terms(project: Project, segment_id: str) -> dict[str, tuple[str, ...]]:
    """Stored tokens and terms of a segment: keys zh_tokens, en_tokens, zh_terms, en_terms."""
    row = project.execute(
        "SELECT zh_tokens, en_tokens, zh_terms, en_terms FROM segments WHERE id = ?", (segment_id,)
    ).fetchone()
    if row is None:
        raise UsageError(f"no segment with id {segment_id!r}")
    keys = ("zh_tokens", "en_tokens", "zh_terms", "en_terms")
    return {k: tuple(v.split(" ")) if v else () for k, v in zip(keys, row, strict=True)}


def search_segments(project: Project, query: str, *, limit: int | None = None) -> list[str]:
    """Ids of segments whose Chinese or English text (or speaker) contains ``query``
    (case-insensitive for English), in reading order: at most ``limit`` (default
    :data:`search_index.LIMIT`), the first found in import order.

    Answered from the full-text index (one- and two-character Chinese words included), each
    answer checked against the stored text; a query of punctuation alone scans the texts.
    """
    query = query.strip()
    if not query:
        return []
    limit = search_index.LIMIT if limit is None else int(limit)
    match = search_index.fts_query(query)
    contains = ("(instr(s.zh, :q) > 0 OR instr(lower(s.en), lower(:q)) > 0"
                " OR instr(coalesce(s.speaker, ''), :q) > 0)")
    if match is None:
        sql = (f"SELECT s.id FROM segments s JOIN documents d ON d.id = s.document WHERE {contains}"
               f" {ORDER} LIMIT :limit")
    else:
        sql = (
            f"WITH found AS (SELECT rowid FROM {search_index.TABLE} WHERE {search_index.TABLE}"
            " MATCH :match ORDER BY rowid LIMIT :scan)"
            " SELECT s.id FROM found JOIN segments s ON s.rowid = found.rowid"
            f" JOIN documents d ON d.id = s.document WHERE {contains} {ORDER} LIMIT :limit"
        )
    params = {"q": query, "match": match, "limit": limit, "scan": limit * 2}
    return [r[0] for r in project.execute(sql, params)]


def count_segments(project: Project) -> int:
    return int(project.execute("SELECT count(*) FROM segments").fetchone()[0])


def segment_counts(project: Project) -> dict[str, int]:
    """Document id → number of segments."""
    return {r[0]: int(r[1]) for r in project.execute(
        "SELECT document, count(*) FROM segments GROUP BY document")}


def document_ids(project: Project) -> set[str]:
    return {r[0] for r in project.execute("SELECT id FROM documents")}


def has_documents(project: Project) -> bool:
    return project.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None


def segment_texts(project: Project, document: str) -> list[tuple[str, str, str]]:
    """(segment id, zh, en) of ``document``'s segments in order."""
    return [(r[0], r[1], r[2]) for r in project.execute(
        "SELECT id, zh, en FROM segments WHERE document = ? ORDER BY position", (document,))]

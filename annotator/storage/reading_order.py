"""The reading order of a project's segments, read a piece at a time.

Reading order is document order, then position within the document. Instead of reading every
segment's id (a million rows, seconds), the coding screen reads how many segments each document
has (an index scan) and then only the ids it shows, a window at a time; a segment's place in
the order comes from its document and position.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt

from annotator.errors import AnnotatorError
from annotator.storage.db import Project

#: (document, segments, first position, last position)
DocumentSpan = tuple[str, int, int, int]


#: Schema of the kept document counts (run by migration m007): a second's index scan at a
#: million segments, kept with the state of the segments they were counted at (``stamp``:
#: the count of deletions and changes of ``term_counts_state``, then the largest rowid).
STATEMENTS = [
    """
    CREATE TABLE document_spans (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        stamp TEXT NOT NULL,
        spans TEXT NOT NULL
    )
    """,
    """
    CREATE TRIGGER segments_order_update AFTER UPDATE OF document, position ON segments BEGIN
        UPDATE term_counts_state SET changes = changes + 1 WHERE id = 1;
    END
    """,
]


def document_spans(project: Project) -> list[DocumentSpan]:
    """(document, number of segments, first and last position) of every document with
    segments, in reading order (the counts kept in the project while the segments stay)."""
    with project.snapshot():
        stamp = _segments_stamp(project)
        counts = _kept_spans(project, stamp)
        if counts is None:
            counts = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in project.execute(
                "SELECT document, count(*), min(position), max(position) FROM segments"
                " GROUP BY document")}
            fresh = True
        else:
            fresh = False
        order = [r[0] for r in project.execute("SELECT id FROM documents ORDER BY position")]
    if fresh:
        _keep_spans(project, stamp, counts)
    return [(doc, *counts[doc]) for doc in order if doc in counts]


def _segments_stamp(project: Project) -> str:
    changes = project.execute("SELECT changes FROM term_counts_state WHERE id = 1").fetchone()
    last = project.execute("SELECT max(rowid) FROM segments").fetchone()
    return f"{changes[0] if changes else 0}|{last[0] or 0}"


def _kept_spans(project: Project, stamp: str) -> dict[str, tuple[int, int, int]] | None:
    row = project.execute("SELECT stamp, spans FROM document_spans WHERE id = 1").fetchone()
    if row is None or row[0] != stamp:
        return None
    return {d: (n, a, b) for d, n, a, b in json.loads(row[1])}


def _keep_spans(project: Project, stamp: str, counts: dict[str, tuple[int, int, int]]) -> None:
    """Keep the counts (a project that cannot be written counts again next time)."""
    text = json.dumps([[d, *v] for d, v in counts.items()], ensure_ascii=False)
    with contextlib.suppress(AnnotatorError), project.write() as conn:
        conn.execute("INSERT OR REPLACE INTO document_spans (id, stamp, spans) VALUES (1, ?, ?)",
                     (stamp, text))


def document_positions(project: Project, document: str) -> list[int]:
    """The positions of ``document``'s segments, in order."""
    return [r[0] for r in project.execute(
        "SELECT position FROM segments WHERE document = ? ORDER BY position", (document,))]


def ids_between(project: Project, document: str, first: int, last: int) -> list[tuple[int, str]]:
    """(position, id) of ``document``'s segments from position ``first`` to ``last``, in order."""
    return [(r[0], r[1]) for r in project.execute(
        "SELECT position, id FROM segments WHERE document = ? AND position BETWEEN ? AND ?"
        " ORDER BY position", (document, first, last))]


def places_of(project: Project, ids: Iterable[str]) -> list[tuple[str, str, int]]:
    """(id, document, position) of the segments ``ids`` that exist, in no particular order."""
    return _places(project, "s.id", list(ids))


def places_of_keys(project: Project, keys: Iterable[int]) -> list[tuple[str, str, int]]:
    """:func:`places_of` for segments named by row id (the keys the agreement tables read:
    each an integer lookup, several times faster than an id's)."""
    return _places(project, "s.rowid", [int(k) for k in keys])


def _places(project: Project, column: str, values: list[str] | list[int]) -> list[tuple[str, str, int]]:
    """(id, document, position) of the segments whose ``column`` is one of ``values``."""
    return [(r[0], r[1], r[2]) for r in project.execute(
        f"SELECT s.id, s.document, s.position FROM json_each(?) j JOIN segments s ON {column} = j.value",
        (json.dumps(values, ensure_ascii=False),))]


#: Ids looked up per query by :func:`positions_of` (each batch's JSON is made while holding the
#: interpreter: a screen thread waits for at most one batch's).
POSITIONS_BATCH = 5_000


def positions_of(project: Project, ids: Iterable[str]) -> Iterator[tuple[str, npt.NDArray[np.int64]]]:
    """Per document, the positions of those of ``ids`` that exist (a row per document and
    batch of ids, so the places of a filter's hundred thousand segments are found by array
    arithmetic), documents in no order."""
    return _positions(project, "s.id", ids)


def positions_of_keys(project: Project, keys: Iterable[int]) -> Iterator[tuple[str, npt.NDArray[np.int64]]]:
    """:func:`positions_of` for segments named by row id (at a million segments, a filter's
    170,000 places in a quarter of a second rather than more than a second by id)."""
    return _positions(project, "s.rowid", (int(k) for k in keys))


def _positions(project: Project, column: str, values: Iterable[str | int]
               ) -> Iterator[tuple[str, npt.NDArray[np.int64]]]:
    """Per document, the positions of the segments whose ``column`` is one of ``values``."""
    found: dict[str, list[npt.NDArray[np.int64]]] = {}
    remaining = iter(values)
    while batch := list(itertools.islice(remaining, POSITIONS_BATCH)):
        for document, packed in project.execute(
                "SELECT s.document, group_concat(s.position) FROM json_each(?) j"
                f" JOIN segments s ON {column} = j.value GROUP BY s.document",
                (json.dumps(batch, ensure_ascii=False),)):
            found.setdefault(document, []).append(np.array(packed.split(","), dtype=np.int64))
    for document, parts in found.items():
        yield document, np.concatenate(parts)


def done_positions(project: Project, coder: str) -> Iterator[tuple[str, npt.NDArray[np.int64]]]:
    """Per document, the positions of the segments ``coder`` has done (a few rows, not a row per
    mark: a million marks are placed by array arithmetic, not one by one)."""
    for document, packed in project.execute(
            "SELECT s.document, group_concat(s.position) FROM done JOIN segments s ON s.id = done.segment"
            " WHERE done.coder = ? GROUP BY s.document", (coder,)):
        yield document, np.array(packed.split(","), dtype=np.int64)


def count_done(project: Project, coder: str, document: str | None = None) -> int:
    """How many segments (of ``document``) ``coder`` has done."""
    if document is None:
        return int(project.execute("SELECT count(*) FROM done WHERE coder = ?", (coder,)).fetchone()[0])
    return int(project.execute(  # the document's segments, each looked up in the done marks
        "SELECT count(*) FROM segments s WHERE s.document = ?"
        " AND EXISTS (SELECT 1 FROM done d WHERE d.coder = ? AND d.segment = s.id)",
        (document, coder)).fetchone()[0])

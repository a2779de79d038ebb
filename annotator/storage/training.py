"""What the suggestion engine learns from and counts: annotations and stored segment terms.

Plain rows, streamed; the engine (:mod:`annotator.nlp`) never opens the project itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import repeat

import numpy as np
import numpy.typing as npt

from annotator.storage.db import Project

#: Rows read at a time when streaming the stored terms.
CHUNK = 5000

#: Between the values SQLite joins for :func:`annotation_columns` (char(30)).
_RS = "\x1e"

TermsRow = tuple[str, str | None, str | None]
IntArray = npt.NDArray[np.int64]


def annotation_rows(project: Project, coder: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(coder, segment, code) of every annotation, or of ``coder``'s only."""
    if coder is None:
        yield from project.execute("SELECT coder, segment, code FROM annotations")
    else:
        yield from project.execute(
            "SELECT coder, segment, code FROM annotations WHERE coder = ?", (coder,))


def code_ids(project: Project) -> list[str]:
    """Every code's id (archived ones too), in the order :func:`annotation_columns` numbers them."""
    return [r[0] for r in project.execute("SELECT id FROM codes ORDER BY rowid")]


def annotation_columns(project: Project, codes: Sequence[str], coder: str | None = None
                       ) -> Iterator[tuple[str, npt.NDArray[np.str_], IntArray]]:
    """Every annotation (or ``coder``'s), a coder at a time, by segment: (coder, the segment of
    each, the number of each one's code in ``codes``; ``len(codes)`` for another). SQLite joins
    a coder's segments and codes into two strings, so no Python object is made per row read and
    no grouping is done in SQL: the rows come in the order of the (coder, segment, code) key,
    which is checked here (sorted if ever not)."""
    number = {code: i for i, code in reversed(list(enumerate(codes)))}
    for name in [coder] if coder is not None else _annotating_coders(project):
        segments, joined, count = project.execute(
            "SELECT group_concat(segment, char(30)), group_concat(code, char(30)), count(*)"
            " FROM annotations WHERE coder = ?", (name,)).fetchone()
        if not count:
            continue
        segs, their = segments.split(_RS), joined.split(_RS)
        if len(segs) != count or len(their) != count:  # an id or code holding U+001E: row by row
            rows = project.execute("SELECT segment, code FROM annotations WHERE coder = ?", (name,)).fetchall()
            segs, their = [r[0] for r in rows], [r[1] for r in rows]
        names = np.array(segs, dtype=np.str_)
        numbered = np.fromiter(map(number.get, their, repeat(len(codes))), dtype=np.int64, count=len(their))
        if bool((names[1:] < names[:-1]).any()):
            order = np.argsort(names, kind="stable")
            names, numbered = names[order], numbered[order]
        yield name, names, numbered


def _annotating_coders(project: Project) -> list[str]:
    """The coders with an annotation, in order: one step of the key's index each."""
    names: list[str] = []
    row = project.execute("SELECT min(coder) FROM annotations").fetchone()
    while row[0] is not None:
        names.append(row[0])
        row = project.execute("SELECT min(coder) FROM annotations WHERE coder > ?", (row[0],)).fetchone()
    return names


def segment_term_chunks(project: Project, chunk: int = CHUNK, document: str | None = None
                        ) -> Iterator[list[TermsRow]]:
    """(segment id, zh terms, en terms) of every segment (or of ``document``'s), ``chunk`` rows
    at a time (the terms as stored: space-separated, or None)."""
    where, params = ("", ()) if document is None else (" WHERE document = ?", (document,))
    cursor = project.execute(f"SELECT id, zh_terms, en_terms FROM segments{where}", params)
    while rows := cursor.fetchmany(chunk):
        yield [(r[0], r[1], r[2]) for r in rows]


def coded_term_chunks(project: Project, coder: str | None = None, chunk: int = CHUNK
                      ) -> Iterator[list[TermsRow]]:
    """(segment id, zh terms, en terms) of the segments with an annotation (by ``coder``, or
    by anyone), ``chunk`` rows at a time: what the engine learns from."""
    where = "" if coder is None else " WHERE coder = ?"
    cursor = project.execute(  # each coded segment looked up: the others' rows are not read
        "SELECT s.id, s.zh_terms, s.en_terms FROM"
        f" (SELECT DISTINCT segment FROM annotations{where}) a JOIN segments s ON s.id = a.segment",
        () if coder is None else (coder,))
    while rows := cursor.fetchmany(chunk):
        yield [(r[0], r[1], r[2]) for r in rows]


def term_columns(project: Project, document: str | None = None, chunk: int = CHUNK
                 ) -> Iterator[tuple[list[str | None], list[str | None]]]:
    """:func:`segment_term_chunks` as two lists per chunk: the zh terms and the en terms."""
    for rows in segment_term_chunks(project, chunk, document):
        yield [r[1] for r in rows], [r[2] for r in rows]


def segments_with_code(project: Project, code: str, coder: str | None = None) -> list[str]:
    """The segments ``code`` is applied to: by anyone (``coder=None``) or by ``coder``."""
    if coder is None:
        rows = project.execute("SELECT DISTINCT segment FROM annotations WHERE code = ?", (code,))
    else:
        rows = project.execute(
            "SELECT segment FROM annotations WHERE code = ? AND coder = ?", (code, coder))
    return [r[0] for r in rows]


def example_count(project: Project, coder: str | None = None) -> int:
    """How many examples (coded (coder, segment) pairs) there are, or ``coder``'s."""
    where, params = ("", ()) if coder is None else (" WHERE coder = ?", (coder,))
    return int(project.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM annotations{where} GROUP BY coder, segment)",
        params).fetchone()[0])


def recent_example_rows(project: Project, coder: str | None, limit: int) -> list[tuple[str, str, str]]:
    """(coder, segment, its codes joined by U+001F) of the ``limit`` examples coded last (by
    when their last code was written), by coder then segment (:func:`annotation_columns`' order)."""
    if coder is None:
        latest = project.execute(
            "SELECT DISTINCT coder, segment FROM (SELECT coder, segment FROM annotations"
            " ORDER BY rowid DESC) LIMIT ?", (limit,)).fetchall()
        rows = project.execute(
            "SELECT coder, segment, group_concat(code, char(31)) FROM annotations"
            " WHERE (coder, segment) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))"
            " GROUP BY coder, segment", (json.dumps([list(r) for r in latest]),))
    else:
        latest = project.execute(
            "SELECT DISTINCT segment FROM (SELECT segment FROM annotations WHERE coder = ?"
            " ORDER BY rowid DESC) LIMIT ?", (coder, limit)).fetchall()
        rows = project.execute(
            "SELECT coder, segment, group_concat(code, char(31)) FROM annotations"
            " WHERE coder = ? AND segment IN (SELECT value FROM json_each(?)) GROUP BY coder, segment",
            (coder, json.dumps([r[0] for r in latest])))
    return sorted(rows, key=lambda r: (r[0], r[1]))


def term_chunks_of(project: Project, segments: list[str], chunk: int = CHUNK) -> Iterator[list[TermsRow]]:
    """(segment id, zh terms, en terms) of ``segments`` (those that exist), ``chunk`` at a time."""
    for start in range(0, len(segments), chunk):
        part = json.dumps(segments[start : start + chunk])
        yield [(r[0], r[1], r[2]) for r in project.execute(
            "SELECT id, zh_terms, en_terms FROM segments WHERE id IN (SELECT value FROM json_each(?))",
            (part,))]

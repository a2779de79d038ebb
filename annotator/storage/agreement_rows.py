"""What ``agree`` reads: the coders' done marks and annotations as integer arrays, streamed.

Segments, coders and codes travel as row ids (integers), so no Python object is made per
annotation or done mark: rows are fetched in batches straight into numpy arrays. The scans are
the same as :func:`annotator.storage.coding.coder_states` (annotations, then done marks, joined
with the segments), so segments keep the order in which those scans first meet them; over the
whole project each coder's rows are read on their own (a range of the (coder, segment) key, in
the order of the coders' names: the order of one scan of every row).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.storage.db import Project

IntArray = npt.NDArray[np.int64]

_SEP = "\x1f"  # between segment ids joined by SQLite (char(31))

#: Above this many codes a code id is looked up per row instead of matched by a CASE.
_CASE_CODES = 64


def _packed(project: Project, value_sql: str, from_sql: str, params: Sequence[Any]) -> IntArray:
    """One integer per row of ``from_sql``, in scan order: SQLite joins them into one string
    (``group_concat``) that numpy parses, so no Python object is made per row."""
    text = project.execute(f"SELECT group_concat({value_sql}) {from_sql}", list(params)).fetchone()[0]
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(np.fromstring(text, dtype=np.int64, sep=","), dtype=np.int64)


def _index_case(column: str, names: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL giving ``names.index(column)``, ``len(names)`` for any other value."""
    if not names:
        return "0", []
    whens = " ".join("WHEN ? THEN ?" for _ in names)
    return f"CASE {column} {whens} ELSE {len(names)} END", [x for i, n in enumerate(names) for x in (n, i)]


def _code_ranks(project: Project) -> tuple[list[str], str, list[Any], IntArray | None]:
    """Every code (archived ones too) by rowid, the SQL giving an annotation's code and the
    rowids to rank its value by (None when the SQL gives the rank itself)."""
    rows = project.execute("SELECT rowid, id FROM codes ORDER BY rowid").fetchall()
    codes = [r[1] for r in rows]
    if len(codes) <= _CASE_CODES:
        sql, params = _index_case("a.code", codes)
        return codes, sql, params, None
    rowids = np.asarray([r[0] for r in rows], dtype=np.int64)
    return codes, "coalesce((SELECT rowid FROM codes WHERE id = a.code), 0)", [], rowids


def _doc_filter(document: str | None) -> tuple[str, list[Any]]:
    return (" AND s.document = ?", [document]) if document else ("", [])


def annotation_rows(
    project: Project, coders: Sequence[str], document: str | None = None
) -> tuple[IntArray, list[str]]:
    """(segment rowid, coder index, code index) per annotation as an (n x 3) array, in the order
    of the scan :func:`coding.coder_states` makes, and the codes indexed (every code of the
    codebook, archived ones too). A coder not in ``coders`` has index ``len(coders)``, a code
    not in the codebook index ``len(codes)``."""
    codes, code_sql, code_params, rowids = _code_ranks(project)
    span_code = len(codes) + 1 if rowids is None else int(rowids.max()) + 1
    if document is None:  # each coder's rows from the key's index, as the scan of every row meets them
        out = _per_coder(coders, 3, lambda name: np.divmod(_packed(
            project, f"s.rowid * {span_code} + ({code_sql})",
            "FROM annotations a JOIN segments s ON s.id = a.segment WHERE a.coder = ?", [*code_params, name]),
            span_code))
    else:
        where, params = _doc_filter(document)
        coder_sql, coder_params = _index_case("a.coder", coders)
        span_coder = span_code * (len(coders) + 1)
        packed = _packed(
            project, f"s.rowid * {span_coder} + ({coder_sql}) * {span_code} + ({code_sql})",
            f"FROM annotations a JOIN segments s ON s.id = a.segment WHERE 1{where}",
            [*coder_params, *code_params, *params],
        )
        out = np.empty((len(packed), 3), dtype=np.int64)
        out[:, 0], rest = np.divmod(packed, span_coder)
        out[:, 1], out[:, 2] = np.divmod(rest, span_code)
    if rowids is not None:  # code rowid -> its rank (an unknown code: len(codes))
        rank = np.searchsorted(rowids, out[:, 2])
        known = (rank < len(rowids)) & (rowids[np.minimum(rank, len(rowids) - 1)] == out[:, 2])
        out[:, 2] = np.where(known, rank, len(codes))
    return out, codes


def _per_coder(coders: Sequence[str], width: int,
               read: Callable[[str], Sequence[IntArray]]) -> IntArray:
    """Rows of ``width`` columns: (segment rowid, coder index, the rest) for each coder of
    ``coders`` in the order of their names, which is that of the (coder, segment) primary keys
    a scan of every row walks. ``read(name)`` gives the columns other than the coder's. A coder
    named twice counts as the first; other coders' rows, which the agreement leaves out, are not
    read. One query per coder, each a range of the key's index: no CASE over the coders per row."""
    first = {name: i for i, name in reversed(list(enumerate(coders)))}
    parts = []
    for name in sorted(first):
        segment, *rest = read(name)
        part = np.empty((len(segment), width), dtype=np.int64)
        part[:, 0], part[:, 1] = segment, first[name]
        for j, column in enumerate(rest, start=2):
            part[:, j] = column
        parts.append(part)
    return np.concatenate(parts) if parts else np.zeros((0, width), dtype=np.int64)


class Joined:
    """Strings joined by char(31), picked out by number without splitting them all."""

    def __init__(self, text: str) -> None:
        self.raw = text.encode()
        cuts = np.flatnonzero(np.frombuffer(self.raw, dtype=np.uint8) == ord(_SEP))
        self.starts = np.concatenate([[0], cuts + 1])
        self.ends = np.concatenate([cuts, [len(self.raw)]])

    def __len__(self) -> int:
        return len(self.starts) if self.raw else 0

    def pick(self, numbers: IntArray) -> list[str]:
        raw = self.raw
        return [raw[a:b].decode() for a, b in zip(self.starts[numbers].tolist(), self.ends[numbers].tolist(),
                                                  strict=True)]


class Listed(list[str]):
    def pick(self, numbers: IntArray) -> list[str]:
        return [self[i] for i in numbers.tolist()]


def done_rows(project: Project, coders: Sequence[str], document: str | None = None
              ) -> tuple[IntArray, Joined | Listed]:
    """(segment rowid, coder index) per done mark, in the order of :func:`coding.coder_states`
    (a coder not in ``coders`` has index ``len(coders)``), and the segment id of each."""
    if document is None:
        return _done_per_coder(project, coders)
    where, params = _doc_filter(document)
    coder_sql, coder_params = _index_case("d.coder", coders)
    span = len(coders) + 1
    row = project.execute(
        f"SELECT group_concat(s.rowid * {span} + ({coder_sql})), group_concat(d.segment, char(31)),"
        f" count(*) FROM done d JOIN segments s ON s.id = d.segment WHERE 1{where}",
        [*coder_params, *params],
    ).fetchone()
    packed = np.fromstring(row[0], dtype=np.int64, sep=",") if row[0] else np.zeros(0, dtype=np.int64)
    ids: Joined | Listed = Joined(row[1] or "")
    if len(ids) != row[2] or len(packed) != row[2]:  # an id holding the separator: read them one by one
        ids = Listed(r[0] for r in project.execute(
            f"SELECT d.segment FROM done d JOIN segments s ON s.id = d.segment WHERE 1{where}", params))
    out = np.empty((len(packed), 2), dtype=np.int64)
    out[:, 0], out[:, 1] = np.divmod(packed, span)
    return out, ids


def _done_per_coder(project: Project, coders: Sequence[str]) -> tuple[IntArray, Joined | Listed]:
    """:func:`done_rows` of the whole project, one coder at a time (see :func:`_per_coder`)."""
    texts: list[str] = []
    expected = 0

    def read(name: str) -> list[IntArray]:
        nonlocal expected
        packed, joined, count = project.execute(
            "SELECT group_concat(s.rowid), group_concat(d.segment, char(31)), count(*)"
            " FROM done d JOIN segments s ON s.id = d.segment WHERE d.coder = ?", (name,)).fetchone()
        if count:
            texts.append(joined)
            expected += count
        return [np.fromstring(packed, dtype=np.int64, sep=",") if packed else np.zeros(0, dtype=np.int64)]

    out = _per_coder(coders, 2, read)
    ids: Joined | Listed = Joined(_SEP.join(texts))
    if len(ids) != expected or len(out) != expected:  # an id holding the separator: one by one
        first = {name: i for i, name in reversed(list(enumerate(coders)))}
        ids = Listed(r[0] for name in sorted(first) for r in project.execute(
            "SELECT d.segment FROM done d JOIN segments s ON s.id = d.segment WHERE d.coder = ?", (name,)))
    return out, ids


def segment_documents(project: Project, segments: Sequence[str]) -> list[str | None]:
    """The document of each of ``segments`` (None for an id not in the project)."""
    found = {
        r[0]: r[1]
        for r in project.execute(
            "SELECT s.id, s.document FROM json_each(?) j JOIN segments s ON s.id = j.value",
            (json.dumps(list(segments), ensure_ascii=False),),
        )
    }
    return [found.get(s) for s in segments]


def segment_texts(project: Project, segments: Sequence[str]) -> dict[str, tuple[str, str]]:
    """segment id → (zh, en) for ``segments`` (ids not in the project are left out)."""
    return {
        r[0]: (r[1], r[2])
        for r in project.execute(
            "SELECT s.id, s.zh, s.en FROM json_each(?) j JOIN segments s ON s.id = j.value",
            (json.dumps(list(dict.fromkeys(segments)), ensure_ascii=False),),
        )
    }


def count_segments(project: Project, document: str | None = None) -> int:
    if document:
        return int(project.execute("SELECT count(*) FROM segments WHERE document = ?", (document,)).fetchone()[0])
    return int(project.execute("SELECT count(*) FROM segments").fetchone()[0])

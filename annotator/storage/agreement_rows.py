"""What agreement reads: the done marks with their codes, and the text of chosen segments.

Only the segments that at least two of the chosen coders finished are read (the others are not
units of any agreement statistic), one row per done mark, streamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from annotator.storage.db import Project

_SEP = "\x1f"  # between the codes of one done mark (a code id never holds a control character)


def _where(coders: Sequence[str] | None, document: str | None, alias: str) -> tuple[str, list[Any]]:
    sql, params = "", []
    if coders:
        sql += f" AND {alias}.coder IN ({', '.join('?' for _ in coders)})"
        params += list(coders)
    if document is not None:
        sql += f" AND {alias}.segment IN (SELECT id FROM segments WHERE document = ?)"
        params.append(document)
    return sql, params


def done_coders(project: Project, coders: Sequence[str] | None = None,
                document: str | None = None) -> list[str]:
    """The coders (of ``coders``, when given) with a done mark (in ``document``), sorted."""
    where, params = _where(coders, document, "d")
    return [r[0] for r in project.execute(
        f"SELECT DISTINCT d.coder FROM done d WHERE 1{where} ORDER BY d.coder", params)]


def iter_done_codes(project: Project, coders: Sequence[str] | None = None,
                    document: str | None = None, *, min_coders: int = 2
                    ) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(segment, coder, codes) per done mark of ``coders`` on the segments at least
    ``min_coders`` of them finished, ordered by segment id and coder."""
    where, params = _where(coders, document, "d")
    rows = project.execute(
        f"WITH units AS (SELECT d.segment FROM done d WHERE 1{where}"
        f"  GROUP BY d.segment HAVING count(*) >= ?)"
        f" SELECT d.segment, d.coder, (SELECT group_concat(a.code, char(31)) FROM annotations a"
        f"  WHERE a.coder = d.coder AND a.segment = d.segment)"
        f" FROM units u JOIN done d ON d.segment = u.segment WHERE 1{where}"
        f" ORDER BY d.segment, d.coder",
        [*params, min_coders, *params],
    )
    for seg, coder, codes in rows:
        yield seg, coder, tuple(codes.split(_SEP)) if codes else ()


def done_code_masks(project: Project, coders: Sequence[str], codes: Sequence[str],
                    document: str | None = None, *, min_coders: int = 2
                    ) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The same marks as :func:`iter_done_codes` as integers, for arrays: (the segment ids, in
    order; one (segment index, coder index, bit mask of ``codes``) per done mark). At most 62
    codes (bit ``i`` is ``codes[i]``); codes not listed are left out."""
    if len(codes) > 62:
        raise ValueError("at most 62 codes fit a bit mask")
    where, params = _where(coders, document, "d")
    coder_case = " ".join("WHEN ? THEN ?" for _ in coders)
    code_case = " ".join("WHEN ? THEN ?" for _ in codes) or "WHEN NULL THEN 0"
    coder_params = [x for i, c in enumerate(coders) for x in (c, i)]
    code_params = [x for i, c in enumerate(codes) for x in (c, 1 << i)]
    project.execute("DROP TABLE IF EXISTS temp.agreement_units")
    project.execute(
        f"CREATE TEMP TABLE agreement_units AS SELECT d.segment AS segment FROM done d WHERE 1{where}"
        " GROUP BY d.segment HAVING count(*) >= ? ORDER BY d.segment", [*params, min_coders])
    try:
        units = [r[0] for r in project.execute("SELECT segment FROM temp.agreement_units ORDER BY rowid")]
        marks = project.execute(
            f"SELECT u.rowid - 1, CASE d.coder {coder_case} END,"
            f" coalesce((SELECT sum(CASE a.code {code_case} ELSE 0 END) FROM annotations a"
            "  WHERE a.coder = d.coder AND a.segment = d.segment), 0)"
            f" FROM temp.agreement_units u JOIN done d ON d.segment = u.segment WHERE 1{where}",
            [*coder_params, *code_params, *params]).fetchall()
    finally:
        project.execute("DROP TABLE IF EXISTS temp.agreement_units")
    return units, marks


def segment_texts_of(project: Project, segments: Iterable[str]) -> dict[str, tuple[str, str]]:
    """segment id → (zh, en) for ``segments`` (ids not in the project are left out)."""
    out: dict[str, tuple[str, str]] = {}
    chunk: list[str] = []

    def flush() -> None:
        marks = ", ".join("?" for _ in chunk)
        for sid, zh, en in project.execute(f"SELECT id, zh, en FROM segments WHERE id IN ({marks})", chunk):
            out[sid] = (zh, en)
        chunk.clear()

    for sid in segments:
        chunk.append(sid)
        if len(chunk) >= 500:
            flush()
    if chunk:
        flush()
    return out

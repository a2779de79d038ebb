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

"""Counts of coders' work, aggregated in SQL (``annotator stats``): nothing is read row by row.

Foreign keys keep work on existing segments; ``annotator check`` reports any orphan."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.storage.db import Project


def coders_with_work(project: Project) -> list[str]:
    """Coders with a code, a done mark or a memo on some segment, sorted."""
    return [r[0] for r in project.execute(
        "SELECT coder FROM annotations UNION SELECT coder FROM done"
        " UNION SELECT coder FROM memos ORDER BY 1")]


def done_per_coder(project: Project) -> dict[str, int]:
    return {r[0]: int(r[1]) for r in project.execute(
        "SELECT coder, count(*) FROM done GROUP BY coder")}


def codes_per_coder(project: Project) -> dict[str, dict[str, int]]:
    """coder → code → how many segments the coder applied it to."""
    out: dict[str, dict[str, int]] = {}
    for coder, code, n in project.execute(
        "SELECT coder, code, count(*) FROM annotations GROUP BY coder, code"
    ):
        out.setdefault(coder, {})[code] = int(n)
    return out


def code_pairs(project: Project, rows: Sequence[str], cols: Sequence[str]) -> dict[tuple[str, str], int]:
    """(row code, column code) → how often one coder applied both on one segment."""
    if not rows or not cols:
        return {}
    r_marks, c_marks = ", ".join("?" for _ in rows), ", ".join("?" for _ in cols)
    return {(r[0], r[1]): int(r[2]) for r in project.execute(
        "SELECT a.code, b.code, count(*) FROM annotations a"
        " JOIN annotations b ON b.coder = a.coder AND b.segment = a.segment"
        f" WHERE a.code IN ({r_marks}) AND b.code IN ({c_marks})"
        " GROUP BY a.code, b.code", [*rows, *cols])}

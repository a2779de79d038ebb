"""Counts of coders' work, aggregated in SQL (``annotator stats``): nothing is read row by row.

Foreign keys keep work on existing segments; ``annotator check`` reports any orphan."""

from __future__ import annotations

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


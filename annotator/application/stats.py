"""``annotator stats``: segments per document, work per coder, a dimension × burden table."""

from __future__ import annotations

from annotator.model import Codebook, Facet
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project
from annotator.storage.documents import list_documents, segment_counts
from annotator.storage.work_counts import code_pairs, coders_with_work, codes_per_coder, done_per_coder

STATS_CODES = 10
"""``annotator stats`` lists each coder's most used codes, this many at most."""

def project_stats(project: Project) -> list[str]:
    """Lines of text: segments per document, work per coder, a dimension × burden table.
    Every figure is a count made by SQL in one read snapshot."""
    with project.snapshot():
        codebook = load_codebook(project)
        lines = ["Documents"]
        counts = segment_counts(project)
        for doc in list_documents(project):
            lines.append(f"  {doc.id:<24} {counts.get(doc.id, 0):>6} segments")
        total = sum(counts.values())
        lines.append(f"  {'total':<24} {total:>6} segments")
        lines += _coder_lines(codebook, project, total)
        single = [f for f in codebook.facets if not f.multiple]
        multi = [f for f in codebook.facets if f.multiple]
        if single and multi:
            table = code_pairs(project, [c.id for c in single[0].codes], [c.id for c in multi[0].codes])
            lines += _cross_table(single[0], multi[0], table)
    return lines


def _coder_lines(codebook: Codebook, project: Project, total: int) -> list[str]:
    done = done_per_coder(project)
    per_coder = codes_per_coder(project)
    lines = ["", "Coders"]
    order = {code.id: i for i, code in enumerate(codebook.codes)}
    for coder in coders_with_work(project):
        c = per_coder.get(coder, {})
        common = sorted(c.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))
        codes = ", ".join(f"{k} {v}" for k, v in common[:STATS_CODES])
        if len(common) > STATS_CODES:
            codes += f", ... ({len(common) - STATS_CODES} more codes)"
        lines.append(f"  {coder:<16} {done.get(coder, 0):>5}/{total} done   {codes}")
    return lines


def _cross_table(rows: Facet, cols: Facet, table: dict[tuple[str, str], int]) -> list[str]:
    lines = ["", f"{rows.id} × {cols.id} (annotations of all coders)"]
    width = max(len(c.id) for c in rows.codes) + 2
    lines.append(" " * width + " ".join(f"{c.id[:8]:>8}" for c in cols.codes))
    for row_code in rows.codes:
        lines.append(f"{row_code.id:<{width}}"
                     + " ".join(f"{table.get((row_code.id, col.id), 0):>8}" for col in cols.codes))
    return lines

"""``annotator stats``: segments per document, work per coder, one coder's dimension × burden table."""

from __future__ import annotations

from annotator.application.coding import check_coder
from annotator.application.findings import stats_table_lines
from annotator.model import Codebook
from annotator.plural import noun
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project
from annotator.storage.documents import list_documents, segment_counts
from annotator.storage.work_counts import coders_with_work, codes_per_coder, done_per_coder

STATS_CODES = 10
"""``annotator stats`` lists each coder's most used codes, this many at most."""


def project_stats(project: Project, coder: str | None = None) -> list[str]:
    """Lines of text: segments per document, work per coder (counted by SQL), one coder's
    dimension × burden table (``coder``, else ``consensus``, else the only coder with codes),
    all read in one snapshot."""
    with project.snapshot():
        check_coder(project, coder)  # before the counts, seconds on a million segments
        codebook = load_codebook(project)
        lines = ["Documents"]
        counts = segment_counts(project)
        for doc in list_documents(project):
            n = counts.get(doc.id, 0)
            lines.append(f"  {doc.id:<24} {n:>6} {noun(n, 'segment')}")
        total = sum(counts.values())
        lines.append(f"  {'total':<24} {total:>6} {noun(total, 'segment')}")
        lines += _coder_lines(codebook, project, total)
        lines += stats_table_lines(project, coder)  # one coder's work, never summed over coders
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

"""``annotator stats``: segments per document, work per coder, a dimension × burden table."""

from __future__ import annotations

from collections import Counter

from annotator.model import Codebook, CoderState, Facet
from annotator.plural import noun
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import coder_states
from annotator.storage.db import Project
from annotator.storage.documents import list_documents, segment_counts

STATS_CODES = 10
"""``annotator stats`` lists each coder's most used codes, this many at most."""

States = dict[str, dict[str, CoderState]]


def project_stats(project: Project) -> list[str]:
    """Lines of text: segments per document, work per coder, a dimension × burden table."""
    codebook = load_codebook(project)
    lines = ["Documents"]
    counts = segment_counts(project)
    for doc in list_documents(project):
        n = counts.get(doc.id, 0)
        lines.append(f"  {doc.id:<24} {n:>6} {noun(n, 'segment')}")
    total = sum(counts.values())
    lines.append(f"  {'total':<24} {total:>6} {noun(total, 'segment')}")
    states = coder_states(project)
    lines += _coder_lines(codebook, states, total)
    single = [f for f in codebook.facets if not f.multiple]
    multi = [f for f in codebook.facets if f.multiple]
    if single and multi:
        lines += _cross_table(single[0], multi[0], states)
    return lines


def _coder_lines(codebook: Codebook, states: States, total: int) -> list[str]:
    per_coder: dict[str, Counter[str]] = {}
    done: Counter[str] = Counter()
    for per in states.values():
        for coder, st in per.items():
            c = per_coder.setdefault(coder, Counter())
            done[coder] += st.done
            for code in st.codes:
                c[code] += 1
    lines = ["", "Coders"]
    order = {code.id: i for i, code in enumerate(codebook.codes)}
    for coder, c in sorted(per_coder.items()):
        common = sorted(c.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))
        codes = ", ".join(f"{k} {v}" for k, v in common[:STATS_CODES])
        if len(common) > STATS_CODES:
            codes += f", ... ({len(common) - STATS_CODES} more codes)"
        lines.append(f"  {coder:<16} {done[coder]:>5}/{total} done   {codes}")
    return lines


def _cross_table(rows: Facet, cols: Facet, states: States) -> list[str]:
    lines = ["", f"{rows.id} × {cols.id} (annotations of all coders)"]
    table: Counter[tuple[str, str]] = Counter()
    row_ids = {x.id for x in rows.codes}
    col_ids = {x.id for x in cols.codes}
    for per in states.values():
        for st in per.values():
            for r_code in st.codes & row_ids:
                for c_code in st.codes & col_ids:
                    table[(r_code, c_code)] += 1
    width = max(len(c.id) for c in rows.codes) + 2
    lines.append(" " * width + " ".join(f"{c.id[:8]:>8}" for c in cols.codes))
    for row_code in rows.codes:
        lines.append(f"{row_code.id:<{width}}"
                     + " ".join(f"{table[(row_code.id, col.id)]:>8}" for col in cols.codes))
    return lines

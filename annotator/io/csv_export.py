"""Coded segments as CSV for spreadsheets, R and pandas.

Wide (default): one row per segment and coder — document, segment, position, speaker, start,
end, zh, en, coder, done, one column per facet holding its code ids joined by ``"; "``, memo,
then one column per document attribute.
Every segment appears once per chosen coder (``done`` says whether that coder finished it), so
the table is rectangular. Long (``long=True``): one row per annotation, with the code's facet and
labels. The text is written as it is (R and pandas read it unchanged); ``excel=True`` is for a
spreadsheet: a UTF-8 BOM, and text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return get a leading ``'`` so the spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.errors import UsageError
from annotator.io.interchange import atomic_output
from annotator.model import CoderState
from annotator.storage.db import Project

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell (text starting like a formula gets a ``'``)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def _as_written(value: Any) -> Any:
    return value


def _coders(project: Project, coders: Iterable[str] | None) -> list[str]:
    from annotator.storage.coding import list_coders

    known = list_coders(project)
    if not coders:
        return known
    wanted = list(dict.fromkeys(coders))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        raise UsageError(f"no coder {', '.join(map(repr, unknown))} in the project"
                         f" (coders: {', '.join(known) or 'none'})")
    return wanted


def export_csv(project: Project, out: Path, *, coders: Iterable[str] | None = None,
               long: bool = False, excel: bool = False, codes_as_columns: bool = False) -> int:
    """Write the CSV; the number of data rows."""
    if codes_as_columns:
        raise UsageError("--codes-as-columns goes with the wide layout, not --long")
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import coder_states
    from annotator.storage.documents import iter_segments

    chosen = _coders(project, coders)
    codebook = load_codebook(project, include_archived=True)
    order = {c.id: i for i, c in enumerate(codebook.codes)}
    by_id = {c.id: c for c in codebook.codes}
    states = coder_states(project, chosen)
    created = {(r[0], r[1], r[2]): r[3] for r in project.execute(
        "SELECT coder, segment, code, created_at FROM annotations")} if long else {}
    facets = [f.id for f in codebook.facets]
    from annotator.storage.attributes import document_attributes

    attributes = document_attributes(project)
    attr_names = list(dict.fromkeys(k for a in attributes.values() for k in a))
    n = 0
    safe = neutralise if excel else _as_written
    with atomic_output(out, encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        w = csv.writer(f)
        if long:
            w.writerow(["document", "segment", "position", "speaker", "zh", "en", "coder", "facet",
                        "code", "label_zh", "label_en", "created_at"])
        else:
            fixed = ["document", "segment", "position", "speaker", "start", "end", "zh", "en",
                     "coder", "done"]
            # a facet named like a fixed column ('speaker', 'coder', 'memo') gets 'facet_' before
            # its id: duplicate headers make csv.DictReader and pandas drop or rename a column
            header = [*fixed, *[f"facet_{fid}" if fid in (*fixed, "memo") else fid
                                 for fid in facets], "memo"]
            # then the document attributes (respondent, role, ...), named apart from the above
            w.writerow([*header, *[f"attr_{k}" if k in header else k for k in attr_names]])
        for seg in iter_segments(project):
            head = [seg.document, seg.id, seg.position, seg.speaker or ""]
            per = states.get(seg.id, {})
            if long:
                for coder in chosen:
                    st = per.get(coder)
                    for code in sorted(st.codes if st else (), key=lambda c: order.get(c, 1 << 30)):
                        c = by_id.get(code)
                        w.writerow([safe(v) for v in [
                            *head, seg.zh, seg.en, coder, c.facet if c else "", code,
                            c.label.zh if c else "", c.label.en if c else "",
                            created.get((coder, seg.id, code), "")]])
                        n += 1
                continue
            for coder in chosen or [""]:
                st = per.get(coder, CoderState())
                cells = {fid: [] for fid in facets}  # type: dict[str, list[str]]
                for code in sorted(st.codes, key=lambda c: order.get(c, 1 << 30)):
                    c = by_id.get(code)
                    cells.setdefault(c.facet if c else "?", []).append(code)
                w.writerow([safe(v) for v in [
                    *head, "" if seg.start is None else seg.start, "" if seg.end is None else seg.end,
                    seg.zh, seg.en, coder, int(st.done) if coder else "",
                    *["; ".join(cells[fid]) for fid in facets], st.memo,
                    *[str(attributes[seg.document].get(k, "")) for k in attr_names]]])
                n += 1
    return n

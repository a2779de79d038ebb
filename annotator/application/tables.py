"""Coded data as tables for spreadsheets, R, SPSS and pandas: rows fetched from storage for the
exporters in ``annotator.io`` (which never open a project).

The segment table has one row per segment and chosen coder: the segment's place and text, the
coder, whether the coder finished it, one column per facet holding its codes, one 0/1 column
per code, one column per document attribute, and the coder's memo.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.application.exporting import chosen_coders
from annotator.storage.db import Project

FIXED = ["document", "segment", "position", "speaker", "start", "end", "zh", "en", "coder", "done"]


def unique_names(names: Iterable[str], taken: set[str], prefix: str) -> list[str]:
    """``names`` as column names: one already taken gets ``prefix`` before it (then a number)."""
    out = []
    for name in names:
        candidate = name if name not in taken else f"{prefix}{name}"
        k = 2
        while candidate in taken:
            candidate, k = f"{prefix}{name}_{k}", k + 1
        taken.add(candidate)
        out.append(candidate)
    return out


@dataclass
class SegmentTable:
    header: list[str]
    rows: Iterator[list[Any]]
    facets: list[str]
    codes: list[str]
    attributes: list[str]


def segment_table(project: Project, coders: Iterable[str] | None = None) -> SegmentTable:
    """The segment × coder table (see the module docstring); rows are produced lazily."""
    from annotator.storage.attributes import document_attributes
    from annotator.storage.codebook_store import load_codebook

    chosen = chosen_coders(project, coders)
    codebook = load_codebook(project)
    facets = [f.id for f in codebook.facets]
    codes = [c.id for c in codebook.codes]
    attributes = document_attributes(project)
    names = list(dict.fromkeys(k for a in attributes.values() for k in a))
    taken = set(FIXED) | {"memo"}
    facet_cols = unique_names(facets, taken, "facet_")
    code_cols = unique_names(codes, taken, "code_")
    attr_cols = unique_names(names, taken, "attr_")
    header = [*FIXED, *facet_cols, *code_cols, *attr_cols, "memo"]
    rows = _segment_rows(project, chosen, codebook, names, attributes)
    return SegmentTable(header, rows, facet_cols, code_cols, attr_cols)


def _segment_rows(project: Project, chosen: list[str], codebook: Any, names: list[str],
                  attributes: dict[str, dict[str, Any]]) -> Iterator[list[Any]]:
    """Streamed: one document's segments and work in memory at a time."""
    from annotator.storage.document_work import segments_with_work

    codes = [c.id for c in codebook.codes]
    by_facet = [[c.id for c in f.codes] for f in codebook.facets]
    untouched = [*["" for _ in by_facet], *[0 for _ in codes]]
    document, attrs = None, []
    for seg, per, _ in segments_with_work(project, chosen or None):
        if seg.document != document:
            document = seg.document
            attrs = [_plain(attributes.get(document, {}).get(k)) for k in names]
        for coder in chosen or [""]:
            st = per.get(coder)
            if st is None:
                work, done, memo = untouched, 0, ""
            else:
                work = [*["; ".join(c for c in fc if c in st.codes) for fc in by_facet],
                        *[int(c in st.codes) for c in codes]]
                done, memo = int(st.done), st.memo
            yield [seg.document, seg.id, seg.position, seg.speaker or "", seg.start, seg.end,
                   seg.zh, seg.en, coder, done if coder else "", *work, *attrs, memo]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float):
        return "" if value is None else value
    return str(value)


CODEBOOK_HEADER = ["facet", "facet_multiple", "code", "key", "label_zh", "label_en",
                   "definition_zh", "definition_en", "when_to_use_zh", "when_to_use_en",
                   "when_not_to_use_zh", "when_not_to_use_en", "archived"]


def codebook_rows(project: Project) -> list[list[Any]]:
    from annotator.storage.codebook_store import load_codebook

    live = {c.id for c in load_codebook(project).codes}
    rows = []
    for facet in load_codebook(project, include_archived=True).facets:
        for c in facet.codes:
            rows.append([facet.id, int(facet.multiple), c.id, c.key or "", c.label.zh, c.label.en,
                         c.definition.zh, c.definition.en, c.when_to_use.zh, c.when_to_use.en,
                         c.when_not_to_use.zh, c.when_not_to_use.en, int(c.id not in live)])
    return rows


def export_table_csv(project: Project, out: Path, coders: Iterable[str] | None = None, *,
                     excel: bool = False) -> tuple[int, int]:
    """The segment table as CSV; (data rows, code columns)."""
    from annotator.io.table_csv import write_table_csv

    table = segment_table(project, coders)
    return write_table_csv(out, table.header, table.rows, excel=excel), len(table.codes)


MEMO_HEADER = ["kind", "target", "document", "coder", "text", "updated_at"]


def export_xlsx(project: Project, out: Path, coders: Iterable[str] | None = None) -> list[int]:
    """A workbook of three sheets: segments (× coder), codebook, memos; rows of each."""
    from annotator.io.xlsx_export import Sheet, write_xlsx
    from annotator.storage.memos import all_memos

    table = segment_table(project, coders)
    chosen = set(chosen_coders(project, coders))
    memos = [[m[k] if m[k] is not None else "" for k in MEMO_HEADER] for m in all_memos(project)
             if m["coder"] in chosen]
    widths = {c: max(4, min(len(c) + 2, 20)) for c in table.codes}
    return write_xlsx(out, [
        Sheet("segments", table.header, table.rows, wrap={"zh", "en", "memo"},
              widths={"segment": 16, "document": 14, **widths}),
        Sheet("codebook", CODEBOOK_HEADER, codebook_rows(project),
              wrap={h for h in CODEBOOK_HEADER if h.startswith(("definition", "when_"))}),
        Sheet("memos", MEMO_HEADER, memos, wrap={"text"}),
    ])


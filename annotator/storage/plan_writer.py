"""Writing an ``ImportPlan``: codebook, documents, tokenised segments, coders' work; one transaction."""

from __future__ import annotations

from annotator.model import CoderState, ImportPlan
from annotator.storage.codebook_store import save_codebook
from annotator.storage.coding import get_state, set_state
from annotator.storage.db import Project
from annotator.storage.importing import insert_document, insert_segments, log_import
from annotator.storage.memos import add_notes
from annotator.storage.provenance import set_work_dates
from annotator.storage.spans import add_spans


def write_import_plan(project: Project, plan: ImportPlan) -> None:
    """Write everything ``plan`` holds, or nothing. Imported work is added to what each coder
    already has on the segment (codes joined, memo appended) and the segment is marked done."""
    with project.write():
        if plan.codebook is not None:
            save_codebook(project, plan.codebook)
        for doc in plan.documents:
            insert_document(project, doc.id, doc.title, doc.attributes, plan.source)
        insert_segments(project, plan.segments, plan.terms)
        for (coder, sid), work in sorted(plan.work.items()):
            before = get_state(project, coder, sid)
            memo = "\n\n".join(m for m in (before.memo, work.memo) if m)
            state = CoderState(frozenset(before.codes | work.codes), work.done or before.done, memo)
            set_state(project, coder, sid, state, action="import", detail={"file": plan.source})
        set_work_dates(project, plan.dates)
        add_spans(project, plan.spans)
        add_notes(project, plan.notes, {"file": plan.source})
        log_import(project, plan.event)

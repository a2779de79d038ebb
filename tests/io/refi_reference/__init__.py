"""The ``.qdpx`` export as it was first written (element by element, one document's work read
into objects), kept unchanged as the reference the faster export must equal byte for byte."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from annotator.application.exporting import chosen_coders
from annotator.io.refi_export import project_namespace
from annotator.model import TargetNote
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project
from annotator.storage.document_work import document_segments
from annotator.storage.documents import list_documents
from annotator.storage.memos import all_memos
from annotator.storage.project_meta import get_meta
from tests.io.refi_reference.detail import document_detail, document_languages
from tests.io.refi_reference.project import QdpxContent, QdpxStats, write_qdpx


def reference_export(project: Project, out: Path, *, coders: Iterable[str] | None = None,
                     lang: str = "both") -> QdpxStats:
    """What ``annotator export --format qdpx`` wrote before it was made faster."""
    wanted = chosen_coders(project, coders)
    with project.snapshot():
        notes = [TargetNote(m["kind"], m["target"], m["coder"], m["text"]) for m in all_memos(project)
                 if m["kind"] in ("document", "code") and m["coder"] in wanted]
        content = QdpxContent(
            name=project.path.stem,
            namespace=project_namespace(get_meta(project, "created_at") or project.path.stem),
            codebook=load_codebook(project), documents=list_documents(project),
            segments_of=lambda doc: document_segments(project, doc),
            work_of=lambda doc: document_detail(project, doc, wanted),
            languages_of=lambda doc: document_languages(project, doc), coders=wanted,
            created=get_meta(project, "created_at"), target_notes=notes)
        return write_qdpx(out, content, lang=lang)

"""``annotator export``: fetch what an export needs from the project and hand it to a writer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.errors import UsageError
from annotator.io.csv_export import write_csv
from annotator.io.jsonl_export import export_header, write_jsonl
from annotator.io.refi_export import QdpxContent, QdpxStats, project_namespace, write_qdc, write_qdpx
from annotator.io.spacy_export import write_spacy
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import coder_states, list_coders
from annotator.storage.db import Project, now
from annotator.storage.document_work import (
    document_languages,
    document_segments,
    document_work,
    segments_with_work,
)
from annotator.storage.documents import iter_segments, list_documents
from annotator.storage.migrations import SCHEMA_VERSION
from annotator.storage.project_meta import get_meta
from annotator.storage.table_dump import TABLES, count_rows, iter_table_rows


def chosen_coders(project: Project, coders: Iterable[str] | None) -> list[str]:
    """``coders`` in the order given (every coder of the project when none); unknown ones refused."""
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
               long: bool = False, excel: bool = False) -> int:
    """Write the coded segments as CSV, streamed one document at a time; the number of data rows."""
    chosen = chosen_coders(project, coders)
    with project.snapshot():
        return write_csv(out, load_codebook(project, include_archived=True),
                         segments_with_work(project, chosen, created=long), chosen, long=long, excel=excel)


def export_jsonl(project: Project, out: Path, *, coders: Iterable[str] | None = None) -> dict[str, int]:
    """Write the project (only ``coders``' work when given) to ``out``; rows per table."""
    wanted = set(coders) if coders else None
    if wanted:
        known = list_coders(project)
        unknown = sorted(wanted - set(known))
        if unknown:
            raise UsageError(f"no coder {', '.join(map(repr, unknown))} in the project"
                             f" (coders: {', '.join(known) or 'none'})")
    counts = count_rows(project, wanted)
    header = export_header(SCHEMA_VERSION, now(), project.path.stem, counts)
    write_jsonl(out, header, ((t, iter_table_rows(project, t, wanted)) for t in TABLES))
    return counts


def _namespace(project: Project) -> Any:
    return project_namespace(get_meta(project, "created_at") or project.path.stem)


def export_qdc(project: Project, out: Path) -> int:
    """Write the codebook as REFI-QDA ``.qdc``; the number of codes."""
    return write_qdc(out, load_codebook(project), _namespace(project))


def export_qdpx(project: Project, out: Path, *, coders: Iterable[str] | None = None,
                lang: str = "zh") -> QdpxStats:
    """Write the project as a REFI-QDA ``.qdpx``."""
    if lang not in ("zh", "en"):
        raise UsageError(f"--lang must be zh or en, not {lang!r}")
    wanted = chosen_coders(project, coders)
    with project.snapshot():
        return write_qdpx(out, _qdpx_content(project, wanted), lang=lang)


def _qdpx_content(project: Project, wanted: list[str]) -> QdpxContent:
    return QdpxContent(
        name=project.path.stem, namespace=_namespace(project), codebook=load_codebook(project),
        documents=list_documents(project), segments_of=lambda doc: document_segments(project, doc),
        work_of=lambda doc: document_work(project, doc, wanted), coders=wanted,
        languages=document_languages(project))


def _spacy_pipeline(lang: str) -> Any:
    import spacy  # spaCy only when exporting to it

    if lang == "zh":
        from annotator.nlp.tokenize import load

        load(["zh"])  # jieba initialised quietly, with its cache in annotator's data folder
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return spacy.blank("en")


def export_spacy(project: Project, out: Path, *, coder: str | None = None,
                 lang: str = "zh") -> tuple[int, Path]:
    """Write ``out`` (.spacy) and ``out`` + ".jsonl"; (number of docs, jsonl path)."""
    if lang not in ("zh", "en"):
        raise UsageError(f"--lang must be zh or en, not {lang!r}")
    known = list_coders(project)
    if coder is None:
        if len(known) != 1:
            raise UsageError("name the coder whose codes to export with --coder NAME"
                             f" (coders: {', '.join(known) or 'none'})")
        coder = known[0]
    if coder not in known:
        raise UsageError(f"no coder {coder!r} in the project (coders: {', '.join(known) or 'none'})")
    nlp = _spacy_pipeline(lang)
    codes = [c.id for c in load_codebook(project).codes]
    return write_spacy(out, nlp, codes, iter_segments(project), coder_states(project, [coder]),
                       coder, lang)

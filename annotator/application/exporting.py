"""``annotator export``: fetch what an export needs from the project and hand it to a writer."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from annotator.errors import UsageError
from annotator.io.csv_export import write_csv
from annotator.io.jsonl_export import export_header, write_jsonl
from annotator.io.refi_export import project_namespace, write_qdc
from annotator.io.refi_project import QdpxContent, QdpxStats, write_qdpx
from annotator.io.spacy_export import Labels, SpacyStats, write_spacy
from annotator.model import TargetNote
from annotator.special_files import is_special
from annotator.storage.attributes import document_attributes
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import list_coders
from annotator.storage.db import Project, now
from annotator.storage.document_detail import document_languages, document_rows
from annotator.storage.document_work import segments_with_work
from annotator.storage.documents import iter_done_segments, list_documents
from annotator.storage.memos import all_memos
from annotator.storage.migrations import SCHEMA_VERSION
from annotator.storage.project_meta import get_meta
from annotator.storage.read_ahead import read_ahead
from annotator.storage.table_dump import TABLES, count_rows, table_values


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
               long: bool = False, excel: bool = False, codes_as_columns: bool = False) -> int:
    """Write the coded segments as CSV, streamed one document at a time; the number of data
    rows. (``codes_as_columns`` is the segment table of :mod:`annotator.application.tables`,
    refused here with ``long``.)"""
    if codes_as_columns:
        raise UsageError("--codes-as-columns goes with the wide layout, not --long")
    chosen = chosen_coders(project, coders)
    with project.snapshot():
        return write_csv(out, load_codebook(project, include_archived=True),
                         segments_with_work(project, chosen, created=long), chosen,
                         attributes=None if long else document_attributes(project), long=long, excel=excel)


def export_jsonl(project: Project, out: Path, *, coders: Iterable[str] | None = None) -> dict[str, int]:
    """Write the project (only ``coders``' work when given) to ``out``; rows per table."""
    wanted = set(coders) if coders else None
    if wanted:
        known = list_coders(project)
        unknown = sorted(wanted - set(known))
        if unknown:
            raise UsageError(f"no coder {', '.join(map(repr, unknown))} in the project"
                             f" (coders: {', '.join(known) or 'none'})")
    with project.snapshot():  # one consistent state while coders write
        counts = count_rows(project, wanted)
        header = export_header(SCHEMA_VERSION, now(), project.path.stem, counts)
        write_jsonl(out, header, ((t, *table_values(project, t, wanted)) for t in TABLES))
    return counts


def _namespace(project: Project) -> Any:
    return project_namespace(get_meta(project, "created_at") or project.path.stem)


def export_qdc(project: Project, out: Path) -> int:
    """Write the codebook as REFI-QDA ``.qdc``; the number of codes."""
    return write_qdc(out, load_codebook(project), _namespace(project))


def export_qdpx(project: Project, out: Path, *, coders: Iterable[str] | None = None,
                lang: str = "both") -> QdpxStats:
    """Write the project as a REFI-QDA ``.qdpx``, selections on the ``lang`` sources (zh, en or
    both)."""
    if lang not in ("zh", "en", "both"):
        raise UsageError(f"--lang must be zh, en or both, not {lang!r}")
    with project.snapshot():  # one consistent state while coders write
        wanted = chosen_coders(project, coders)
        every = set(wanted) == set(list_coders(project))
        notes = [TargetNote(m["kind"], m["target"], m["coder"], m["text"]) for m in all_memos(project)
                 if m["kind"] in ("document", "code") and m["coder"] in wanted]
        documents = list_documents(project)
        rows = read_ahead([d.id for d in documents], lambda doc: document_rows(project, doc, wanted, every))
        with closing(rows):
            content = QdpxContent(
                name=project.path.stem, namespace=_namespace(project), codebook=load_codebook(project),
                documents=documents, rows=rows, languages_of=lambda doc: document_languages(project, doc),
                coders=wanted, created=get_meta(project, "created_at"), target_notes=notes)
            return write_qdpx(out, content, lang=lang)


def _spacy_pipeline(lang: str) -> Any:
    import spacy  # spaCy only when exporting to it

    if lang == "zh":
        from annotator.nlp.tokenize import load

        load(["zh"])  # jieba initialised quietly, with its cache in annotator's data folder
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return spacy.blank("en")


def _labels(project: Project, facet: str | None) -> Labels:
    codebook = load_codebook(project)
    if facet is None:
        return Labels(tuple(c.id for c in codebook.codes))
    chosen = codebook.facet(facet)
    if chosen is None:
        raise UsageError(f"no facet {facet!r} in the codebook (facets:"
                         f" {', '.join(f.id for f in codebook.facets) or 'none'})")
    return Labels(tuple(c.id for c in chosen.codes), exclusive=not chosen.multiple)


def export_spacy(project: Project, out: Path, *, coder: str | None = None, lang: str = "zh",
                 facet: str | None = None, ready: Callable[[], None] | None = None) -> SpacyStats:
    """Write ``out`` (.spacy) and ``out`` + ".jsonl" with the codes of ``facet`` (every code when
    None) as ``doc.cats``, in ``lang`` (zh, en or both). ``ready`` is called once the choices
    are checked, before the word segmenters are loaded (seconds: a front end says so then)."""
    if lang not in ("zh", "en", "both"):
        raise UsageError(f"--lang must be zh, en or both, not {lang!r}")
    if is_special(out):  # its companion <out>.jsonl would be made beside a device
        raise UsageError("a spacy export writes two files (OUT and OUT.jsonl); name a regular"
                         " file, not a device or FIFO", path=out)
    known = list_coders(project)
    if coder is None:
        if len(known) != 1:
            raise UsageError("name the coder whose codes to export with --coder NAME"
                             f" (coders: {', '.join(known) or 'none'})")
        coder = known[0]
    if coder not in known:
        raise UsageError(f"no coder {coder!r} in the project (coders: {', '.join(known) or 'none'})")
    labels = _labels(project, facet)
    langs = ("zh", "en") if lang == "both" else (lang,)
    if ready is not None:
        ready()
    pipelines = {lg: _spacy_pipeline(lg) for lg in langs}
    return write_spacy(out, pipelines, labels, iter_done_segments(project, coder), coder)

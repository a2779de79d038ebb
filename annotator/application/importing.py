"""``annotator import``: transcripts, a REFI-QDA project or an annotator JSONL export."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.application.corpus_counts import ImportCounts
from annotator.application.projects import new_project
from annotator.application.transcripts import import_transcripts, segment_terms
from annotator.errors import ImportFormatError, ProjectError, UsageError
from annotator.io.jsonl_restore import Row, check_counts, checked_header, is_project_export, iter_rows
from annotator.io.refi_import import ImportTarget, plan_qdpx, read_qdpx
from annotator.io.restore_checks import codebook_problem_in
from annotator.io.taguette_highlights import is_taguette_highlights, plan_highlights, read_highlights
from annotator.model import ImportSummary, Segment, SegmentTerms
from annotator.plural import plural
from annotator.safe_text import terminal_stream
from annotator.storage.checkpoint import checkpoint_after
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project, open_project
from annotator.storage.documents import (
    document_ids,
    has_documents,
    iter_segments,
    list_documents,
    segment_texts,
)
from annotator.storage.migrations import SCHEMA_VERSION
from annotator.storage.plan_writer import write_import_plan
from annotator.storage.table_dump import restore_rows, table_columns

#: Restored segments counted at a time.
COUNT_BATCH = 5000


def import_qdpx(project: Project, path: Path, *, mapping: Path | None = None,
                mark_done: bool = True) -> ImportSummary:
    """Import a REFI-QDA project into ``project``; a summary of what came in and what did not."""
    refi = read_qdpx(path)
    target = ImportTarget(
        codebook=load_codebook(project),
        every_code=load_codebook(project, include_archived=True),
        document_ids=document_ids(project),
        stored_texts=lambda doc: [(zh, en) for _sid, zh, en in segment_texts(project, doc)],
    )
    plan = plan_qdpx(refi, target, mapping, mark_done=mark_done)
    plan.terms = segment_terms({s.id: (s.zh, s.en) for s in plan.segments})
    with project.write():
        counts = ImportCounts(project)  # the new segments' terms, as a transcript import keeps them
        write_import_plan(project, plan)
        terms = [plan.terms.get(s.id, SegmentTerms()) for s in plan.segments]
        counts.written([t.zh_terms for t in terms], [t.en_terms for t in terms])
        counts.finish()
    return plan.summary


def import_taguette_highlights(project: Project, path: Path, *, coder: str | None) -> ImportSummary:
    """Taguette's highlights CSV as ``coder``'s (default ``taguette``) coded segments."""
    documents: dict[str, list[Segment]] = {}
    for seg in iter_segments(project):
        documents.setdefault(seg.document, []).append(seg)
    titles = {d.title: d.id for d in list_documents(project) if d.title}
    plan = plan_highlights(path, read_highlights(path), documents, titles, load_codebook(project),
                           (coder or "taguette").strip() or "taguette")
    write_import_plan(project, plan)
    return plan.summary


def restore_jsonl(project: Project, path: Path) -> ImportSummary:
    """Restore an export into ``project``, which must hold no documents; all or nothing.

    The export's codebook, coders, settings and event log replace those of the (empty) project.
    """
    header = checked_header(path, SCHEMA_VERSION)
    if has_documents(project):
        raise ImportFormatError(
            f"the project {project.path} already holds documents; restore an export into a new"
            " project file", path=path)
    columns = table_columns(project)
    with project.write():
        kept = ImportCounts(project)
        counts = restore_rows(project, _counting(iter_rows(path, columns), kept), path)
        kept.finish()
        if problem := codebook_problem_in(load_codebook(project, include_archived=True)):
            raise ImportFormatError(f"the export's codebook is refused: {problem}", path=path)
        check_counts(path, header, counts)
    summary = ImportSummary()
    summary.imported.append(
        f"restored {plural(counts['documents'], 'document')}, {plural(counts['segments'], 'segment')},"
        f" {plural(counts['codes'], 'code')} in {plural(counts['facets'], 'facet')}")
    summary.imported.append(
        f"{plural(counts['coders'], 'coder')}: {plural(counts['annotations'], 'annotation')},"
        f" {plural(counts['done'], 'done mark')}, {plural(counts['memos'], 'memo')};"
        f" {plural(counts['events'], 'event')} in the log")
    study = [plural(counts["notes"], "document and code memo"),
             f"{counts['redecide']} queued to decide again",
             plural(counts["sample_assignments"], "sample assignment"), plural(counts["rounds"], "round")]
    study = [part for part in study if not part.startswith("0 ")]
    if study:
        summary.imported.append(", ".join(study))
    return summary


def _counting(rows: Iterator[Row], counts: ImportCounts) -> Iterator[Row]:
    """``rows`` as they come, each segment's terms counted once the next row is asked for (the
    segment is stored by then)."""
    held: list[tuple[str | None, str | None]] = []
    for row in rows:
        yield row
        if row[1] == "segments":
            held.append((row[2].get("zh_terms"), row[2].get("en_terms")))
            if len(held) >= COUNT_BATCH:
                counts.written([h[0] for h in held], [h[1] for h in held])
                held = []
    counts.written([h[0] for h in held], [h[1] for h in held])


def import_any(
    path: Path,
    files: list[Path],
    *,
    translation: Path | None = None,
    lang: str | None = None,
    document: str | None = None,
    fmt: str = "auto",
    replace: bool = False,
    mapping: Path | None = None,
    coder: str | None = None,
    mark_done: bool = True,
) -> list[str]:
    """Import transcripts, a REFI-QDA project or an annotator JSONL export; lines to show.

    A project file that does not exist yet is created with the bundled codebook, built under a
    temporary name and named only when the import succeeded: a failed or killed import leaves no
    file. Into an existing project the import is one transaction, copied into the project file
    after it with a progress bar when it is big.
    """
    kw: dict[str, Any] = dict(translation=translation, lang=lang, document=document, fmt=fmt,
                              replace=replace, mapping=mapping, coder=coder, mark_done=mark_done)
    if path.exists():
        with open_project(path) as project, checkpoint_after(project):
            return _import_into(project, files, **kw)
    # a .qdpx brings its code tree, unless --map maps it onto the (bundled) codebook
    brings_codebook = len(files) == 1 and (
        (files[0].suffix.lower() == ".qdpx" and mapping is None) or is_project_export(files[0])
    )
    with new_project(path, empty=brings_codebook) as project:
        return _import_into(project, files, **kw)


#: Files bigger than this (bytes, all files of one import) are tokenised in worker processes,
#: with a progress bar.
PARALLEL_BYTES = 2_000_000


def _parallel(files: list[Path]) -> bool:
    """Whether these files are transcripts big enough to be tokenised in worker processes."""
    if len(files) == 1 and (is_taguette_highlights(files[0]) or (
            files[0].suffix.lower() in (".jsonl", ".ndjson") and is_project_export(files[0]))):
        return False
    if any(f.suffix.lower() == ".qdpx" for f in files):
        return False
    return sum(f.stat().st_size for f in files if f.exists()) > PARALLEL_BYTES


def languages_tokenised_here(files: list[Path], translation: Path | None = None) -> tuple[str, ...]:
    """The languages the importing process itself tokenises: only the English when worker
    processes cut the Chinese of big transcripts (they load jieba themselves)."""
    return ("en",) if translation is None and _parallel(files) else ("zh", "en")


def _import_into(project: Project, files: list[Path], **kw: Any) -> list[str]:
    qdpx = [f for f in files if f.suffix.lower() == ".qdpx"]
    mapping = kw.pop("mapping", None)
    coder = kw.pop("coder", None)
    mark_done = kw.pop("mark_done", True)
    if len(files) == 1 and is_taguette_highlights(files[0]):
        return import_taguette_highlights(project, files[0], coder=coder).lines()
    if coder is not None:
        raise UsageError("--coder names whose work a Taguette highlights CSV is; it applies to nothing else")
    if mapping is not None and not qdpx:
        raise UsageError("--map maps the codes of a .qdpx onto the project's; it applies to nothing else")
    if qdpx:
        if len(files) != 1:
            raise ProjectError("import one .qdpx file at a time", path=qdpx[0])
        return import_qdpx(project, qdpx[0], mapping=mapping, mark_done=mark_done).lines()
    if len(files) == 1 and files[0].suffix.lower() in (".jsonl", ".ndjson") and is_project_export(files[0]):
        return restore_jsonl(project, files[0]).lines()
    big = _parallel(files)
    drawn = big and terminal_stream().isatty()  # elsewhere (a log file) a bar is a stray line
    progress = _ProgressBar(sum(f.stat().st_size for f in files if f.exists())) if drawn else None
    try:
        summary = import_transcripts(project, files, progress=progress, parallel=big, **kw)
    finally:
        if progress is not None:
            progress.close()
    return _transcript_lines(summary, files)


def _transcript_lines(summary: ImportSummary, files: list[Path]) -> list[str]:
    docs = summary.documents
    if summary.translation_added and len(docs) == 1 and not files:
        language = "English" if summary.translation_added == "en" else "Chinese"
        lines = [f"added the {language} translation to {docs[0]} ({plural(summary.segments, 'segment')})"]
    else:
        lines = [f"imported {plural(summary.segments, 'segment')} in {plural(len(docs), 'document')}"
                 f" ({', '.join(docs[:8])}{', ...' if len(docs) > 8 else ''})"]
    for doc, header in summary.headers.items():
        lines.append(f"{doc}: the lines before the first turn are its header (document attributes,"
                     f" not segments): {' | '.join(header.splitlines())}")
    if summary.replaced:
        lines.append(f"replaced: {', '.join(summary.replaced)}")
    if summary.archived_annotations:
        lines.append(f"{plural(summary.archived_annotations, 'annotation')} on removed segments archived")
    changed = summary.changed_with_work
    if changed:
        lines.append(f"warning: {len(changed)} segment(s) with coders' work now hold different text;"
                     f" the work was kept, check it: {', '.join(changed[:8])}"
                     f"{', ...' if len(changed) > 8 else ''}")
    return lines


class _ProgressBar:
    """A progress bar on stderr for long imports: share done, rate and time left (counting the
    UTF-8 bytes of the texts written, close to the file's size)."""

    def __init__(self, total: int) -> None:
        # rich's progress bar only for big imports; its escape sequences go to the terminal as
        # they are (it shows no data: the stream under the printable-only stderr)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._progress = Progress(
            TextColumn("importing"), BarColumn(), TaskProgressColumn(), TransferSpeedColumn(),
            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=Console(file=terminal_stream()), transient=True)
        self._task = self._progress.add_task("importing", total=total)
        self._progress.start()

    def __call__(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def close(self) -> None:
        self._progress.stop()

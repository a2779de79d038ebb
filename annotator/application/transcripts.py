"""Importing transcripts: read the files (io), tokenise (nlp), write (storage); all or nothing."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Any

from annotator.application.corpus_counts import ImportCounts
from annotator.errors import ImportFormatError, UsageError
from annotator.io.transcripts import Turn, read_turns
from annotator.model import ImportSummary, Segment, SegmentTerms, segment_id
from annotator.nlp.tokenize import add_terms, joined_terms, language_terms, load, tokenize
from annotator.nlp.tokenize import segment_terms as terms_of
from annotator.nlp.tokenize_pool import TokenizePool, quiet_collector, usual_collector
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project
from annotator.storage.documents import segment_texts
from annotator.storage.importing import Progress, TranscriptWriter, log_import, set_translation
from annotator.storage.reading_order import document_spans

BATCH = 2000
LANG_SUFFIX = re.compile(r"[._-](zh|en|cn|chinese|english|zh-cn|zh_cn)$", re.IGNORECASE)


def document_id_for(path: Path) -> str:
    stem = path.stem
    stem = LANG_SUFFIX.sub("", stem)
    return re.sub(r"\s+", "_", stem.strip()) or "document"


def segment_terms(texts: dict[str, tuple[str, str]]) -> dict[str, SegmentTerms]:
    """Segment id → tokens and terms (space-separated), from segment id → (zh, en)."""
    return dict(zip(texts, terms_of(list(texts.values())), strict=True))


def _segment(doc: str, position: int, turn: Turn) -> Segment:
    return Segment(segment_id(doc, position), doc, position, turn.zh, turn.en, turn.speaker,
                   turn.start, turn.end)


def _check_arguments(files: list[Path], translation: Path | None, lang: str | None,
                     document: str | None) -> None:
    if lang is not None and lang not in ("zh", "en"):
        raise UsageError(f"--lang must be zh or en, not {lang!r}")
    if translation is not None and len(files) > 1:
        raise UsageError("--translation pairs with one transcript; import one file at a time")
    if document is not None and len(files) > 1:
        raise UsageError("--document names one document; import one file at a time")
    if not files and translation is None:
        raise UsageError("name at least one transcript file")
    for f in [*files, *([translation] if translation else [])]:
        if not f.exists():
            raise ImportFormatError("no such file", path=f)
        if f.is_dir():
            raise ImportFormatError("is a folder, not a transcript", path=f)
    if not files and document is None:
        raise UsageError("--translation without a transcript needs --document ID")


class _Documents:
    """Which document each turn goes to, the next position in each, and the file it came from."""

    def __init__(self, writer: TranscriptWriter, attributes: dict[str, dict[str, Any]]):
        self.writer = writer
        self.attributes = attributes
        self.next_position: dict[str, int] = {}
        self.sources: dict[str, str] = {}
        #: document → the lines before its first turn taken as its header
        self.headers: dict[str, str] = {}

    def position_for(self, doc: str, source: str, turn: Turn) -> int:
        if doc not in self.next_position:
            self.sources[doc] = source
            attrs = {**self.attributes.get(doc, {}), **(turn.attributes or {})}
            if attrs.get("header"):
                self.headers[doc] = str(attrs["header"])
            self.writer.start_document(doc, source, attrs, turn.line)
            self.next_position[doc] = 1
        elif self.sources[doc] != source:  # two files of one command, one document
            hint = (" (pair a translation with --translation)"
                    if LANG_SUFFIX.search(Path(source).stem) else "")
            raise ImportFormatError(
                f"document {doc!r} also comes from {self.sources[doc]} in this import{hint}; import"
                " the files separately, or name the documents with --document", path=source, line=turn.line)
        pos = self.next_position[doc]
        self.next_position[doc] = pos + 1
        return pos


class _Tokenizer:
    """Tokenises batches of segments and hands them to the writer in the order they came:
    here, or (``parallel``) the Chinese in worker processes while this one reads, tokenises the
    English and writes."""

    def __init__(self, writer: TranscriptWriter, counts: ImportCounts, keywords: list[str],
                 parallel: bool) -> None:
        self.writer = writer
        self.counts = counts
        self.pool = TokenizePool(keywords) if parallel else None
        self.english: deque[list[tuple[str, str]]] = deque()  # of the batches in flight, in order
        if self.pool is None:
            add_terms(keywords)

    def submit(self, segments: list[Segment]) -> None:
        if self.pool is None:
            self._write(segments, terms_of([(s.zh, s.en) for s in segments]))
            return
        self.pool.submit(segments, [s.zh for s in segments])
        english = language_terms([s.en for s in segments], "en")  # while the workers cut
        self.english.append(english)
        for done, chinese in self.pool.ready():
            self._write(done, joined_terms(chinese, self.english.popleft()))

    def finish(self) -> None:
        if self.pool is not None:
            for segments, chinese in self.pool.drain():
                self._write(segments, joined_terms(chinese, self.english.popleft()))

    def _write(self, segments: list[Segment], terms: list[SegmentTerms]) -> None:
        self.writer.write(segments, {s.id: t for s, t in zip(segments, terms, strict=True)})
        self.counts.written([t.zh_terms for t in terms], [t.en_terms for t in terms])

    def __enter__(self) -> _Tokenizer:
        if self.pool is not None:
            load(("en",))
            quiet_collector()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            try:
                self.pool.__exit__(*exc)
            finally:
                usual_collector()


def _write_file(docs: _Documents, path: Path, turns: Iterable[Turn], default_doc: str,
                tokenizer: _Tokenizer) -> None:
    """Segments go to the tokenizer in batches of ``BATCH`` in the order read, whatever
    documents they belong to (small documents share a batch: memory never holds more)."""
    pending: list[Segment] = []
    for turn in turns:
        doc = turn.document or default_doc
        pending.append(_segment(doc, docs.position_for(doc, str(path), turn), turn))
        if len(pending) >= BATCH:
            tokenizer.submit(pending)
            pending = []
    if pending:
        tokenizer.submit(pending)
    tokenizer.finish()


def import_transcripts(
    project: Project,
    files: list[Path],
    *,
    translation: Path | None = None,
    lang: str | None = None,
    document: str | None = None,
    fmt: str = "auto",
    replace: bool = False,
    attributes: dict[str, dict[str, Any]] | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
) -> ImportSummary:
    """Import transcript files; all or nothing.

    ``parallel``: tokenise in worker processes, one per core (worth it for big files: starting
    them costs a second or two).

    ``translation`` pairs a second-language file turn by turn with the single ``files`` entry
    (or, with no files, with the existing ``document``). ``attributes`` maps document id to
    document attributes (e.g. respondent, date, role).
    """
    _check_arguments(files, translation, lang, document)
    keywords = [kw for c in load_codebook(project).codes for kw in c.keywords_zh]
    summary = ImportSummary()
    with project.write():
        if not files and translation is not None and document is not None:
            add_terms(keywords)
            _add_translation(project, document, translation, lang, fmt, summary, progress,
                             replace=replace)
        with TranscriptWriter(project, summary, replace, progress) as writer:
            docs = _Documents(writer, attributes or {})
            counts = ImportCounts(project)
            with _Tokenizer(writer, counts, keywords, parallel and bool(files)) as tokenizer:
                for path in files:
                    turns: Iterable[Turn] = read_turns(path, fmt=fmt, lang=lang)
                    if translation is not None:
                        turns = _paired(path, list(turns), translation, fmt, lang)
                    _write_file(docs, path, turns, document or document_id_for(path), tokenizer)
            counts.finish()
            for doc, next_position in docs.next_position.items():
                writer.finish_document(doc, next_position - 1)
        summary.headers.update(docs.headers)
        log_import(project, {"files": [str(f) for f in files], "documents": summary.documents,
                             "segments": summary.segments})
    document_spans(project)  # kept now, so the coding screen's first start need not count them
    return summary


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def _paired(path: Path, first: list[Turn], translation: Path, fmt: str, lang: str | None) -> list[Turn]:
    """Merge a translation file into ``first`` turn by turn."""
    main_lang = lang or ("zh" if any(t.zh for t in first) else "en")
    second = list(read_turns(translation, fmt=fmt, lang=_other(main_lang)))
    if len(first) != len(second):
        raise ImportFormatError(
            f"{path} has {len(first)} turns but the translation has {len(second)}; they must pair"
            " turn by turn",
            path=translation,
        )
    out = []
    for a, b in zip(first, second, strict=True):
        other = _other(main_lang)
        text = getattr(b, other) or getattr(b, main_lang)
        out.append(dc_replace(a, **{other: text}, speaker=a.speaker or b.speaker,
                              start=a.start if a.start is not None else b.start,
                              end=a.end if a.end is not None else b.end))
    return out


def _add_translation(
    project: Project, document: str, translation: Path, lang: str | None, fmt: str,
    summary: ImportSummary, progress: Progress | None, *, replace: bool = False,
) -> None:
    rows = segment_texts(project, document)
    if not rows:
        raise UsageError(f"no document {document!r} in the project to add a translation to")
    has_zh = any(r[1] for r in rows)
    target = lang or ("en" if has_zh else "zh")
    held = sum(1 for r in rows if r[1 if target == "zh" else 2])
    if held and not replace:
        language = "English" if target == "en" else "Chinese"
        raise UsageError(f"document {document!r} already has {language} text ({held} of {len(rows)}"
                         " segments); add --replace to overwrite it with this translation")
    turns = list(read_turns(translation, fmt=fmt, lang=target))
    if len(turns) != len(rows):
        raise ImportFormatError(
            f"document {document} has {len(rows)} segments but the translation has {len(turns)}"
            " turns; they must pair turn by turn",
            path=translation,
        )
    texts = [getattr(t, target) or t.zh or t.en for t in turns]
    toks = tokenize(texts, target)
    set_translation(project, target, [(text, " ".join(t.tokens), " ".join(t.terms), r[0])
                                      for text, t, r in zip(texts, toks, rows, strict=True)])
    summary.documents.append(document)
    summary.segments += len(rows)
    summary.translation_added = target
    if progress:
        progress(sum(len(t.encode()) for t in texts))

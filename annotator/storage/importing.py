"""Importing transcripts into a project: atomic across all files of one command.

Parsing is ``annotator.io.transcripts``; this module groups turns into documents, pairs
translations, tokenises (jieba/spaCy, loaded lazily) and writes everything in one transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.errors import ImportFormatError, UsageError
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project, now

BATCH = 2000
LANG_SUFFIX = re.compile(r"[._-](zh|en|cn|chinese|english|zh-cn|zh_cn)$", re.IGNORECASE)

Progress = Callable[[int], None]


@dataclass
class ImportSummary:
    documents: list[str] = field(default_factory=list)
    segments: int = 0
    replaced: list[str] = field(default_factory=list)
    archived_annotations: int = 0
    #: segments of replaced documents whose text changed while coders' work on them was kept
    changed_with_work: list[str] = field(default_factory=list)
    #: the language of a translation added to an existing document (``--document ID --translation``)
    translation_added: str | None = None
    #: document → the lines before its first turn taken as its header (attributes, not turns)
    headers: dict[str, str] = field(default_factory=dict)


def segment_id(document: str, position: int) -> str:
    return f"{document}-{position:03d}"


def document_id_for(path: Path) -> str:
    stem = path.stem
    stem = LANG_SUFFIX.sub("", stem)
    return re.sub(r"\s+", "_", stem.strip()) or "document"


def tokenize_rows(rows: list[dict[str, Any]]) -> None:
    """Fill the ``*_tokens`` and ``*_terms`` columns of segment rows from their ``zh``/``en``."""
    from annotator.nlp.tokenize import tokenize

    for lang in ("zh", "en"):
        idx = [i for i, r in enumerate(rows) if r[lang]]
        if not idx:
            continue
        toks = tokenize([rows[i][lang] for i in idx], lang)
        for i, t in zip(idx, toks, strict=True):
            rows[i][f"{lang}_tokens"] = " ".join(x.replace(" ", "") for x in t.tokens)
            rows[i][f"{lang}_terms"] = " ".join(x.replace(" ", "") for x in t.terms)


class _Writer:
    """Writes the segments of one document, replacing by position when asked."""

    def __init__(self, project: Project, summary: ImportSummary, replace: bool, progress: Progress | None):
        self.project = project
        self.conn = project.conn
        self.summary = summary
        self.replace = replace
        self.progress = progress
        self.seen_docs: dict[str, int] = {}  # document -> next position
        self.doc_sources: dict[str, str] = {}

    def start_document(self, doc: str, source: str, attributes: dict[str, Any], line: int | None) -> None:
        if doc in self.seen_docs:
            first = self.doc_sources.get(doc)
            if first is not None and first != source:  # two files of one command, one document
                hint = (" (pair a translation with --translation)"
                        if LANG_SUFFIX.search(Path(source).stem) else "")
                raise ImportFormatError(
                    f"document {doc!r} also comes from {first} in this import{hint}; import the"
                    " files separately, or name the documents with --document", path=source, line=line)
            return
        self.doc_sources[doc] = source
        exists = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc,)).fetchone()
        if exists and not self.replace:
            raise ImportFormatError(
                f"document {doc!r} is already in the project; use --replace to replace it, or"
                " --document ID to import this file as another document",
                path=source, line=line,
            )
        if exists:
            self.summary.replaced.append(doc)
            self.conn.execute(
                "UPDATE documents SET attributes = ?, source = ?, imported_at = ? WHERE id = ?",
                (json.dumps(attributes, ensure_ascii=False), source, now(), doc),
            )
        else:
            pos = self.conn.execute("SELECT coalesce(max(position), 0) + 1 FROM documents").fetchone()[0]
            title = str(attributes.get("title") or doc)
            self.conn.execute(
                "INSERT INTO documents (id, position, title, attributes, source, imported_at)"
                " VALUES (?,?,?,?,?,?)",
                (doc, pos, title, json.dumps(attributes, ensure_ascii=False), source, now()),
            )
        self.seen_docs[doc] = 1
        self.summary.documents.append(doc)

    def write(self, doc: str, rows: list[dict[str, Any]]) -> None:
        if doc in self.summary.replaced:
            self._note_changed_text(rows)
        tokenize_rows(rows)
        cols = ["id", "document", "position", "speaker", "start", "end", "zh", "en",
                "zh_tokens", "en_tokens", "zh_terms", "en_terms"]
        sql = (
            "INSERT INTO segments (" + ", ".join(f'"{c}"' for c in cols) + ") VALUES ("
            + ", ".join("?" for _ in cols) + ") ON CONFLICT(id) DO UPDATE SET "
            + ", ".join(f'"{c}" = excluded."{c}"' for c in cols if c != "id")
        )
        self.conn.executemany(sql, [tuple(r.get(c) for c in cols) for r in rows])
        self.summary.segments += len(rows)
        if self.progress:
            self.progress(sum(len(r["zh"]) + len(r["en"]) for r in rows))

    def _note_changed_text(self, rows: list[dict[str, Any]]) -> None:
        """Remember segments that keep coders' work although a text they had was changed (a turn
        inserted or removed shifts every later segment: the work stays with the position)."""
        ids = [r["id"] for r in rows]
        old: dict[str, tuple[str, str]] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ",".join("?" for _ in part)
            old.update((r[0], (r[1], r[2])) for r in self.conn.execute(
                f"SELECT id, zh, en FROM segments WHERE id IN ({marks}) AND (id IN"
                " (SELECT segment FROM done) OR id IN (SELECT segment FROM annotations)"
                " OR id IN (SELECT segment FROM memos))", part))
        for r in rows:
            before = old.get(r["id"])
            if before and any(b and b != r[lang] for b, lang in zip(before, ("zh", "en"), strict=True)):
                self.summary.changed_with_work.append(r["id"])

    def finish_document(self, doc: str) -> None:
        """Drop segments beyond the new end of a replaced document (their work is archived)."""
        last = self.seen_docs[doc] - 1
        stale = [r[0] for r in self.conn.execute(
            "SELECT id FROM segments WHERE document = ? AND position > ?", (doc, last))]
        if not stale:
            return
        stamp = now()
        for seg in stale:
            cur = self.conn.execute(
                "INSERT INTO archived_annotations (coder, segment, code, facet, created_at, archived_at,"
                " reason) SELECT a.coder, a.segment, a.code, c.facet, a.created_at, ?, "
                "'segment removed by --replace' FROM annotations a JOIN codes c ON c.id = a.code"
                " WHERE a.segment = ?", (stamp, seg))
            self.summary.archived_annotations += cur.rowcount
            for table in ("annotations", "done", "memos"):
                self.conn.execute(f"DELETE FROM {table} WHERE segment = ?", (seg,))
            self.conn.execute("UPDATE coders SET last_segment = NULL WHERE last_segment = ?", (seg,))
            self.conn.execute("DELETE FROM segments WHERE id = ?", (seg,))


def _row(doc: str, position: int, zh: str, en: str, turn: Any) -> dict[str, Any]:
    return {
        "id": segment_id(doc, position), "document": doc, "position": position,
        "speaker": turn.speaker, "start": turn.start, "end": turn.end, "zh": zh, "en": en,
        "zh_tokens": "", "en_tokens": "", "zh_terms": "", "en_terms": "",
    }


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
) -> ImportSummary:
    """Import transcript files; all or nothing.

    ``translation`` pairs a second-language file turn by turn with the single ``files`` entry
    (or, with no files, with the existing ``document``). ``attributes`` maps document id to
    document attributes (e.g. respondent, date, role).
    """
    from annotator.io.transcripts import read_turns
    from annotator.nlp.tokenize import add_terms

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

    codebook = load_codebook(project)
    add_terms(kw for c in codebook.codes for kw in c.keywords_zh)
    summary = ImportSummary()
    attributes = attributes or {}
    with project.write() as conn:
        writer = _Writer(project, summary, replace, progress)
        if not files and translation is not None:
            if document is None:
                raise UsageError("--translation without a transcript needs --document ID")
            _add_translation(project, document, translation, lang, fmt, summary, progress,
                             replace=replace)
        for path in files:
            default_doc = document or document_id_for(path)
            turns: Iterable[Any] = read_turns(path, fmt=fmt, lang=lang)
            if translation is not None:
                turns = _paired(path, list(turns), translation, fmt, lang)
            pending: dict[str, list[dict[str, Any]]] = {}
            for turn in turns:
                doc = turn.document or default_doc
                if doc not in writer.seen_docs or writer.doc_sources.get(doc) != str(path):
                    attrs = {**attributes.get(doc, {}), **(turn.attributes or {})}
                    if attrs.get("header"):
                        summary.headers[doc] = str(attrs["header"])
                    writer.start_document(doc, str(path), attrs, turn.line)
                pos = writer.seen_docs[doc]
                writer.seen_docs[doc] = pos + 1
                pending.setdefault(doc, []).append(_row(doc, pos, turn.zh, turn.en, turn))
                if len(pending[doc]) >= BATCH:
                    writer.write(doc, pending.pop(doc))
            for doc, rows in pending.items():
                writer.write(doc, rows)
        for doc in writer.seen_docs:
            writer.finish_document(doc)
        conn.execute(
            "INSERT INTO events (at, action, detail) VALUES (?, 'import', ?)",
            (now(), json.dumps({"files": [str(f) for f in files], "documents": summary.documents,
                                "segments": summary.segments}, ensure_ascii=False)),
        )
    return summary


def _other(lang: str) -> str:
    return "en" if lang == "zh" else "zh"


def _paired(path: Path, first: list[Any], translation: Path, fmt: str, lang: str | None) -> list[Any]:
    """Merge a translation file into ``first`` turn by turn."""
    from dataclasses import replace as dc_replace

    from annotator.io.transcripts import read_turns

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
    from annotator.io.transcripts import read_turns

    conn = project.conn
    rows = conn.execute(
        "SELECT id, zh, en FROM segments WHERE document = ? ORDER BY position", (document,)
    ).fetchall()
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
    from annotator.nlp.tokenize import tokenize

    toks = tokenize(texts, target)
    conn.executemany(
        f"UPDATE segments SET {target} = ?, {target}_tokens = ?, {target}_terms = ? WHERE id = ?",
        [(text, " ".join(t.tokens), " ".join(t.terms), r[0])
         for text, t, r in zip(texts, toks, rows, strict=True)],
    )
    summary.documents.append(document)
    summary.segments += len(rows)
    summary.translation_added = target
    if progress:
        progress(sum(len(t) for t in texts))

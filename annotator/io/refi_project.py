"""A whole coded project as a REFI-QDA ``.qdpx``, written as it is read.

The layout is described in :mod:`annotator.io.refi_export`. ``project.qde`` is written into its
archive member one document at a time (:mod:`annotator.io.refi_xml`), each document's segments
and work read when the document is written; the source texts, the segment memos' notes and the
done marks go to temporary files meanwhile (an archive takes one member at a time) and are
copied in after it. Memory holds one document, never the whole project. Members are deflated at
level 1: most of the archive is XML, which compresses about as well at level 1 and several
times faster.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from annotator.files import atomic_binary
from annotator.io import refi_xml as X
from annotator.io.background_writer import BackgroundWriter
from annotator.io.deflated_members import DeflatedMembers, deflated_info
from annotator.io.refi_document import DocumentSelections, Shared
from annotator.io.refi_export import (
    LANG_NAMES,
    PROJECT_NS,
    Stamps,
    _codes_element,
    _origin,
    _sub,
    guid,
    now_stamp,
    refi_stamp,
)
from annotator.io.refi_marks import DESCRIPTION as MARKS_DESCRIPTION
from annotator.io.refi_marks import marks_name
from annotator.io.refi_sources import paragraphs, source_text
from annotator.model import Codebook, Document, DocumentRows, TargetNote

LEVEL = 1  # deflate level of every member
_SPOOL_IN_MEMORY = 8 << 20  # a temporary file stays in memory up to this size


@dataclass
class QdpxStats:
    sources: int = 0
    selections: int = 0
    codings: int = 0
    notes: int = 0
    users: int = 0
    #: "done, no code applies" marks, carried in each coder's done-marks note
    done_without_codes: int = 0


@dataclass
class QdpxContent:
    """What goes into a ``.qdpx``: the project's name and GUID namespace, its codebook, documents
    and coders (``coders``, in order), each document's segments in reading order with the coders'
    work on them (``rows``, in document order, taken once, after every ``languages_of``) and,
    when documents have attributes, the languages it has text in (``languages_of``); when the
    project was created and the coders' memos on documents and codes."""

    name: str
    namespace: uuid.UUID
    codebook: Codebook
    documents: list[Document]
    rows: Iterable[DocumentRows]
    languages_of: Callable[[str], list[str]]
    coders: list[str]
    created: str | None = None
    target_notes: list[TargetNote] = field(default_factory=list)


def _info(name: str) -> zipfile.ZipInfo:
    info = deflated_info(name, (2020, 1, 1, 0, 0, 0), LEVEL)  # stable bytes for equal input
    info.external_attr = 0o644 << 16
    return info


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)


class _QdpxWriter:
    """Writes the ``project.qde`` of a ``.qdpx`` document by document, then the spooled files."""

    def __init__(self, content: QdpxContent, langs: tuple[str, ...], spools: ExitStack):
        self.c = content
        self.langs = langs
        self.pns = content.namespace
        self.stamp = refi_stamp(content.created) or now_stamp()
        self.when = Stamps(self.stamp)
        self.stats = QdpxStats(users=len(content.coders))
        self.code_ids = {c.id for c in content.codebook.codes}
        self.code_guid = {c: guid(self.pns, "code", c) for c in self.code_ids}
        self.user_guid = {c: guid(self.pns, "user", c) for c in content.coders}
        self.shared = Shared(langs, content.coders, self.code_guid, self.user_guid, self.pns.bytes, self.when)
        self.keys = sorted({k for d in content.documents for k in d.attributes})
        self.spools = spools
        self.sources = spools.enter_context(DeflatedMembers(LEVEL))  # deflated meanwhile
        self.memo_notes = spools.enter_context(_spool())  # <Note> elements of segment memos
        self.marks: dict[tuple[str, str], IO[bytes]] = {}  # (coder, done|open) → its lines
        self.target_notes, self.note_refs = self._target_notes()

    # -- project.qde ------------------------------------------------------------------------

    def write_project(self, out: X.XmlStream) -> None:
        ET.register_namespace("", PROJECT_NS)
        ns = PROJECT_NS
        attrs = {"name": self.c.name, "origin": _origin(), "creationDateTime": self.stamp}
        if self.c.coders:
            attrs["creatingUserGUID"] = self.user_guid[self.c.coders[0]]
        out.open_root(ET.Element(f"{{{ns}}}Project", attrs))
        if self.c.coders:
            users = ET.Element(f"{{{ns}}}Users")
            for c in self.c.coders:
                _sub(users, ns, "User", guid=self.user_guid[c], name=c, id=c)
            out.element(users, 1)
        book = ET.Element(f"{{{ns}}}CodeBook")
        _codes_element(book, ns, self.c.codebook, self.pns, self.note_refs)
        out.element(book, 1)
        if self.keys:
            variables = ET.Element(f"{{{ns}}}Variables")
            for k in self.keys:
                _sub(variables, ns, "Variable", guid=guid(self.pns, "variable", k), name=k,
                     typeOfVariable="Text")
            out.element(variables, 1)
            out.element(self._cases(), 1)
        opened = False
        for doc, rows in zip(self.c.documents, self.c.rows, strict=True):
            opened = self._document(out, doc, rows, opened)
        if opened:
            out.write("\n  </Sources>")
        self._notes(out)
        out.write("\n</Project>\n")

    def _cases(self) -> ET.Element:
        cases = ET.Element(f"{{{PROJECT_NS}}}Cases")
        for doc in self.c.documents:
            case = _sub(cases, PROJECT_NS, "Case", guid=guid(self.pns, "case", doc.id), name=doc.id)
            for k in self.keys:
                if k in doc.attributes:
                    vv = _sub(case, PROJECT_NS, "VariableValue")
                    _sub(vv, PROJECT_NS, "VariableRef", targetGUID=guid(self.pns, "variable", k))
                    _sub(vv, PROJECT_NS, "TextValue").text = str(doc.attributes[k])
            for lg in self.c.languages_of(doc.id):
                _sub(case, PROJECT_NS, "SourceRef", targetGUID=guid(self.pns, "source", doc.id, lg))
        return cases

    def _document(self, out: X.XmlStream, doc: Document, rows: DocumentRows, opened: bool) -> bool:
        work = DocumentSelections(self.shared, rows, self._memo_note)
        self._note_marks(work)
        title = doc.title if doc.title and doc.title != doc.id else ""
        for lg in work.langs:
            paras = paragraphs(rows.segments, lg)
            text, starts = source_text(paras)
            sg = guid(self.pns, "source", doc.id, lg)
            data = text.encode("utf-8")
            self.sources.add(_info(f"sources/{sg}.txt"), data)
            self.stats.sources += 1
            if not opened:
                out.write("\n  <Sources>")
                opened = True
            out.write(f'\n    <TextSource guid="{sg}" name="{X.attr(f"{doc.id}.{lg}.txt")}"'
                      f' plainTextPath="internal://{sg}.txt" creationDateTime="{self.stamp}">'
                      + X.text_element("Description", f"{title or doc.id} ({LANG_NAMES[lg]})", 3))
            out.write(work.xml(lg, paras, starts))
            for ng in self.note_refs.get(("document", doc.id), []):
                out.write(f'\n      <NoteRef targetGUID="{ng}" />')
            self._variable_values(out, doc)
            out.write("\n    </TextSource>")
        self.stats.selections += work.selections
        self.stats.codings += work.codings
        return opened

    def _note_marks(self, work: DocumentSelections) -> None:
        self.stats.done_without_codes += work.done_without_codes
        for key, got in work.marks.items():
            if key not in self.marks:
                self.marks[key] = self.spools.enter_context(_spool())
            self.marks[key].write("".join(got).encode("utf-8"))

    def _variable_values(self, out: X.XmlStream, doc: Document) -> None:
        for k in self.keys:
            if k in doc.attributes:
                out.write(f'\n      <VariableValue>\n        <VariableRef targetGUID="{guid(self.pns, "variable", k)}" />'
                          + X.text_element("TextValue", str(doc.attributes[k]), 4)
                          + "\n      </VariableValue>")

    # -- notes --------------------------------------------------------------------------------

    def _target_notes(self) -> tuple[list[str], dict[tuple[str, str], list[str]]]:
        """The ``<Note>`` elements of the exported coders' memos on documents and live codes, and
        their GUIDs per (kind, target)."""
        docs = {d.id for d in self.c.documents}
        refs: dict[tuple[str, str], list[str]] = {}
        notes: list[str] = []
        for n in self.c.target_notes:
            known = docs if n.kind == "document" else self.code_ids if n.kind == "code" else set()
            if n.target not in known or n.coder not in self.user_guid:
                continue
            ng = guid(self.pns, "note", n.kind, n.target, n.coder)
            refs.setdefault((n.kind, n.target), []).append(ng)
            notes.append(self._note(ng, f"memo {n.kind} {n.target} ({n.coder})", n.coder, self.stamp)
                         + X.text_element("PlainTextContent", n.text, 3) + "\n    </Note>")
        return notes, refs

    def _note(self, ng: str, name: str, coder: str, date: str, extra: str = "") -> str:
        return (f'\n    <Note guid="{ng}" name="{X.attr(name)}" creatingUser="{self.user_guid[coder]}"'
                f' creationDateTime="{date}"{extra}>')

    def _memo_note(self, ng: str, name: str, text: str, coder: str, at: str | None) -> None:
        self.memo_notes.write((self._note(ng, name, coder, self.when[at])
                               + X.text_element("PlainTextContent", text, 3) + "\n    </Note>").encode("utf-8"))
        self.stats.notes += 1

    def _marks_notes(self) -> Iterator[tuple[str, str]]:
        """(the ``<Note>`` element, its archive file) of each coder's done marks."""
        for coder in self.c.coders:
            if (coder, "done") in self.marks or (coder, "open") in self.marks:
                ng = guid(self.pns, "marks", coder)
                yield (self._note(ng, marks_name(coder), coder, self.stamp, f' plainTextPath="internal://{ng}.txt"')
                       + X.text_element("Description", MARKS_DESCRIPTION, 3) + "\n    </Note>",
                       f"sources/{ng}.txt")

    def _notes(self, out: X.XmlStream) -> None:
        marks = list(self._marks_notes())
        if not (self.target_notes or self.stats.notes or marks):
            return
        out.write("\n  <Notes>")
        for note in self.target_notes:
            out.write(note)
        self.stats.notes += len(self.target_notes)
        if self.stats.notes > len(self.target_notes):
            out.flush()
            self.memo_notes.seek(0)
            for chunk in iter(lambda: self.memo_notes.read(X.CHUNK), b""):
                out.sink(chunk)
        for note, _file in marks:
            out.write(note)
        out.write("\n  </Notes>")

    # -- the other members --------------------------------------------------------------------

    def write_files(self, zf: zipfile.ZipFile) -> None:
        """The sources, then each coder's done marks, copied from their temporary files."""
        self.sources.write_into(zf)
        for coder in self.c.coders:
            files = [self.marks[k] for k in ((coder, "done"), (coder, "open")) if k in self.marks]
            if not files:
                continue
            with zf.open(_info(f"sources/{guid(self.pns, 'marks', coder)}.txt"), "w", force_zip64=True) as member:
                for f in files:
                    f.seek(0)
                    shutil.copyfileobj(f, member, X.CHUNK)


def write_qdpx(out: Path, content: QdpxContent, *, lang: str = "both") -> QdpxStats:
    """Write ``content`` as a REFI-QDA ``.qdpx`` to ``out``.

    Selections go into the sources of ``lang`` (``zh``, ``en`` or ``both``) of each segment (the
    other language's when the segment has no text in those).
    """
    with ExitStack() as spools:
        writer = _QdpxWriter(content, ("zh", "en") if lang == "both" else (lang,), spools)
        with atomic_binary(out) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
            with zf.open(_info("project.qde"), "w", force_zip64=True) as member, \
                    BackgroundWriter(member.write) as background:
                xml = X.XmlStream(background)
                writer.write_project(xml)
                xml.flush()
            writer.write_files(zf)
        return writer.stats

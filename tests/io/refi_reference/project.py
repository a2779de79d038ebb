"""(The export as first written, kept as the reference the streamed export is compared to.)

A whole coded project as a REFI-QDA ``.qdpx``, written as it is read.

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
from annotator.io.refi_export import (
    LANG_NAMES,
    PROJECT_NS,
    _codes_element,
    _origin,
    _sub,
    now_stamp,
)
from annotator.io.refi_marks import DESCRIPTION as MARKS_DESCRIPTION
from annotator.io.refi_marks import marks_name
from annotator.model import Codebook, CoderState, Document, Segment, TargetNote, WorkDates
from tests.io.refi_reference import xml_stream as X
from tests.io.refi_reference.detail import DocumentWork
from tests.io.refi_reference.independent import guid, guid_maker, refi_stamp
from tests.io.refi_reference.sources import build_source, paragraph

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
    and coders (``coders``, in order), and per document (each asked once, in document order) its
    segments in reading order (``segments_of``), the coders' work on them (``work_of``) and, when
    documents have attributes, the languages it has text in (``languages_of``); when the project
    was created and the coders' memos on documents and codes."""

    name: str
    namespace: uuid.UUID
    codebook: Codebook
    documents: list[Document]
    segments_of: Callable[[str], Iterable[Segment]]
    work_of: Callable[[str], DocumentWork]
    languages_of: Callable[[str], list[str]]
    coders: list[str]
    created: str | None = None
    target_notes: list[TargetNote] = field(default_factory=list)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # stable bytes for equal input
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = LEVEL  # type: ignore[attr-defined]  # read by ZipFile.open(info, "w")
    info.external_attr = 0o644 << 16
    return info


def _spool() -> IO[bytes]:
    return tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)


class _Stamps:
    """Stored time stamps as REFI-QDA writes them, remembered (a project has few distinct
    seconds per coder session, and parsing each is the slow part)."""

    def __init__(self, default: str):
        self.default = default
        self.seen: dict[str | None, str] = {}

    def __call__(self, stamp: str | None) -> str:
        got = self.seen.get(stamp)
        if got is None:
            if len(self.seen) > 100_000:
                self.seen.clear()
            got = self.seen[stamp] = refi_stamp(stamp) or self.default
        return got


@dataclass
class _Work:
    """One coder's codes (sorted) and memo on one segment, and when they were made."""

    coder: str
    user: str
    codes: list[str]
    memo: str
    dates: WorkDates
    _first: str | None = None

    def first(self, when: Callable[[str | None], str]) -> str:
        """When the earliest of this work was made, as REFI-QDA writes it."""
        if self._first is None:
            self._first = when(self.dates.first())
        return self._first


class _QdpxWriter:
    """Writes the ``project.qde`` of a ``.qdpx`` document by document, then the spooled files."""

    def __init__(self, content: QdpxContent, langs: tuple[str, ...], spools: ExitStack):
        self.c = content
        self.langs = langs
        self.pns = content.namespace
        self.stamp = refi_stamp(content.created) or now_stamp()
        self.when = _Stamps(self.stamp)
        self.stats = QdpxStats(users=len(content.coders))
        self.code_ids = {c.id for c in content.codebook.codes}
        self.guid = guid_maker(self.pns)
        self.code_guid = {c: guid(self.pns, "code", c) for c in self.code_ids}
        self.user_guid = {c: guid(self.pns, "user", c) for c in content.coders}
        self.keys = sorted({k for d in content.documents for k in d.attributes})
        self.spools = spools
        self.sources = spools.enter_context(_spool())
        self.source_parts: list[tuple[str, int]] = []  # (archive name, bytes) in the sources spool
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
        for doc in self.c.documents:
            opened = self._document(out, doc, opened)
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

    def _document(self, out: X.XmlStream, doc: Document, opened: bool) -> bool:
        segments = list(self.c.segments_of(doc.id))
        work = self.c.work_of(doc.id)
        langs = [lg for lg in ("zh", "en") if any(s.text(lg) for s in segments)]
        self._note_marks(segments, work)
        noted: set[str] = set()
        items: dict[str, list[_Work]] = {}
        for lg in langs:
            built = build_source(segments, lg)
            sg = guid(self.pns, "source", doc.id, lg)
            data = built.text.encode("utf-8")
            self.sources.write(data)
            self.source_parts.append((f"sources/{sg}.txt", len(data)))
            self.stats.sources += 1
            if not opened:
                out.write("\n  <Sources>")
                opened = True
            title = doc.title if doc.title and doc.title != doc.id else ""
            out.write(f'\n    <TextSource guid="{sg}" name="{X.attr(f"{doc.id}.{lg}.txt")}"'
                      f' plainTextPath="internal://{sg}.txt" creationDateTime="{self.stamp}">'
                      + X.text_element("Description", f"{title or doc.id} ({LANG_NAMES[lg]})", 3))
            for seg in segments:
                per = work.states.get(seg.id)
                if per and lg in self._selection_langs(seg, langs):
                    if seg.id not in items:
                        items[seg.id] = self._work(seg, per, work)
                    self._selections(out, seg, items[seg.id], work, built.ranges[seg.id], lg, noted)
            for ng in self.note_refs.get(("document", doc.id), []):
                out.write(f'\n      <NoteRef targetGUID="{ng}" />')
            self._variable_values(out, doc)
            out.write("\n    </TextSource>")
        return opened

    def _selection_langs(self, seg: Segment, langs: list[str]) -> tuple[str, ...]:
        """The sources a segment's selections go into: the chosen ones where it has text, else
        the other language's."""
        chosen = tuple(lg for lg in self.langs if seg.text(lg) and lg in langs)
        return chosen or tuple(lg for lg in langs if seg.text(lg))[:1]

    def _note_marks(self, segments: list[Segment], work: DocumentWork) -> None:
        lines: dict[tuple[str, str], list[str]] = {}
        for s in segments:
            per = work.states.get(s.id)
            if not per:
                continue
            for coder in self.c.coders:
                st = per.get(coder)
                if st is None:
                    continue
                codes = [c for c in st.codes if c in self.code_ids]
                if st.done and not codes:
                    self.stats.done_without_codes += 1
                    lines.setdefault((coder, "done"), []).append(f"done {s.id}\n")
                if not st.done and (codes or st.memo):
                    lines.setdefault((coder, "open"), []).append(f"open {s.id}\n")
        for key, got in lines.items():
            if key not in self.marks:
                self.marks[key] = self.spools.enter_context(_spool())
            self.marks[key].write("".join(got).encode("utf-8"))

    def _work(self, seg: Segment, per: dict[str, CoderState], work: DocumentWork) -> list[_Work]:
        """Each coder's work on ``seg`` worth a selection, in coder order (the same in every
        language's source)."""
        items: list[_Work] = []
        for coder in self.c.coders:
            st = per.get(coder)
            if st is None:
                continue
            codes = sorted(c for c in st.codes if c in self.code_ids)
            if codes or st.memo:
                items.append(_Work(coder, self.user_guid[coder], codes, st.memo,
                                   work.dates.get((coder, seg.id)) or WorkDates()))
        return items

    def _selections(self, out: X.XmlStream, seg: Segment, items: list[_Work], work: DocumentWork,
                    span: tuple[int, int], lang: str, noted: set[str]) -> None:
        g, sid = self.guid, X.attr(seg.id)
        for item in items:
            coder, user, codes, memo, dates = item.coder, item.user, item.codes, item.memo, item.dates
            narrow = self._narrow(seg, work, coder, lang, span, codes) if work.spans else []
            for code, at in narrow:
                self._narrow_selection(out, seg, coder, code, lang, at, dates)
            if narrow:
                codes = [c for c in codes if c not in {code for code, _ in narrow}]
                if not codes and not memo:
                    continue
            parts = [f'\n      <PlainTextSelection guid="{g("selection", seg.id, coder, lang)}"'
                     f' name="{sid}" startPosition="{span[0]}" endPosition="{span[1]}"'
                     f' creatingUser="{user}" creationDateTime="{item.first(self.when)}">']
            if memo:  # QualCoder and others read a selection's memo from its description
                parts.append(X.text_element("Description", memo, 4))
            self.stats.selections += 1
            for code in codes:
                parts.append(f'\n        <Coding guid="{g("coding", seg.id, coder, code, lang)}"'
                             f' creatingUser="{user}" creationDateTime="{self.when(dates.codes.get(code))}">'
                             f'\n          <CodeRef targetGUID="{self.code_guid[code]}" />\n        </Coding>')
            self.stats.codings += len(codes)
            if memo:
                ng = g("note", seg.id, coder)
                parts.append(f'\n        <NoteRef targetGUID="{ng}" />')
                if ng not in noted:
                    noted.add(ng)
                    self._memo_note(ng, f"memo {seg.id} ({coder})", memo, coder, dates.memo_at)
            parts.append("\n      </PlainTextSelection>")
            out.write("".join(parts))

    def _narrow(self, seg: Segment, work: DocumentWork, coder: str, lang: str, span: tuple[int, int],
                codes: list[str]) -> list[tuple[str, tuple[int, int]]]:
        """(code, source range) of each span of the coder's codes here in ``lang``; none when the
        paragraph does not hold the segment's text as it is (blank lines collapsed)."""
        spans = work.spans.get((coder, seg.id))
        if not spans:
            return []
        spans = [x for x in spans if x.lang == lang and x.code in codes]
        text = seg.text(lang)
        para = paragraph(seg, lang)
        if not spans or not text or not para.endswith(text):
            return []
        body = span[0] + len(para) - len(text)
        return [(x.code, (body + x.start, body + min(x.end, len(text)))) for x in spans
                if x.start < len(text)]

    def _narrow_selection(self, out: X.XmlStream, seg: Segment, coder: str, code: str, lang: str,
                          at: tuple[int, int], dates: WorkDates) -> None:
        user, when = self.user_guid[coder], self.when(dates.codes.get(code))
        out.write(f'\n      <PlainTextSelection guid="{self.guid("span", seg.id, coder, code, lang, str(at[0]))}"'
                  f' name="{X.attr(seg.id)}" startPosition="{at[0]}" endPosition="{at[1]}"'
                  f' creatingUser="{user}" creationDateTime="{when}">'
                  f'\n        <Coding guid="{self.guid("span-coding", seg.id, coder, code, lang, str(at[0]))}"'
                  f' creatingUser="{user}" creationDateTime="{when}">'
                  f'\n          <CodeRef targetGUID="{self.code_guid[code]}" />\n        </Coding>'
                  "\n      </PlainTextSelection>")
        self.stats.selections += 1
        self.stats.codings += 1

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
        self.memo_notes.write((self._note(ng, name, coder, self.when(at))
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
        self.sources.seek(0)
        for name, size in self.source_parts:
            with zf.open(_info(name), "w", force_zip64=True) as member:
                _copy(self.sources, member, size)
        for coder in self.c.coders:
            files = [self.marks[k] for k in ((coder, "done"), (coder, "open")) if k in self.marks]
            if not files:
                continue
            with zf.open(_info(f"sources/{guid(self.pns, 'marks', coder)}.txt"), "w", force_zip64=True) as member:
                for f in files:
                    f.seek(0)
                    shutil.copyfileobj(f, member, X.CHUNK)


def _copy(src: IO[bytes], dst: IO[bytes], size: int) -> None:
    while size > 0:
        chunk = src.read(min(size, X.CHUNK))
        if not chunk:
            raise OSError("a temporary file of the export ended early")
        dst.write(chunk)
        size -= len(chunk)


def write_qdpx(out: Path, content: QdpxContent, *, lang: str = "both") -> QdpxStats:
    """Write ``content`` as a REFI-QDA ``.qdpx`` to ``out``.

    Selections go into the sources of ``lang`` (``zh``, ``en`` or ``both``) of each segment (the
    other language's when the segment has no text in those).
    """
    with ExitStack() as spools:
        writer = _QdpxWriter(content, ("zh", "en") if lang == "both" else (lang,), spools)
        with atomic_binary(out) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
            with zf.open(_info("project.qde"), "w", force_zip64=True) as member:
                xml = X.XmlStream(member.write)
                writer.write_project(xml)
                xml.flush()
            writer.write_files(zf)
        return writer.stats

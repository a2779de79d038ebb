"""REFI-QDA exports: a whole coded project (``.qdpx``) or the codebook alone (``.qdc``).

Layout of a ``.qdpx`` written here (REFI-QDA 1.5, valid against ``Project.xsd``):

* one plain-text source per document and language, ``sources/<guid>.txt``, UTF-8 with LF and no
  BOM, named ``<document>.<lang>.txt``. Each segment is one paragraph, ``speaker：text`` (``:``
  in English), paragraphs separated by one blank line; blank lines inside a segment are
  collapsed to a single line break so that paragraphs and segments stay one to one;
* the facets as non-codable parent codes named ``<facet id>: <label>``, their codes as codable
  children named ``<code id>: <zh label> / <en label>``, with colours and a description holding
  the definition, when to use / not to use and the keywords;
* per coder, segment and language one ``PlainTextSelection`` over the segment's paragraph (code
  points, end exclusive) in the Chinese and in the English source (or only the one asked for),
  created by that coder (``Users`` are the coders; the project's creating user is the first),
  holding one ``Coding`` per code dated when the code was applied; a memo is the selection's
  ``Description`` (where QualCoder reads it) and a ``Note`` the selection refers to, created by
  the coder (annotator's importer reads the two as one memo);
* "done, no code applies" marks and work not yet marked done in one note per coder
  (``annotator.io.refi_marks``);
* a memo on a document or a code becomes a ``Note`` (created by its coder) that each source of
  the document, or the code, refers to with a ``NoteRef``;
* document attributes as text ``Variables``, valued on each ``TextSource`` (where QualCoder
  reads them) and on one ``Case`` per document.

GUIDs are uuid5 of the project's creation stamp and the object's ids, so exporting the same
project twice gives the same GUIDs; the project's ``creationDateTime`` is when it was created.
Segment times and archived codes are not part of the export.
"""

from __future__ import annotations

import hashlib
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from annotator.files import atomic_binary
from annotator.io.refi_marks import DESCRIPTION as MARKS_DESCRIPTION
from annotator.io.refi_marks import is_marks_note, marks_name, marks_text
from annotator.model import Code, Codebook, CoderState, Document, Facet, Segment, Span, WorkDates

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "annotator"
COLOR_RE = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
_BLANK_LINES = re.compile(r"\n\s*\n")
LANG_NAMES = {"zh": "Chinese", "en": "English"}


def _origin() -> str:
    try:
        from importlib.metadata import version

        return f"{ORIGIN} {version('annotator')}"
    except Exception:  # not installed as a distribution
        return ORIGIN


def project_namespace(seed: str) -> uuid.UUID:
    """The namespace of a project's GUIDs, from its creation stamp (else its file name)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"annotator:project:{seed}")


def guid(ns: uuid.UUID, *parts: str) -> str:
    """``uuid5(ns, "/".join(parts))`` in upper case, computed without building a UUID object
    (an export makes one per selection and coding)."""
    digest = bytearray(hashlib.sha1(ns.bytes + "/".join(parts).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex().upper()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def facet_name(facet: Facet) -> str:
    label = " / ".join(x for x in (facet.label.zh, facet.label.en) if x)
    return f"{facet.id}: {label}" if label else facet.id


def code_name(code: Code) -> str:
    label = " / ".join(x for x in (code.label.zh, code.label.en) if x)
    return f"{code.id}: {label}" if label else code.id


def code_description(code: Code) -> str:
    parts: list[str] = []
    for title, text in (("Definition", code.definition), ("When to use", code.when_to_use),
                        ("When not to use", code.when_not_to_use)):
        for lang, value in (("zh", text.zh), ("en", text.en)):
            if value:
                parts.append(f"{title} ({lang}): {value}")
    if code.keywords_zh or code.keywords_en:
        parts.append("Keywords: " + ", ".join([*code.keywords_zh, *code.keywords_en]))
    if code.key:
        parts.append(f"Key: {code.key}")
    if code.implies:
        parts.append("Implies: " + ", ".join(f"{facet}={target}" for facet, target in code.implies))
    return "\n".join(parts)


def _sub(parent: ET.Element, ns: str, tag: str, **attrs: str | None) -> ET.Element:
    return ET.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})


def _codes_element(parent: ET.Element, ns: str, codebook: Codebook, pns: uuid.UUID,
                   note_refs: dict[tuple[str, str], list[str]] | None = None) -> None:
    codes = _sub(parent, ns, "Codes")
    for facet in codebook.facets:
        fel = _sub(codes, ns, "Code", guid=guid(pns, "facet", facet.id), name=facet_name(facet),
                   isCodable="false")
        desc = " / ".join(x for x in (facet.description.zh, facet.description.en) if x)
        kind = "several codes per segment" if facet.multiple else "one code per segment"
        _sub(fel, ns, "Description").text = f"{desc}\n({kind})" if desc else f"({kind})"
        for code in facet.codes:
            color = code.color if code.color and COLOR_RE.match(code.color) else None
            cel = _sub(fel, ns, "Code", guid=guid(pns, "code", code.id), name=code_name(code),
                       isCodable="true", color=color)
            text = code_description(code)
            if text:
                _sub(cel, ns, "Description").text = text
            for ng in (note_refs or {}).get(("code", code.id), []):
                _sub(cel, ns, "NoteRef", targetGUID=ng)


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def codebook_xml(codebook: Codebook, pns: uuid.UUID) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (valid against ``Codebook.xsd``)."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": _origin()})
    _codes_element(root, CODEBOOK_NS, codebook, pns)
    return _xml_bytes(root)


def write_qdc(out: Path, codebook: Codebook, pns: uuid.UUID) -> int:
    """Write the codebook to ``out``; the number of codes."""
    data = codebook_xml(codebook, pns)
    with atomic_binary(out) as f:
        f.write(data)
    return len(codebook.codes)


def paragraph(segment: Segment, lang: str) -> str:
    """A segment as one paragraph of a source: ``speaker：text`` with no blank line inside."""
    text = _BLANK_LINES.sub("\n", segment.text(lang).replace("\r\n", "\n").replace("\r", "\n")).strip("\n")
    if segment.speaker:
        sep = "：" if lang == "zh" else ": "
        return f"{segment.speaker}{sep}{text}"
    return text


@dataclass
class SourceText:
    """One source: its text and each segment's [start, end) range in code points."""

    text: str
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)


def build_source(segments: list[Segment], lang: str) -> SourceText:
    parts: list[str] = []
    ranges: dict[str, tuple[int, int]] = {}
    pos = 0
    for i, seg in enumerate(segments):
        if i:
            parts.append("\n\n")
            pos += 2
        para = paragraph(seg, lang)
        ranges[seg.id] = (pos, pos + len(para))
        parts.append(para)
        pos += len(para)
    return SourceText("".join(parts) + "\n", ranges)


@dataclass
class QdpxStats:
    sources: int = 0
    selections: int = 0
    codings: int = 0
    notes: int = 0
    users: int = 0
    #: "done, no code applies" marks, carried in each coder's done-marks note
    done_without_codes: int = 0


@dataclass(frozen=True)
class TargetNote:
    """A coder's memo on a document or a code (``kind`` is ``document`` or ``code``)."""

    kind: str
    target: str
    coder: str
    text: str


@dataclass
class QdpxContent:
    """What goes into a ``.qdpx``: the project's name and GUID namespace, its codebook, documents,
    each document's segments (``segments_of``, called once per document) and the coders' work
    (segment → coder → state) of ``coders``; when each piece of work was made (``dates``, by
    (coder, segment)), when the project was created and when each coder joined, and their memos on documents
    and codes."""

    name: str
    namespace: uuid.UUID
    codebook: Codebook
    documents: list[Document]
    segments_of: Callable[[str], Iterable[Segment]]
    states: dict[str, dict[str, CoderState]]
    coders: list[str]
    dates: dict[tuple[str, str], WorkDates] = field(default_factory=dict)
    created: str | None = None
    #: (coder, segment) → the parts of the segment annotations were made on, where narrower
    spans: dict[tuple[str, str], list[Span]] = field(default_factory=dict)
    target_notes: list[TargetNote] = field(default_factory=list)


class _QdpxBuilder:
    """Builds the ``project.qde`` tree and the source files of a ``.qdpx``."""

    def __init__(self, content: QdpxContent, langs: tuple[str, ...]):
        self.c = content
        self.langs = langs
        self.pns = content.namespace
        self.stamp = refi_stamp(content.created) or now_stamp()
        self.stats = QdpxStats(users=len(content.coders))
        self.code_ids = {c.id for c in content.codebook.codes}
        self.user_guid = {c: guid(self.pns, "user", c) for c in content.coders}
        self.files: list[tuple[str, str]] = []  # (archive name, text)
        self.notes: list[tuple[str, str, str, str, str, str]] = []  # guid, name, text, coder, date, description
        self.noted: set[str] = set()
        self.marks: dict[str, tuple[list[str], list[str]]] = {c: ([], []) for c in content.coders}
        self.doc_sources: dict[str, list[str]] = {}
        self.keys = sorted({k for d in content.documents for k in d.attributes})
        self.note_refs = self._target_notes()
        ET.register_namespace("", PROJECT_NS)
        attrs = {"name": content.name, "origin": _origin(), "creationDateTime": self.stamp}
        if content.coders:
            attrs["creatingUserGUID"] = self.user_guid[content.coders[0]]
        self.root = ET.Element(f"{{{PROJECT_NS}}}Project", attrs)

    def build(self) -> bytes:
        ns, root = PROJECT_NS, self.root
        if self.c.coders:
            users = _sub(root, ns, "Users")
            for c in self.c.coders:
                _sub(users, ns, "User", guid=self.user_guid[c], name=c, id=c)
        _codes_element(_sub(root, ns, "CodeBook"), ns, self.c.codebook, self.pns, self.note_refs)
        if self.keys:
            variables = _sub(root, ns, "Variables")
            for k in self.keys:
                _sub(variables, ns, "Variable", guid=guid(self.pns, "variable", k), name=k,
                     typeOfVariable="Text")
        sources_el = ET.Element(f"{{{ns}}}Sources")
        for doc in self.c.documents:
            self._document(sources_el, doc)
        if self.keys:
            self._cases()
        if len(sources_el):
            root.append(sources_el)
        self._marks_notes()
        self._notes()
        return _xml_bytes(root)

    def _document(self, sources_el: ET.Element, doc: Document) -> None:
        segments = list(self.c.segments_of(doc.id))
        langs = [lg for lg in ("zh", "en") if any(s.text(lg) for s in segments)]
        built = {lg: build_source(segments, lg) for lg in langs}
        sel_langs = {s.id: self._selection_langs(s, langs) for s in segments}
        for s in segments:
            self._note_marks(s.id)
        for lg in langs:
            sg = guid(self.pns, "source", doc.id, lg)
            self.doc_sources.setdefault(doc.id, []).append(sg)
            src = _sub(sources_el, PROJECT_NS, "TextSource", guid=sg, name=f"{doc.id}.{lg}.txt",
                       plainTextPath=f"internal://{sg}.txt", creationDateTime=self.stamp)
            title = doc.title if doc.title and doc.title != doc.id else ""
            _sub(src, PROJECT_NS, "Description").text = (
                f"{title} ({LANG_NAMES[lg]})" if title else f"{doc.id} ({LANG_NAMES[lg]})")
            self.files.append((f"sources/{sg}.txt", built[lg].text))
            self.stats.sources += 1
            for seg in segments:
                if lg in sel_langs[seg.id]:
                    self._selections(src, seg, built[lg].ranges[seg.id], lg)
            for ng in self.note_refs.get(("document", doc.id), []):
                _sub(src, PROJECT_NS, "NoteRef", targetGUID=ng)
            self._variable_values(src, doc)

    def _selection_langs(self, seg: Segment, langs: list[str]) -> tuple[str, ...]:
        """The sources a segment's selections go into: the chosen ones where it has text, else
        the other language's."""
        chosen = tuple(lg for lg in self.langs if seg.text(lg) and lg in langs)
        return chosen or tuple(lg for lg in langs if seg.text(lg))[:1]

    def _note_marks(self, sid: str) -> None:
        for coder in self.c.coders:
            st = self.c.states.get(sid, {}).get(coder, CoderState())
            codes = [c for c in st.codes if c in self.code_ids]
            if st.done and not codes:
                self.stats.done_without_codes += 1
                self.marks[coder][0].append(sid)
            if not st.done and (codes or st.memo):
                self.marks[coder][1].append(sid)

    def _selections(self, src: ET.Element, seg: Segment, span: tuple[int, int], lang: str) -> None:
        ns, pns = PROJECT_NS, self.pns
        for coder in self.c.coders:
            st = self.c.states.get(seg.id, {}).get(coder, CoderState())
            codes = sorted(c for c in st.codes if c in self.code_ids)
            if not codes and not st.memo:
                continue
            dates = self.c.dates.get((coder, seg.id), WorkDates())
            user = self.user_guid[coder]
            narrow = self._narrow(seg, coder, lang, span, codes)
            for code, (a, b) in narrow:
                self._narrow_selection(src, seg, coder, code, lang, (a, b), dates)
            codes = [c for c in codes if c not in {code for code, _ in narrow}]
            if not codes and not st.memo:
                continue
            sel = _sub(src, ns, "PlainTextSelection", guid=guid(pns, "selection", seg.id, coder, lang),
                       name=seg.id, startPosition=str(span[0]), endPosition=str(span[1]),
                       creatingUser=user, creationDateTime=refi_stamp(dates.first()) or self.stamp)
            if st.memo:  # QualCoder and others read a selection's memo from its description
                _sub(sel, ns, "Description").text = st.memo
            self.stats.selections += 1
            for code in codes:
                coding = _sub(sel, ns, "Coding", guid=guid(pns, "coding", seg.id, coder, code, lang),
                              creatingUser=user,
                              creationDateTime=refi_stamp(dates.codes.get(code)) or self.stamp)
                _sub(coding, ns, "CodeRef", targetGUID=guid(pns, "code", code))
                self.stats.codings += 1
            if st.memo:
                ng = guid(pns, "note", seg.id, coder)
                _sub(sel, ns, "NoteRef", targetGUID=ng)
                if ng not in self.noted:
                    self.noted.add(ng)
                    self.notes.append((ng, f"memo {seg.id} ({coder})", st.memo, coder,
                                       refi_stamp(dates.memo_at) or self.stamp, ""))

    def _target_notes(self) -> dict[tuple[str, str], list[str]]:
        """Note GUIDs per (kind, target) of the exported coders' memos on documents and live codes."""
        docs = {d.id for d in self.c.documents}
        refs: dict[tuple[str, str], list[str]] = {}
        for n in self.c.target_notes:
            known = docs if n.kind == "document" else self.code_ids if n.kind == "code" else set()
            if n.target not in known or n.coder not in self.user_guid:
                continue
            ng = guid(self.pns, "note", n.kind, n.target, n.coder)
            refs.setdefault((n.kind, n.target), []).append(ng)
            self.notes.append((ng, f"memo {n.kind} {n.target} ({n.coder})", n.text, n.coder, self.stamp, ""))
        return refs

    def _narrow(self, seg: Segment, coder: str, lang: str, span: tuple[int, int],
                codes: list[str]) -> list[tuple[str, tuple[int, int]]]:
        """(code, source range) of each span of the coder's codes here in ``lang``; none when the
        paragraph does not hold the segment's text as it is (blank lines collapsed)."""
        spans = [x for x in self.c.spans.get((coder, seg.id), []) if x.lang == lang and x.code in codes]
        text = seg.text(lang)
        para = paragraph(seg, lang)
        if not spans or not text or not para.endswith(text):
            return []
        body = span[0] + len(para) - len(text)
        return [(x.code, (body + x.start, body + min(x.end, len(text)))) for x in spans
                if x.start < len(text)]

    def _narrow_selection(self, src: ET.Element, seg: Segment, coder: str, code: str, lang: str,
                          at: tuple[int, int], dates: WorkDates) -> None:
        ns, pns, user = PROJECT_NS, self.pns, self.user_guid[coder]
        when = refi_stamp(dates.codes.get(code)) or self.stamp
        sel = _sub(src, ns, "PlainTextSelection", guid=guid(pns, "span", seg.id, coder, code, lang, str(at[0])),
                   name=seg.id, startPosition=str(at[0]), endPosition=str(at[1]),
                   creatingUser=user, creationDateTime=when)
        coding = _sub(sel, ns, "Coding", guid=guid(pns, "span-coding", seg.id, coder, code, lang, str(at[0])),
                      creatingUser=user, creationDateTime=when)
        _sub(coding, ns, "CodeRef", targetGUID=guid(pns, "code", code))
        self.stats.selections += 1
        self.stats.codings += 1

    def _variable_values(self, parent: ET.Element, doc: Document) -> None:
        for k in self.keys:
            if k in doc.attributes:
                vv = _sub(parent, PROJECT_NS, "VariableValue")
                _sub(vv, PROJECT_NS, "VariableRef", targetGUID=guid(self.pns, "variable", k))
                _sub(vv, PROJECT_NS, "TextValue").text = str(doc.attributes[k])

    def _cases(self) -> None:
        cases = _sub(self.root, PROJECT_NS, "Cases")
        for doc in self.c.documents:
            case = _sub(cases, PROJECT_NS, "Case", guid=guid(self.pns, "case", doc.id), name=doc.id)
            self._variable_values(case, doc)
            for sg in self.doc_sources.get(doc.id, []):
                _sub(case, PROJECT_NS, "SourceRef", targetGUID=sg)

    def _marks_notes(self) -> None:
        for coder in self.c.coders:
            done, open_ = self.marks[coder]
            if done or open_:
                self.notes.append((guid(self.pns, "marks", coder), marks_name(coder),
                                   marks_text(done, open_), coder, self.stamp, MARKS_DESCRIPTION))

    def _notes(self) -> None:
        if not self.notes:
            return
        notes_el = _sub(self.root, PROJECT_NS, "Notes")
        for ng, name, text, coder, date, description in self.notes:
            note = _sub(notes_el, PROJECT_NS, "Note", guid=ng, name=name,
                        creatingUser=self.user_guid[coder], creationDateTime=date)
            if description:
                _sub(note, PROJECT_NS, "Description").text = description
            if is_marks_note(name):  # a file, so that QualCoder keeps it as a journal and writes it back
                note.set("plainTextPath", f"internal://{ng}.txt")
                self.files.append((f"sources/{ng}.txt", text + "\n"))
            else:
                _sub(note, PROJECT_NS, "PlainTextContent").text = text
                self.stats.notes += 1


def refi_stamp(stamp: str | None) -> str | None:
    """A stored time stamp as an ``xsd:dateTime`` REFI-QDA tools read (to the second, UTC)."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_stamp() -> str:
    """UTC time to the second, as REFI-QDA's ``creationDateTime`` wants it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_qdpx(out: Path, content: QdpxContent, *, lang: str = "both") -> QdpxStats:
    """Write ``content`` as a REFI-QDA ``.qdpx`` to ``out``.

    Selections go into the sources of ``lang`` (``zh``, ``en`` or ``both``) of each segment (the
    other language's when the segment has no text in those).
    """
    builder = _QdpxBuilder(content, ("zh", "en") if lang == "both" else (lang,))
    data = builder.build()
    with atomic_binary(out) as f:
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
            _write(zf, "project.qde", data)
            for name, text in builder.files:
                _write(zf, name, text.encode("utf-8"))
    return builder.stats


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # stable bytes for equal input
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)

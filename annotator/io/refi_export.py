"""REFI-QDA exports: a whole coded project (``.qdpx``) or the codebook alone (``.qdc``).

Layout of a ``.qdpx`` written here (REFI-QDA 1.5, valid against ``Project.xsd``):

* one plain-text source per document and language, ``sources/<guid>.txt``, UTF-8 with LF and no
  BOM, named ``<document>.<lang>.txt``. Each segment is one paragraph, ``speaker：text`` (``:``
  in English), paragraphs separated by one blank line; blank lines inside a segment are
  collapsed to a single line break so that paragraphs and segments stay one to one;
* the facets as non-codable parent codes named ``<facet id>: <label>``, their codes as codable
  children named ``<code id>: <zh label> / <en label>``, with colours and a description holding
  the definition, when to use / not to use and the keywords;
* per coder and segment one ``PlainTextSelection`` over the segment's paragraph (code points,
  end exclusive) in the source of the chosen language, created by that coder (``Users`` are the
  coders), holding one ``Coding`` per code; a memo becomes a ``Note`` the selection refers to;
* document attributes as text ``Variables`` with one ``Case`` per document.

GUIDs are uuid5 of the project's creation stamp and the object's ids, so exporting the same
project twice gives the same GUIDs. Done marks without codes or memo, segment times and
archived codes are not part of the export.
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
from typing import IO

from annotator.files import atomic_binary
from annotator.model import Code, Codebook, CoderState, Document, Facet, Segment

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
    return "\n".join(parts)


def _sub(parent: ET.Element, ns: str, tag: str, **attrs: str | None) -> ET.Element:
    return ET.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})


def _codes_element(parent: ET.Element, ns: str, codebook: Codebook, pns: uuid.UUID) -> None:
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
    #: "done, no code applies" marks, which REFI-QDA has no place for
    done_without_codes: int = 0


@dataclass
class QdpxContent:
    """What goes into a ``.qdpx``: the project's name and GUID namespace, its codebook, documents,
    each document's segments (``segments_of``) and the coders' work on them (``work_of``), of
    ``coders``. The writer asks for one document at a time, twice (the XML, then the sources)."""

    name: str
    namespace: uuid.UUID
    codebook: Codebook
    documents: list[Document]
    segments_of: Callable[[str], Iterable[Segment]]
    #: segment → coder → state for one document's segments (called once per document)
    work_of: Callable[[str], dict[str, dict[str, CoderState]]]
    coders: list[str]
    #: document → the languages its segments have text in ("zh", "en" order)
    languages: dict[str, list[str]]


class _QdpxBuilder:
    """Writes the ``project.qde`` of a ``.qdpx`` as it goes, one document at a time, and then
    the source files: memory holds one document, never the whole project's XML."""

    def __init__(self, content: QdpxContent, lang: str):
        self.c = content
        self.lang = lang
        self.pns = content.namespace
        self.stamp = now_stamp()
        self.stats = QdpxStats(users=len(content.coders))
        self.code_ids = {c.id for c in content.codebook.codes}
        self.user_guid = {c: guid(self.pns, "user", c) for c in content.coders}
        self.notes: list[tuple[str, str, str]] = []  # (guid, name, text)
        self.doc_sources: dict[str, list[str]] = {}
        self.work: dict[str, dict[str, CoderState]] = {}
        ET.register_namespace("", PROJECT_NS)

    def write(self, zf: zipfile.ZipFile) -> None:
        with zf.open(_info("project.qde"), "w", force_zip64=True) as raw:
            out = _XmlOut(raw)
            self._project(out)
        for doc in self.c.documents:
            segments = list(self.c.segments_of(doc.id))
            for lg in _langs(segments):
                sg = guid(self.pns, "source", doc.id, lg)
                with zf.open(_info(f"sources/{sg}.txt"), "w", force_zip64=True) as raw:
                    raw.write(build_source(segments, lg).text.encode("utf-8"))

    def _project(self, out: _XmlOut) -> None:
        ns = PROJECT_NS
        root = ET.Element(f"{{{ns}}}Project", {
            "name": self.c.name, "origin": _origin(), "creationDateTime": self.stamp})
        out.open_root(root)
        if self.c.coders:
            users = ET.Element(f"{{{ns}}}Users")
            for c in self.c.coders:
                _sub(users, ns, "User", guid=self.user_guid[c], name=c, id=c)
            out.child(users, 1)
        book = ET.Element(f"{{{ns}}}CodeBook")
        _codes_element(book, ns, self.c.codebook, self.pns)
        out.child(book, 1)
        keys = sorted({k for d in self.c.documents for k in d.attributes})
        if keys:
            variables = ET.Element(f"{{{ns}}}Variables")
            for k in keys:
                _sub(variables, ns, "Variable", guid=guid(self.pns, "variable", k), name=k,
                     typeOfVariable="Text")
            out.child(variables, 1)
        if keys:
            for doc in self.c.documents:
                self.doc_sources[doc.id] = [guid(self.pns, "source", doc.id, lg)
                                            for lg in self.c.languages.get(doc.id, [])]
            out.child(self._cases(keys), 1)
        opened = False
        for doc in self.c.documents:
            for source in self._document(doc):
                if not opened:
                    out.raw("\n  <Sources>")
                    opened = True
                out.child(source, 2)
        if opened:
            out.raw("\n  </Sources>")
        if self.notes:
            out.child(self._notes(), 1)
        out.raw("\n</Project>\n")

    def _document(self, doc: Document) -> list[ET.Element]:
        segments = list(self.c.segments_of(doc.id))
        self.work = self.c.work_of(doc.id)
        langs = _langs(segments)
        built = {lg: build_source(segments, lg) for lg in langs}
        lang = self.lang
        sel_lang = {s.id: (lang if s.text(lang) or lang not in built or not langs else
                           next((lg for lg in langs if s.text(lg)), lang)) for s in segments}
        sources: list[ET.Element] = []
        for lg in langs:
            sg = guid(self.pns, "source", doc.id, lg)
            src = ET.Element(f"{{{PROJECT_NS}}}TextSource", {
                "guid": sg, "name": f"{doc.id}.{lg}.txt", "plainTextPath": f"internal://{sg}.txt",
                "creationDateTime": self.stamp})
            title = doc.title if doc.title and doc.title != doc.id else ""
            _sub(src, PROJECT_NS, "Description").text = (
                f"{title} ({LANG_NAMES[lg]})" if title else f"{doc.id} ({LANG_NAMES[lg]})")
            self.stats.sources += 1
            for seg in segments:
                if sel_lang[seg.id] == lg:
                    self._selections(src, seg, built[lg].ranges[seg.id])
            sources.append(src)
        return sources

    def _selections(self, src: ET.Element, seg: Segment, span: tuple[int, int]) -> None:
        ns, pns, stamp = PROJECT_NS, self.pns, self.stamp
        for coder in self.c.coders:
            st = self.work.get(seg.id, {}).get(coder, CoderState())
            codes = sorted(c for c in st.codes if c in self.code_ids)
            if st.done and not codes:
                self.stats.done_without_codes += 1
            if not codes and not st.memo:
                continue
            sel = _sub(src, ns, "PlainTextSelection", guid=guid(pns, "selection", seg.id, coder),
                       name=seg.id, startPosition=str(span[0]), endPosition=str(span[1]),
                       creatingUser=self.user_guid[coder], creationDateTime=stamp)
            self.stats.selections += 1
            for code in codes:
                coding = _sub(sel, ns, "Coding", guid=guid(pns, "coding", seg.id, coder, code),
                              creatingUser=self.user_guid[coder], creationDateTime=stamp)
                _sub(coding, ns, "CodeRef", targetGUID=guid(pns, "code", code))
                self.stats.codings += 1
            if st.memo:
                ng = guid(pns, "note", seg.id, coder)
                _sub(sel, ns, "NoteRef", targetGUID=ng)
                self.notes.append((ng, f"memo {seg.id} ({coder})", st.memo))

    def _cases(self, keys: list[str]) -> ET.Element:
        ns = PROJECT_NS
        cases = ET.Element(f"{{{ns}}}Cases")
        for doc in self.c.documents:
            case = _sub(cases, ns, "Case", guid=guid(self.pns, "case", doc.id), name=doc.id)
            for k in keys:
                if k in doc.attributes:
                    vv = _sub(case, ns, "VariableValue")
                    _sub(vv, ns, "VariableRef", targetGUID=guid(self.pns, "variable", k))
                    _sub(vv, ns, "TextValue").text = str(doc.attributes[k])
            for sg in self.doc_sources.get(doc.id, []):
                _sub(case, ns, "SourceRef", targetGUID=sg)
        return cases

    def _notes(self) -> ET.Element:
        notes_el = ET.Element(f"{{{PROJECT_NS}}}Notes")
        for ng, name, text in self.notes:
            note = _sub(notes_el, PROJECT_NS, "Note", guid=ng, name=name, creationDateTime=self.stamp)
            _sub(note, PROJECT_NS, "PlainTextContent").text = text
            self.stats.notes += 1
        return notes_el


def _langs(segments: list[Segment]) -> list[str]:
    return [lg for lg in ("zh", "en") if any(s.text(lg) for s in segments)]


class _XmlOut:
    """Writes an XML document piece by piece, indented as ``ET.indent`` would indent it whole."""

    _XMLNS = f' xmlns="{PROJECT_NS}"'

    def __init__(self, raw: IO[bytes]):
        self.out = raw

    def raw(self, text: str) -> None:
        self.out.write(text.encode("utf-8"))

    def open_root(self, root: ET.Element) -> None:
        whole = ET.tostring(root, encoding="unicode")  # '<Project xmlns=... />'
        self.raw("<?xml version='1.0' encoding='utf-8'?>\n" + whole[: -len(" />")] + ">")

    def child(self, element: ET.Element, level: int) -> None:
        """``element`` at depth ``level`` (the root's namespace declared once, on the root)."""
        ET.indent(element, space="  ", level=level)
        text = ET.tostring(element, encoding="unicode").replace(self._XMLNS, "", 1)
        self.raw("\n" + "  " * level + text)


def now_stamp() -> str:
    """UTC time to the second, as REFI-QDA's ``creationDateTime`` wants it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_qdpx(out: Path, content: QdpxContent, *, lang: str = "zh") -> QdpxStats:
    """Write ``content`` as a REFI-QDA ``.qdpx`` to ``out``, streamed into the archive.

    Selections go into the ``lang`` source of each segment (the other language when the segment
    has no text in ``lang``).
    """
    builder = _QdpxBuilder(content, lang)
    with atomic_binary(out) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as zf:
        builder.write(zf)
    return builder.stats


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # stable bytes for equal input
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info

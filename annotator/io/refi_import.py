"""Importing coded projects written by other QDA tools (REFI-QDA ``.qdpx``).

* Text sources become documents, their paragraphs (text between blank lines) segments; a leading
  ``Name:`` / ``Name：`` becomes the speaker. A source with no text (missing file, empty) is
  reported and skipped. Picture, PDF, audio and video sources are reported, not imported.
* The code tree becomes one facet (several codes per segment) whose codes are every codable
  code, labelled with its path (``parent / child``) and given an id slugified from it.
  Non-codable folders are not codes (reported). With ``mapping`` (CSV ``theirs,ours`` or a YAML
  mapping) the codes are mapped onto the project's own codebook instead and unmapped codings are
  reported.
* Each coding becomes an annotation of its user (by ``User/@name``, else the GUID; a coding
  with no user goes to the project's creating user or the only user) on every segment its
  selection overlaps, dated as the file dates it; those segments are marked done for that coder.
  Selection descriptions and notes become the coder's memo on those segments (the same text in
  both counts once); a selection with only a memo does not mark a segment done. A selection
  narrower than its segment is kept as a span of the annotation; codings merged into one
  annotation are counted.
* Positions are Unicode code points, end exclusive. When a source holds ``\r\n`` the importer
  decides per source whether the tool counted it as one character (ATLAS.ti) or two (NVivo,
  MAXQDA, QualCoder), checking the selections' names against the text where there are names.
* A ``.qdpx`` written by annotator itself (``origin="annotator ..."``), or written again by
  another tool that kept annotator's names, is read in its own dialect: facet and code ids,
  labels, colours and definitions (a code written inside the code it implies goes back to the
  facet its description names), the pairing of Chinese and English sources into one document,
  segments one to one with paragraphs, and the done marks of ``annotator.io.refi_marks``.
* Notes a text source or a code refers to become memos on that document or code, as their
  writer's. What is not imported is counted in the summary: media sources, notes nothing
  imported refers to (journals, memos of the project), cases linked to no source, sets, graphs,
  links, codings of whole sources or of codes not in the tree, selections outside the text.

Hostile archives are refused by ``safe_zip`` (escaping paths, bombs) and ``defusedxml`` (DTDs,
entities). ``read_qdpx`` reads the archive and ``plan_qdpx`` turns it into an ``ImportPlan``,
both with no project open; ``annotator.storage.plan_writer`` writes the plan in one transaction.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from annotator.codebook import ID_RE
from annotator.errors import ImportFormatError
from annotator.io.refi_marks import NAME_PREFIX as MARKS_PREFIX
from annotator.io.refi_marks import is_marks_note, parse_marks
from annotator.io.safe_zip import SafeZip
from annotator.io.transcripts import IDEOGRAPHS
from annotator.model import (
    RESERVED_KEYS,
    Bilingual,
    Code,
    Codebook,
    CoderState,
    Document,
    Facet,
    ImportPlan,
    ImportSummary,
    Segment,
    Span,
    TargetNote,
    segment_id,
)
from annotator.special_files import regular_file_problem

_SPEAKER = re.compile(r"^([^:：\n]{1,30}?)(?:：[ \t]*|:[ \t]+)(?=\S)")
_PARA_BREAK = re.compile(r"\n[ \t\r]*\n\s*")
_SLUG = re.compile(r"[^A-Za-z0-9_.\-]+")
_DEFINITION = re.compile(r"^(Definition|When to use|When not to use) \((zh|en)\): (.*)$")
_FIELDS = {"Definition": "definition", "When to use": "when_to_use",
           "When not to use": "when_not_to_use"}
_NESTED_FACET = re.compile(r"^Facet: (\S+), position (\d{1,6})$")  # refi_export.nested_facet_line
_SOURCE_KINDS = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


MAX_XML_BYTES = 200_000_000


def parse_xml(data: bytes, where: str | Path) -> ET.Element:
    """Parse ``data`` (from ``where``, for messages), refusing DTDs, entities and external
    references (REFI-QDA files never need them) before anything is expanded."""
    if len(data) > MAX_XML_BYTES:
        raise ImportFormatError("refused: the XML file is larger than 200 MB", path=where)
    try:
        root: ET.Element = DefusedET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ImportFormatError(
            "refused: the XML declares a DOCTYPE or ENTITY (DTDs and entities are not allowed in"
            " REFI-QDA files)", path=where) from None
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ImportFormatError(f"not well-formed XML: {exc}", path=where, line=line) from None
    return root


def norm_guid(value: str | None) -> str:
    return (value or "").strip().strip("{}").lower()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _text_of(el: ET.Element, name: str) -> str:
    c = _child(el, name)
    return (c.text or "").strip() if c is not None else ""


@dataclass
class RefiCode:
    guid: str
    name: str
    path: str
    codable: bool
    color: str | None
    description: str
    parent: str | None
    depth: int
    #: the GUIDs of the notes the code refers to (memos on it)
    notes: tuple[str, ...] = ()


@dataclass
class Paragraph:
    start: int
    end: int
    text: str


@dataclass
class Source:
    guid: str
    name: str
    text: str | None
    element: ET.Element
    description: str = ""
    crlf: list[int] = field(default_factory=list)  # raw positions of "\r" in "\r\n"
    crlf_as_one: bool = False
    attributes: dict[str, str] = field(default_factory=dict)

    def to_text_pos(self, pos: int) -> int:
        """A vendor position mapped onto the LF-normalised text."""
        if not self.crlf or self.crlf_as_one:
            return pos
        return pos - bisect.bisect_left(self.crlf, pos)


MAX_CODE_DEPTH = 100  # code trees nest a few levels; 3,000 nested <Code> exhausted the stack


def _position(sel: ET.Element, name: str) -> int:
    """A selection's position, 0 where it is not a whole number (such selections are then
    reported as outside their source, not a crash)."""
    try:
        return int(sel.get(name) or 0)
    except ValueError:
        return 0


def collect_codes(codes_el: ET.Element | None) -> list[RefiCode]:
    out: list[RefiCode] = []

    def walk(el: ET.Element, parent: RefiCode | None, depth: int) -> None:
        if depth > MAX_CODE_DEPTH:
            raise ImportFormatError(f"refused: the code tree is nested more than {MAX_CODE_DEPTH}"
                                    " levels deep")
        for c in _children(el, "Code"):
            name = (c.get("name") or "").strip() or "(unnamed)"
            path = f"{parent.path} / {name}" if parent else name
            code = RefiCode(norm_guid(c.get("guid")), name, path,
                            (c.get("isCodable") or "true").strip().lower() in ("true", "1"),
                            c.get("color"), _text_of(c, "Description"),
                            parent.guid if parent else None, depth,
                            tuple(norm_guid(r.get("targetGUID")) for r in _children(c, "NoteRef")))
            out.append(code)
            walk(c, code, depth + 1)

    if codes_el is not None:
        walk(codes_el, None, 0)
    return out


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace")


def _member_for(z: SafeZip, ref: str) -> str | None:
    ref = ref.strip().replace("\\", "/")
    for prefix in ("internal://", "internal:"):
        if ref.lower().startswith(prefix):
            ref = ref[len(prefix):]
            break
    ref = ref.lstrip("/")
    return z.find(f"sources/{ref}") or z.find(ref) or z.find(f"sources/{ref.rsplit('/', 1)[-1]}")


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _score(text: str, sels: list[tuple[int, int, str]], shift: Any) -> int:
    hits = 0
    for start, _end, name in sels:
        want = _collapse(name.rstrip("…").rstrip("."))[:20]
        if len(want) < 4:
            continue
        s = shift(start)
        if _collapse(text[s:s + len(want) * 3])[: len(want)] == want:
            hits += 1
    return hits


def _paragraphs_generic(text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    pos = 0
    bounds = [(m.start(), m.end()) for m in _PARA_BREAK.finditer(text)]
    for brk_start, brk_end in [*bounds, (len(text), len(text))]:
        chunk = text[pos:brk_start]
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        if body:
            out.append(Paragraph(pos + lead, pos + lead + len(body), body))
        pos = brk_end
    return out


def _paragraphs_annotator(text: str) -> list[Paragraph]:
    body = text[:-1] if text.endswith("\n") else text
    out: list[Paragraph] = []
    pos = 0
    for part in body.split("\n\n"):
        out.append(Paragraph(pos, pos + len(part), part))
        pos += len(part) + 2
    return out


def split_speaker(text: str) -> tuple[str | None, str]:
    m = _SPEAKER.match(text)
    if not m or any(ch in m.group(1) for ch in "。.!?！？，,\"“"):
        return None, text
    return m.group(1).strip(), text[m.end():]


def document_slug(text: str, taken: set[str]) -> str:
    """A document id as transcript import makes them (``访谈 01`` → ``访谈_01``: spaces become ``_``,
    letters of any script stay), unique among ``taken`` (which it joins)."""
    base = re.sub(r"[\s/\\:*?\"<>|]+", "_", text.strip()).strip("_")[:64] or "document"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}_{n}"
        n += 1
    taken.add(slug)
    return slug


def slugify(text: str, taken: set[str], fallback: str) -> str:
    """An id from ``text``'s Latin letters and digits; ``<fallback>_<n>`` when it has none (a
    Chinese name: the name stays the label)."""
    base = _SLUG.sub("_", text.strip()).strip("_.-")[:48]
    if not base:
        n = 1
        while f"{fallback}_{n}" in taken:
            n += 1
        taken.add(f"{fallback}_{n}")
        return f"{fallback}_{n}"
    if not ID_RE.match(base):
        base = f"{fallback}_{base}"[:48]
    slug, n = base, 2
    while slug in taken or not ID_RE.match(slug):
        slug = f"{base}_{n}"
        n += 1
    taken.add(slug)
    return slug


def _split_label(label: str) -> Bilingual:
    parts = label.split(" / ")
    if len(parts) == 2 and IDEOGRAPHS.search(parts[0]) and not IDEOGRAPHS.search(parts[1]):
        return Bilingual(parts[0], parts[1])
    return Bilingual(zh=label) if IDEOGRAPHS.search(label) else Bilingual(en=label)


def _code_fields(description: str) -> dict[str, Any]:
    """Definition, when to use and keywords back from an annotator-written description."""
    values: dict[str, dict[str, str]] = {}
    keywords: list[str] = []
    key: str | None = None
    implies: tuple[tuple[str, str], ...] = ()
    current: tuple[str, str] | None = None
    for line in description.splitlines():
        m = _DEFINITION.match(line)
        if m:
            current = (_FIELDS[m.group(1)], m.group(2))
            values.setdefault(current[0], {})[current[1]] = m.group(3)
        elif line.startswith("Key: ") and len(line) == len("Key: ") + 1:
            key = line[-1]
            current = None
        elif line.startswith("Keywords: "):
            keywords = [k.strip() for k in line[len("Keywords: "):].split(",") if k.strip()]
            current = None
        elif line.startswith("Implies: "):
            pairs = (p.strip().partition("=") for p in line[len("Implies: "):].split(","))
            implies = tuple((f, c) for f, sep, c in pairs if sep and f and c)
            current = None
        elif _NESTED_FACET.match(line):
            current = None
        elif current is not None:
            values[current[0]][current[1]] += "\n" + line
    out: dict[str, Any] = {k: Bilingual(v.get("zh", ""), v.get("en", "")) for k, v in values.items()}
    out["keywords_zh"] = tuple(k for k in keywords if IDEOGRAPHS.search(k))
    out["keywords_en"] = tuple(k for k in keywords if not IDEOGRAPHS.search(k))
    if key is not None:
        out["key"] = key
    if implies:
        out["implies"] = implies
    return out


def read_mapping(path: Path) -> dict[str, str]:
    """Their code (name, path or GUID) → our code id, from CSV ``theirs,ours`` or YAML."""
    if problem := regular_file_problem(path):
        raise ImportFormatError(f"the code mapping: {problem}", path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ImportFormatError(f"cannot read the code mapping: {exc.strerror}", path=path) from None
    out: dict[str, str] = {}
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None  # type: ignore[attr-defined]
            reason = getattr(exc, "problem", None) or " ".join(str(exc).split())
            raise ImportFormatError(f"not valid YAML: {reason}", path=path, line=line) from None
        if isinstance(data, list):
            data = {str(d.get("from", d.get("theirs", ""))): d.get("to", d.get("ours"))
                    for d in data if isinstance(d, dict)}
        if not isinstance(data, dict):
            raise ImportFormatError("the mapping must map their code names to our code ids", path=path)
        for k, v in data.items():
            if not isinstance(v, str) or not v.strip():
                raise ImportFormatError(f"code {k!r} is mapped to {v!r}, not a code id", path=path)
            out[str(k).strip()] = v.strip()
        return out
    for lineno, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not any(c.strip() for c in row) or row[0].startswith("#"):
            continue
        if len(row) < 2 or not row[1].strip():
            raise ImportFormatError("expected two columns: their code, our code id", path=path, line=lineno)
        if lineno == 1 and row[0].strip().lower() in ("theirs", "their", "from", "refi", "name"):
            continue
        out[row[0].strip()] = row[1].strip()
    return out


@dataclass
class _Doc:
    id: str
    title: str
    attributes: dict[str, str]
    # per language: (source, paragraphs)
    parts: dict[str, tuple[Source, list[Paragraph]]]


def _lang_of(text: str) -> str:
    sample = text[:5000]
    cjk = len(IDEOGRAPHS.findall(sample))
    letters = sum(ch.isalpha() for ch in sample)
    return "zh" if letters and cjk / letters > 0.2 else "en"


@dataclass
class RefiProject:
    """What a ``.qdpx`` holds, read with no project open."""

    path: Path
    label: str
    origin: str
    users: dict[str, str]
    default_user: str
    codes: list[RefiCode]
    notes: dict[str, str]
    sources: list[Source]
    summary: ImportSummary
    #: coder → (segments done with no code, segments open), from annotator's done-marks notes
    marks: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    #: note GUID → the GUID of the user who wrote it
    note_users: dict[str, str] = field(default_factory=dict)

    @property
    def dialect(self) -> bool:
        """Written by annotator itself (read in its own dialect)."""
        return self.origin.startswith("annotator")


@dataclass
class ImportTarget:
    """What planning an import needs to know of the project it goes into."""

    #: the codebook without archived codes, and with them (their ids stay taken)
    codebook: Codebook
    every_code: Codebook
    document_ids: set[str]
    #: (zh, en) of a stored document's segments in order, to recognise a second import of a file
    stored_texts: Callable[[str], list[tuple[str, str]]]


def _project_root(z: SafeZip, path: Path) -> ET.Element:
    qdes = [n for n in z.names() if n.lower().endswith(".qde")]
    if not qdes:
        raise ImportFormatError("no project.qde inside; is this a REFI-QDA .qdpx?", path=path)
    qdes.sort(key=lambda n: (n.count("/"), n.lower() != "project.qde"))
    qde = qdes[0]
    root = parse_xml(z.read(qde), f"{path}!{qde}")
    if _local(root.tag) != "Project":
        raise ImportFormatError(f"{qde} is not a REFI-QDA project (root <{_local(root.tag)}>)", path=path)
    return root


def _notes(z: SafeZip, root: ET.Element, summary: ImportSummary
           ) -> tuple[dict[str, str], dict[str, tuple[list[str], list[str]]], dict[str, str]]:
    """Notes by GUID, annotator's done marks by coder and each note's creating user; notes that no
    selection, text source or code refers to (journals, memos of the project or of other sources)
    are reported as not imported."""
    notes: dict[str, str] = {}
    users: dict[str, str] = {}
    marks: dict[str, tuple[list[str], list[str]]] = {}
    names: dict[str, str] = {}
    notes_el = _child(root, "Notes")
    for note in _children(notes_el, "Note") if notes_el is not None else []:
        note_text = _text_of(note, "PlainTextContent")
        if not note_text and note.get("plainTextPath"):
            member = _member_for(z, note.get("plainTextPath") or "")
            note_text = _decode(z.read(member)).strip() if member else ""
        name = (note.get("name") or "").strip()
        if is_marks_note(name):
            marks[name[len(MARKS_PREFIX):]] = parse_marks(note_text)
            continue
        notes[norm_guid(note.get("guid"))] = note_text
        names[norm_guid(note.get("guid"))] = name
        users[norm_guid(note.get("guid"))] = norm_guid(note.get("creatingUser"))
    referred = {norm_guid(r.get("targetGUID")) for el in root.iter()
                if _local(el.tag) in ("PlainTextSelection", "TextSource", "Code") for r in _children(el, "NoteRef")}
    loose = [names[g] or g for g in notes if g not in referred]
    if loose:
        summary.dropped.append(f"{len(loose)} note(s) not attached to a text selection, a text source"
                               f" or a code (journals, memos of the project): {', '.join(loose[:5])}"
                               f"{', ...' if len(loose) > 5 else ''}")
    return notes, marks, users


class _Variables:
    """Variable values (document attributes) of a source or a case, by variable name."""

    def __init__(self, root: ET.Element):
        self.names = {norm_guid(v.get("guid")): (v.get("name") or "").strip()
                      for v in _children(_child(root, "Variables") or ET.Element("x"), "Variable")}

    def values_of(self, el: ET.Element) -> dict[str, str]:
        out: dict[str, str] = {}
        for vv in _children(el, "VariableValue"):
            ref = _child(vv, "VariableRef")
            name = self.names.get(norm_guid(ref.get("targetGUID") if ref is not None else None))
            value = next((c.text for c in vv if _local(c.tag) != "VariableRef"), None)
            if name and value is not None:
                out[name] = value.strip()
        return out


def _source_text(z: SafeZip, el: ET.Element, name: str, summary: ImportSummary) -> str | None:
    inline = _child(el, "PlainTextContent")
    if inline is not None:
        return inline.text or ""
    ref = el.get("plainTextPath") or ""
    if not ref:
        summary.warnings.append(f"source {name!r} has no plain text")
        return None
    if ref.lower().startswith(("relative://", "absolute://")):
        summary.warnings.append(f"source {name!r} points outside the archive ({ref}); skipped")
        return None
    member = _member_for(z, ref)
    if member is None:
        summary.warnings.append(f"source {name!r}: file {ref} is missing from the archive")
        return None
    return _decode(z.read(member))


def _sources(z: SafeZip, root: ET.Element, summary: ImportSummary) -> list[Source]:
    variables = _Variables(root)
    sources: list[Source] = []
    sources_el = _child(root, "Sources")
    kinds: Counter[str] = Counter()
    for el in list(sources_el) if sources_el is not None else []:
        kind = _local(el.tag)
        if kind != "TextSource":
            kinds[kind] += 1
            continue
        path_name = (el.get("plainTextPath") or "").replace("\\", "/").rsplit("/", 1)[-1]
        name = (el.get("name") or "").strip() or path_name or norm_guid(el.get("guid"))
        text = _source_text(z, el, name, summary)
        src = Source(norm_guid(el.get("guid")), name, text, el, _text_of(el, "Description"),
                     attributes=variables.values_of(el))
        if text is not None:
            text = text.lstrip("\ufeff")
            src.crlf = [m.start() for m in re.finditer("\r\n", text)]
            src.text = text.replace("\r\n", "\n").replace("\r", "\n")
        sources.append(src)
    loose_cases = 0
    for case in _children(_child(root, "Cases") or ET.Element("x"), "Case"):
        attrs = variables.values_of(case)
        loose_cases += not _children(case, "SourceRef")
        for source_ref in _children(case, "SourceRef"):
            for src in sources:
                if src.guid == norm_guid(source_ref.get("targetGUID")):
                    src.attributes = {**attrs, **src.attributes}
    for kind, n in sorted(kinds.items()):
        summary.dropped.append(f"{n} {kind} source(s) (only text sources are imported)")
    if loose_cases:
        summary.dropped.append(f"{loose_cases} case(s) linked to no source (their variables have"
                               " no document to go to)")
    return sources


def _decide_line_breaks(sources: list[Source], origin: str, summary: ImportSummary) -> None:
    """Per source with ``\r\n``: whether the tool counted it as one character or two."""
    atlas = "atlas.ti" in origin.lower()
    for src in sources:
        if not src.crlf or src.text is None:
            continue
        sels = [(_position(s, "startPosition"), _position(s, "endPosition"), s.get("name") or "")
                for s in _children(src.element, "PlainTextSelection")]
        crlf = src.crlf
        as_two = _score(src.text, sels, lambda p, crlf=crlf: p - bisect.bisect_left(crlf, p))
        as_one = _score(src.text, sels, lambda p: p)
        src.crlf_as_one = as_one > as_two or (as_one == as_two and atlas)
        summary.warnings.append(
            f"source {src.name!r} has Windows line breaks, counted as {'one' if src.crlf_as_one else 'two'}"
            f" character(s) ({max(as_one, as_two)} selection names checked)" if sels else
            f"source {src.name!r} has Windows line breaks")


def read_qdpx(path: Path) -> RefiProject:
    """Read a REFI-QDA project: users, code tree, notes and text sources; what was left out."""
    summary = ImportSummary()
    with SafeZip(path) as z:
        root = _project_root(z, path)
        users = {norm_guid(u.get("guid")): (u.get("name") or "").strip() or norm_guid(u.get("guid"))
                 for u in _children(_child(root, "Users") or ET.Element("x"), "User")}
        codebook_el = _child(root, "CodeBook")
        try:
            refi_codes = collect_codes(_child(codebook_el, "Codes") if codebook_el is not None else None)
        except ImportFormatError as exc:
            raise ImportFormatError(exc.message, path=path) from None
        notes, marks, note_users = _notes(z, root, summary)
        sources = _sources(z, root, summary)
    for tag in ("Links", "Sets", "Graphs"):
        extra = _child(root, tag)
        if extra is not None and len(extra):
            summary.dropped.append(f"{len(extra)} {tag.lower()}")
    origin = root.get("origin") or ""
    _decide_line_breaks(sources, origin, summary)
    return RefiProject(path, root.get("name") or path.stem, origin, users,
                       norm_guid(root.get("creatingUserGUID")), refi_codes, notes, sources, summary,
                       marks, note_users)


def plan_qdpx(refi: RefiProject, target: ImportTarget, mapping: Path | None = None, *,
              mark_done: bool = True) -> ImportPlan:
    """What importing ``refi`` into the project described by ``target`` writes; with ``mapping``
    (a file of their code → our code id) the codings go onto the project's own codes. With
    ``mark_done``, a file from another tool counts every segment of a document as decided by each
    user who coded in that document (see :func:`_mark_coded_documents_done`)."""
    plan = ImportPlan(source=str(refi.path), summary=refi.summary)
    own_tree, own_sources = (True, True) if refi.dialect else recognised_as_own(refi)
    used = _used_codes(refi.sources)
    if mapping is not None:
        to_ours = _mapped_codes(refi, read_mapping(mapping), mapping, target.codebook, used, plan.summary)
    else:
        plan.codebook, to_ours = build_codebook(target, refi.codes, own_tree, refi.label, used,
                                                plan.summary)
        plan.summary.imported.append(f"{len(to_ours)} codes ({len(refi.codes)} in their code tree)")
    docs = (_dialect_documents(refi, plan.summary) if own_sources
            else _generic_documents(refi, plan.summary))
    ranges = _plan_segments(plan, docs, target, own_sources)
    _plan_work(plan, refi, ranges, to_ours, mapped=mapping is not None)
    _apply_marks(plan, refi, docs)
    _plan_notes(plan, refi, docs, to_ours)
    if mark_done and not refi.marks and not own_sources:  # annotator's own files carry their marks
        _mark_coded_documents_done(plan)
    plan.event = {"file": str(refi.path), "documents": [d.id for d in plan.documents]}
    return plan


def _plan_notes(plan: ImportPlan, refi: RefiProject, docs: list[_Doc], to_ours: dict[str, str]) -> None:
    """Memos on documents (notes their sources refer to) and on codes, as each note's writer's."""
    wanted: list[tuple[str, str, str]] = []  # (kind, our id, note GUID)
    for doc, planned in zip(docs, plan.documents, strict=True):
        for source, _paragraphs in doc.parts.values():
            wanted += [("document", planned.id, norm_guid(r.get("targetGUID")))
                       for r in _children(source.element, "NoteRef")]
    wanted += [("code", to_ours[c.guid], ng) for c in refi.codes if c.guid in to_ours for ng in c.notes]
    seen: set[tuple[str, str, str]] = set()
    for kind, target, ng in wanted:
        if ng in refi.notes and (kind, target, ng) not in seen:  # both sources of a document refer to it
            seen.add((kind, target, ng))
            plan.notes.append(TargetNote(kind, target, _coder(refi, refi.note_users.get(ng, "")), refi.notes[ng]))
    if plan.notes:
        plan.summary.imported.append(f"{len(plan.notes)} memo(s) on documents and codes")


def _mark_coded_documents_done(plan: ImportPlan) -> None:
    """Other tools keep no "done" marks: a coding marks only the segments it overlaps, so a segment
    coded by A and left uncoded by B would drop out of agreement (inflating it). A user who coded
    in a document has read all of it: every segment of that document is done for that user, with
    no code where they applied none."""
    by_doc: dict[str, list[str]] = {}
    for seg in plan.segments:
        by_doc.setdefault(seg.document, []).append(seg.id)
    doc_of = {seg.id: seg.document for seg in plan.segments}
    coded = {(coder, doc_of[sid]) for (coder, sid), st in plan.work.items() if st.done and sid in doc_of}
    added = 0
    for coder, doc in sorted(coded):
        for sid in by_doc[doc]:
            before = plan.work.get((coder, sid), CoderState())
            if not before.done:  # not coded (at most a memo): decided, no code applies
                plan.work[(coder, sid)] = CoderState(before.codes, True, before.memo)
                added += 1
    if added:
        plan.summary.imported.append(
            f"{added} uncoded segment(s) marked done, no code, for users who coded in their document"
            " (other tools keep no done marks; import with --no-mark-done to leave them open)")


def _apply_marks(plan: ImportPlan, refi: RefiProject, docs: list[_Doc]) -> None:
    """Done marks with no code, and work not yet done, from annotator's done-marks notes."""
    if not refi.marks:
        return
    by_doc: dict[str, list[Segment]] = {}
    for seg in plan.segments:
        by_doc.setdefault(seg.document, []).append(seg)
    renamed = {segment_id(doc.id, s.position): s.id
               for doc, planned in zip(docs, plan.documents, strict=True) for s in by_doc.get(planned.id, [])}
    done = opened = lost = 0
    for coder, (done_ids, open_ids) in sorted(refi.marks.items()):
        for old, mark_done in [*((x, True) for x in done_ids), *((x, False) for x in open_ids)]:
            sid = renamed.get(old)
            if sid is None:
                lost += 1
                continue
            before = plan.work.get((coder, sid), CoderState())
            plan.work[(coder, sid)] = CoderState(before.codes, mark_done, before.memo)
            done += mark_done
            opened += not mark_done
    plan.summary.imported.append(f"{done} 'done, no code applies' mark(s) and {opened} segment(s)"
                                 " with work not yet done, from annotator's done-marks notes")
    if lost:
        plan.summary.dropped.append(f"{lost} done mark(s) of segments not in the file")


_OWN_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}(?:: \S|$)")
_OWN_KIND = ("(one code per segment)", "(several codes per segment)")


def _own_facet(code: RefiCode) -> bool:
    return (code.parent is None and not code.codable and bool(_OWN_NAME.match(code.name))
            and any(k in code.description for k in _OWN_KIND))


def nested_facet(code: RefiCode) -> tuple[str, int] | None:
    """(facet id, 1-based place) of a code annotator wrote inside the code it implies."""
    if code.depth != 2:
        return None
    for line in code.description.splitlines():
        if m := _NESTED_FACET.match(line):
            return m.group(1), int(m.group(2))
    return None


def own_code_tree(codes: list[RefiCode]) -> bool:
    """The code tree annotator writes, perhaps with codes another tool's user added: at least one
    facet as a folder named ``<id>: <label>`` described by how many codes it takes, and no code
    deeper than a facet's codes but those written inside the code they imply."""
    return any(_own_facet(c) for c in codes) and all(c.depth <= 1 or nested_facet(c) for c in codes)


def recognised_as_own(refi: RefiProject) -> tuple[bool, bool]:
    """Whether a file another tool wrote still holds annotator's code tree, and annotator's
    sources (every text source named ``<document>.zh.txt`` / ``.en.txt``)."""
    tree = own_code_tree(refi.codes)
    texts = [s for s in refi.sources if s.text is not None]
    named = bool(texts) and all(re.search(r"\.(zh|en)\.txt$", s.name) for s in texts)
    found = [what for what, yes in (("facets and codes", tree), ("bilingual sources", named)) if yes]
    if found:
        refi.summary.imported.append(f"recognised annotator's {' and '.join(found)} in a file written"
                                     f" by {refi.origin or 'another tool'}")
    return tree, named


def _used_codes(sources: list[Source]) -> set[str]:
    used: set[str] = set()
    for src in sources:
        for sel in _children(src.element, "PlainTextSelection"):
            for coding in _children(sel, "Coding"):
                ref = _child(coding, "CodeRef")
                used.add(norm_guid(ref.get("targetGUID") if ref is not None else None))
    return used


def _mapped_codes(refi: RefiProject, table: dict[str, str], mapping: Path, codebook: Codebook,
                  used: set[str], summary: ImportSummary) -> dict[str, str]:
    """Their code GUID → our code id, through the mapping ``table``."""
    ours = {c.id for c in codebook.codes}
    unknown = sorted({v for v in table.values() if v not in ours})
    if unknown:
        raise ImportFormatError(
            f"the mapping names codes this project does not have: {', '.join(unknown)}", path=mapping)
    to_ours: dict[str, str] = {}
    for c in refi.codes:
        for key in (c.guid, c.path, c.name):
            if key in table:
                to_ours[c.guid] = table[key]
                break
    refi_by_guid = {c.guid: c for c in refi.codes}
    unmapped = sorted(refi_by_guid[g].path for g in used if g in refi_by_guid and g not in to_ours)
    if unmapped:
        summary.dropped.append(
            f"codings of {len(unmapped)} unmapped code(s): {', '.join(unmapped[:10])}"
            f"{', ...' if len(unmapped) > 10 else ''}")
    summary.imported.append(f"{len(set(to_ours.values()))} of the project's codes mapped from"
                            f" {len(to_ours)} of theirs")
    return to_ours


class _CodeIds:
    """Code and facet ids and keys already taken, and their code GUID → our code id."""

    def __init__(self, target: ImportTarget):
        self.codes = {c.id for c in target.every_code.codes}
        self.facets = {f.id for f in target.every_code.facets}
        self.keys = {c.key for c in target.codebook.codes if c.key}
        self.to_ours: dict[str, str] = {}


def build_codebook(target: ImportTarget, refi_codes: list[RefiCode], dialect: bool, label: str,
                    used: set[str], summary: ImportSummary) -> tuple[Codebook, dict[str, str]]:
    """The project's codebook with the imported codes added, and REFI code GUID → our code id."""
    ids = _CodeIds(target)
    # archived codes stay archived (saving them would revive them)
    current_facets = list(target.codebook.facets)
    if dialect:
        new_facets = _dialect_facets(refi_codes, current_facets, ids)
    else:
        new_facets = _flat_facets(refi_codes, label, used, ids, summary)
    return Codebook(tuple(current_facets) + tuple(new_facets)), ids.to_ours


def _facet_codes(top: RefiCode, by_parent: dict[str | None, list[RefiCode]],
                 placed: dict[str, list[tuple[int, RefiCode]]]) -> list[RefiCode]:
    """A facet folder's codes in order: its own children, and the codes written inside codes of
    other facets put back at their places."""
    fid = top.name.partition(": ")[0]
    direct = by_parent.get(top.guid, [])
    ours = sorted(placed.pop(fid, []), key=lambda x: x[0])
    slots: list[RefiCode | None] = [None] * (len(direct) + len(ours))
    rest: list[RefiCode] = []
    for at, c in ours:
        if 1 <= at <= len(slots) and slots[at - 1] is None:
            slots[at - 1] = c
        else:
            rest.append(c)
    fill = iter([*direct, *rest])
    return [c if c is not None else next(fill) for c in slots]


def _placed_codes(refi_codes: list[RefiCode]) -> dict[str, list[tuple[int, RefiCode]]]:
    """Facet id → (place, code) of the codes written inside a code of another facet."""
    placed: dict[str, list[tuple[int, RefiCode]]] = {}
    for c in refi_codes:
        if (where := nested_facet(c)) is not None:
            placed.setdefault(where[0], []).append((where[1], c))
    return placed


def _dialect_facets(refi_codes: list[RefiCode], current_facets: list[Facet], ids: _CodeIds) -> list[Facet]:
    """Facets from annotator's own code tree: the project's own facets gain new codes in place."""
    by_parent: dict[str | None, list[RefiCode]] = {}
    for c in refi_codes:
        by_parent.setdefault(c.parent, []).append(c)
    placed = _placed_codes(refi_codes)
    loose: list[Code] = []
    new_facets: list[Facet] = []
    for top in by_parent.get(None, []):
        if top.codable:
            loose.append(_dialect_code(top, "refi", ids))
            continue
        fid_text, sep, flabel = top.name.partition(": ")
        if not sep or not _OWN_NAME.match(top.name):  # a folder another tool's user made
            fid_text, flabel = top.name, top.name
        members = _facet_codes(top, by_parent, placed)
        ours = next((i for i, f in enumerate(current_facets) if f.id == fid_text), None)
        if ours is not None:  # the project's own facet: its codes by id, new ones added to it
            facet = current_facets[ours]
            own = {code.id for code in facet.codes}
            added = []
            for c in members:
                cid_text = c.name.partition(": ")[0]
                if cid_text in own:
                    ids.to_ours[c.guid] = cid_text
                else:
                    added.append(_dialect_code(c, facet.id, ids))
            current_facets[ours] = dataclasses.replace(facet, codes=facet.codes + tuple(added))
            continue
        fid = slugify(fid_text, ids.facets, "facet")
        codes = tuple(_dialect_code(c, fid, ids) for c in members)
        desc = top.description
        multiple = "(one code per segment)" not in desc
        desc = desc.replace("(one code per segment)", "").replace("(several codes per segment)", "").strip()
        new_facets.append(Facet(fid, codes, multiple, _split_label(flabel) if flabel else Bilingual(),
                                _split_label(desc) if desc else Bilingual()))
    loose += [_dialect_code(c, "refi", ids) for got in placed.values() for _at, c in got]  # facet not found
    if loose:
        new_facets.append(Facet(slugify("refi", ids.facets, "facet"), tuple(loose), True))
    return new_facets


def _flat_facets(refi_codes: list[RefiCode], label: str, used: set[str], ids: _CodeIds,
                 summary: ImportSummary) -> list[Facet]:
    """Another tool's code tree as one facet of codes labelled with their paths."""
    flat: list[Code] = []
    fid = slugify("refi", ids.facets, "facet")
    skipped = 0
    for c in refi_codes:
        if not c.codable and c.guid not in used:
            skipped += 1
            continue
        cid = slugify(c.path.replace(" / ", "__"), ids.codes, "code")
        ids.to_ours[c.guid] = cid
        color = c.color if c.color and re.match(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$", c.color) else None
        flat.append(Code(cid, fid, _split_label(c.path), definition=_split_label(c.description)
                         if c.description else Bilingual(), color=color))
    if skipped:
        summary.dropped.append(f"{skipped} folder code(s) that are not codable (their children"
                               " are imported with the folder in their label)")
    return [Facet(fid, tuple(flat), True, Bilingual(en=f"Codes from {label}"))] if flat else []


def _dialect_code(c: RefiCode, facet: str, ids: _CodeIds) -> Code:
    cid_text, sep, label = c.name.partition(": ")
    if not sep or not _OWN_NAME.match(c.name):  # a code another tool's user made: its name is the label
        cid_text, label = c.name, c.name
    cid = slugify(cid_text, ids.codes, "code")
    ids.to_ours[c.guid] = cid
    fields = _code_fields(c.description)
    key = fields.pop("key", None)
    if key in ids.keys or key in RESERVED_KEYS:  # taken by a code of the project: the code goes keyless
        key = None
    if key:
        ids.keys.add(key)
    return Code(cid, facet, _split_label(label or cid_text), key=key, color=c.color, **fields)


def _dialect_documents(refi: RefiProject, summary: ImportSummary) -> list[_Doc]:
    """annotator's own sources: ``<doc>.zh.txt`` and ``<doc>.en.txt`` pair into one document."""
    grouped: dict[str, _Doc] = {}
    for src in refi.sources:
        if src.text is None:
            continue
        m = re.match(r"^(.*)\.(zh|en)\.txt$", src.name)
        base, lang = (m.group(1), m.group(2)) if m else (src.name.rsplit(".", 1)[0], _lang_of(src.text))
        title = re.sub(r" \((Chinese|English)\)$", "", src.description) or base
        doc = grouped.get(base)
        if doc is None or lang in doc.parts:
            doc = _Doc(base, title, dict(src.attributes), {})
            grouped[base if base not in grouped else f"{base}.{lang}"] = doc
        doc.parts[lang] = (src, _paragraphs_annotator(src.text))
    docs: list[_Doc] = []
    for doc in grouped.values():
        counts = {len(p) for _s, p in doc.parts.values()}
        if len(counts) > 1:  # the languages no longer pair: one document per source
            for lang, part in doc.parts.items():
                docs.append(_Doc(f"{doc.id}.{lang}", doc.title, doc.attributes, {lang: part}))
                summary.warnings.append(f"{doc.id}: the Chinese and English sources do not pair"
                                        " paragraph by paragraph; imported separately")
        else:
            docs.append(doc)
    return docs


def _generic_documents(refi: RefiProject, summary: ImportSummary) -> list[_Doc]:
    """Another tool's sources: one document each, in the language its text is written in."""
    docs: list[_Doc] = []
    empty = 0
    for src in refi.sources:
        if src.text is None:
            continue
        paras = _paragraphs_generic(src.text)
        if not paras:
            empty += 1
            continue
        base = re.sub(r"\.(txt|docx?|rtf|pdf)$", "", src.name, flags=re.IGNORECASE)
        docs.append(_Doc(base, src.name, dict(src.attributes), {_lang_of(src.text): (src, paras)}))
    if empty:
        summary.dropped.append(f"{empty} source(s) with no text")
    return docs


class Para(NamedTuple):
    """Where a segment is in a source: its paragraph, and the segment's text within it."""

    start: int
    end: int
    sid: str
    body: int  # where the segment's text starts (after the speaker)
    length: int
    lang: str


Ranges = dict[str, list[Para]]
"""Source GUID → its paragraphs."""


def _document_segments(doc: _Doc, did: str, dialect: bool, ranges: Ranges) -> list[Segment]:
    out: list[Segment] = []
    for i in range(max(len(p) for _s, p in doc.parts.values())):
        sid = segment_id(did, i + 1)
        texts = {"zh": "", "en": ""}
        speaker: str | None = None
        for lang in ("zh", "en"):
            if lang not in doc.parts or i >= len(doc.parts[lang][1]):
                continue
            src, paras = doc.parts[lang]
            para = paras[i]
            para_speaker, text = split_speaker(para.text)
            body = para.start + len(para.text) - len(text)
            if not dialect:
                body += len(text) - len(text.lstrip())
                text = text.strip()
            texts[lang] = text
            speaker = speaker or para_speaker
            ranges.setdefault(src.guid, []).append(Para(para.start, para.end, sid, body, len(text), lang))
        out.append(Segment(sid, did, i + 1, texts["zh"], texts["en"], speaker))
    return out


def _plan_segments(plan: ImportPlan, docs: list[_Doc], target: ImportTarget, dialect: bool) -> Ranges:
    """Documents (ids made unique in the project) and their segments, one per paragraph."""
    taken = set(target.document_ids)
    ranges: Ranges = {}
    for doc in docs:
        did = document_slug(doc.id, taken)
        segments = _document_segments(doc, did, dialect, ranges)
        wanted = document_slug(doc.id, set())
        if wanted != did and wanted in target.document_ids:
            _check_not_imported_before(plan, wanted, did, segments, target)
        plan.documents.append(Document(did, doc.title, dict(doc.attributes)))
        plan.segments += segments
    ids = [d.id for d in plan.documents]
    plan.summary.imported.insert(0, f"{len(docs)} documents with {len(plan.segments)} segments"
                                    f" ({', '.join(ids[:6])}{', ...' if len(ids) > 6 else ''})")
    return ranges


def _check_not_imported_before(plan: ImportPlan, wanted: str, did: str, segments: list[Segment],
                               target: ImportTarget) -> None:
    """The same document imported again is refused; a different one of that name is renamed."""
    if [(s.zh, s.en) for s in segments] == target.stored_texts(wanted):
        raise ImportFormatError(
            f"document {wanted!r} is already in the project with the same text;"
            " this file was imported before (nothing imported)", path=plan.source)
    plan.summary.warnings.append(f"a different document {wanted!r} is already in the project;"
                                 f" this one is imported as {did!r}")


@dataclass
class _Work:
    """Codings gathered per (coder, segment), and what was left out."""

    codes: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    memos: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    dates: dict[tuple[str, str, str], str] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)
    merged: int = 0
    selections: int = 0
    codings: int = 0
    lost_selections: int = 0
    lost_codings: int = 0
    outside: int = 0
    whole: int = 0
    unknown_codes: int = 0

    def slot(self, coder: str, sid: str) -> tuple[set[str], list[str]]:
        return self.codes.setdefault((coder, sid), set()), self.memos.setdefault((coder, sid), [])


def _plan_work(plan: ImportPlan, refi: RefiProject, ranges: Ranges, to_ours: dict[str, str],
               mapped: bool) -> None:
    work = _Work()
    for src in refi.sources:
        work.whole += len(_children(src.element, "Coding"))
        sels = _children(src.element, "PlainTextSelection")
        if src.guid not in ranges:
            work.lost_selections += len(sels)
            work.lost_codings += sum(len(_children(s, "Coding")) for s in sels)
            continue
        for sel in sels:
            span, hit = _segments_hit(src, sel, ranges[src.guid])
            if not hit:
                work.outside += 1
                continue
            work.selections += 1
            _read_selection(refi, sel, span, hit, to_ours, mapped, work)
    for key in sorted(work.codes):  # a memo alone is no decision: the segment is done only when coded
        codes = frozenset(work.codes[key])
        plan.work[key] = CoderState(codes, bool(codes), "\n\n".join(work.memos[key]))
    plan.dates = work.dates
    plan.spans = sorted(set(work.spans), key=lambda x: (x.segment, x.coder, x.code, x.lang, x.start))
    _summarise_work(plan.summary, work)


def _segments_hit(src: Source, sel: ET.Element, paras: list[Para]) -> tuple[tuple[int, int], list[Para]]:
    """The selection's [start, end) in the text, and the paragraphs it overlaps (a selection of
    nothing: the paragraph it is in)."""
    try:
        a = src.to_text_pos(_position(sel, "startPosition"))
        b = src.to_text_pos(_position(sel, "endPosition"))
    except ValueError:
        return (0, 0), []
    if b < a:
        a, b = b, a
    return (a, b), [p for p in paras if (p.start < b and a < p.end) or (a == b and p.start <= a < p.end)]


def _part_of(span: tuple[int, int], para: Para) -> tuple[int, int] | None:
    """The part of the segment's text a selection covers, when it is not the whole text."""
    start = max(span[0], para.body) - para.body
    end = min(span[1], para.body + para.length) - para.body
    if end <= start or (start == 0 and end == para.length):
        return None
    return start, end


def _coder(refi: RefiProject, user: str) -> str:
    """The coder a user GUID stands for: a listed user's name; with no user given, the project's
    creating user if listed, else the only user, else ``refi``; an unlisted GUID stays as is."""
    if user in refi.users:
        return refi.users[user]
    if not user:
        if refi.default_user in refi.users:
            return refi.users[refi.default_user]
        return next(iter(refi.users.values())) if len(refi.users) == 1 else "refi"
    return user


def _read_selection(refi: RefiProject, sel: ET.Element, span: tuple[int, int], hit: list[Para],
                    to_ours: dict[str, str], mapped: bool, work: _Work) -> None:
    memo_parts = [refi.notes.get(norm_guid(r.get("targetGUID")), "") for r in _children(sel, "NoteRef")]
    # a memo written both as the description and as a note (annotator, QualCoder) counts once
    memo = "\n\n".join(dict.fromkeys(m for m in [_text_of(sel, "Description"), *memo_parts] if m))
    sel_user = norm_guid(sel.get("creatingUser"))
    coders_here: set[str] = set()
    for coding in _children(sel, "Coding"):
        ref = _child(coding, "CodeRef")
        code = to_ours.get(norm_guid(ref.get("targetGUID") if ref is not None else None))
        if code is None:
            work.unknown_codes += 0 if mapped else 1
            continue
        coder = _coder(refi, norm_guid(coding.get("creatingUser")) or sel_user)
        work.codings += 1
        coders_here.add(coder)
        when = (coding.get("creationDateTime") or sel.get("creationDateTime") or "").strip()
        for para in hit:
            codes = work.slot(coder, para.sid)[0]
            work.merged += code in codes
            codes.add(code)
            if when:
                work.dates.setdefault((coder, para.sid, code), when)
            part = _part_of(span, para)
            if part:
                work.spans.append(Span(coder, para.sid, code, para.lang, *part))
    if memo:
        for coder in coders_here or {_coder(refi, sel_user)}:
            for sid in (p.sid for p in hit):
                memos = work.slot(coder, sid)[1]
                if memo not in memos:
                    memos.append(memo)


def _summarise_work(summary: ImportSummary, work: _Work) -> None:
    coders = sorted({c for c, _ in work.codes})
    summary.imported.append(
        f"{work.codings} codings in {work.selections} selections → "
        f"{sum(len(c) for c in work.codes.values())} annotations on {len({s for _, s in work.codes})}"
        f" segments by {len(coders)} coder(s) ({', '.join(coders[:8])})")
    if work.lost_selections:
        summary.dropped.append(f"{work.lost_selections} selection(s) ({work.lost_codings} codings)"
                               " on sources without text")
    if work.outside:
        summary.dropped.append(f"{work.outside} selection(s) outside the text or between paragraphs")
    if work.whole:
        summary.dropped.append(f"{work.whole} coding(s) of whole sources")
    if work.merged:
        summary.imported.append(f"{work.merged} coding(s) merged into an annotation another selection"
                                " already made (same coder, segment and code; e.g. the same coding on"
                                " the Chinese and the English source)")
    if work.spans:
        summary.imported.append(f"{len(set(work.spans))} selection(s) narrower than their segment kept"
                                " with their annotations")
    if work.unknown_codes:
        summary.dropped.append(f"{work.unknown_codes} coding(s) of codes not in the code tree")

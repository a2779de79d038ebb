"""REFI-QDA exports: a whole coded project (``.qdpx``) or the codebook alone (``.qdc``).

Layout of a ``.qdpx`` written here (REFI-QDA 1.5, valid against ``Project.xsd``):

* one plain-text source per document and language, ``sources/<guid>.txt``, UTF-8 with LF and no
  BOM, named ``<document>.<lang>.txt``. Each segment is one paragraph, ``speaker：text`` (``:``
  in English), paragraphs separated by one blank line; blank lines inside a segment are
  collapsed to a single line break so that paragraphs and segments stay one to one;
* the facets as non-codable parent codes named ``<facet id>: <label>``, their codes as codable
  children named ``<code id>: <zh label> / <en label>``, with colours and a description holding
  the definition, when to use / not to use, the keywords, key and ``implies``; a code that
  implies exactly one code of another facet is a child of that code instead, its own facet and
  place in a ``Facet:`` line of its description (:func:`nested_codes`);
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
The ``.qdpx`` itself is written, streamed, by :mod:`annotator.io.refi_project`; this module
holds the codebook and the parts both share.
Segment times and archived codes are not part of the export.
"""

from __future__ import annotations

import functools
import re
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

from annotator.files import atomic_binary
from annotator.io.refi_guids import guid
from annotator.model import Code, Codebook, Facet

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "annotator"
COLOR_RE = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
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


def nested_codes(codebook: Codebook) -> dict[str, str]:
    """Code id → the code it is written inside in a code tree: the one code of another facet it
    implies (a burden type inside its dimension), when that code is not nested itself."""
    live = {c.id: c for c in codebook.codes}

    def parent_of(code: Code) -> str | None:
        if len(code.implies) != 1:
            return None
        facet, target = code.implies[0]
        parent = live.get(target)
        return target if parent is not None and parent.facet == facet != code.facet else None

    candidates = {c.id: p for c in codebook.codes if (p := parent_of(c)) is not None}
    return {cid: p for cid, p in candidates.items() if p not in candidates}


def nested_facet_line(facet: str, position: int) -> str:
    """The description line that keeps a nested code's own facet and place (1-based) in it."""
    return f"Facet: {facet}, position {position}"


def _code_element(parent: ET.Element, ns: str, code: Code, pns: uuid.UUID, note_refs: dict[tuple[str, str], list[str]],
                  children: dict[str, list[tuple[Code, int]]], position: int | None = None) -> None:
    color = code.color if code.color and COLOR_RE.match(code.color) else None
    cel = _sub(parent, ns, "Code", guid=guid(pns, "code", code.id), name=code_name(code),
               isCodable="true", color=color)
    text = code_description(code)
    if position is not None:
        text = "\n".join(x for x in (text, nested_facet_line(code.facet, position)) if x)
    if text:
        _sub(cel, ns, "Description").text = text
    for ng in note_refs.get(("code", code.id), []):
        _sub(cel, ns, "NoteRef", targetGUID=ng)
    for child, at in children.get(code.id, []):
        _code_element(cel, ns, child, pns, note_refs, {}, at)


def _codes_element(parent: ET.Element, ns: str, codebook: Codebook, pns: uuid.UUID,
                   note_refs: dict[tuple[str, str], list[str]] | None = None) -> None:
    """The code tree: each facet a folder of its codes, but a code that implies one code of
    another facet is written inside that code (``nested_codes``), its own facet and place kept
    in a ``Facet:`` line of its description."""
    codes = _sub(parent, ns, "Codes")
    nested = nested_codes(codebook)
    children: dict[str, list[tuple[Code, int]]] = {}
    for facet in codebook.facets:
        for i, code in enumerate(facet.codes, 1):
            if code.id in nested:
                children.setdefault(nested[code.id], []).append((code, i))
    for facet in codebook.facets:
        fel = _sub(codes, ns, "Code", guid=guid(pns, "facet", facet.id), name=facet_name(facet),
                   isCodable="false")
        desc = " / ".join(x for x in (facet.description.zh, facet.description.en) if x)
        kind = "several codes per segment" if facet.multiple else "one code per segment"
        _sub(fel, ns, "Description").text = f"{desc}\n({kind})" if desc else f"({kind})"
        for code in facet.codes:
            if code.id not in nested:
                _code_element(fel, ns, code, pns, note_refs or {}, children)


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


_UTC_STAMP = re.compile(r"[1-9]\d{3}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
                        r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3}|\.\d{6})?(?:Z|\+00:00)")


@functools.lru_cache(maxsize=4096)
def _real_day(day: str) -> bool:
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def refi_stamp(stamp: str | None) -> str | None:
    """A stored time stamp as an ``xsd:dateTime`` REFI-QDA tools read (to the second, UTC)."""
    if not stamp:
        return None
    if _UTC_STAMP.fullmatch(stamp) and _real_day(stamp[:10]):  # as annotator stores them
        return stamp[:19] + "Z"
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Stamps(dict[str | None, str]):
    """Stored time stamps as REFI-QDA writes them (``stamps[stored]``), remembered: a project has
    few distinct seconds per coder session, and reading each is the slow part."""

    def __init__(self, default: str):
        super().__init__()
        self.default = default

    def __missing__(self, stamp: str | None) -> str:
        if len(self) > 100_000:
            self.clear()
        got = self[stamp] = refi_stamp(stamp) or self.default
        return got


def now_stamp() -> str:
    """UTC time to the second, as REFI-QDA's ``creationDateTime`` wants it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

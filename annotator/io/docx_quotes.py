"""Quotes as a Word document, written as a stream: a heading per group, a two-column table
(中文 | English) per group, two rows per quote (the texts; where it stands, its codes and memo).

The package's other parts are those of python-docx's default document, made once; the body
(``word/document.xml``) is written into the zip piece by piece, each quote's rows rendered once
and filed under every group it is in, in the XML python-docx writes for the same document, so
memory does not grow with the document.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from annotator.io.clean_text import clean_text
from annotator.io.deflated_members import deflated_info
from annotator.io.group_spool import filed
from annotator.io.quotes_render import Heads, Members, Quote, _codes_line, where

BODY = "word/document.xml"
#: Deflate level of the document's parts (as the .qdpx and .xlsx exports use): a hundred
#: thousand quotes in a quarter less time than at zlib's default level, in a file 6 % larger.
LEVEL = 1
_CELL = '<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="4320"/></w:tcPr><w:p>{}</w:p></w:tc>'
_TABLE = ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/>'
          '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0"'
          ' w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid><w:gridCol w:w="4320"/>'
          '<w:gridCol w:w="4320"/></w:tblGrid><w:tr>'
          + _CELL.format("<w:r><w:rPr><w:b/></w:rPr><w:t>中文</w:t></w:r>")
          + _CELL.format("<w:r><w:rPr><w:b/></w:rPr><w:t>English</w:t></w:r>") + "</w:tr>")
_SMALL = "<w:rPr><w:sz w:val=\"16\"/></w:rPr>"
_SMALL_ITALIC = "<w:rPr><w:i/><w:sz w:val=\"16\"/></w:rPr>"


def docx_text(text: str) -> str:
    # XML 1.0 forbids most control characters, lone surrogates, U+FFFE and U+FFFF
    return _NOT_XML.sub("", clean_text(text))


_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def _run(text: str, properties: str = "") -> str:
    """A ``w:r`` holding ``text`` as python-docx writes it: a tab is ``w:tab``, a line break
    ``w:br``, and a ``w:t`` that begins or ends with white space keeps it."""
    parts = [properties]
    for n, line in enumerate(text.replace("\r", "\n").split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if piece:
                keep = ' xml:space="preserve"' if len(piece.strip()) < len(piece) else ""
                parts.append(f"<w:t{keep}>{escape(piece)}</w:t>")
    inner = "".join(parts)
    return f"<w:r>{inner}</w:r>" if inner else "<w:r/>"


def _heading(text: str, level: int) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>{_run(docx_text(text))}</w:p>'


def docx_quote(q: Quote) -> str:
    """The two table rows of a quote."""
    line = where(q) + (f" — {_codes_line(q)}" if q.codes else "")
    memo = (f"<w:p>{_run(docx_text('memo: ' + q.memo), _SMALL)}</w:p>" if q.memo else "")
    return ("<w:tr>" + _CELL.format(_run(docx_text(q.zh))) + _CELL.format(_run(docx_text(q.en)))
            + '</w:tr><w:tr><w:tc><w:tcPr><w:tcW w:type="dxa" w:w="8640"/><w:gridSpan w:val="2"/>'
            f"</w:tcPr><w:p>{_run(docx_text(line), _SMALL_ITALIC)}</w:p>{memo}</w:tc></w:tr>")


def _template(title: str) -> tuple[list[tuple[str, bytes]], str, str]:
    """python-docx's default document with the title heading: its parts (the body left empty),
    and the body's XML before and after the groups."""
    from docx import Document

    doc = Document()
    doc.add_heading(docx_text(title), level=1)
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        parts = [(name, b"" if name == BODY else z.read(name)) for name in z.namelist()]
        body = z.read(BODY).decode("utf-8")
    cut = body.rindex("<w:sectPr")
    return parts, body[:cut], body[cut:]


def _body(heads: Heads, members: Members, head: str, tail: str) -> Iterator[bytes]:
    spool = filed(members, len(heads), docx_quote)
    try:
        yield head.encode()
        for n, (name, _anchor) in enumerate(heads):
            if spool.sizes[n]:
                yield (_heading(f"{name} ({spool.sizes[n]})", 2) + _TABLE).encode()
                yield from spool.read(n)
                yield b"</w:tbl>"
        yield tail.encode()
    finally:
        spool.close()


def write_docx(heads: Heads, members: Members, out: Path, *, title: str = "Quotes") -> None:
    """The Word document of the non-empty groups at ``out`` (atomically), each quote rendered
    once however many groups it is in."""
    from annotator.files import atomic_binary

    parts, head, tail = _template(title)
    now = time.localtime(time.time())[:6]
    with atomic_binary(out) as f, zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED,
                                                  compresslevel=LEVEL) as z:
        for name, data in parts:
            if name != BODY:
                z.writestr(name, data)
                continue
            with z.open(deflated_info(BODY, now, LEVEL), "w", force_zip64=True) as body:
                for piece in _body(heads, members, head, tail):
                    body.write(piece)

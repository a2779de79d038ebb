"""Parsing XML from files other programs wrote, refusing DTDs and entity declarations.

The standard library's expat parser expands internal entities, so "billion laughs" documents
and external entities are refused before any element is built: a ``<!DOCTYPE`` anywhere is an
error (REFI-QDA files never need one), checked on the raw bytes and again by expat itself.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import xml.parsers.expat
from pathlib import Path
from typing import NoReturn

from annotator.errors import ImportFormatError

MAX_XML_BYTES = 200_000_000
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse(where: str | Path, what: str) -> NoReturn:
    raise ImportFormatError(
        f"refused: the XML declares {what} (DTDs and entities are not allowed in REFI-QDA files)",
        path=where,
    )


def _decoded_for_check(data: bytes) -> bytes:
    """The document as UTF-8 bytes for the DOCTYPE check (UTF-16 files included)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and (data[0] == 0 or data[1] == 0)):
        for enc in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return data.decode(enc).encode("utf-8")
            except UnicodeDecodeError:
                continue
    return data


def parse_xml(data: bytes, where: str | Path) -> ET.Element:
    """Parse ``data`` (from ``where``, for messages) into an Element, refusing DTDs/entities."""
    if len(data) > MAX_XML_BYTES:
        raise ImportFormatError("refused: the XML file is larger than 200 MB", path=where)
    if _DOCTYPE.search(_decoded_for_check(data)):
        _refuse(where, "a DOCTYPE or ENTITY")
    expat = xml.parsers.expat.ParserCreate()

    def no_doctype(*_args: object) -> None:
        _refuse(where, "a DOCTYPE")

    def no_entity(*_args: object) -> int:
        _refuse(where, "an entity")

    # a first pass with handlers that stop at any DTD, before entities could be expanded
    expat.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    expat.StartDoctypeDeclHandler = no_doctype
    expat.EntityDeclHandler = no_entity
    expat.ExternalEntityRefHandler = no_entity
    try:
        expat.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise ImportFormatError(f"not well-formed XML: {exc}", path=where, line=exc.lineno) from None
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ImportFormatError(f"not well-formed XML: {exc}", path=where, line=line) from None

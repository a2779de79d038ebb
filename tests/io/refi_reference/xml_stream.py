"""(The export as first written, kept as the reference.) Writing a REFI-QDA ``project.qde`` piece by piece, byte for byte as ``ElementTree`` writes
the whole tree indented with ``ET.indent(root, space="  ")``: small parts (users, codebook,
cases) are built as elements and serialised at their depth, the many selections and codings
are formatted directly. The text goes out in chunks of about a megabyte."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from annotator.io.refi_export import PROJECT_NS

_ATTRIB_SPECIAL = re.compile('[&<>"\r\n\t]')
_TEXT_SPECIAL = re.compile("[&<>]")
_XMLNS = f' xmlns="{PROJECT_NS}"'
CHUNK = 1 << 20


def attr(text: str) -> str:
    """An attribute value escaped as ``ElementTree`` escapes it."""
    if not _ATTRIB_SPECIAL.search(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;")


def text(value: str) -> str:
    """Character data escaped as ``ElementTree`` escapes it."""
    if not _TEXT_SPECIAL.search(value):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def text_element(tag: str, value: str, level: int) -> str:
    """``<tag>value</tag>`` (``<tag />`` when empty) on its own line at depth ``level``."""
    pad = "\n" + "  " * level
    return f"{pad}<{tag}>{text(value)}</{tag}>" if value else f"{pad}<{tag} />"


class XmlStream:
    """Collects the document's text and hands it to ``sink`` as UTF-8 in chunks."""

    def __init__(self, sink: Callable[[bytes], object]):
        self.sink = sink
        self.parts: list[str] = []
        self.size = 0

    def write(self, piece: str) -> None:
        self.parts.append(piece)
        self.size += len(piece)
        if self.size >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.sink("".join(self.parts).encode("utf-8"))
            self.parts = []
            self.size = 0

    def open_root(self, root: ET.Element) -> None:
        """The XML declaration and ``root``'s start tag (``root`` has no children yet)."""
        whole = ET.tostring(root, encoding="unicode")  # '<Project xmlns="…" … />'
        self.write("<?xml version='1.0' encoding='utf-8'?>\n" + whole[: -len(" />")] + ">")

    def element(self, element: ET.Element, level: int) -> None:
        """``element`` and its children on a new line at depth ``level`` (the namespace is the
        root's, declared once there)."""
        ET.indent(element, space="  ", level=level)
        self.write("\n" + "  " * level + ET.tostring(element, encoding="unicode").replace(_XMLNS, "", 1))

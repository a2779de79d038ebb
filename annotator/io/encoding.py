"""Open transcript text files whatever their encoding, as a stream of lines.

Transcripts arrive as UTF-8 (with or without a BOM), UTF-16 with a BOM (Windows "Unicode"
text) or GB18030/GBK (Chinese Windows). ``open_text`` works out which from the BOM or from
the first 64 KB, then decodes the file incrementally: memory stays bounded whatever the size
of the file. Every problem — undecodable bytes, NUL bytes in a non-UTF-16 file, an absurdly
long line — becomes an ``ImportFormatError`` naming the file and the line.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from annotator.errors import ImportFormatError

SNIFF_BYTES = 64 * 1024
"""How much of a file is looked at to choose between UTF-8 and GB18030."""

CHUNK_BYTES = 64 * 1024
"""How much is read and decoded at a time."""

MAX_LINE_CHARS = 1_000_000
"""A longer line is not a transcript (or would need unbounded memory): it is an error."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_NEWLINE = re.compile(r"\r\n|\r|\n")


def _line_of(data: bytes, offset: int) -> int:
    """1-based line number of byte ``offset`` in ``data`` (an ASCII-compatible encoding)."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def _decodes_to(data: bytes, encoding: str, *, final: bool) -> int | None:
    """None if ``data`` decodes as ``encoding``, else the offset of the first bad byte.

    With ``final=False`` an incomplete character at the end of ``data`` is not an error,
    so a prefix cut in the middle of a multibyte character still counts as decodable.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        decoder.decode(data, final=final)
    except UnicodeDecodeError as exc:
        return exc.start
    return None


def detect_encoding(head: bytes, *, complete: bool, path: str | Path) -> tuple[str, int]:
    """Choose the encoding of a file from its first bytes; return ``(codec, bom_length)``.

    ``complete`` says whether ``head`` is the whole file (then a character cut at the end
    is an error rather than a prefix boundary). The codec names an encoding without BOM
    handling (``utf-8``, ``utf-16-le``, ...): the caller skips ``bom_length`` bytes.
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    nul = head.find(b"\x00")
    if nul >= 0:
        raise ImportFormatError(
            "contains NUL bytes (binary file? UTF-16 text needs a byte-order mark)",
            path=path,
            line=_line_of(head, nul),
        )
    bad_utf8 = _decodes_to(head, "utf-8", final=complete)
    if bad_utf8 is None:
        return "utf-8", 0
    if complete and _decodes_to(head, "utf-8", final=False) is None:
        # valid UTF-8 up to a character cut off at the very end: a truncated file
        raise ImportFormatError(
            "the file ends in the middle of a UTF-8 character (truncated?)",
            path=path,
            line=_line_of(head, bad_utf8),
        )
    bad_gb = _decodes_to(head, "gb18030", final=complete)
    if bad_gb is None:
        return "gb18030", 0
    # Neither fits: report the place where the better-fitting encoding broke down.
    name, offset = ("UTF-8", bad_utf8) if bad_utf8 >= bad_gb else ("GB18030", bad_gb)
    raise ImportFormatError(
        f"cannot decode the text: byte 0x{head[offset]:02x} is neither UTF-8 nor GB18030 "
        f"(closest: {name}); save the file as UTF-8",
        path=path,
        line=_line_of(head, offset),
    )


class TextLines:
    """The decoded lines of a text file, read lazily.

    Iterating yields each line with its ending translated to ``"\\n"`` (universal newlines;
    the last line may lack it). ``lineno`` is the number of the line last yielded, so a
    parser can name it in an error. The BOM is stripped. Use as a context manager or call
    ``close()``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lineno = 0
        try:
            self._raw: BinaryIO = open(self.path, "rb")  # closed by close()
        except OSError as exc:
            raise ImportFormatError(f"cannot open: {exc.strerror or exc}", path=path) from exc
        try:
            head = self._raw.read(SNIFF_BYTES)
            complete = len(head) < SNIFF_BYTES
            self.encoding, bom = detect_encoding(head, complete=complete, path=self.path)
            self._raw.seek(bom)
        except OSError as exc:
            self._raw.close()
            raise ImportFormatError(f"cannot read: {exc.strerror or exc}", path=path) from exc
        except BaseException:
            self._raw.close()
            raise
        self._nul_allowed = self.encoding.startswith("utf-16") or self.encoding.startswith("utf-32")
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        self._decoder = io.IncrementalNewlineDecoder(decoder, translate=True)
        self._lines = self._generate()

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._lines)

    def __enter__(self) -> TextLines:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._raw.close()

    def error(self, reason: str, line: int | None = None) -> ImportFormatError:
        """An ``ImportFormatError`` for this file at ``line`` (default: the current line)."""
        return ImportFormatError(reason, path=self.path, line=line or self.lineno or None)

    def _generate(self) -> Iterator[str]:
        pending = ""  # text after the last newline, not yet yielded
        while True:
            try:
                chunk = self._raw.read(CHUNK_BYTES)
            except OSError as exc:
                raise self.error(f"cannot read: {exc.strerror or exc}") from exc
            final = not chunk
            try:
                text = self._decoder.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                raise self._decode_error(exc, pending) from None
            if text:
                if not self._nul_allowed and "\x00" in text:
                    before = pending + text[: text.index("\x00")]
                    raise self.error(
                        "contains NUL bytes (binary file?)", self.lineno + before.count("\n") + 1
                    )
                parts = (pending + text).split("\n")
                pending = parts.pop()
                for part in parts:
                    self.lineno += 1
                    yield part + "\n"
                if len(pending) > MAX_LINE_CHARS:
                    raise self.error(
                        f"line longer than {MAX_LINE_CHARS:,} characters (not a transcript?)",
                        self.lineno + 1,
                    )
            if final:
                if pending:
                    self.lineno += 1
                    yield pending
                return

    def _decode_error(self, exc: UnicodeDecodeError, pending: str) -> ImportFormatError:
        line = self.lineno + pending.count("\n") + 1
        if isinstance(exc.object, bytes):
            before = exc.object[: exc.start].decode(self.encoding, "replace")
            line += len(_NEWLINE.findall(before))
        name = {"utf-8": "UTF-8", "gb18030": "GB18030"}.get(self.encoding, self.encoding.upper())
        return ImportFormatError(
            f"cannot decode the text as {name} ({exc.reason}); save the file as UTF-8",
            path=self.path,
            line=line,
        )


def open_text(path: str | Path) -> TextLines:
    """Open a text file for streaming, detecting its encoding (see the module docstring)."""
    return TextLines(path)

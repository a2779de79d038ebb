"""Archive limits for every ZIP-based file annotator reads, checked before any parser sees it.

A .qdpx is read member by member through :class:`~annotator.io.safe_zip.SafeZip`. A Word
(.docx) file is a ZIP archive too, and python-docx inflates and parses its XML parts whole:
a 1.5 MB .docx whose ``word/document.xml`` inflates to 1.5 GB takes gigabytes of memory before
failing. :func:`check_archive` inflates every member once, counting the bytes actually inflated
(headers can lie) against the limits, and keeps none of them.
"""

from __future__ import annotations

from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.io.safe_zip import SafeZip

#: a transcript's Word file: its text is a few MB even for hours of talk
DOCX_MAX_MEMBER = 128 * 1024 * 1024
DOCX_MAX_TOTAL = 256 * 1024 * 1024


def check_archive(path: Path, *, kind: str = ".docx", max_member: int = DOCX_MAX_MEMBER,
                  max_total: int = DOCX_MAX_TOTAL) -> None:
    """Raise ``ImportFormatError`` unless ``path`` is a ZIP archive within the limits (member
    names, number of members, each member's and the total inflated size, compression ratio)."""
    try:
        archive = SafeZip(path, max_total=max_total, max_member=max_member)
    except ImportFormatError as exc:
        if exc.message.startswith("not a ZIP archive"):
            raise ImportFormatError(f"not a valid {kind} file (not a ZIP archive)", path=path) from None
        raise
    with archive:
        for name in archive.names():
            archive.read(name)  # counted against the limits; the bytes are dropped

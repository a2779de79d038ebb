"""The floor of ``annotator export --format qdpx`` with its output: the same rows read, as many
bytes written through zlib at the same level into a zip, and no product logic.

    python -m benchmarks.qdpx_floor PROJECT OUT.zip BYTES

Per document, in order, it reads what the export reads (the segments' text; every coder's codes
with their times, done marks and memos, reached through the segments as the export reaches them)
and writes each language's text as one member (the texts one a paragraph, as the export's plain
text sources hold them). The work rows go, tab-separated and one a line, to a last member,
repeated until the archive holds ``BYTES`` bytes before compression (the export's
``project.qde`` and sources together). Every member is deflated at level 1.

What the floor leaves out is the product's: GUIDs, the XML, positions in code points, the marks
and notes. Its padding compresses about twice as well as the export's XML (no GUIDs in it), so
deflating it costs less than deflating the same number of bytes of XML: the floor errs low.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

LEVEL = 1
CHUNK = 1 << 20


def _document(conn: sqlite3.Connection, doc: str, coders: list[str], zf: zipfile.ZipFile,
              rows: tempfile.SpooledTemporaryFile[bytes]) -> int:
    segments = conn.execute("SELECT id, speaker, zh, en FROM segments WHERE document = ? ORDER BY position",
                            (doc,)).fetchall()
    written = 0
    for lang, col in (("zh", 2), ("en", 3)):
        data = ("\n\n".join(s[col] for s in segments) + "\n").encode()
        zf.writestr(f"sources/{doc}.{lang}.txt", data)
        written += len(data)
    lines: list[str] = []
    for query in ("SELECT a.coder, a.segment, a.code, a.created_at FROM segments s"
                  " JOIN annotations a ON a.segment = s.id WHERE s.document = ?",
                  "SELECT d.coder, d.segment, d.done_at FROM segments s JOIN done d ON d.segment = s.id"
                  " WHERE s.document = ?",
                  "SELECT m.coder, m.segment, m.text, m.updated_at FROM segments s JOIN memos m"  # by its key
                  f" ON m.segment = s.id WHERE s.document = ? AND m.coder IN ({', '.join('?' * len(coders))})"):
        lines.extend("\t".join(row) + "\n" for row in conn.execute(query, (doc, *coders)[:query.count("?")]))
    rows.write("".join(lines).encode())
    return written


def write_floor(project: Path, out: Path, total: int) -> None:
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as zf, \
            tempfile.SpooledTemporaryFile(max_size=8 << 20) as rows:
        written = 0
        conn.execute("BEGIN")
        coders = [r[0] for r in conn.execute("SELECT name FROM coders")]
        for (doc,) in conn.execute("SELECT id FROM documents ORDER BY position").fetchall():
            written += _document(conn, doc, coders, zf, rows)
        conn.execute("COMMIT")
        left = max(total - written, 0)
        size = rows.tell()
        with zf.open("rows.txt", "w", force_zip64=True) as member:
            while left > 0 and size:  # the rows, again and again, up to the export's size
                rows.seek(0)
                while left > 0 and (chunk := rows.read(min(CHUNK, left))):
                    member.write(chunk)
                    left -= len(chunk)


if __name__ == "__main__":
    write_floor(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))

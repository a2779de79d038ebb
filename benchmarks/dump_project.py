"""A digest of every table of a project file, to compare two imports of the same input.

Run: python benchmarks/dump_project.py PROJECT.db > digest.txt   (then diff two digests)

One line per table: its rows (in rowid order, or by the first column for tables without one)
and a SHA-256 of their values. Time stamps (the event log's, documents' import times, the
project's creation time) are left out; the full-text index is compared through its shadow
tables (``segment_search_data``/``_idx``), which hold the index itself.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

#: Columns that hold the time of the import, not its content.
STAMPS = {"at", "created_at", "imported_at", "updated_at", "done_at", "queued_at", "archived_at",
          "marked_at", "drawn_at"}


def digest(path: str) -> list[str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    lines = []
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        if table == "segment_search":
            continue  # the virtual table: its shadow tables are digested
        columns = [r[1] for r in db.execute(f"PRAGMA table_info('{table}')")]
        try:
            rows = db.execute(f"SELECT * FROM '{table}' ORDER BY rowid").fetchall()
        except sqlite3.OperationalError:  # WITHOUT ROWID
            rows = db.execute(f"SELECT * FROM '{table}' ORDER BY 1").fetchall()
        h = hashlib.sha256()
        for row in rows:
            values = [None if c in STAMPS else v for c, v in zip(columns, row, strict=True)]
            if table == "project" and values[0] == "created_at":
                values[1] = None
            h.update(repr(values).encode())
        lines.append(f"{table:28} {len(rows):9} {h.hexdigest()[:16]}")
    return lines


if __name__ == "__main__":
    print("\n".join(digest(sys.argv[1])))

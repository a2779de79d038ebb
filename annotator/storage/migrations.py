"""The single, append-only history of the project file's schema.

Each migration is a function that takes a ``sqlite3.Connection`` inside an open transaction.
``PRAGMA user_version`` holds the number of migrations applied. Never edit a shipped migration:
append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

#: Marks a SQLite file as an annotator project (``PRAGMA application_id``): "ANNO".
APPLICATION_ID = 0x414E4E4F


def _run(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    """Run one migration's statements, one at a time, inside the caller's transaction (not
    ``executescript()``: it would commit the migration's transaction half-way; and not a script
    split on ``;``: a trigger body or a string holds semicolons of its own)."""
    if isinstance(statements, str):
        raise TypeError("a migration is a list of statements, not one script")
    for statement in statements:
        conn.execute(statement)


def m001_initial(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        [
            """
            CREATE TABLE project (
                key TEXT PRIMARY KEY,
                value TEXT
            )
            """,
            """
            CREATE TABLE facets (
                id TEXT PRIMARY KEY,
                position INTEGER NOT NULL,
                multiple INTEGER NOT NULL DEFAULT 0,
                label_zh TEXT NOT NULL DEFAULT '',
                label_en TEXT NOT NULL DEFAULT '',
                description_zh TEXT NOT NULL DEFAULT '',
                description_en TEXT NOT NULL DEFAULT ''
            )
            """,
            """
            CREATE TABLE codes (
                id TEXT PRIMARY KEY,
                facet TEXT NOT NULL REFERENCES facets(id) ON UPDATE CASCADE,
                position INTEGER NOT NULL,
                key TEXT,
                label_zh TEXT NOT NULL DEFAULT '',
                label_en TEXT NOT NULL DEFAULT '',
                definition_zh TEXT NOT NULL DEFAULT '',
                definition_en TEXT NOT NULL DEFAULT '',
                when_to_use_zh TEXT NOT NULL DEFAULT '',
                when_to_use_en TEXT NOT NULL DEFAULT '',
                when_not_to_use_zh TEXT NOT NULL DEFAULT '',
                when_not_to_use_en TEXT NOT NULL DEFAULT '',
                keywords_zh TEXT NOT NULL DEFAULT '[]',
                keywords_en TEXT NOT NULL DEFAULT '[]',
                color TEXT,
                extra TEXT NOT NULL DEFAULT '{}',
                archived INTEGER NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE documents (
                id TEXT PRIMARY KEY,
                position INTEGER NOT NULL,
                title TEXT NOT NULL DEFAULT '',
                attributes TEXT NOT NULL DEFAULT '{}',
                source TEXT,
                imported_at TEXT
            )
            """,
            """
            CREATE TABLE segments (
                id TEXT PRIMARY KEY,
                document TEXT NOT NULL REFERENCES documents(id),
                position INTEGER NOT NULL,
                speaker TEXT,
                start REAL,
                "end" REAL,
                zh TEXT NOT NULL DEFAULT '',
                en TEXT NOT NULL DEFAULT '',
                zh_tokens TEXT NOT NULL DEFAULT '',
                en_tokens TEXT NOT NULL DEFAULT '',
                zh_terms TEXT NOT NULL DEFAULT '',
                en_terms TEXT NOT NULL DEFAULT '',
                UNIQUE (document, position)
            )
            """,
            """
            CREATE TABLE coders (
                name TEXT PRIMARY KEY,
                created_at TEXT NOT NULL,
                last_segment TEXT
            )
            """,
            """
            CREATE TABLE annotations (
                coder TEXT NOT NULL REFERENCES coders(name),
                segment TEXT NOT NULL REFERENCES segments(id),
                code TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE,
                created_at TEXT NOT NULL,
                PRIMARY KEY (coder, segment, code)
            )
            """,
            """
            CREATE INDEX annotations_segment ON annotations(segment)
            """,
            """
            CREATE INDEX annotations_code ON annotations(code)
            """,
            """
            CREATE TABLE done (
                coder TEXT NOT NULL REFERENCES coders(name),
                segment TEXT NOT NULL REFERENCES segments(id),
                done_at TEXT NOT NULL,
                PRIMARY KEY (coder, segment)
            )
            """,
            """
            CREATE INDEX done_segment ON done(segment)
            """,
            """
            CREATE TABLE memos (
                coder TEXT NOT NULL REFERENCES coders(name),
                segment TEXT NOT NULL REFERENCES segments(id),
                text TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (coder, segment)
            )
            """,
            """
            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                coder TEXT,
                session TEXT,
                action TEXT NOT NULL,
                segment TEXT,
                before TEXT,
                after TEXT,
                detail TEXT
            )
            """,
            """
            CREATE INDEX events_coder_segment ON events(coder, segment)
            """,
            """
            CREATE TABLE archived_annotations (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                coder TEXT NOT NULL,
                segment TEXT NOT NULL,
                code TEXT NOT NULL,
                facet TEXT,
                created_at TEXT,
                archived_at TEXT NOT NULL,
                reason TEXT NOT NULL
            )
            """,
        ],
    )


def m002_settings(conn: sqlite3.Connection) -> None:
    """Project settings (e.g. how many automatic backups to keep) and faster session look-ups."""
    _run(
        conn,
        [
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )
            """,
            """
            CREATE INDEX events_session ON events(session)
            """,
        ],
    )


def m003_study(conn: sqlite3.Connection) -> None:
    """The agreement study: the double-coding sample (who codes which segment) and named rounds
    (a point in the event log, and the codes in use then, to compute agreement as the coding
    stood at that point)."""
    _run(
        conn,
        [
            """
        CREATE TABLE sample_assignments (
            segment TEXT NOT NULL REFERENCES segments(id) ON DELETE CASCADE,
            coder TEXT NOT NULL,
            stratum TEXT NOT NULL DEFAULT '',
            drawn_at TEXT NOT NULL,
            PRIMARY KEY (segment, coder)
        )
        """,
            "CREATE INDEX sample_assignments_coder ON sample_assignments(coder)",
            """
        CREATE TABLE rounds (
            name TEXT PRIMARY KEY,
            last_event INTEGER NOT NULL,
            marked_at TEXT NOT NULL,
            codes TEXT NOT NULL DEFAULT '[]'
        )
        """,
        ],
    )


def m004_annotation_spans(conn: sqlite3.Connection) -> None:
    """The exact part of a segment an annotation was made on, when it is less than the whole
    segment (a sub-paragraph selection imported from another tool): code points of the
    segment's text in ``lang``, end exclusive. A span goes with its annotation."""
    _run(
        conn,
        [
            """
            CREATE TABLE annotation_spans (
                coder TEXT NOT NULL,
                segment TEXT NOT NULL,
                code TEXT NOT NULL,
                lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
                start INTEGER NOT NULL CHECK (start >= 0),
                "end" INTEGER NOT NULL CHECK ("end" > start),
                PRIMARY KEY (coder, segment, code, lang, start, "end"),
                FOREIGN KEY (coder, segment, code) REFERENCES annotations(coder, segment, code)
                    ON DELETE CASCADE ON UPDATE CASCADE
            )
            """,
        ],
    )


def m005_notes_and_redecide(conn: sqlite3.Connection) -> None:
    """Memos on documents and codes (segment memos stay in ``memos``), and the queue of
    segments to decide again after a code was split."""
    _run(
        conn,
        [
            """
            CREATE TABLE notes (
                kind TEXT NOT NULL CHECK (kind IN ('document', 'code')),
                target TEXT NOT NULL,
                coder TEXT NOT NULL REFERENCES coders(name),
                text TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (kind, target, coder)
            )
            """,
            """
            CREATE TABLE redecide (
                coder TEXT NOT NULL,
                segment TEXT NOT NULL REFERENCES segments(id),
                code TEXT NOT NULL,
                reason TEXT NOT NULL,
                queued_at TEXT NOT NULL,
                PRIMARY KEY (coder, segment, code)
            )
            """,
        ],
    )


def m006_search_index(conn: sqlite3.Connection) -> None:
    """The full-text index behind ``/`` search (see :mod:`annotator.storage.search_index`),
    kept by triggers on ``segments`` and built here for the segments already stored (minutes
    for a million: the front end's progress reporter shows it)."""
    from annotator.storage import progress, search_index

    search_index.register(conn)
    total = int(conn.execute("SELECT count(*) FROM segments").fetchone()[0])
    with progress.reporting("building the search index", total) as advance, \
            search_index.counting(conn, advance):
        _run(conn, search_index.STATEMENTS)


def m007_term_counts(conn: sqlite3.Connection) -> None:
    """What the suggestion engine starts from: the corpus counts (see
    :mod:`annotator.storage.term_counts`; counted the first time the engine needs them), and
    the record of the engine last built with the log of annotation changes since (see
    :mod:`annotator.storage.engine_snapshots`), and the documents' segment counts the coding
    screen opens with (see :mod:`annotator.storage.reading_order`)."""
    from annotator.storage import engine_snapshots, reading_order, term_counts

    _run(conn, term_counts.STATEMENTS)
    _run(conn, engine_snapshots.STATEMENTS)
    _run(conn, reading_order.STATEMENTS)


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_initial,
    m002_settings,
    m003_study,
    m004_annotation_spans,
    m005_notes_and_redecide,
    m006_search_index,
    m007_term_counts,
]

SCHEMA_VERSION = len(MIGRATIONS)


def apply(conn: sqlite3.Connection, *, upto: int | None = None) -> int:
    """Bring the file up to the newest schema (or ``upto``); return the version reached.

    Every migration and its version bump commit together, so a crash leaves the file at a
    version it can resume from.
    """
    target = SCHEMA_VERSION if upto is None else upto
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    while version < target:
        migration = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            # re-read inside the write lock: another process may have migrated meanwhile
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version >= target:
                conn.execute("COMMIT")
                break
            migration = MIGRATIONS[version]
            migration(conn)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        version += 1
    return version

"""The corpus counts the suggestion engine starts from, kept in the project file.

In how many segments each stored term occurs (``term_counts``: language, term, document
frequency), how many segments were counted and how many term occurrences they hold
(``term_counts_state``, one row). Counting a million segments' terms takes a minute; reading
the counts back takes a second, so the engine counts once and later only adds the segments
imported since. A transcript import adds the segments it writes itself, in its transaction
(:func:`start_counting_import`, :func:`count_written`), when the counts were valid with nothing
left to count or the project held no segment.

Validity: the counts cover the segments whose rowid is at most ``upto``. New segments get
larger rowids, so a later import only adds segments to count. Deleting a segment or changing
its terms bumps ``changes`` (triggers below); counts stored at another value of ``changes``
are stale and counted again. A count of the segments checks the rest (``n_docs`` plus those
after ``upto`` must be every segment).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from annotator.storage.db import Project

#: Schema of the counts (run by migration m007).
STATEMENTS = [
    """
    CREATE TABLE term_counts (
        lang TEXT NOT NULL,
        term TEXT NOT NULL,
        df INTEGER NOT NULL,
        PRIMARY KEY (lang, term)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE term_counts_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        changes INTEGER NOT NULL DEFAULT 0,
        counted_changes INTEGER,
        upto INTEGER NOT NULL DEFAULT 0,
        n_docs INTEGER NOT NULL DEFAULT 0,
        terms INTEGER NOT NULL DEFAULT 0
    )
    """,
    "INSERT INTO term_counts_state (id) VALUES (1)",
    """
    CREATE TRIGGER segments_counts_delete AFTER DELETE ON segments BEGIN
        UPDATE term_counts_state SET changes = changes + 1 WHERE id = 1;
    END
    """,
    """
    CREATE TRIGGER segments_counts_update AFTER UPDATE OF zh_terms, en_terms ON segments BEGIN
        UPDATE term_counts_state SET changes = changes + 1 WHERE id = 1;
    END
    """,
]

#: Rows read or written at a time.
CHUNK = 5000


@dataclass(frozen=True)
class CountsState:
    """Where the stored counts stand: valid for segments up to rowid ``upto`` (when ``valid``)."""

    valid: bool
    upto: int
    n_docs: int
    terms: int
    changes: int
    #: segments not counted yet (every segment when the counts are not valid)
    pending: int = 0


def counts_state(project: Project) -> CountsState:
    """The stored counts' state (read inside the caller's snapshot, if any)."""
    changes, counted, upto, n_docs, terms = project.execute(
        "SELECT changes, counted_changes, upto, n_docs, terms FROM term_counts_state WHERE id = 1"
    ).fetchone()
    valid = counted is not None and counted == changes
    total = project.execute("SELECT count(*) FROM segments").fetchone()[0]
    after = total
    if valid:
        after = project.execute("SELECT count(*) FROM segments WHERE rowid > ?", (upto,)).fetchone()[0]
        valid = total == n_docs + after
    if not valid:
        return CountsState(False, 0, 0, 0, changes, total)
    return CountsState(True, upto, n_docs, terms, changes, after)


def stored_counts(project: Project) -> dict[str, Iterator[tuple[str, int]]]:
    """Per language (zh, en): (term, document frequency) of every stored term, in term order."""
    return {lang: iter(project.execute("SELECT term, df FROM term_counts WHERE lang = ?", (lang,)))
            for lang in ("zh", "en")}


def terms_after(project: Project, upto: int, chunk: int = CHUNK
                ) -> Iterator[tuple[int, list[tuple[str | None, str | None]]]]:
    """(largest rowid so far, [(zh terms, en terms), ...]) of the segments after rowid ``upto``,
    ``chunk`` at a time, in rowid order."""
    cursor = project.execute(
        "SELECT rowid, zh_terms, en_terms FROM segments WHERE rowid > ? ORDER BY rowid", (upto,))
    while rows := cursor.fetchmany(chunk):
        yield rows[-1][0], [(r[1], r[2]) for r in rows]


def keep_counts(project: Project, state: CountsState, added: Mapping[str, Mapping[str, int]],
                *, upto: int, n_docs: int, terms: int) -> bool:
    """Store the counts of the segments up to rowid ``upto``: ``added`` (per language, term →
    document frequency) on top of what ``state`` (as read) stood on, or instead of it when
    ``state`` was not valid. Nothing is written (False) when the counts changed meanwhile."""
    with project.write() as conn:
        changes, counted, stored_upto = conn.execute(
            "SELECT changes, counted_changes, upto FROM term_counts_state WHERE id = 1").fetchone()
        if changes != state.changes or (state.valid and (counted, stored_upto) != (changes, state.upto)):
            return False
        if not state.valid:
            conn.execute("DELETE FROM term_counts")
        _add_frequencies(project, added)
        conn.execute(
            "UPDATE term_counts_state SET counted_changes = changes, upto = ?, n_docs = ?, terms = ?"
            " WHERE id = 1", (upto, n_docs, terms))
    return True


def start_counting_import(project: Project) -> bool:
    """Inside an import's write transaction, before it writes segments: whether the import can
    keep the counts current (:func:`count_written`). Yes when they are valid with no segment
    left to count, or when the project holds no segment (the counts start again from zero);
    otherwise they are left for the engine to count as before."""
    state = counts_state(project)
    if state.valid and not state.pending:
        return True
    if state.pending:  # segments not counted: the engine counts them (and what comes now)
        return False
    project.conn.execute("DELETE FROM term_counts")
    project.conn.execute("UPDATE term_counts_state SET counted_changes = changes, upto = 0,"
                         " n_docs = 0, terms = 0 WHERE id = 1")
    return True


def count_written(project: Project, added: Mapping[str, Mapping[str, int]], *, n_docs: int,
                  terms: int) -> bool:
    """Inside the import's write transaction, after it wrote segments (new rows, the last
    rowids): add their counts (``added``: per language, term → segments holding it; ``n_docs``
    segments with ``terms`` term occurrences) and count up to the last rowid. Nothing is written
    (False) when the counts are no longer valid (the import changed or removed a segment)."""
    conn = project.conn
    changes, counted = conn.execute(
        "SELECT changes, counted_changes FROM term_counts_state WHERE id = 1").fetchone()
    if counted != changes:
        return False
    _add_frequencies(project, added)
    conn.execute(
        "UPDATE term_counts_state SET upto = (SELECT coalesce(max(rowid), 0) FROM segments),"
        " n_docs = n_docs + ?, terms = terms + ? WHERE id = 1", (n_docs, terms))
    return True


def _add_frequencies(project: Project, added: Mapping[str, Mapping[str, int]]) -> None:
    upsert = ("INSERT INTO term_counts (lang, term, df) VALUES (?, ?, ?)"
              " ON CONFLICT (lang, term) DO UPDATE SET df = df + excluded.df")
    for batch in _batches(((lang, t, int(n)) for lang, counts in added.items()
                           for t, n in counts.items() if t), CHUNK):
        project.conn.executemany(upsert, batch)


def _batches(rows: Iterable[tuple[str, str, int]], size: int) -> Iterator[list[tuple[str, str, int]]]:
    batch: list[tuple[str, str, int]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch

"""``annotator check`` compares the event log in SQL and reads orphans and single-choice rows only
where a cheaper look found something: it reports exactly what comparing every key and running
every query reports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.storage.check import CheckReport, _orphans, check_project
from annotator.storage.check_events import compare_every_key, event_log_problems
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import set_memo, tag
from annotator.storage.db import open_project

STAMP = "2025-01-01T00:00:00.000Z"


def _coded(project: Path) -> None:
    with open_project(project) as p:
        cb = load_codebook(p)
        for i in range(1, 9):
            tag(p, cb, "ana", f"interview-{i:03d}", ["adaptation", "feedback_gap"])
            tag(p, cb, "bo", f"interview-{i:03d}", ["latency"])
        set_memo(p, "ana", "interview-002", 'a "quoted" memo\\ with\nlines, 中文 and \x01')
        set_memo(p, "bo", "interview-010", "memo only")


def _damage(project: Path, *statements: str) -> None:
    conn = sqlite3.connect(project, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        conn.execute(sql)
    conn.close()


def _event_problems(project: Path) -> tuple[list[str], list[str]]:
    with open_project(project) as p, p.snapshot() as conn:
        return event_log_problems(conn), compare_every_key(conn)


def test_a_healthy_log_with_memos_of_every_kind_of_character_is_clean(project: Path) -> None:
    _coded(project)
    assert _event_problems(project) == ([], [])


def test_an_event_written_with_other_spacing_or_order_is_not_a_mismatch(project: Path) -> None:
    _coded(project)
    _damage(project, "UPDATE events SET after = '{\"memo\":\"\",\"done\":true,"
                     "\"codes\":[\"feedback_gap\",\"adaptation\"]}'"
                     " WHERE id = (SELECT max(id) FROM events WHERE coder = 'ana'"
                     " AND segment = 'interview-004')")
    assert _event_problems(project) == ([], [])


@pytest.mark.parametrize("statements", [
    # a lost annotation and a lost done mark
    ["DELETE FROM annotations WHERE coder = 'ana' AND segment = 'interview-003' AND code = 'feedback_gap'",
     "DELETE FROM done WHERE coder = 'bo' AND segment = 'interview-005'"],
    # work written behind the log's back: on a key with events and on keys without any
    ["INSERT INTO annotations VALUES ('bo', 'interview-001', 'trace_formalism', '" + STAMP + "')",
     "INSERT INTO annotations VALUES ('ana', 'interview-020', 'latency', '" + STAMP + "')",
     "INSERT INTO done VALUES ('cy', 'interview-021', '" + STAMP + "')",
     "INSERT INTO memos VALUES ('cy', 'interview-022', 'x', '" + STAMP + "')"],
    # an unreadable event and a memo changed behind the log's back
    ["UPDATE events SET after = '{not json' WHERE id = (SELECT max(id) FROM events WHERE coder = 'bo')",
     "UPDATE memos SET text = 'changed' WHERE coder = 'ana'"],
    # work on a segment that no longer exists, with and without its events
    ["UPDATE annotations SET segment = 'ghost-1' WHERE coder = 'bo' AND segment = 'interview-006'",
     "UPDATE done SET segment = 'ghost-1' WHERE coder = 'bo' AND segment = 'interview-006'",
     "UPDATE events SET segment = 'ghost-2' WHERE coder = 'ana' AND segment = 'interview-007'"],
    # codes archived after the last event (no problem) and before it (a problem)
    ["DELETE FROM annotations WHERE coder = 'ana' AND segment = 'interview-001' AND code = 'adaptation'",
     "INSERT INTO archived_annotations (coder, segment, code, archived_at, reason)"
     " VALUES ('ana', 'interview-001', 'adaptation', '9999-01-01', 'test')",
     "DELETE FROM annotations WHERE coder = 'ana' AND segment = 'interview-002' AND code = 'adaptation'",
     "INSERT INTO archived_annotations (coder, segment, code, archived_at, reason)"
     " VALUES ('ana', 'interview-002', 'adaptation', '2000-01-01', 'test')"],
], ids=["lost", "behind-the-log", "unreadable", "missing-segment", "archived"])
def test_every_mismatch_is_reported_as_comparing_every_key_reports_it(
        project: Path, statements: list[str]) -> None:
    _coded(project)
    _damage(project, *statements)
    fast, every = _event_problems(project)
    assert fast == every


def test_the_event_log_problems_found_are_the_expected_ones(project: Path) -> None:
    _coded(project)
    _damage(project,
            "DELETE FROM annotations WHERE coder = 'ana' AND segment = 'interview-003' AND code = 'feedback_gap'",
            "DELETE FROM annotations WHERE coder = 'ana' AND segment = 'interview-002' AND code = 'adaptation'",
            "INSERT INTO archived_annotations (coder, segment, code, archived_at, reason)"
            " VALUES ('ana', 'interview-002', 'adaptation', '9999-01-01', 'test')")
    fast, every = _event_problems(project)
    assert fast == every and len(fast) == 1 and fast[0].startswith("ana on interview-003: last event")


def test_orphans_are_listed_whether_or_not_foreign_keys_were_checked_first(project: Path) -> None:
    _coded(project)
    _damage(project,
            "INSERT INTO annotations VALUES ('ana', 'ghost-001', 'latency', '" + STAMP + "')",
            "INSERT INTO annotations VALUES ('ana', 'interview-030', 'no_such_code', '" + STAMP + "')",
            "INSERT INTO done VALUES ('ana', 'ghost-002', '" + STAMP + "')",
            "INSERT INTO memos VALUES ('ana', 'ghost-003', 'm', '" + STAMP + "')")
    with open_project(project) as p, p.snapshot() as conn:
        with_keys, without = CheckReport(), CheckReport()
        _orphans(conn, with_keys, {r[0] for r in conn.execute("PRAGMA foreign_key_check")})
        _orphans(conn, without, None)
    assert with_keys.problems == without.problems and len(without.problems) == 4


def test_a_second_code_of_a_single_choice_facet_is_reported(project: Path) -> None:
    _coded(project)
    _damage(project, "INSERT INTO annotations VALUES ('bo', 'interview-004', 'integration', '" + STAMP + "')")
    with open_project(project) as p:
        report = check_project(p)
    lines = [str(x) for x in report.problems if x.kind == "single-choice"]
    assert lines == ["single-choice: bo on interview-004: single-choice facet dimension holds"
                     " latency, integration"]

"""``codebook rename/merge/split/undo`` and ``redecide``: every annotation kept (archived ones
included), each edit logged and undone exactly, single-choice conflicts listed, splits queued."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.findings_fixtures import build, run, sql


@pytest.fixture
def db(demo_master: Path, tmp_path: Path) -> Path:
    db = build(demo_master, tmp_path)
    # an archived annotation of a code that is renamed below: it must follow the code
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO archived_annotations (coder, segment, code, facet, created_at,"
                     " archived_at, reason) VALUES ('li', 'D20230804-001', 'trace_formalism',"
                     " 'burden', '2026-01-01', '2026-01-02', 'segment replaced')")
    return db


def total(db: Path) -> int:
    return sql(db, "SELECT (SELECT count(*) FROM annotations) + (SELECT count(*) FROM archived_annotations)")[0][0]


def snapshot(db: Path) -> dict[str, list]:
    return {
        "annotations": sql(db, "SELECT coder, segment, code FROM annotations ORDER BY 1, 2, 3"),
        "archived": sql(db, "SELECT coder, segment, code, reason FROM archived_annotations ORDER BY 1, 2, 3"),
        "codes": sql(db, "SELECT id, facet, key, label_en, archived, position FROM codes ORDER BY id"),
        "done": sql(db, "SELECT coder, segment FROM done ORDER BY 1, 2"),
        "memos": sql(db, "SELECT * FROM notes ORDER BY 1, 2, 3"),
        "redecide": sql(db, "SELECT coder, segment, code FROM redecide ORDER BY 1, 2, 3"),
        "resume": sql(db, "SELECT name, last_segment FROM coders ORDER BY 1"),
    }


def ok(*args: str | Path) -> str:
    code, out = run(*args)
    assert code == 0, out
    return out


def check_is_clean(db: Path) -> None:
    out = ok("check", db)
    assert ": ok" in out, out


def test_rename_moves_annotations_archived_ones_and_memos_and_undo_restores(db: Path) -> None:
    ok("memo", db, "--code", "trace_formalism", "--coder", "li", "photos")
    before, n, held = snapshot(db), total(db), sql(
        db, "SELECT coder, segment FROM annotations WHERE code = 'trace_formalism' ORDER BY 1, 2")
    ok("codebook", "rename", db, "trace_formalism", "traces")
    assert total(db) == n
    assert sql(db, "SELECT coder, segment FROM annotations WHERE code = 'traces' ORDER BY 1, 2") == held
    assert sql(db, "SELECT count(*) FROM annotations WHERE code = 'trace_formalism'") == [(0,)]
    assert sql(db, "SELECT code FROM archived_annotations") == [("traces",)]
    assert sql(db, "SELECT target FROM notes") == [("traces",)]
    assert sql(db, "SELECT key FROM codes WHERE id = 'traces'") == [(before_key(before, "trace_formalism"),)]
    assert sql(db, "SELECT count(*) FROM events WHERE action = 'codebook_rename'") == [(1,)]
    check_is_clean(db)
    assert "back" in ok("codebook", "undo", db)
    after = snapshot(db)
    assert after == before
    check_is_clean(db)


def before_key(snap: dict[str, list], code: str) -> str | None:
    return next(row[2] for row in snap["codes"] if row[0] == code)


def test_merge_keeps_every_annotation_and_lists_single_choice_conflicts(db: Path) -> None:
    # li has both codes on A20230321-001 (a duplicate after the merge); wang's segment
    # B20230512-002 holds goal_attainment: moving a burden code into 'integration' (single
    # choice) there makes two codes in the facet
    ok("tag", db, "B20230512-002", "rights_mismatch", "--coder", "wang")
    before, n = snapshot(db), total(db)
    holders = sql(db, "SELECT coder, segment FROM annotations WHERE code IN ('rights_mismatch',"
                      " 'trace_formalism') GROUP BY coder, segment ORDER BY 1, 2")
    out = ok("codebook", "merge", db, "rights_mismatch", "trace_formalism")
    assert total(db) == n
    assert sql(db, "SELECT coder, segment FROM annotations WHERE code = 'trace_formalism' ORDER BY 1, 2") == holders
    dup = sql(db, "SELECT coder, segment FROM archived_annotations WHERE reason = 'merged into trace_formalism'")
    assert ("li", "A20230321-001") in dup
    assert sql(db, "SELECT archived FROM codes WHERE id = 'rights_mismatch'") == [(1,)]
    check_is_clean(db)
    ok("codebook", "undo", db)
    assert snapshot(db) == before
    out = ok("codebook", "merge", db, "activity_intensity", "integration")
    assert "conflict: B20230512-002 (wang) now has two codes in single-choice facet dimension" in out
    assert sql(db, "SELECT code FROM redecide WHERE coder = 'wang'") == [("integration",)]
    assert total(db) == n
    ok("codebook", "undo", db)
    assert snapshot(db) == before


def test_split_queues_segments_to_re_decide_and_undo_restores(db: Path) -> None:
    before, n = snapshot(db), total(db)
    holders = sql(db, "SELECT coder, segment FROM annotations WHERE code = 'goal_attainment' ORDER BY 1, 2")
    out = ok("codebook", "split", db, "goal_attainment", "assigned_tasks", "assessment")
    assert f"{len(holders)} segments queued" in out
    assert total(db) == n
    assert sql(db, "SELECT coder, segment FROM archived_annotations WHERE code = 'goal_attainment'"
                   " ORDER BY 1, 2") == holders
    codes = [r[0] for r in sql(db, "SELECT id FROM codes WHERE facet = 'dimension' AND archived = 0"
                                   " ORDER BY position")]
    assert codes == ["adaptation", "assigned_tasks", "assessment", "integration", "latency"]
    queue = ok("redecide", db, "--list").splitlines()
    assert sorted(tuple(line.split("\t")[1::-1]) for line in queue) == sorted(holders)
    check_is_clean(db)
    # li decides one segment again: it leaves li's queue
    seg = next(s for c, s in holders if c == "li")
    ok("tag", db, seg, "assessment", "--coder", "li")
    assert all(seg not in line for line in ok("redecide", db, "--list", "--coder", "li").splitlines())
    code, out = run("codebook", "undo", db)
    assert code == 1 and "already carry 1 annotation" in out
    ok("tag", db, seg, "assessment", "--remove", "--coder", "li")
    ok("memo", db, "--code", "assessment", "--coder", "li", "scores, not tasks")
    code, out = run("codebook", "undo", db)  # the memo would be left on a code that is gone
    assert code == 1 and "have 1 memo" in out and "--clear" in out, out
    ok("memo", db, "--code", "assessment", "--coder", "li", "--clear")
    ok("codebook", "undo", db)
    restored = snapshot(db)
    assert restored["annotations"] == before["annotations"] and restored["codes"] == before["codes"]
    assert restored["archived"] == before["archived"] and restored["redecide"] == before["redecide"]
    assert restored["done"] == before["done"]


def test_bad_edits_change_nothing(db: Path) -> None:
    before = snapshot(db)
    for args in (["rename", "nope", "x"], ["rename", "adaptation", "integration"],
                 ["rename", "adaptation", "bad id"], ["merge", "adaptation", "adaptation"],
                 ["merge", "adaptation", "nope"], ["split", "adaptation", "a1", "a1"],
                 ["split", "adaptation", "integration", "a2"], ["undo"]):
        code, out = run("codebook", *args, db) if args == ["undo"] else run("codebook", args[0], db, *args[1:])
        assert code == 1 and len(out.strip().splitlines()) == 1 and "Traceback" not in out, (args, out)
    assert snapshot(db) == before

"""`annotator tag` and `annotator annotations`: removing codes, unknown coders.

Each test is a defect found by using the tool as its README describes, and failed before its fix.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_helpers import annotations_of, run


def test_tag_remove_none_is_refused_and_keeps_the_codes(project: Path) -> None:
    """``tag --remove --none`` (a coder trying to undo 'done') silently cleared every code of the
    segment; the two options exclude each other."""
    code, out = run("tag", project, "int01-002", "--remove", "--none", "--coder", "li")
    assert code == 1 and "--none" in out and "--remove" in out
    assert len(out.strip().splitlines()) == 1
    assert {c for who, _s, c in annotations_of(project) if who == "li"} == {
        "adaptation", "rights_mismatch"}


def test_removing_a_code_the_coder_does_not_have_changes_nothing(project: Path) -> None:
    """'tag --remove latency' on a segment the coder never touched marked it done with no code:
    a decision the coder never made, counted by agreement as 'no code applies'."""
    import sqlite3

    code, out = run("tag", project, "int01-003", "latency", "--remove", "--coder", "li")
    assert code == 0 and out.strip() == "int01-003 li: (no code); not done", out
    with sqlite3.connect(project) as conn:
        assert conn.execute("SELECT count(*) FROM done WHERE segment = 'int01-003'").fetchone() == (0,)
    code, out = run("tag", project, "int01-002", "rights_mismatch", "--remove", "--coder", "li")
    assert code == 0 and out.strip() == "int01-002 li: adaptation; done", out


def test_annotations_of_an_unknown_coder_is_an_error(project: Path) -> None:
    """'annotations --coder lii' printed nothing and exit 0, as if li had done no work."""
    code, out = run("annotations", project, "--coder", "lii")
    assert code == 1 and "no coder 'lii' in the project (coders: li, wang)" in out
    code, out = run("annotations", project, "--coder", "li")
    assert code == 0 and out.startswith("int01-002\tli\tdone"), out

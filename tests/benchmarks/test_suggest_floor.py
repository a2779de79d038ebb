"""The dictionary-lookup floor reads what the engine learns from and looks every term up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from benchmarks.suggest_floor import main


def _stored(db: Path, coder: str | None) -> tuple[int, int]:
    """(annotations, term occurrences in the segments they code) counted in SQL."""
    where, params = ("", ()) if coder is None else (" WHERE coder = ?", (coder,))
    with sqlite3.connect(db) as conn:
        annotations = conn.execute(f"SELECT count(*) FROM annotations{where}", params).fetchone()[0]
        rows = conn.execute(
            "SELECT zh_terms, en_terms FROM segments"
            f" WHERE id IN (SELECT segment FROM annotations{where})", params).fetchall()
    return annotations, sum(len(t.split(" ")) for row in rows for t in row if t)


@pytest.mark.parametrize("coder", [None, "paper"])
def test_every_coded_term_is_looked_up_and_found_in_the_kept_vocabulary(
        demo_project: Path, coder: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    main([str(demo_project), *([] if coder is None else ["--coder", coder])])
    annotations, found = map(int, capsys.readouterr().out.split())
    expected = _stored(demo_project, coder)
    assert expected[1] > 0
    assert (annotations, found) == expected

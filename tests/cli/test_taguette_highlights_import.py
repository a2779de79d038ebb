"""Taguette's highlights CSV export imports as one coder's coded segments; what cannot be placed
is counted, not dropped silently."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.cli_helpers import run

# as taguette.export.highlights_csv writes it: id, document, tag, content (one row per tag)
HIGHLIGHTS = """id,document,tag,content
1,int01.zh.txt,rights_mismatch,权责不匹配
1,int01.zh.txt,adaptation,权责不匹配
2,int01,trace_formalism,A: We take photos to leave traces; trace formalism.
3,int01.zh.txt,,拍照留痕
4,int01.zh.txt,no_such_tag,拍照留痕
5,other interview,adaptation,拍照留痕
6,int01.zh.txt,adaptation,这句话不在文中
"""


def test_highlights_become_a_coders_work_with_exact_spans(project: Path) -> None:
    csv_path = project.parent / "highlights.csv"
    csv_path.write_text(HIGHLIGHTS, encoding="utf-8")
    code, out = run("import", project, csv_path, "--coder", "mei")
    assert code == 0, out
    with sqlite3.connect(project) as conn:
        annotations = set(conn.execute("SELECT segment, code FROM annotations WHERE coder = 'mei'"))
        spans = set(conn.execute('SELECT segment, code, lang, start, "end" FROM annotation_spans'))
        zh = conn.execute("SELECT zh FROM segments WHERE id = 'int01-002'").fetchone()[0]
    assert annotations == {("int01-002", "rights_mismatch"), ("int01-002", "adaptation"),
                           ("int01-003", "trace_formalism")}
    start = zh.index("权责不匹配")
    assert spans == {("int01-002", c, "zh", start, start + 5) for c in ("rights_mismatch", "adaptation")}
    assert "7 Taguette highlights → 3 annotations on 2 segments by mei" in out
    assert "not imported: 1 highlight(s) with no tag" in out
    assert "no_such_tag" in out and "other interview" in out
    assert "not imported: 1 highlight(s) whose text is not in their document (lines 8)" in out


def test_coder_option_is_refused_for_transcripts(project: Path) -> None:
    (project.parent / "x.txt").write_text("A：你好。\n", encoding="utf-8")
    code, out = run("import", project, project.parent / "x.txt", "--coder", "mei")
    assert code == 1 and "--coder" in out

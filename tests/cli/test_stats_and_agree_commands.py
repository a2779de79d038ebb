"""`annotator stats` and `annotator agree` on projects that stretch their output.

Each test is a defect found by using the tool as its README describes, and failed before its fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.cli_helpers import ZH, run


def test_stats_with_a_code_named_done_and_many_codes(tmp_path: Path) -> None:
    """A code with the id 'done' was counted into the coder's done figure and left out of the
    codes; a coder using 80 codes got one line of thousands of characters."""
    ids = ["done", *[f"code{i:02d}" for i in range(14)]]
    codes = "\n".join(f"      - id: {cid}\n        label: {{en: {cid}}}" for cid in ids)
    (tmp_path / "cb.yaml").write_text(f"facets:\n  - id: theme\n    multiple: true\n    codes:\n{codes}\n",
                                      encoding="utf-8")
    (tmp_path / "int01.txt").write_text(ZH, encoding="utf-8")
    db = tmp_path / "study.db"
    assert run("init", db, "--codebook", tmp_path / "cb.yaml")[0] == 0
    assert run("import", db, tmp_path / "int01.txt")[0] == 0
    assert run("tag", db, "int01-001", *ids, "--coder", "li")[0] == 0
    code, out = run("stats", db)
    assert code == 0, out
    line = next(x for x in out.splitlines() if x.strip().startswith("li "))
    assert " 1/3 done " in line and "done 1" in line
    assert line.endswith(", ... (5 more codes)") and len(line) < 200


def test_agree_on_a_document_nobody_double_coded_says_so(project: Path, tmp_path: Path) -> None:
    (tmp_path / "int02.txt").write_text(ZH, encoding="utf-8")
    assert run("import", project, tmp_path / "int02.txt")[0] == 0
    assert run("tag", project, "int02-001", "latency", "--coder", "li")[0] == 0
    code, out = run("agree", project, "--document", "int02")
    assert code == 1
    assert out.strip() == ("annotator: error: agreement needs at least two coders who have finished"
                           " segments in document 'int02'; coders with finished segments in"
                           " document 'int02': li")


def test_an_unknown_coder_is_refused_before_the_work_is_counted_or_spacy_loaded(
        demo_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On a million segments the counts of `stats` take seconds, and the word segmenters of a
    spacy export as long: a misspelt --coder was refused only after them."""
    import annotator.application.stats as stats
    import annotator.cli.interchange as interchange

    def not_yet(*_args: object, **_kw: object) -> None:
        raise AssertionError("the work was counted, or spaCy loaded, before the coder was checked")

    monkeypatch.setattr(stats, "segment_counts", not_yet)
    monkeypatch.setattr(interchange, "prepare_nlp", not_yet)
    for args in (["stats", demo_project, "--coder", "nobody"],
                 ["export", demo_project, "--format", "spacy", "--coder", "nobody", "-o", tmp_path / "x.spacy"]):
        code, out = run(*args)
        assert code == 1 and "no coder 'nobody' in the project (coders: paper)" in out, out

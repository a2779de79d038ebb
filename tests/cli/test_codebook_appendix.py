"""``annotator codebook export``: every facet and code with both labels and real bilingual examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.findings_fixtures import build, run, sql


@pytest.fixture(scope="module")
def db(demo_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(demo_master, tmp_path_factory.mktemp("appendix"))


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_every_code_with_labels_and_up_to_n_examples_of_the_coder(db: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"codebook.{fmt}"
    code, text = run("codebook", "export", db, "--format", fmt, "--examples", "1", "--coder", "li", "-o", out)
    assert code == 0, text
    content = docx_text(out) if fmt == "docx" else out.read_text(encoding="utf-8")
    for cid, zh, en, key in sql(db, "SELECT id, label_zh, label_en, key FROM codes WHERE archived = 0"):
        assert cid in content and zh in content and en in content
        if key:
            assert f"key {key}" in content or f"key `{key}`" in content or f"<kbd>{key}</kbd>" in content
    definition = sql(db, "SELECT definition_zh FROM codes WHERE id = 'adaptation'")[0][0]
    assert definition[:20] in content
    # the first segment li coded with each code, in reading order, is its example
    coded = sql(db, "SELECT a.code, s.zh FROM annotations a JOIN segments s ON s.id = a.segment"
                " JOIN documents d ON d.id = s.document WHERE a.coder = 'li'"
                " ORDER BY d.position, s.position")
    first: dict[str, str] = {}
    for cid, zh in coded:
        first.setdefault(cid, zh)
    for zh in first.values():
        assert zh in content
    others = {zh for (zh,) in sql(db, "SELECT zh FROM segments")} - {zh for _, zh in coded}
    assert not any(zh in content for zh in others)


def test_examples_zero_needs_no_coder_and_an_unclear_coder_is_an_error(
        demo_master: Path, tmp_path: Path) -> None:
    db = build(demo_master, tmp_path, consensus=False)
    code, out = run("codebook", "export", db, "--examples", "0")
    assert code == 0 and "```" not in out and "| 中文 |" not in out and "adaptation" in out
    code, out = run("codebook", "export", db)
    assert code == 1 and "li, paper, wang" in out

"""The ``.qdpx`` export, rewritten to format rows straight into text, writes the very archive the
export as first written wrote (kept in ``tests/io/refi_reference``), byte for byte: on the demo
project, on a generated project, on one full of awkward text, memos, narrow spans and attributes,
and on an imported one, for every language choice and for chosen coders in a chosen order."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.application.exporting import export_qdpx
from annotator.application.importing import import_any
from annotator.model import Span
from annotator.storage.attributes import set_attributes
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import set_memo, tag
from annotator.storage.db import open_project
from annotator.storage.memos import set_note
from annotator.storage.project_meta import set_meta
from annotator.storage.spans import add_spans
from benchmarks.generate import main as generate
from tests.interchange_fixtures import coded_project
from tests.io.refi_reference import reference_export
from tests.io.test_refi_plan import _qde, _qdpx

AWKWARD = 'a & b < c > d "e" \'f\'\ttab\r\nline\n\n\n督查😀 ]]> &amp;'


def _same_archive(project: Path, tmp_path: Path, **options: object) -> None:
    with open_project(project) as p:
        set_meta(p, "created_at", "2026-03-04T05:06:07.890Z")  # else "now", which may tick between
        ours = export_qdpx(p, tmp_path / "ours.qdpx", **options)  # type: ignore[arg-type]
        theirs = reference_export(p, tmp_path / "reference.qdpx", **options)  # type: ignore[arg-type]
    assert vars(ours) == vars(theirs)
    assert (tmp_path / "ours.qdpx").read_bytes() == (tmp_path / "reference.qdpx").read_bytes()


@pytest.mark.parametrize("lang", ["both", "zh", "en"])
def test_demo_project_exports_as_before(demo_project: Path, tmp_path: Path, lang: str) -> None:
    _same_archive(demo_project, tmp_path, lang=lang)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project (5 coders, 20% coded), then worked on as coders do: codes applied at
    their own times, memos, a narrow span, document memos, attributes and multi-line text."""
    path = tmp_path_factory.mktemp("generated") / "g.db"
    generate(["--segments", "600", "-o", str(path)])
    with open_project(path) as p:
        cb = load_codebook(p)
        segments = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY document, position")]
        tag(p, cb, "coder2", segments[3], ["adaptation", "trace_formalism"])
        tag(p, cb, "coder5", segments[7], [], none=True)
        set_memo(p, "coder1", segments[7], AWKWARD)
        set_memo(p, "coder3", segments[300], "memo only, no code")
        set_note(p, "document", segments[0].rsplit("-", 1)[0], "coder4", AWKWARD)
        set_note(p, "code", "integration", "coder1", "about integration")
        set_attributes(p, {segments[0].rsplit("-", 1)[0]: {"site": AWKWARD, "year": "2023"}})
        with p.write() as conn:  # text as some imports leave it: blank lines, one language only
            conn.execute("UPDATE segments SET zh = ? WHERE id = ?", ("第一行\r\n\r\n\n第二行", segments[3]))
            conn.execute("UPDATE segments SET en = '', speaker = NULL WHERE id = ?", (segments[7],))
            conn.execute("UPDATE segments SET zh = '' WHERE id = ?", (segments[300],))
        tag(p, cb, "coder2", segments[9], ["goal_attainment"])
        add_spans(p, [Span("coder2", segments[9], "goal_attainment", "en", 2, 6)])
    return path


@pytest.mark.parametrize("options", [{}, {"lang": "zh"}, {"lang": "en"},
                                     {"coders": ["coder3", "coder1"]}, {"coders": ["coder2"], "lang": "en"}])
def test_generated_project_exports_as_before(generated: Path, tmp_path: Path, options: dict[str, object]) -> None:
    copy = tmp_path / "g.db"
    copy.write_bytes(generated.read_bytes())
    _same_archive(copy, tmp_path, **options)


@pytest.mark.parametrize("options", [{}, {"lang": "zh"}, {"coders": ["li"]}, {"coders": ["li", "paper"], "lang": "en"}])
def test_awkward_project_exports_as_before(tmp_path: Path, options: dict[str, object]) -> None:
    path = coded_project(tmp_path)
    with open_project(path) as p:
        set_memo(p, "li", "astral-001", AWKWARD)
        set_note(p, "document", "astral", "li", AWKWARD)
        set_attributes(p, {"astral": {"note": AWKWARD, "empty": ""}})
        with p.write():
            add_spans(p, [Span("li", "astral-002", "goal_attainment", "zh", 1, 3),
                          Span("li", "astral-002", "inspection_pressure", "en", 0, 400)])
    _same_archive(path, tmp_path, **options)


def test_imported_project_exports_as_before(tmp_path: Path) -> None:
    import_any(tmp_path / "p.db", [_qdpx(tmp_path / "s.qdpx", _qde())])
    _same_archive(tmp_path / "p.db", tmp_path)

"""`annotator codebook`: a code put back brings its archived work back; show's language.

Each test is a defect found by using the tool as its README describes, and failed before its fix.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_helpers import annotations_of, run


def test_a_code_put_back_gets_its_archived_annotations_back(project: Path, tmp_path: Path) -> None:
    """README: removing a used code with --force archives its annotations "(recoverable)"; putting
    the code back into the codebook left them in the archive, and nothing brought them back."""
    import yaml

    from annotator.codebook import bundled_codebook_path

    full = bundled_codebook_path()
    cb = yaml.safe_load(full.read_text(encoding="utf-8"))
    cb["facets"][0]["codes"] = [c for c in cb["facets"][0]["codes"]
                                if c["id"] not in ("adaptation", "goal_attainment")]
    for c in cb["facets"][1]["codes"]:  # a code may not imply a code the codebook no longer has
        if c.get("implies", {}).get("dimension") in ("adaptation", "goal_attainment"):
            del c["implies"]
        c.pop("examples", None)  # nor hold one in its examples
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(yaml.safe_dump(cb, allow_unicode=True), encoding="utf-8")
    before = annotations_of(project)
    code, out = run("codebook", "set", project, smaller, "--force")
    assert code == 0 and "2 annotations archived" in out, out
    # meanwhile wang chooses another code of the single-choice facet on the same segment
    assert run("tag", project, "int01-002", "latency", "--coder", "wang")[0] == 0
    code, out = run("codebook", "set", project, full)
    assert code == 0, out
    assert "back from the archive: adaptation, goal_attainment (1 annotation restored)" in out
    assert "warning: 1 archived annotation stays archived" in out
    assert annotations_of(project) == (before - {("wang", "int01-002", "goal_attainment")}) | {
        ("wang", "int01-002", "latency")}
    code, out = run("check", project)
    assert code == 0, out


def test_codebook_show_with_an_unknown_language_is_an_error(project: Path) -> None:
    code, out = run("codebook", "show", project, "--lang", "fr")
    assert code == 1 and out.strip() == "annotator: error: --lang must be zh or en, not 'fr'"
    code, out = run("codebook", "show", project, "--lang", "zh")
    assert code == 0 and "维度" in out

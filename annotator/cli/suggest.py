"""Commands ``suggest`` (codes and keywords per segment) and ``keywords`` (corpus keywords)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, open_existing, prepare_nlp, print_json_line, user_errors
from annotator.cli.progress import stderr_status
from annotator.errors import UsageError


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal cells (a Chinese character takes two)."""
    from rich.cells import cell_len

    return text + " " * max(width - cell_len(text), 0)


@app.command("suggest")
@user_errors
def suggest_cmd(
    project: ProjectArg,
    segments: Annotated[
        list[str] | None,
        typer.Argument(help="Segment ids (every segment when omitted).", show_default=False),
    ] = None,
    coder: Annotated[
        str | None,
        typer.Option("--coder", help="Learn from this coder's annotations (every coder's when omitted)."),
    ] = None,
    lead: Annotated[bool, typer.Option("--lead", help="Learn from every coder's annotations.")] = False,
    top: Annotated[int, typer.Option("--top", "-k", help="Codes, and keywords per language, to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per segment per line.")] = False,
) -> None:
    """Suggest codes (with their evidence words) and keywords for segments.

    Codes come from the codebook's keywords and from a model learned from the annotations in
    the project. A check mark shows the codes the engine would apply: the best code of a
    single-choice facet, and multi-choice codes scoring 0.5 or more, or at least twice the
    facet's average score and at least 1/K (K: the facet's number of codes).
    """
    from annotator.application.coding import check_coder, check_segments, segment_order
    from annotator.application.suggesting import (
        keep_codebook_terms,
        needs_tokeniser,
        recall_codebook_terms,
        suggester_for_project,
    )

    if top < 1:
        raise UsageError("--top must be at least 1")
    with open_existing(project) as p:
        check_coder(p, coder)
        check_segments(p, segments or ())  # before the engine is built: an unknown id fails at once
        ids = list(segments) if segments else [s for s, _doc in segment_order(p)]
        recall_codebook_terms(p)
        if needs_tokeniser(p, coder=coder, lead=lead):  # a kept engine or known codebook text: none
            prepare_nlp()
        suggester = suggester_for_project(p, coder=coder, lead=lead)
        keep_codebook_terms(p)
    for seg in ids:
        result = suggester.suggest(seg, top=top)
        if as_json:
            print_json_line(result.as_json())
            continue
        print(seg)
        for lang in ("zh", "en"):
            words = [f"{k.text} {k.score:.2f}" for k in result.keywords if k.lang == lang]
            if words:
                print(f"  keywords {lang}: {', '.join(words)}")
        if not result.codes:
            print("  codes: (no evidence)")
        for c in result.codes:
            mark = "✓" if c.passes else " "
            print(f"  {mark} {c.code:<22} {c.facet:<12} {c.score:.2f}  {', '.join(c.evidence)}")


@app.command("keywords")
@user_errors
def keywords_cmd(
    project: ProjectArg,
    document: Annotated[
        str | None, typer.Option("--document", "-d", help="Only this document's segments.")
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", help="Keywords per language.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per keyword per line.")] = False,
) -> None:
    """The corpus keywords per language (TF-IDF against the project's own segments)."""
    from annotator.application.suggesting import project_keywords

    if top < 1:
        raise UsageError("--top must be at least 1")
    with open_existing(Path(project)) as p, stderr_status("weighing every segment's words …"):
        found = project_keywords(p, document=document, top=top)
    for lang in ("zh", "en"):
        if as_json:
            for k in found[lang]:
                print_json_line({"text": k.text, "lang": k.lang, "score": k.score})
            continue
        print(f"{lang}:")
        if not found[lang]:
            print("  (none)")
        for rank, k in enumerate(found[lang], 1):
            print(f"  {rank:>3}. {_pad(k.text, 24)} {k.score:.3f}")

"""Commands for leads: agreement reports and disagreement listings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, open_existing, user_errors
from annotator.errors import UsageError
from annotator.model import Codebook

FORMATS = ("table", "md", "html", "json")


def _coders(value: str | None) -> list[str] | None:
    if not value:
        return None
    names = [c.strip() for c in value.split(",") if c.strip()]
    return names or None


def _load(
    project: Path, coders: list[str] | None, document: str | None, where: list[str] | None = None
) -> tuple[Codebook, list[str], dict[str, dict[str, frozenset[str]]], dict[str, tuple[str, str]]]:
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import done_code_sets, list_coders
    from annotator.storage.documents import check_document, iter_segments

    with open_existing(project) as p:
        codebook = load_codebook(p)
        known = list_coders(p)
        if coders:
            unknown = [c for c in coders if c not in known]
            if unknown:
                raise UsageError(f"no coder {', '.join(unknown)} in the project (coders: {', '.join(known)})")
        if document:
            check_document(p, document)
        states = done_code_sets(p, coders, document=document)
        if where:  # only documents with these attribute values
            from annotator.application_findings import parse_where, segments_where

            keep = segments_where(p, parse_where(where))
            states = {seg: per for seg, per in states.items() if seg in keep}
        texts = {s.id: (s.zh, s.en) for s in iter_segments(p, document) if s.id in states}
    chosen = coders or sorted({c for per in states.values() for c in per})
    return codebook, chosen, states, texts


@app.command("agree")
@user_errors
def agree_cmd(
    project: ProjectArg,
    coders: Annotated[str | None, typer.Option("--coders", help="Comma-separated coder names (all when omitted).")] = None,
    facet: Annotated[list[str] | None, typer.Option("--facet", help="Only this facet (repeatable).")] = None,
    document: Annotated[str | None, typer.Option("--document", "-d", help="Only this document.")] = None,
    where: Annotated[list[str] | None, typer.Option("--where", help="Only documents with this attribute value, ATTR=VALUE (repeatable).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | md | html | json")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap samples for the 95% intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="Label language: zh or en.")] = "en",
) -> None:
    """Inter-coder agreement per facet and per code: kappa, alpha (95% CI), AC1, Brennan–Prediger."""
    import json

    from annotator.agreement.render import render_html, render_markdown, render_table
    from annotator.agreement.report import build_report, to_json

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    if bootstrap < 0:
        raise UsageError("--bootstrap must be 0 or more")
    codebook, chosen, states, texts = _load(project, _coders(coders), document, where)
    if len(chosen) < 2:
        scope = f" in document {document!r}" if document else ""
        raise UsageError(f"agreement needs at least two coders who have finished segments{scope};"
                         f" coders with finished segments{scope}: {', '.join(chosen) or 'none'}")
    report = build_report(codebook, chosen, states, facets=facet or None,
                          bootstrap=bootstrap, seed=seed, texts=texts)
    if fmt == "json":
        text = json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        text = render_markdown(report, lang)
    elif fmt == "html":
        text = render_html(report, lang)
    else:
        text = render_table(report, lang)
    if output is not None and str(output) != "-":
        from annotator.io.interchange import atomic_output

        with atomic_output(output, newline="\n") as f:
            f.write(text)
        print(f"wrote {output} ({len(report.units)} segments, {len(report.coders)} coders)")
    else:
        typer.echo(text, nl=not text.endswith("\n"))


@app.command("disagreements")
@user_errors
def disagreements_cmd(
    project: ProjectArg,
    facet: Annotated[str | None, typer.Option("--facet", help="Only this facet.")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Only segments where coders differ on this code.")] = None,
    coders: Annotated[str | None, typer.Option("--coders", help="Comma-separated coder names.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Segments where coders differ, with both texts and each coder's codes."""
    from annotator.agreement.report import disagreements
    from annotator.cli._common import print_json_line

    codebook, chosen, states, texts = _load(project, _coders(coders), None)
    found = disagreements(codebook, states, facet=facet, code=code, coders=chosen)
    for d in found:
        zh, en = texts.get(d.segment, ("", ""))
        if as_json:
            print_json_line({"segment": d.segment, "facet": d.facet,
                             "codes": {c: list(v) for c, v in d.codes.items()}, "zh": zh, "en": en})
            continue
        print(f"{d.segment}  [{d.facet}]")
        if zh:
            print(f"  zh: {zh}")
        if en:
            print(f"  en: {en}")
        for coder, codes in d.codes.items():
            print(f"  {coder:<14} {', '.join(codes) or '(none)'}")
        print()
    if not as_json:
        print(f"{len(found)} disagreements")

"""Commands for leads: agreement reports and disagreement listings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, user_errors
from annotator.errors import UsageError

FORMATS = ("table", "md", "html", "json")


def _coders(value: str | None) -> list[str] | None:
    if not value:
        return None
    names = [c.strip() for c in value.split(",") if c.strip()]
    return names or None


@app.command("agree")
@user_errors
def agree_cmd(
    project: ProjectArg,
    coders: Annotated[str | None, typer.Option("--coders", help="Comma-separated coder names (all when omitted).")] = None,
    facet: Annotated[list[str] | None, typer.Option("--facet", help="Only this facet (repeatable).")] = None,
    document: Annotated[str | None, typer.Option("--document", "-d", help="Only this document.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table | md | html | json")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap samples for the 95% intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="Label language: zh or en.")] = "en",
    with_text: Annotated[bool, typer.Option("--with-text", help="json: each disagreement with its zh and en text.")] = False,
) -> None:
    """Inter-coder agreement per facet and per code: kappa, alpha (95% CI), AC1, Brennan–Prediger."""
    from dataclasses import replace

    from annotator.agreement.render import render_html, render_markdown, render_table
    from annotator.agreement.report import build_report, json_text
    from annotator.application.agreement import agreement_data, agreement_texts

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    if bootstrap < 0:
        raise UsageError("--bootstrap must be 0 or more")
    codebook, chosen, states, texts = agreement_data(project, _coders(coders), document)
    if len(chosen) < 2:
        where = f" in document {document!r}" if document else ""
        raise UsageError(f"agreement needs at least two coders who have finished segments{where};"
                         f" coders with finished segments{where}: {', '.join(chosen) or 'none'}")
    report = build_report(codebook, chosen, states, facets=facet or None,
                          bootstrap=bootstrap, seed=seed, texts=texts)
    if fmt == "html" or (fmt == "json" and with_text):  # text only of the segments shown
        report = replace(report, texts=agreement_texts(project, (d.segment for d in report.disagreements)))
    if fmt == "json":
        text = json_text(report, with_text=with_text)
    elif fmt == "md":
        text = render_markdown(report, lang)
    elif fmt == "html":
        text = render_html(report, lang)
    else:
        text = render_table(report, lang)
    if output is not None and str(output) != "-":
        from annotator.files import atomic_output

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
    from annotator.application.agreement import agreement_data, agreement_texts
    from annotator.cli._common import print_json_line

    codebook, chosen, states, _ = agreement_data(project, _coders(coders), None)
    found = disagreements(codebook, states, facet=facet, code=code, coders=chosen)
    texts = agreement_texts(project, (d.segment for d in found))
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

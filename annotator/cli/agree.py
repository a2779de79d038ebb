"""Commands for leads: agreement reports and disagreement listings."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annotator.cli._common import ProjectArg, app, batches, refuse_project, user_errors, write_lines
from annotator.cli.progress import stderr_status
from annotator.errors import UsageError
from annotator.plural import plural

if TYPE_CHECKING:
    from annotator.agreement.report_model import AgreementReport, Disagreement
    from annotator.application.agreement import AgreementInput

FORMATS = ("table", "md", "html", "json")
UNITS = ("segment", "document")


def _coders(value: str | None) -> list[str] | None:
    if not value:
        return None
    names = [c.strip() for c in value.split(",") if c.strip()]
    return names or None


def _reports(data: AgreementInput, unit: str, by: str | None, **kw: Any) -> list[tuple[str, AgreementReport]]:
    """The report over every unit, then one per group of ``--by``."""
    from annotator.agreement.report import build_report
    from annotator.agreement.units import as_multi_choice, document_states, group_states
    from annotator.application.agreement import group_of

    codebook, table = data.codebook, data.table
    if unit == "document":
        codebook = as_multi_choice(codebook)
        table = document_states(table, data.segment_document or [None] * table.n_units, data.coders)
    out = [("", build_report(codebook, data.coders, table, unit_kind=unit, **kw))]
    if by:
        for name, part in group_states(table, group_of(data, by, unit, table.units)).items():
            out.append((name, build_report(codebook, data.coders, part, unit_kind=unit, **kw)))
    return out


def _with_texts(data: AgreementInput, reports: list[tuple[str, AgreementReport]], fmt: str
                ) -> list[tuple[str, AgreementReport]]:
    """The reports with the text of the segments they list as disagreements (html: those the
    page shows)."""
    from dataclasses import replace

    if fmt == "html":
        from annotator.agreement.render_html import shown_disagreements

        texts = data.texts(d.segment for d in shown_disagreements(reports[0][1]))
    else:
        texts = data.texts(d.segment for _, r in reports for d in r.disagreements)
    return [(name, replace(r, texts=texts)) for name, r in reports]


def _render(reports: list[tuple[str, AgreementReport]], fmt: str, lang: str, by: str | None,
            corpus: int, with_text: bool = False) -> Iterable[str]:
    """The report's text, in pieces to be written as they come (each format imports only its own
    writer: JSON is what scripts ask for, at every start)."""
    main = reports[0][1]
    if fmt == "json":
        from annotator.agreement.report_json import iter_dumps, to_json

        data = to_json(main, with_text=with_text, rendered=True)
        if by:
            data["by"] = {"key": by, "groups": {n: to_json(r, with_text=with_text, rendered=True)
                                                for n, r in reports[1:]}}
        return itertools.chain(iter_dumps(data), ["\n"])
    if fmt == "html":
        from annotator.agreement.methods_text import methods_en, methods_zh
        from annotator.agreement.render_html import render_html

        methods = [(methods_en(main, corpus), "en"), (methods_zh(main, corpus), "zh")]
        return [render_html(main, lang, methods=methods, groups=[(f"{by} = {n}", r) for n, r in reports[1:]])]
    from annotator.agreement.render_text import render_markdown, render_table

    if fmt == "md":
        from annotator.agreement.methods_text import methods_markdown

        text = render_markdown(main, lang, methods=methods_markdown(main, corpus))
        return [text, *(f"\n# {by} = {n}\n\n" + render_markdown(r, lang) for n, r in reports[1:])]
    text = render_table(main, lang)
    return [text, *(f"\n=== {by} = {n} ===\n" + render_table(r, lang) for n, r in reports[1:])]


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
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap resamples for the 95% intervals (0: none, and no verdict but 'insufficient data').")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="Label language: zh or en.")] = "en",
    unit: Annotated[str, typer.Option("--unit", help="segment | document (a code present in the document or not).")] = "segment",
    by: Annotated[str | None, typer.Option("--by", help="Also one table per document or per value of a document ATTRIBUTE.")] = None,
    sample: Annotated[bool, typer.Option("--sample", help="Only the double-coding sample drawn by 'annotator sample'.")] = False,
    round_name: Annotated[str | None, typer.Option("--round", help="The coding as it stood when round NAME was marked.")] = None,
    retest: Annotated[str | None, typer.Option("--retest", help="Intra-coder agreement: one coder (--coders NAME) at round ROUND against the same coder now.")] = None,
    with_text: Annotated[bool, typer.Option("--with-text", help="json: each disagreement with its zh and en text.")] = False,
) -> None:
    """Inter-coder agreement per facet, per code and pooled: alpha, kappas, AC1, BP with 95% intervals and verdicts."""
    from annotator.application.agreement import load_input

    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}")
    if unit not in UNITS:
        raise UsageError(f"--unit must be one of {', '.join(UNITS)}")
    if bootstrap < 0:
        raise UsageError("--bootstrap must be 0 or more")
    refuse_project(output, project)
    with stderr_status("computing agreement …"):
        data = load_input(project, _coders(coders), document, sample=sample, round_name=round_name,
                          retest=retest, where=where, with_documents=unit == "document" or by is not None,
                          facets=facet or (), by=by, unit=unit)
        if len(data.coders) < 2:
            scope = f" in document {document!r}" if document else ""
            raise UsageError(f"agreement needs at least two coders who have finished segments{scope};"
                             f" coders with finished segments{scope}: {', '.join(data.coders) or 'none'}")
        reports = _reports(data, unit, by, facets=facet or None, bootstrap=bootstrap, seed=seed)
        if fmt == "html" or (fmt == "json" and with_text):
            reports = _with_texts(data, reports, fmt)
    corpus = data.corpus_documents if unit == "document" else data.corpus_segments
    pieces = _render(reports, fmt, lang, by, corpus, with_text)
    if output is not None and str(output) != "-":
        from annotator.files import atomic_output

        with atomic_output(output, newline="\n") as f:
            f.writelines(pieces)
        main = reports[0][1]
        print(f"wrote {output} ({plural(len(main.units), unit)}, {plural(len(main.coders), 'coder')})")
    else:
        last = ""
        for batch in batches(pieces):
            text = "".join(batch)
            typer.echo(text, nl=False)
            last = text or last
        if not last.endswith("\n"):
            typer.echo("")


@app.command("disagreements")
@user_errors
def disagreements_cmd(
    project: ProjectArg,
    facet: Annotated[list[str] | None, typer.Option("--facet", help="Only this facet (repeatable).")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Only segments where coders differ on this code.")] = None,
    coders: Annotated[str | None, typer.Option("--coders", help="Comma-separated coder names.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Segments where coders differ, with both texts and each coder's codes."""
    from annotator.application.agreement import load_input, ordered_disagreements

    facets: list[str | None] = list(facet or []) or [None]
    data = load_input(project, _coders(coders), None, facets=facets, code=code)
    found = 0

    def counted() -> Iterator[tuple[Disagreement, str, str]]:
        nonlocal found
        for item in ordered_disagreements(data, facets, code):
            found += 1
            yield item

    write_lines(_json_lines(counted()) if as_json else itertools.starmap(_disagreement_text, counted()))
    if not as_json:
        print(plural(found, 'disagreement'))


def _json_lines(listed: Iterable[tuple[Disagreement, str, str]], chunk: int = 2000) -> Iterator[str]:
    """One JSON object per disagreement (segment, facet, codes, zh, en), a line each: written by
    the agreement report's own fast encoder, ``chunk`` disagreements at a time."""
    from annotator.agreement.report_json import rendered_disagreements

    items = iter(listed)
    while part := list(itertools.islice(items, chunk)):
        texts = {d.segment: (zh, en) for d, zh, en in part}
        yield from (line + "\n" for line in rendered_disagreements([d for d, _, _ in part], texts))


def _disagreement_text(d: Disagreement, zh: str, en: str) -> str:
    lines = [f"{d.segment}  [{d.facet}]"]
    if zh:
        lines.append(f"  zh: {zh}")
    if en:
        lines.append(f"  en: {en}")
    lines.extend(f"  {coder:<14} {', '.join(codes) or '(none)'}" for coder, codes in d.codes.items())
    return "\n".join(lines) + "\n\n"

"""Commands for the agreement study: draw the double-coding sample, mark rounds."""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, err, json_line, open_existing, user_errors, write_lines
from annotator.errors import UsageError


@app.command("sample")
@user_errors
def sample_cmd(
    project: ProjectArg,
    share: Annotated[float, typer.Option("--share", help="Share of the segments to double-code (0-1].")],
    coders: Annotated[str, typer.Option("--coders", help="Comma-separated coders who each code every sampled segment.")],
    by: Annotated[str, typer.Option("--by", help="Stratify by document or by a document ATTRIBUTE.")] = "document",
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed (drawn and printed when omitted).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line: segment, document, coders.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the project's current sample.")] = False,
) -> None:
    """Draw a stratified double-coding sample, assign it to the coders and list it."""
    import secrets

    from annotator.agreement.render_text import terminal_safe
    from annotator.application.study import check_sample_request, sample_segments

    names = list(dict.fromkeys(c.strip() for c in coders.split(",") if c.strip()))
    check_sample_request(names, share)
    seed = secrets.randbelow(2**31) if seed is None else seed
    with open_existing(project) as p:
        sample = sample_segments(p, names, share, by, seed, replace=replace)
    drawn = sample.drawn
    assigned = ",".join(names)
    write_lines(json_line({"segment": segment, "document": document, "coders": names}) if as_json
                else terminal_safe(f"{segment}\t{document}\t{assigned}") + "\n" for segment, document in drawn)
    summary = terminal_safe(f"sampled {len(drawn)} of {sample.of} segments (share {share:g}), stratified by {by},"
               f" seed {seed}; assigned to {', '.join(names)}")
    if as_json:
        err(summary)  # stdout stays one JSON object per line
    else:
        print(summary)


@app.command("round")
@user_errors
def round_cmd(
    project: ProjectArg,
    action: Annotated[str, typer.Argument(help="mark | list")],
    name: Annotated[str | None, typer.Argument(help="The round's name (for mark).")] = None,
) -> None:
    """Name the current point of the project's history ('mark NAME'), or list the rounds.

    'annotator agree --round NAME' then computes agreement on the coding as it stood then."""
    from annotator.agreement.render_text import terminal_safe
    from annotator.application.study import list_rounds, mark_round

    with open_existing(project) as p:
        if action == "mark":
            if not name:
                raise UsageError("name the round: annotator round PROJECT mark NAME")
            last = mark_round(p, name)
            print(terminal_safe(f"marked round {name!r} at change {last} of the event log"))
        elif action == "list":
            for round_name, last, at in list_rounds(p):
                print(terminal_safe(f"{round_name}\t{last}\t{at}"))
        else:
            raise UsageError(f"unknown round action {action!r}; use mark or list")

"""``annotator memo`` and ``annotator memos``: write memos on segments, documents and codes from a
script, and read every memo in one place."""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, open_existing, refuse_project, user_errors
from annotator.errors import UsageError

MEMO_FORMATS = ("table", "md", "json")


@app.command("memo")
@user_errors
def memo_cmd(
    project: ProjectArg,
    segment: Annotated[str | None, typer.Argument(help="Segment id (or use --document / --code).", show_default=False)] = None,
    text: Annotated[str | None, typer.Argument(help="The memo (replaces the coder's memo there).", show_default=False)] = None,
    coder: Annotated[str, typer.Option("--coder", help="Whose memo.", show_default=False)] = "",
    document: Annotated[str | None, typer.Option("--document", "-d", help="A memo on this document.")] = None,
    code: Annotated[str | None, typer.Option("--code", help="A memo on this code.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the coder's memo there.")] = False,
) -> None:
    """Write (or --clear) a coder's memo on a segment, a document (--document) or a code (--code)."""
    from annotator.application.coding import write_memo

    coder = coder.strip()
    if not coder:
        raise UsageError("--coder NAME is required")
    if sum(x is not None for x in (document, code)) > 1:
        raise UsageError("name one place for the memo: a segment, --document or --code")
    if document is not None or code is not None:
        if text is not None:
            raise UsageError("with --document or --code give only the memo text")
        text, segment = segment, None
    elif segment is None:
        raise UsageError("name a segment, --document ID or --code ID")
    if clear == (text is not None):
        raise UsageError("give the memo text, or --clear to remove it")
    with open_existing(project) as p:
        if segment is not None:
            changed = write_memo(p, coder, text or "", segment=segment)
            place = f"segment {segment}"
        else:
            kind, target = ("document", document) if document is not None else ("code", code)
            assert target is not None
            changed = write_memo(p, coder, text or "", kind=kind, target=target)
            place = f"{kind} {target}"
    verb = "removed" if clear else "saved"
    print(f"memo of {coder} on {place} {verb}" if changed else f"memo of {coder} on {place} unchanged")


@app.command("memos")
@user_errors
def memos_cmd(
    project: ProjectArg,
    coder: Annotated[str | None, typer.Option("--coder", help="Only this coder's memos.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | md | json")] = "table",
    out: Annotated[str | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
) -> None:
    """Every memo (documents, codes, segments) in one list."""
    from pathlib import Path

    from annotator.application.coding import all_memos, check_coder
    from annotator.cli.findings import check_format, write_text
    from annotator.io import memos_render as render

    fmt = check_format(fmt, MEMO_FORMATS)
    refuse_project(out, project)
    with open_existing(project) as p:
        check_coder(p, coder)
        memos = all_memos(p, coder)
    text = (render.render_json_lines(memos) if fmt == "json"
            else render.render_markdown(memos) if fmt == "md" else render.render_table(memos))
    write_text(text, Path(out) if out else None)

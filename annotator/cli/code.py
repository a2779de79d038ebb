"""``annotator code`` and ``annotator adjudicate``: open the coding screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli._common import ProjectArg, app, err, user_errors
from annotator.errors import UsageError

if TYPE_CHECKING:
    from annotator.tui.segment_order import Only

UiOpt = Annotated[
    str | None, typer.Option("--ui", help="Language of the screen: zh or en (from the locale when omitted).")
]
CoderOpt = Annotated[str, typer.Option("--coder", help="Who is coding.", show_default=False)]


def _check_ui(ui: str | None) -> None:
    if ui is not None and ui not in ("zh", "en"):
        raise UsageError(f"--ui must be zh or en, not {ui!r}")


NO_TERMINAL = ("the coding screen needs an interactive terminal (standard input and output are not"
               " one); run it in a terminal")


def has_terminal() -> bool:
    """Whether standard input and output are both an interactive terminal."""
    import sys

    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def run_coding_screen(
    path: Path,
    *,
    coder: str,
    lead: bool = False,
    ui: str | None = None,
    only: Only | None = None,
    adjudicating: bool = False,
    auto_advance: bool = False,
) -> None:
    """Open the coding screen on ``path``; raises ``ProjectError`` for a bad project file and
    ``UsageError`` without an interactive terminal, before drawing anything."""
    from annotator.tui.app import make_app

    _check_ui(ui)
    coding_app = make_app(path, coder=coder, lead=lead, ui=ui, only=only, adjudicating=adjudicating,
                          auto_advance=auto_advance)
    if not has_terminal():
        coding_app.session.project.close()
        raise UsageError(NO_TERMINAL)
    coding_app.run()
    if coding_app.failure is not None:
        raise coding_app.failure
    if coding_app.return_code:  # a crash: Textual has shown the traceback
        raise typer.Exit(coding_app.return_code)


@app.command("code")
@user_errors
def code_cmd(
    project: ProjectArg,
    coder: CoderOpt = "",
    lead: Annotated[bool, typer.Option("--lead", help="Show every coder's codes side by side.")] = False,
    ui: UiOpt = None,
    where: Annotated[list[str] | None, typer.Option("--where", help="Only documents with this attribute value, ATTR=VALUE (repeatable).")] = None,
    all_of: Annotated[str | None, typer.Option("--all-of", help="Only segments where the coder applied every one of these codes: C,C.")] = None,
    auto_advance: Annotated[bool, typer.Option(
        "--auto-advance",
        help="A code key moves to the next segment once every single-choice facet has a code.",
    )] = False,
) -> None:
    """Open the coding screen: one segment at a time, one key per code."""
    if not coder.strip():
        raise UsageError("--coder NAME is required")
    only = _filtered(project, coder.strip(), where, all_of) if where or all_of else None
    if only is not None and not only:
        err("no segment matches --where / --all-of; nothing to open")
        return
    run_coding_screen(project, coder=coder.strip(), lead=lead, ui=ui, only=only,
                      auto_advance=auto_advance)


def _filtered(project: Path, coder: str, where: list[str] | None, all_of: str | None) -> list[str]:
    from annotator.application.findings import parse_where, segments_matching, split_list
    from annotator.application.projects import open_project

    with open_project(project) as p:
        return segments_matching(p, coder, parse_where(where or []), split_list([all_of or ""]))


@app.command("adjudicate")
@user_errors
def adjudicate_cmd(
    project: ProjectArg,
    coder: CoderOpt = "",
    ui: UiOpt = None,
) -> None:
    """Decide the segments where coders disagree; decisions are stored as coder NAME."""
    from annotator.application.filters import disagreeing_keys
    from annotator.application.projects import open_project
    from annotator.cli.progress import stderr_status
    from annotator.safe_text import check_name

    name = check_name(coder, "coder name")  # before seconds of reading every coder's work
    if not name:
        raise UsageError("--coder NAME is required")
    _check_ui(ui)
    with open_project(project) as p, stderr_status("finding the segments where coders disagree …"):
        segments = disagreeing_keys(p, exclude=name)  # row ids: the screen puts them in reading order
    if not len(segments):
        err("no segment where coders disagree; nothing to adjudicate")
        return
    run_coding_screen(project, coder=name, lead=True, ui=ui, only=segments, adjudicating=True)

"""The ``annotator`` command line: thin commands over the domain modules.

Each command module registers its commands on the shared Typer app; none imports spaCy,
jieba or Textual at module level, so ``annotator --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from annotator.cli import _threads  # noqa: F401  (before anything imports numpy)
# importing a command module registers its commands on the app, in the order --help lists them
from annotator.cli import project  # noqa: F401
from annotator.cli import code, suggest, agree, study, interchange, maintenance, recover  # noqa: F401
from annotator.cli import findings  # noqa: F401
from annotator.cli import attributes  # noqa: F401
from annotator.cli import memos  # noqa: F401
from annotator.cli import codebook_edit  # noqa: F401
from annotator.cli import progress
from annotator.cli._common import app, err, note_interrupts
from annotator.errors import AnnotatorError


def _command_named(args: list[str]) -> str:
    """The (sub)command the arguments name, for a help hint ("" when none)."""
    import typer

    group = typer.main.get_command(app)
    words: list[str] = []
    for arg in args:
        commands = getattr(group, "commands", None)
        if not commands or arg not in commands:
            break
        words.append(arg)
        group = commands[arg]
    return " ".join(words)


@contextlib.contextmanager
def _only_named_command(args: list[str]) -> Iterator[None]:
    """Build only the command the arguments name: typer makes every command's options (reading
    each function's signature) before it runs one, a few hundredths of a second for nothing.
    Without a known command name (options first, a typo, shell completion) every command stays.
    The app has all its commands again afterwards."""
    from typer.main import get_command_name

    kept = app.registered_commands, app.registered_groups
    if args and not args[0].startswith("-") and not any(k.endswith("_COMPLETE") for k in os.environ):
        commands = [c for c in app.registered_commands
                    if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == args[0]]
        groups = [g for g in app.registered_groups if g.name == args[0]]
        if len(commands) + len(groups) == 1:
            app.registered_commands, app.registered_groups = commands, groups
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = kept


def main() -> None:
    """The console script: every user error is one line on stderr and exit code 1."""
    import typer

    from annotator.safe_text import install_safe_streams

    install_safe_streams()  # no control character from data reaches the terminal
    note_interrupts()  # a Ctrl-C while SQLite runs one of our functions is said as one
    progress.install()  # e.g. building the search index of a project made by an older version
    try:
        with _only_named_command(sys.argv[1:]):
            code = app(standalone_mode=False)
    except AnnotatorError as exc:  # commands report their own; this is the last net
        err(f"error: {exc}")
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:  # a full disk or a read-only folder, wherever it happened
        from annotator.cli.failures import os_error_line

        err(f"error: {os_error_line(exc)}")
        sys.exit(1)
    except typer.Abort:
        err("interrupted")
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: unknown option, missing argument, ...
        if type(exc).__name__ == "NoArgsIsHelpError":  # plain `annotator`: the help
            print(exc.format_message())
            sys.exit(0)
        hint = f"annotator {_command_named(sys.argv[1:])} --help".replace("  ", " ")
        err(f"error: {' '.join(exc.format_message().split())} (see '{hint}')")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]

"""What every CLI command shares: the Typer app, error handling and output helpers."""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from annotator.cli._help import App
from annotator.errors import AnnotatorError, UsageError
from annotator.storage.errors import DatabaseError, database_error_line, interrupt_noted, interrupted

app = App(
    name="annotator",
    help="Code bilingual (Chinese/English) interview transcripts with a codebook and measure"
    " inter-coder agreement.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich formatting would double the start-up time
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish
    context_settings={"help_option_names": ["-h", "--help"]},
)
codebook_app = App(help="Check and show codebooks; change a project's codebook.",
                           rich_markup_mode=None,
                           no_args_is_help=True)
app.add_typer(codebook_app, name="codebook")

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T", str, bytes)

ProjectArg = Annotated[Path, typer.Argument(help="The project file (.db).", show_default=False)]


def err(message: str) -> None:
    from annotator.safe_text import printable

    print(printable(f"annotator: {message}"), file=sys.stderr)


def user_errors(fn: F) -> F:
    """Turn ``AnnotatorError`` into one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AnnotatorError as exc:
            err(f"error: {exc}")
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            _interrupted()
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except OSError as exc:  # a full disk, a read-only folder, a permission
            from annotator.cli.failures import os_error_line

            err(f"error: {os_error_line(exc)}")
            raise typer.Exit(1) from None
        except DatabaseError as exc:
            if interrupted(exc):  # Ctrl-C while SQLite ran one of our functions
                _interrupted()
            err(f"error: {database_error_line(exc)}")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def note_interrupts() -> None:
    """Note every Ctrl-C before Python raises it (see ``interrupt_noted``), where Ctrl-C is
    Python's to handle (not where the shell ignores it, as for a background job)."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupt_noted)


def _interrupted() -> NoReturn:
    err("interrupted; nothing half-written was kept")
    raise typer.Exit(130) from None


def prepare_nlp(langs: tuple[str, ...] = ("zh", "en")) -> None:
    """Load jieba and spaCy (``langs``) now, saying so on stderr when it is a terminal: the
    first use takes seconds, which would otherwise pass in silence. The line goes when they
    are ready."""
    from annotator.cli.progress import stderr_status
    from annotator.nlp.tokenize import load

    what = " and ".join({"zh": "Chinese", "en": "English"}[lang] for lang in langs)
    tools = ", ".join({"zh": "jieba", "en": "spaCy"}[lang] for lang in langs)
    with stderr_status(f"preparing the {what} word segmenters ({tools}) …"):
        load(langs)


#: ``json.dumps(obj, ensure_ascii=False)`` without making an encoder per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def json_line(obj: Any) -> str:
    """``obj`` as one line of JSON (UTF-8 text, not ``\\u`` escapes), with its newline."""
    return _encode(obj) + "\n"


def print_json_line(obj: Any) -> None:
    sys.stdout.write(json_line(obj))


def write_lines(lines: Iterable[str]) -> None:
    """``lines`` (each with its newline) to standard output as they come, a few hundred
    kilobytes a write: each write goes through the printable-only stream's escaping, which
    costs far more per call than per character."""
    for batch in batches(lines):
        sys.stdout.write("".join(batch))


def open_existing(path: Path) -> Any:
    from annotator.application.projects import open_project

    return open_project(path)


def _version(value: bool) -> None:
    if value:
        from annotator import __version__

        print(f"annotator {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Code bilingual (Chinese/English) interview transcripts with a codebook and measure
    inter-coder agreement."""


def batches(pieces: Iterable[T]) -> Iterator[list[T]]:
    """``pieces`` gathered into lists of about 256 kB (a large piece alone): one write each
    rather than one per piece."""
    batch: list[T] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= 1 << 18:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def refuse_project(out: Path | str | None, project: Path) -> None:
    """A usage error when ``out`` is the project file (or a file SQLite keeps beside it):
    writing there would replace the project."""
    import os

    if out is None or str(out) == "-" or not Path(out).exists():
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            if os.path.samefile(out, f"{project}{suffix}"):
                what = "the project file" if not suffix else f"a file SQLite keeps for the project {project}"
                raise UsageError(f"-o {out} is {what}; name another output file")

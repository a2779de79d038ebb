"""Progress bars on stderr for long work below the commands (building the search index while
an older project is upgraded: installed by the console script) and a spinner for a command's
own long work, drawn only on a terminal (on the stream under the printable-only
``sys.stderr``: they carry no data, only their own escape sequences)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from annotator.safe_text import terminal_stream


@contextlib.contextmanager
def stderr_bar(what: str, total: int) -> Iterator[Callable[[int], None]]:
    """A bar for ``what`` (``total`` steps) with share done, rate and time left; nothing when
    stderr is not a terminal."""
    stream = terminal_stream()
    if not stream.isatty():
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(TextColumn(what.replace("[", "\\[")), BarColumn(), TaskProgressColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("left"),
                   TimeRemainingColumn(), console=Console(file=stream), transient=True)
    task = bar.add_task(what, total=total)
    with bar:
        yield lambda n: bar.advance(task, n)


@contextlib.contextmanager
def stderr_status(what: str) -> Iterator[None]:
    """``what`` beside a spinner on stderr while the work inside runs (seconds of it with
    nothing else to show, such as finding the disagreements before the adjudication screen
    opens), cleared after; nothing when stderr is not a terminal."""
    stream = terminal_stream()
    if not stream.isatty():
        yield
        return
    from rich.console import Console
    from rich.markup import escape

    with Console(file=stream).status(escape(what)):
        yield


def install() -> None:
    """Show storage's long work (see :mod:`annotator.storage.progress`) with :func:`stderr_bar`."""
    from annotator.application.progress import set_progress_reporter

    set_progress_reporter(stderr_bar)

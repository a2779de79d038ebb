"""Progress bars on stderr for long work below the commands (building the search index while
an older project is upgraded: installed by the console script) and a spinner for a command's
own long work, drawn only on a terminal (on the stream under the printable-only
``sys.stderr``: they carry no data, only their own escape sequences)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

from annotator.safe_text import printable, terminal_stream


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


def _a_terminal(stream: Any) -> bool:
    """Whether ``stream`` is a terminal, as rich decides it (``TTY_COMPATIBLE=1`` or ``0`` says so
    where the program cannot see it), without importing rich when it is not one."""
    told = os.environ.get("TTY_COMPATIBLE", "")
    return told == "1" or (told != "0" and stream.isatty())


#: The spinner on stderr and its task, while one is shown (one at a time: see stderr_status).
_shown: list[tuple[Any, Any]] = []


@contextlib.contextmanager
def stderr_status(what: str) -> Iterator[None]:
    """``what`` beside a spinner and the time taken, on stderr while the work inside runs
    (seconds to minutes on a million segments with nothing else to show), cleared after;
    nothing when stderr is not a terminal. Inside another, it changes that one's text for as
    long as it runs. ``what`` may name files: it is shown printable, as plain text."""
    text = printable(what)
    if _shown:
        bar, task = _shown[-1]
        before = bar.tasks[0].description
        bar.update(task, description=text)
        try:
            yield
        finally:
            bar.update(task, description=before)
        return
    stream = terminal_stream()
    if not _a_terminal(stream):
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn(),
                  console=Console(file=stream), transient=True, redirect_stdout=False,
                  redirect_stderr=False) as bar:
        _shown.append((bar, bar.add_task(text, total=None)))
        try:
            yield
        finally:
            _shown.pop()


def install() -> None:
    """Show storage's long work (see :mod:`annotator.storage.progress`) with :func:`stderr_bar`."""
    from annotator.application.progress import set_progress_reporter

    set_progress_reporter(stderr_bar)

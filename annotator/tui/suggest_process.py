"""The suggestion engine of the coding screen, built and run in a process of its own.

Building the engine reads every segment's terms and learns from every annotation: seconds of
Python at 100,000 segments, a minute at a million. In the screen's process that work would hold
the interpreter lock while keys arrive; here it runs in another process, which then answers
``suggest``, ``matches`` and ``learn`` over a pipe (a fraction of a millisecond each). The
screen keeps only the keyword matcher (:attr:`RemoteSuggester.lexicon`), to place highlights.

On a first start of a large project the process answers from an engine learning from the latest
coded segments while the full engine is built beside it; the full engine is then kept in the
data folder, and the process renews itself (the same process image replaced, the same pipe)
by loading the kept engine: the memory the two builds held is given back, and the engine
answers from then on with what a later start would hold (a second or a few of loading, during
which questions wait on the pipe). No Textual here.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from annotator.errors import AnnotatorError
from annotator.nlp.lexicon import Lexicon, Match
from annotator.nlp.suggest import Suggestions

#: Seconds the engine process is given to leave when the screen closes.
STOP_S = 2.0
#: How much lower the engine's process runs than the screen's (``nice``): on a busy machine
#: the keys are served first.
NICE = 5
#: Seconds between looks, while no question comes, at whether the process can renew itself.
RENEW_LOOK_S = 0.5
#: Seconds the screen waits for the least sure segment before going to the next one not done.
LEAST_SURE_WAIT_S = 0.5


def _pipe_ends() -> tuple[Connection, Connection]:
    """(requests in, answers out) of the engine's process: its standard input and output, after
    which nothing it prints can reach the terminal the screen draws on (fds 1 and 2: /dev/null)."""
    answers = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    return Connection(os.dup(0), writable=False), Connection(answers, readable=False)


def _least_sure(engine: Any, segments: list[str]) -> str | None:
    """The least sure of ``segments`` by the learned engine; None for keyword matches only."""
    from annotator.application.suggesting import is_suggestion_engine, least_sure

    return least_sure(engine, segments) if is_suggestion_engine(engine) else None


class _Engines:
    """The engine answering, and the one learning from every example while it is built (when
    the first learned from the latest examples only): what the coder taught the first is taught
    again to the full engine before it takes over (learning is setting a segment's codes, so
    teaching twice is teaching once)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.lock = threading.Lock()
        self.taught: list[tuple[str, frozenset[str]]] = []
        self.building = False
        #: the full engine is built and kept: a renewed process would load it
        self.kept = False

    def call(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        with self.lock:
            if method == "least_sure":
                return _least_sure(self.engine, *args)
            if method == "learn" and self.building:
                self.taught.append((args[0], frozenset(args[1])))
            return getattr(self.engine, method)(*args, **kwargs)

    def build_rest(self, path: str, rest: Any, whose: tuple[str, bool] | None = None) -> None:
        """In a thread: build the full engine, teach it what the first was taught, answer with it
        (a failure leaves the first answering). ``whose`` (coder, lead): when the engine was kept
        for them, say so in :attr:`kept` instead, and let the first answer until the process
        renews itself: the full engine is never asked here, so the tables it makes on its first
        question are made only in the renewed process."""
        from annotator.application.project_file import open_project
        from annotator.application.suggesting import engine_is_kept

        try:
            with contextlib.closing(open_project(Path(path))) as project:
                full = rest(project)
                kept = whose is not None and engine_is_kept(project, coder=whose[0], lead=whose[1])
        except Exception:
            with self.lock:
                self.building = False
            return
        if kept:
            full.close()
            with self.lock:
                self.building, self.taught, self.kept = False, [], True
            return
        with self.lock:
            for segment, codes in self.taught:
                with contextlib.suppress(Exception):  # taught to the first: the same segments
                    full.learn(segment, codes)
            old, self.engine = self.engine, full
            self.building, self.taught = False, []
        old.close()


def serve(path: str, coder: str, lead: bool, kind: str, limit: int | None,
          renewed: bool = False) -> None:
    """The engine's process: build, say ready (with the keyword matcher), answer until told to
    stop or the screen's end of the pipe closes. An engine learning from the latest ``limit``
    examples (None: the default number) only answers while the full one is built in a thread
    (see :class:`_Engines`); once the full one is kept, the process renews itself
    (:func:`_renew`). A ``renewed`` process has said ready already: it loads the engine and
    answers the questions waiting on the pipe."""
    requests, answers = _pipe_ends()
    if not renewed:
        with contextlib.suppress(OSError):  # background work: the screen's process comes first
            os.nice(NICE)
    from annotator.application.codebook_terms import tokenise_codebook_apart
    from annotator.application.project_file import open_project
    from annotator.tui.suggestions import build_first_suggester

    try:
        project = open_project(Path(path))
        terms_ready = tokenise_codebook_apart(project, Path(path), coder=coder, lead=lead)
        engine, rest = build_first_suggester(project, coder=coder, lead=lead, kind=kind, limit=limit,
                                             terms_ready=terms_ready)
    except Exception as exc:
        if not renewed:  # a renewed process's screen reads the stop as the engine stopping
            answers.send(("error", str(exc)))
        return
    engines = _Engines(engine)
    if not renewed:
        answers.send(("ready", engine.lexicon))
    if rest is not None:
        engines.building = True
        whose = None if renewed or os.name != "posix" else (coder, lead)
        threading.Thread(target=engines.build_rest, args=(path, rest, whose), daemon=True).start()
    while True:
        if engines.kept:
            engines.kept = False  # once (a file lost meanwhile: the engine goes on)
            _renew(project, requests, answers, [path, coder, "lead" if lead else "coder",
                                                kind, str(limit or 0)])
        try:
            if not requests.poll(RENEW_LOOK_S):
                continue
            request = requests.recv()
        except (EOFError, OSError):  # the screen has gone
            break
        if request is None:
            break
        method, args, kwargs = request
        try:
            answers.send(("ok", engines.call(method, args, kwargs)))
        except Exception as exc:
            answers.send(("error", str(exc)))
    if not _lost(project):  # a deleted log: no checkpoint (below) the screen's stop could cut short
        project.close()
    os._exit(0)  # at once: the screen is closing


def _renew(project: Any, requests: Connection, answers: Connection, args: list[str]) -> None:
    """Replace this process by a fresh one on the same pipe, which loads the kept engine: the
    memory of the first engine and of the build is given back to the system. Called between
    questions (none is half answered); questions asked meanwhile wait on the pipe. Not when the
    project file was lost meanwhile (the fresh process could not open it) or the interpreter
    cannot be run again (then the first engine goes on answering)."""
    if _lost(project) or not (sys.executable and os.access(sys.executable, os.X_OK)):
        return
    project.close()
    os.dup2(requests.fileno(), 0)  # the pipe's ends where the fresh process looks for them
    os.dup2(answers.fileno(), 1)
    os.execv(sys.executable, [sys.executable, "-m", "annotator.tui.suggest_process", *args, "renewed"])


def _lost(project: Any) -> bool:
    """Whether the project file or its write-ahead log was deleted or replaced under us. Closing
    the last connection copies the log into the file; if the log's name is gone, the deleted log
    is all that holds the recent changes, and a copy cut short (the screen stops this process
    after :data:`STOP_S`) would leave the file half updated. The screen keeps its session's
    changes for ``annotator recover``; what this process wrote is committed."""
    from annotator.application.project_file import ProjectFileLost, check_file

    try:
        check_file(project)
    except ProjectFileLost:
        return True
    return False


class _GaveUp(Exception):
    """No answer within the time the screen waits (the answer is dropped when it comes)."""


class RemoteSuggester:
    """A :class:`annotator.tui.suggestions.SuggesterLike` whose engine runs in another process.

    Constructing it waits until the engine is built (call it from a worker thread); the wait
    and every answer are spent blocked on a pipe, which leaves the interpreter to the screen.
    """

    def __init__(self, path: Path, *, coder: str, lead: bool, kind: str = "auto",
                 started: Callable[[RemoteSuggester], None] | None = None,
                 first_examples: int | None = None) -> None:
        """``started`` is told of the engine once its process runs, before it is built: a screen
        that closes meanwhile must stop it (:meth:`close`) rather than leave it using the file.
        ``first_examples``: the ``limit`` of :func:`annotator.application.suggesting.first_suggester`
        (None: its own)."""
        self._process = subprocess.Popen(
            [sys.executable, "-m", "annotator.tui.suggest_process", str(path), coder,
             "lead" if lead else "coder", kind, str(first_examples or 0)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            close_fds=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
        assert self._process.stdin is not None and self._process.stdout is not None
        self._send = Connection(os.dup(self._process.stdin.fileno()), readable=False)
        self._recv = Connection(os.dup(self._process.stdout.fileno()), writable=False)
        self._process.stdin.close()
        self._process.stdout.close()
        self._lock = threading.Lock()
        #: answers still to come to questions given up on (:meth:`least_sure`), read first
        self._unread = 0
        if started is not None:
            started(self)
        try:
            status, value = self._recv.recv()
        except (EOFError, OSError):
            status, value = "error", "the suggestion engine stopped while it was being built"
        if status != "ready":
            self.close()
            raise AnnotatorError(value)
        self.lexicon: Lexicon = value

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return self._ask(method, args, kwargs, None)

    def _ask(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any],
             wait: float | None) -> Any:
        """Ask (lock held); with ``wait``, give up after that many seconds without an answer
        (:class:`_GaveUp`; the answer is read and dropped before the next one)."""
        try:
            while self._unread:
                if wait is not None and not self._recv.poll(wait):
                    raise _GaveUp
                self._recv.recv()
                self._unread -= 1
            self._send.send((method, args, kwargs))
            if wait is not None and not self._recv.poll(wait):
                self._unread += 1
                raise _GaveUp
            status, value = self._recv.recv()
        except (EOFError, OSError):
            raise AnnotatorError("the suggestion engine has stopped") from None
        if status != "ok":
            raise AnnotatorError(value)
        return value

    def suggest(self, segment_id: str, *, top: int = 5) -> Suggestions:
        return self._call("suggest", segment_id, top=top)

    def matches(self, segment_id: str) -> tuple[Match, ...]:
        return self._call("matches", segment_id)

    def least_sure(self, segments: list[str], *, wait: float = LEAST_SURE_WAIT_S) -> str | None:
        """Of ``segments``, the one the engine is least sure of (None: keyword matches only; ""
        when the engine is busy, e.g. loading, for more than ``wait`` seconds: the screen asks
        this while the coder waits)."""
        if not self._lock.acquire(timeout=wait):
            return ""
        try:
            return self._ask("least_sure", (segments,), {}, wait)
        except _GaveUp:
            return ""
        finally:
            self._lock.release()

    def learn(self, segment_id: str, codes: frozenset[str]) -> None:
        self._call("learn", segment_id, codes)

    def close(self) -> None:
        """Stop the engine's process (while it is still being built too: it is then stopped
        after :data:`STOP_S`, which ends the wait for it)."""
        with self._lock:
            with contextlib.suppress(OSError, ValueError):
                self._send.send(None)
            self._send.close()
            self._recv.close()
        try:
            self._process.wait(STOP_S)
        except subprocess.TimeoutExpired:
            self._process.terminate()
            self._process.wait(STOP_S)


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], sys.argv[3] == "lead", sys.argv[4], int(sys.argv[5]) or None,
          renewed=sys.argv[6:] == ["renewed"])

"""Ctrl-C while SQLite runs one of our Python functions (the search index's, during an import):
SQLite reports "user-defined function raised exception", which used to reach the user as
"cannot read the project file ...; it may be damaged" with exit code 1. It is an interruption:
exit code 130 and the interruption's one line."""

from __future__ import annotations

import sqlite3

import pytest
import typer

from annotator.cli._common import user_errors
from annotator.storage import errors, search_index


@pytest.fixture()
def interrupting(monkeypatch: pytest.MonkeyPatch) -> sqlite3.Connection:
    """A connection whose search-index function is interrupted, as by Ctrl-C, when called."""
    def pressed(*_args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(errors, "_INTERRUPTED_IN_SQL", [False])
    monkeypatch.setattr(search_index, "search_body", pressed)
    conn = sqlite3.connect(":memory:")
    search_index.register(conn)
    return conn


def test_sqlites_report_of_it_is_known_as_an_interruption(interrupting: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.OperationalError) as raised:
        interrupting.execute(f"SELECT {search_index.FUNCTION}('减负', 'burden', NULL)")
    assert errors.interrupted(raised.value)


def test_a_function_failing_otherwise_is_still_a_database_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(errors, "_INTERRUPTED_IN_SQL", [False])
    conn = sqlite3.connect(":memory:")
    conn.create_function("broken", 0, errors.sql_function(lambda: 1 / 0))
    with pytest.raises(sqlite3.OperationalError) as raised:
        conn.execute("SELECT broken()")
    assert not errors.interrupted(raised.value)


def test_a_command_interrupted_inside_sqlite_exits_130_with_one_line(
        interrupting: sqlite3.Connection, capsys: pytest.CaptureFixture[str]) -> None:
    @user_errors
    def command() -> None:
        interrupting.execute(f"SELECT {search_index.FUNCTION}('减负', 'burden', NULL)")

    with pytest.raises(typer.Exit) as exited:
        command()
    assert exited.value.exit_code == 130
    assert capsys.readouterr().err == "annotator: interrupted; nothing half-written was kept\n"


def test_a_ctrl_c_raised_before_the_functions_own_code_is_still_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python may raise the KeyboardInterrupt as the function is entered, before its ``try``:
    the SIGINT handler the command line installs notes it first."""
    import os
    import signal

    monkeypatch.setattr(errors, "_INTERRUPTED_IN_SQL", [False])
    monkeypatch.setattr(signal, "getsignal", lambda _sig: signal.default_int_handler)
    installed: list[object] = []
    monkeypatch.setattr(signal, "signal", lambda _sig, handler: installed.append(handler))
    from annotator.cli._common import note_interrupts

    note_interrupts()
    assert installed == [errors.interrupt_noted]
    monkeypatch.undo()  # the real signal functions again; the handler installed for this test only
    monkeypatch.setattr(errors, "_INTERRUPTED_IN_SQL", [False])
    previous = signal.signal(signal.SIGINT, errors.interrupt_noted)
    try:
        conn = sqlite3.connect(":memory:")
        conn.create_function("slow", 0, lambda: os.kill(os.getpid(), signal.SIGINT))  # no sql_function
        with pytest.raises(sqlite3.OperationalError) as raised:
            conn.execute("SELECT slow()")
        assert errors.interrupted(raised.value)
    finally:
        signal.signal(signal.SIGINT, previous)

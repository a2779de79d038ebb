"""``set_states`` writes what ``set_state`` called once per key writes: the same work, the same
events in the same order, the same coders and last segments."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.errors import UsageError
from annotator.model import CoderState
from annotator.storage.coding import get_state, set_state
from annotator.storage.coding_batch import set_states
from annotator.storage.db import open_project
from tests.interchange_fixtures import coded_project

NEW = [
    ("li", "astral-001", CoderState(frozenset({"latency"}), True, "")),  # codes replaced
    ("li", "astral-002", CoderState(frozenset({"goal_attainment"}), False, "")),  # memo and done gone
    ("li", "astral-003", CoderState(frozenset(), True, "a memo\nwith lines 中文")),  # memo added
    ("paper", "A20230321-001", None),  # unchanged: no event
    ("newcomer", "astral-001", CoderState(frozenset({"integration", "adaptation"}), True, "x")),
    ("li", "A20230321-001", CoderState()),  # everything removed
]


def _wanted(path: Path) -> list[tuple[str, str, CoderState]]:
    with open_project(path) as p:
        return [(coder, seg, state or get_state(p, coder, seg)) for coder, seg, state in NEW]


def _contents(path: Path) -> list[object]:
    with sqlite3.connect(path) as conn:
        return [
            *conn.execute("SELECT coder, segment, code FROM annotations ORDER BY 1, 2, 3"),
            *conn.execute("SELECT coder, segment FROM done ORDER BY 1, 2"),
            *conn.execute("SELECT coder, segment, text FROM memos ORDER BY 1, 2"),
            *conn.execute("SELECT id, coder, session, action, segment, before, after, detail"
                          " FROM events ORDER BY id"),
            *conn.execute("SELECT name, last_segment FROM coders ORDER BY 1"),
        ]


@pytest.fixture
def two_copies(tmp_path: Path) -> tuple[Path, Path]:
    one = coded_project(tmp_path)
    return one, Path(shutil.copy(one, tmp_path / "other.db"))


def test_many_states_at_once_write_what_one_at_a_time_writes(two_copies: tuple[Path, Path]) -> None:
    one, other = two_copies
    wanted = _wanted(one)
    with open_project(one) as p, p.write():
        for coder, seg, state in wanted:
            set_state(p, coder, seg, state, action="merge", session="s", detail={"source": "x"})
    with open_project(other) as p:
        changes = [(coder, seg, get_state(p, coder, seg), state) for coder, seg, state in wanted]
        assert set_states(p, changes, action="merge", session="s", detail={"source": "x"}) == 5
    assert _contents(one) == _contents(other)


def test_a_coder_name_that_may_not_be_used_writes_nothing(two_copies: tuple[Path, Path]) -> None:
    _one, other = two_copies
    before = _contents(other)
    with open_project(other) as p:
        changes = [("li", "astral-001", get_state(p, "li", "astral-001"), CoderState(frozenset(), True, "")),
                   ("bad\nname", "astral-002", CoderState(), CoderState(frozenset(), True, ""))]
        with pytest.raises(UsageError):
            set_states(p, changes, action="merge")
    assert _contents(other) == before

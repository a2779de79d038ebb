"""JSON from other programs: transcripts (.jsonl) and project exports restored. Deep nesting,
huge integers, lone surrogates, cut or invalid UTF-8 and rows that break the codebook rules are
refused in one line naming the line; the project is unchanged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.application.importing import restore_jsonl
from annotator.errors import AnnotatorError
from annotator.io import safe_json
from annotator.io.transcripts import read_turns
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import annotator, table_digest

SURROGATES = st.sampled_from(["\ud800", "\udfff", "\udc80x", "a\ud83d"])
TEXTS = st.one_of(st.text(max_size=20), SURROGATES,
                  st.tuples(st.text(max_size=5), SURROGATES).map("".join))
HUGE_INTS = st.one_of(st.integers(min_value=-(10**40), max_value=10**40),
                      st.just(2**63), st.just(-(2**63) - 1), st.just(10**30))
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), HUGE_INTS, st.floats(allow_nan=False), TEXTS),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(TEXTS, inner, max_size=4)),
    max_leaves=20,
)
DEEP = st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n)
HUGE_DIGITS = st.integers(min_value=20, max_value=6000).map(lambda n: "9" * n)


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=True)  # \ud800 escapes, as other programs write them


HOSTILE_LINES = st.one_of(
    JSON_VALUES.map(_line),
    st.dictionaries(st.sampled_from(["zh", "en", "text", "speaker", "start", "end"]), JSON_VALUES,
                    min_size=1).map(_line),
    DEEP, HUGE_DIGITS.map(lambda d: '{"zh": "x", "start": ' + d + "}"),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(HOSTILE_LINES, min_size=1, max_size=4))
def test_transcript_reader_refuses_or_reads_any_json(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        turns = list(read_turns(path))
    except AnnotatorError as exc:
        assert "\n" not in str(exc)
        return
    for turn in turns:  # what is read can be stored and printed
        for text in (turn.zh, turn.en, turn.speaker or ""):
            text.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(line=HOSTILE_LINES)
def test_safe_json_gives_a_value_or_a_reason(line: str) -> None:
    try:
        value = safe_json.loads(line)
    except ValueError as exc:
        assert str(exc)
        return
    json.dumps(value, ensure_ascii=False).encode("utf-8")  # storable: no surrogate, sane ints


@pytest.mark.parametrize("line, reason", [
    ("[" * 200_000, "nested"),
    ('{"zh": "x", "start": ' + "9" * 5000 + "}", "digits"),
    ('{"zh": "surrogate \\ud800 here"}', "surrogate"),
    ('{"speaker": "A", "\\udc00": "x"}', "surrogate"),
], ids=["deep", "digits", "surrogate in text", "surrogate in a key"])
def test_hostile_transcript_lines_are_one_line_errors(project: Path, tmp_path: Path, line: str,
                                                      reason: str) -> None:
    source = tmp_path / "talk.jsonl"
    source.write_text(line + "\n", encoding="utf-8")
    before = table_digest(project)
    done = annotator("import", str(project), str(source))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "talk.jsonl:1" in done.stderr and reason in done.stderr
    assert table_digest(project) == before


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("export")
    demo = folder / "demo.db"
    assert annotator("demo", "--db", str(demo), "--no-tui").returncode == 0
    out = folder / "demo.jsonl"
    done = annotator("export", str(demo), "--format", "jsonl", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="utf-8").splitlines()


def _edit(lines: list[str], table: str, change: dict[str, object], nth: int = 0) -> list[str]:
    out, seen = [], 0
    for line in lines:
        row = json.loads(line)
        if row.get("type") == table:
            if seen == nth:
                row.update(change)
                line = json.dumps(row, ensure_ascii=False)
            seen += 1
        out.append(line)
    return out


def _restore(tmp_path: Path, data: bytes) -> tuple[int, str, Path]:
    source = tmp_path / "export.jsonl"
    source.write_bytes(data)
    target = tmp_path / "new.db"
    open_project(target, create=True).close()
    done = annotator("import", str(target), str(source))
    return done.returncode, done.stderr, target


def _cases(lines: list[str]) -> dict[str, bytes]:
    text = ("\n".join(lines) + "\n").encode("utf-8")
    cut = text.rstrip(b"\n")
    while cut[-1] < 0xC0:  # back to the first byte of a multi-byte character
        cut = cut[:-1]
    return {
        "cut mid character": cut,
        "invalid UTF-8": text.replace("的".encode(), b"\xff", 1),
        "deep nesting": "\n".join(_edit(lines, "documents", {"attributes": {"a": json.loads(
            "[" * 500 + "]" * 500)}})).encode(),
        "huge setting": "\n".join([lines[0], '{"type": "settings", "key": "backups_kept",'
                                   f' "value": {10**30}}}', *lines[1:]]).encode(),
        "surrogate": "\n".join(_edit(lines, "segments", {"zh": "x\ud800y"})).encode(
            "utf-8", "surrogatepass").replace(b"\xed\xa0\x80", b"\\ud800"),
        "attributes not an object": "\n".join(_edit(lines, "documents", {"attributes": [1, 2]})).encode(),
        "reserved key": "\n".join(_edit(lines, "codes", {"key": "q"})).encode(),
        "two-letter key": "\n".join(_edit(lines, "codes", {"key": "jk"})).encode(),
        "coder name with escape": "\n".join(_edit(lines, "coders", {"name": "a\x1b]0;x\x07"})).encode(),
    }


@pytest.mark.parametrize("case", ["cut mid character", "invalid UTF-8", "deep nesting",
                                  "huge setting", "surrogate", "attributes not an object",
                                  "reserved key", "two-letter key", "coder name with escape"])
def test_hostile_restores_are_refused_in_one_line(export: list[str], tmp_path: Path,
                                                  case: str) -> None:
    code, stderr, target = _restore(tmp_path, _cases(export)[case])
    assert code == 1, stderr
    assert stderr.count("\n") == 1 and "export.jsonl" in stderr, stderr
    with open_project(target) as p:
        assert p.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_the_unchanged_export_restores(export: list[str], tmp_path: Path) -> None:
    code, stderr, _ = _restore(tmp_path, ("\n".join(export) + "\n").encode())
    assert code == 0, stderr


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON_VALUES, column=st.sampled_from([
    ("settings", "value"), ("documents", "attributes"), ("documents", "title"),
    ("segments", "zh"), ("codes", "label_en"), ("codes", "extra"), ("memos", "text")]))
def test_restore_of_any_value_is_all_or_nothing(export: list[str], tmp_path_factory:
                                                pytest.TempPathFactory, value: object,
                                                column: tuple[str, str]) -> None:
    folder = tmp_path_factory.mktemp("restore")
    source = folder / "export.jsonl"
    table, field = column
    lines = _edit(export, table, {field: value}) if table != "settings" else \
        [export[0], _line({"type": "settings", "key": "k", "value": value}), *export[1:]]
    source.write_text("\n".join(_line(json.loads(x)) for x in lines) + "\n", encoding="utf-8")
    target = folder / "new.db"
    open_project(target, create=True).close()
    with open_project(target) as p:
        try:
            restore_jsonl(p, source)
        except AnnotatorError as exc:
            assert "\n" not in str(exc)
            assert p.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    shutil.rmtree(folder, ignore_errors=True)

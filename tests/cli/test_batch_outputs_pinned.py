"""`agree --format json` and `merge` write, byte for byte, what they wrote before their speed work.

The input is a generated project (``benchmarks.generate``: 400 segments, 4 coders, a fixed seed);
the expected outputs are the SHA-256 digests of what the commands wrote at commit a64c4e0, before
the start-up and SQL work of issue 15 (to see a difference, run the same commands there).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import set_memo, tag
from annotator.storage.db import open_project
from benchmarks.generate import generate
from tests.cli.cli_helpers import run

#: What agree wrote at a64c4e0: (arguments after the project, SHA-256 of the file written).
AGREE = [
    (("--format", "json", "--bootstrap", "0"),
     "22c35a292f3d64ac3588eeedf1bd3cfc49a3562e5a502e8033af730bea0f4ef0"),
    (("--format", "json", "--bootstrap", "200", "--seed", "3"),
     "d57d9aac5af6ee9925c7822f8b01eb9b537c00d0d5ecabd1ea77901ac495ddde"),
    (("--format", "json", "--bootstrap", "0", "--coders", "coder3,coder1"),
     "07ee54ccf2a1c0d22b6312578a06dd8f9a6009d0946d33f7b9ef81ae336559b4"),
    (("--format", "json", "--bootstrap", "0", "--document", "D000002"),
     "f34ce63f509054860852ef53a45a03f7eaa8bad01a5986bd8a09e9e4876e9b4a"),
]
#: What merge wrote at a64c4e0: its report, then the digest of the target's work and event log.
MERGE_REPORT = ("SOURCE: 4 coder-segment states merged, 479 already there, 1 kept as in the target\n"
                "coders: coder2, coder3, newcomer\n")
MERGE_WORK = "e644138bac9c5f6293a6f149c1a5f870d81c9370f0ea3b03ef3318c947442b4e"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("generated") / "g.db"
    generate(db, 400, coders=4, coded=0.3, seed=7)
    return db


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def agree_digest(db: Path, args: tuple[str, ...], out: Path) -> str:
    code, text = run("agree", db, *args, "-o", out)
    assert code == 0, text
    return _sha(out.read_bytes())


def two_copies(db: Path, folder: Path) -> tuple[Path, Path]:
    """Two copies of ``db``, each with work of its own: new codes, a memo, a segment marked done
    with no code, and a coder who exists only in the source."""
    target, source = folder / "lead.db", folder / "copy.db"
    shutil.copy(db, target)
    shutil.copy(db, source)
    with open_project(target) as p:
        cb = load_codebook(p)
        ids = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY rowid LIMIT 6")]
        tag(p, cb, "coder1", ids[0], ["latency"])
        set_memo(p, "coder1", ids[1], "lead's note")
    with open_project(source) as p:
        cb = load_codebook(p)
        tag(p, cb, "coder2", ids[2], ["feedback_gap", "adaptation"])
        tag(p, cb, "coder2", ids[3], [], none=True)
        tag(p, cb, "newcomer", ids[4], ["integration"])
        set_memo(p, "coder3", ids[5], "check this")
    return target, source


def work_digest(db: Path) -> str:
    """The target's work and event log (without time stamps or file names)."""
    with sqlite3.connect(db) as conn:
        rows = [
            *conn.execute("SELECT coder, segment, code FROM annotations ORDER BY 1, 2, 3"),
            *conn.execute("SELECT coder, segment FROM done ORDER BY 1, 2"),
            *conn.execute("SELECT coder, segment, text FROM memos ORDER BY 1, 2"),
            *conn.execute("SELECT coder, action, segment, before, after FROM events ORDER BY id"),
        ]
    return _sha(repr(rows).encode())


def merge_outputs(db: Path, folder: Path) -> tuple[str, str]:
    target, source = two_copies(db, folder)
    code, text = run("merge", target, source)
    assert code == 0, text
    return text.replace(str(source), "SOURCE").replace(str(target), "TARGET"), work_digest(target)


@pytest.mark.parametrize(("args", "expected"), AGREE, ids=["bootstrap 0", "bootstrap 200", "two coders", "one document"])
def test_agree_json_is_the_same_file_as_before(generated: Path, tmp_path: Path, args: tuple[str, ...],
                                               expected: str) -> None:
    assert agree_digest(generated, args, tmp_path / "agree.json") == expected


def test_merge_of_two_copies_with_work_of_their_own_is_the_same_as_before(generated: Path,
                                                                       tmp_path: Path) -> None:
    report, work = merge_outputs(generated, tmp_path)
    assert report == MERGE_REPORT
    assert work == MERGE_WORK


@pytest.mark.parametrize("command", [("agree", "--format", "json", "--bootstrap", "0"), ("merge",)])
def test_agree_and_merge_import_only_what_they_use(generated: Path, tmp_path: Path,
                                                  command: tuple[str, ...]) -> None:
    """No numpy.random without resamples, no other format's writer, no YAML, spaCy, jieba or
    Textual: a batch command's start-up is a large share of its time at 100,000 segments."""
    args = [command[0], str(generated), *command[1:]]
    if command[0] == "merge":
        shutil.copy(generated, tmp_path / "copy.db")
        args = ["merge", str(shutil.copy(generated, tmp_path / "lead.db")), str(tmp_path / "copy.db")]
    else:
        args += ["-o", str(tmp_path / "out.json")]
    unused = ("numpy.random", "yaml", "spacy", "jieba", "textual", "annotator.agreement.render_html",
              "annotator.agreement.render_text", "annotator.agreement.methods_text")
    probe = (f"import sys, runpy; sys.argv = ['annotator', *{args!r}]\n"
             "try:\n    runpy.run_module('annotator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             f"print('LOADED:' + ' '.join(m for m in {unused!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "LOADED:", out.stdout


def test_agree_names_units_whose_id_holds_the_separator_it_joins_ids_with(generated: Path,
                                                                         tmp_path: Path) -> None:
    """Segment ids are read joined by char(31); an id holding that character is read again one
    by one, and the report is the same but for that id."""
    renamed = shutil.copy(generated, tmp_path / "renamed.db")
    with sqlite3.connect(renamed) as conn:
        old = conn.execute("SELECT segment FROM done ORDER BY segment LIMIT 1").fetchone()[0]
        new = old.replace("-", "\x1f")
        for table in ("annotations", "done", "memos", "events", "segments"):
            column = "id" if table == "segments" else "segment"
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new, old))
    code, text = run("agree", generated, "--format", "json", "--bootstrap", "0", "-o", tmp_path / "a.json")
    assert code == 0, text
    code, text = run("agree", renamed, "--format", "json", "--bootstrap", "0", "-o", tmp_path / "b.json")
    assert code == 0, text
    before = (tmp_path / "a.json").read_text(encoding="utf-8")
    assert f'"{old}"' in before
    escaped = json.dumps(new)  # "D000001\u001f002"
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == before.replace(f'"{old}"', escaped)

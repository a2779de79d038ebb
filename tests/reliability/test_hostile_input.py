"""Hostile and broken input: only clean one-line errors, never a traceback, never half an import."""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from annotator.cli import app
from annotator.storage.check import check_project
from annotator.storage.db import open_project
from tests.reliability.reliability_helpers import REPO, env, table_digest, transcript_text, write_transcript

DATA = REPO / "tests" / "data" / "transcripts"
SAMPLES = {
    "txt": DATA / "interview_zh.txt",
    "md": DATA / "interview.md",
    "csv": DATA / "interview_bom.csv",
    "tsv": DATA / "interview_en.tsv",
    "jsonl": DATA / "interview.jsonl",
    "srt": DATA / "interview_zh.srt",
    "vtt": DATA / "interview_en.vtt",
}
FUZZ = settings(
    max_examples=12, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
runner = CliRunner()
_names = itertools.count()


def assert_clean(result: object, project: Path, before: dict[str, list[tuple[object, ...]]]) -> None:
    """Accepted (and the project consistent) or refused with one line, exit 1, nothing kept."""
    exc = getattr(result, "exception", None)
    code = getattr(result, "exit_code", None)
    stderr = getattr(result, "stderr", "")
    assert exc is None or isinstance(exc, SystemExit), f"crashed: {exc!r}\n{stderr}"
    assert "Traceback" not in stderr and "Traceback" not in getattr(result, "stdout", "")
    if code == 0:
        with open_project(project) as p:
            report = check_project(p)
        assert report.ok, list(report.lines())
        return
    assert code == 1, (code, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: error: "), stderr
    assert table_digest(project) == before


def _import(project: Path, *files: Path) -> tuple[object, dict[str, list[tuple[object, ...]]]]:
    before = table_digest(project)
    result = runner.invoke(app, ["import", str(project), *map(str, files)])
    return result, before


# --- mutations of valid files --------------------------------------------------------------

@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["truncate", "flip", "nul", "insert", "reencode", "garbage", "empty"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(out) - 1))
            out[i] = draw(st.integers(0, 255))
        return bytes(out)
    if kind == "nul":
        i = draw(st.integers(0, len(data)))
        return data[:i] + b"\x00" * draw(st.integers(1, 4)) + data[i:]
    if kind == "insert":
        i = draw(st.integers(0, len(data)))
        return data[:i] + draw(st.binary(min_size=1, max_size=64)) + data[i:]
    if kind == "reencode":
        text = data.decode("utf-8-sig", errors="replace")
        codec = draw(st.sampled_from(["utf-16-le", "utf-16-be", "utf-32", "latin-1", "shift_jis", "big5", "cp1252"]))
        return text.encode(codec, errors="replace")
    if kind == "garbage":
        return draw(st.binary(max_size=2000))
    return b""


@pytest.mark.slow  # fuzzing: a dozen mutated files per format
@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_fuzzed_transcripts_fail_cleanly(fmt: str, project: Path, tmp_path: Path) -> None:
    original = SAMPLES[fmt].read_bytes()

    @FUZZ
    @given(data=mutated(original))
    def run(data: bytes) -> None:
        source = tmp_path / f"doc{next(_names)}.{fmt}"
        source.write_bytes(data)
        result, before = _import(project, source)
        assert_clean(result, project, before)

    run()


@pytest.mark.slow  # fuzzing
@FUZZ
@given(text=st.text(max_size=400), fmt=st.sampled_from(sorted(SAMPLES)))
def test_arbitrary_text_in_any_format(text: str, fmt: str, project: Path, tmp_path: Path) -> None:
    source = tmp_path / f"doc{next(_names)}.{fmt}"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    result, before = _import(project, source)
    assert_clean(result, project, before)


def _docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    for line in transcript_text(6).split("\n\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow  # fuzzing
def test_fuzzed_docx_fails_cleanly(project: Path, tmp_path: Path) -> None:
    original = _docx_bytes()
    good = tmp_path / "good.docx"
    good.write_bytes(original)
    result, _before = _import(project, good)
    assert getattr(result, "exit_code", None) == 0, getattr(result, "stderr", "")

    @FUZZ
    @given(data=mutated(original))
    def run(data: bytes) -> None:
        source = tmp_path / f"doc{next(_names)}.docx"
        source.write_bytes(data)
        result, before = _import(project, source)
        assert_clean(result, project, before)

    run()


def _rezip(data: bytes, qde: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, qde if info.filename.endswith(".qde") else zin.read(info))
    return out.getvalue()


@pytest.mark.slow  # fuzzing
def test_fuzzed_qdpx_fails_cleanly(project: Path, tmp_path: Path) -> None:
    from annotator.application.exporting import export_qdpx
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag

    with open_project(project) as p:
        codebook = load_codebook(p)
        for seg in ("interview-001", "interview-002"):
            tag(p, codebook, "kim", seg, ["adaptation", "trace_formalism"])
        export_qdpx(p, tmp_path / "sample.qdpx")
    original = (tmp_path / "sample.qdpx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as z:
        qde = z.read(next(n for n in z.namelist() if n.endswith(".qde")))
    target = tmp_path / "target.db"
    shutil.copy(project, target)

    @FUZZ
    @given(data=st.one_of(mutated(original), mutated(qde).map(lambda q: _rezip(original, q))))
    def run(data: bytes) -> None:
        source = tmp_path / f"doc{next(_names)}.qdpx"
        source.write_bytes(data)
        result, before = _import(target, source)
        assert_clean(result, target, before)

    run()


# --- named cases ---------------------------------------------------------------------------

def test_error_in_the_third_of_three_files_leaves_the_project_unchanged(project: Path, tmp_path: Path) -> None:
    first = write_transcript(tmp_path / "first.txt", 30, seed=1)
    second = write_transcript(tmp_path / "second.txt", 30, seed=2, lang="en")
    third = tmp_path / "third.txt"
    third.write_bytes(transcript_text(30, seed=3).encode("utf-8")[:-200] + b"\xff\xfe\x00\x00broken")
    result, before = _import(project, first, second, third)
    assert getattr(result, "exit_code", None) == 1
    assert "third.txt" in getattr(result, "stderr", "")
    assert_clean(result, project, before)
    result, before = _import(project, first, second)  # the first two alone are fine
    assert getattr(result, "exit_code", None) == 0


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x00" * 5000, id="nul-bytes"),
        pytest.param("采访者：你好\n".encode("utf-16-le"), id="utf16-without-bom"),
        pytest.param((transcript_text(40) + "受访者A：我们很忙。").encode()[:-1], id="truncated-utf8"),
        pytest.param(b"\xef\xbb\xbf", id="bom-only"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\n\n   \n\t\n", id="blank"),
    ],
)
def test_named_broken_transcripts(content: bytes, project: Path, tmp_path: Path) -> None:
    source = tmp_path / "broken.txt"
    source.write_bytes(content)
    result, before = _import(project, source)
    assert getattr(result, "exit_code", None) == 1
    assert_clean(result, project, before)


def test_short_utf8_file_cut_mid_character_is_not_mojibake(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "cut.txt"
    source.write_bytes("受访者：很好。".encode()[:-1])
    result, before = _import(project, source)
    assert_clean(result, project, before)
    if result.exit_code == 0:  # type: ignore[attr-defined]
        with open_project(project) as p:
            text = p.execute("SELECT zh FROM segments WHERE document = 'cut'").fetchone()[0]
        assert "很好" in text, text


def test_import_into_a_new_project_that_fails_keeps_no_file(tmp_path: Path) -> None:
    source = tmp_path / "bad.txt"
    source.write_bytes(b"\x00\x01\x02")
    target = tmp_path / "new.db"
    result = runner.invoke(app, ["import", str(target), str(source)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists() and not Path(str(target) + "-wal").exists()


# --- a 200 MB file: streamed, bounded memory -----------------------------------------------

_MEASURE = """
import resource, subprocess, sys
r = subprocess.run([sys.executable, "-m", "annotator", "import", *sys.argv[1:]],
                   capture_output=True, text=True)
sys.stderr.write(r.stderr)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_rss_kb(project: Path, source: Path) -> tuple[int, int, str]:
    """Exit code and peak RSS (KB) of one ``annotator import`` in a fresh process tree."""
    done = subprocess.run([sys.executable, "-c", _MEASURE, str(project), str(source)],
                          capture_output=True, text=True, env=env(), cwd=REPO, timeout=120)
    code, rss = done.stdout.split()
    return int(code), int(rss), done.stderr


@pytest.mark.slow
def test_200_mb_files_are_streamed_in_bounded_memory(project: Path, tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"   \n" * 10)
    code, baseline_kb, _ = _peak_rss_kb(project, small)
    assert code == 1
    size = 200 * 1024 * 1024
    # blank lines all the way: the reader must stream through the whole file to find no turn
    blank = tmp_path / "blank.txt"
    with blank.open("wb") as f:
        chunk = (b" " * 1023 + b"\n") * 1024
        for _ in range(size // len(chunk)):
            f.write(chunk)
    # one endless line
    endless = tmp_path / "endless.txt"
    with endless.open("wb") as f:
        chunk = "长".encode() * 350_000
        for _ in range(size // len(chunk)):
            f.write(chunk)
    before = table_digest(project)
    for source, reason in ((blank, "no turns"), (endless, "longer than")):
        code, peak_kb, stderr = _peak_rss_kb(project, source)
        assert code == 1 and reason in stderr, stderr
        assert len(stderr.strip().splitlines()) == 1, stderr
        # what reading the file adds on top of the program itself stays far below its size
        assert (peak_kb - baseline_kb) * 1024 < size / 8, (peak_kb, baseline_kb)
        assert peak_kb * 1024 < size, peak_kb
        source.unlink()
    assert table_digest(project) == before

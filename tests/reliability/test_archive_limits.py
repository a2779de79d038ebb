"""A .docx zip bomb is refused before python-docx inflates it, like a .qdpx one."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.reliability.reliability_helpers import REPO, env


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("采访者：最近怎么样？")
    document.add_paragraph("受访者：负担很重。")
    document.save(str(path))
    return path


def _bomb(path: Path, padding: int) -> Path:
    """``path`` rewritten so that word/document.xml carries ``padding`` bytes of blanks (valid
    XML: a comment), compressed about 1000:1."""
    plain = _docx(path.with_name("plain.docx"))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, data)
                continue
            head, sep, tail = data.partition(b"<w:body>")
            with dst.open("word/document.xml", "w", force_zip64=True) as out:
                out.write(head + sep + b"<!--")
                block = b" " * (1 << 20)
                for _ in range(padding >> 20):
                    out.write(block)
                out.write(b"-->" + tail)
    return path


def _import(project: Path, source: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    code = ("import resource, subprocess, sys;"
            " done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
            " sys.stdout.write(done.stdout); sys.stderr.write(done.stderr);"
            " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
            " sys.exit(done.returncode)")
    done = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "annotator", "import",
                           str(project), str(source)], capture_output=True, text=True, env=env(),
                          cwd=REPO, check=False, timeout=600)
    *_, peak_kib = done.stdout.split()
    return done, int(peak_kib) * 1024 if sys.platform != "darwin" else int(peak_kib)


def test_docx_bomb_is_refused_with_one_line(project: Path, tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.docx", 64 << 20)
    assert bomb.stat().st_size < 1 << 20
    done, _peak = _import(project, bomb)
    assert done.returncode == 1
    assert "bomb.docx" in done.stderr and "archive bomb" in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr


def test_ordinary_docx_still_imports(project: Path, tmp_path: Path) -> None:
    done, _ = _import(project, _docx(tmp_path / "talk.docx"))
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_big_docx_bomb_stays_small_in_memory(project: Path, tmp_path: Path) -> None:
    bomb = _bomb(tmp_path / "bomb.docx", 1536 << 20)  # 1.5 GB of document.xml
    assert bomb.stat().st_size < 4 << 20
    done, peak = _import(project, bomb)
    assert done.returncode == 1
    assert peak < 600 << 20, f"peak memory {peak >> 20} MB"



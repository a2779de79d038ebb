"""Hostile .qdpx projects: a code tree nested thousands deep and selection positions that are
not whole numbers in sources with Windows line breaks. One line or a clean import, never a
traceback; the project unchanged on refusal."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.reliability.reliability_helpers import annotator, table_digest

SOURCE = "cccccccc-0000-4000-8000-000000000001"
QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="t" origin="NVivo 14">
<Users><User guid="aaaaaaaa-0000-4000-8000-000000000001" name="wang"/></Users>
<CodeBook><Codes>{codes}</Codes></CodeBook>
<Sources>
 <TextSource guid="{source}" name="talk.txt" plainTextPath="internal://{source}.txt">
  <PlainTextSelection guid="dddddddd-0000-4000-8000-000000000001" name="x" startPosition="{start}"
    endPosition="{end}" creatingUser="aaaaaaaa-0000-4000-8000-000000000001">
   <Coding guid="eeeeeeee-0000-4000-8000-000000000001">
    <CodeRef targetGUID="bbbbbbbb-0000-4000-8000-000000000001"/></Coding>
  </PlainTextSelection>
 </TextSource>
</Sources></Project>"""
CODE = '<Code guid="bbbbbbbb-0000-4000-8000-{n:012d}" name="c{n}" isCodable="true">'
TEXT = "采访者：您好。\r\n\r\n受访者：台账太多，痕迹主义严重。\r\n"


def _qdpx(path: Path, *, depth: int = 1, start: str = "12", end: str = "16") -> Path:
    codes = "".join(CODE.format(n=n + 1) for n in range(depth)) + "</Code>" * depth
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", QDE.format(codes=codes, source=SOURCE, start=start, end=end))
        z.writestr(f"sources/{SOURCE}.txt", TEXT.encode("utf-8"))
    return path


def _import(tmp_path: Path, source: Path) -> tuple[int, str, str]:
    done = annotator("import", str(tmp_path / "new.db"), str(source))
    return done.returncode, done.stdout, done.stderr


def test_code_tree_nested_thousands_deep_is_refused(tmp_path: Path, project: Path) -> None:
    bomb = _qdpx(tmp_path / "deep.qdpx", depth=3000)
    code, _out, err = _import(tmp_path, bomb)
    assert code == 1 and err.count("\n") == 1 and "nested" in err, err
    assert not (tmp_path / "new.db").exists()
    before = table_digest(project)
    done = annotator("import", str(project), str(bomb), "--map", "/dev/null")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert table_digest(project) == before


def test_a_few_levels_of_codes_still_import(tmp_path: Path) -> None:
    code, _out, err = _import(tmp_path, _qdpx(tmp_path / "ok.qdpx", depth=5))
    assert code == 0, err


@pytest.mark.parametrize("start, end", [("1.5", "16"), ("abc", "def"), ("12", "1e3"), ("", "-")])
def test_positions_that_are_not_whole_numbers_with_crlf(tmp_path: Path, start: str, end: str) -> None:
    code, _out, err = _import(tmp_path, _qdpx(tmp_path / "pos.qdpx", start=start, end=end))
    assert code == 0, err
    assert "Traceback" not in err

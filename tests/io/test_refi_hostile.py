"""Hostile .qdpx files are refused with a clear message and leave no project behind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.application.importing import import_any
from annotator.errors import ImportFormatError
from annotator.io import safe_zip
from annotator.io.refi_import import parse_xml

GOOD = b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _refused(tmp_path: Path, qdpx: Path, match: str) -> None:
    with pytest.raises(ImportFormatError, match=match):
        import_any(tmp_path / "p.db", [qdpx])
    assert not (tmp_path / "p.db").exists()


@pytest.mark.parametrize("name", ["../evil.txt", "sources/../../evil.txt", "/etc/passwd", "C:/x.txt",
                                  "..\\..\\evil.txt"])
def test_zip_slip_refused(tmp_path: Path, name: str) -> None:
    _refused(tmp_path, _zip(tmp_path / "x.qdpx", {"project.qde": GOOD, name: b"x"}), "outside the archive")


def test_bomb_refused_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 50 MB of zeros compresses about 1000:1; the declared sizes are honest here, so lower the
    # total limit to check the ratio guard that counts inflated bytes
    bomb = b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>" + b" " * 50_000_000
    path = _zip(tmp_path / "x.qdpx", {"project.qde": bomb})
    _refused(tmp_path, path, "archive bomb")


def test_declared_size_over_limit_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_zip, "MAX_TOTAL_BYTES", 1000)
    path = _zip(tmp_path / "x.qdpx", {"project.qde": GOOD, "sources/a.txt": b"a" * 2000})
    with pytest.raises(ImportFormatError, match="unpacks to"):
        safe_zip.SafeZip(path, max_total=1000)


def test_lying_header_caught_while_inflating(tmp_path: Path) -> None:
    path = _zip(tmp_path / "x.qdpx", {"project.qde": b"a" * 5_000_000})
    # forge the declared size in both headers to look tiny
    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).infolist()[0]
    size = (5_000_000).to_bytes(4, "little")
    small = (10).to_bytes(4, "little")
    data = bytearray(bytes(data).replace(size, small))
    path.write_bytes(bytes(data))
    with pytest.raises(ImportFormatError):
        with safe_zip.SafeZip(path, max_total=1_000_000) as z:
            z.read(info.filename)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""


@pytest.mark.parametrize("qde", [XXE, LAUGHS, XXE.decode().encode("utf-16")], ids=["xxe", "laughs", "utf16"])
def test_dtd_and_entities_refused(tmp_path: Path, qde: bytes) -> None:
    _refused(tmp_path, _zip(tmp_path / "x.qdpx", {"project.qde": qde}), "DOCTYPE")


def test_doctype_hidden_from_regex_still_refused_by_parser() -> None:
    with pytest.raises(ImportFormatError, match="DOCTYPE"):
        parse_xml(b"<?xml version='1.0'?>\n<!DOCTYPE x>\n<x/>", "t.qde")


def test_not_a_zip_and_no_qde(tmp_path: Path) -> None:
    (tmp_path / "a.qdpx").write_bytes(b"not a zip")
    _refused(tmp_path, tmp_path / "a.qdpx", "not a ZIP")
    _refused(tmp_path, _zip(tmp_path / "b.qdpx", {"sources/a.txt": b"x"}), "no project.qde")
    _refused(tmp_path, _zip(tmp_path / "c.qdpx", {"project.qde": b"<Project"}), "not well-formed")

"""Members deflated ahead in a worker thread and copied in later make the very archive zipfile
makes deflating them itself, into a file that can seek and into a stream that cannot."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

from annotator.io.deflated_members import CHUNK, DeflatedMembers


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = 1  # type: ignore[attr-defined]
    return info


def _members() -> list[tuple[str, bytes]]:
    rng = random.Random(3)
    words = ["督查", "考核", "burden", "社区", "the", "😀", "\n\n"]
    text = "".join(rng.choice(words) for _ in range(400_000)).encode()
    return [("project.qde", b"<Project/>" * 1000), ("sources/a.txt", text), ("sources/empty.txt", b""),
            ("sources/b.txt", rng.randbytes(CHUNK + 17)), ("sources/c.txt", "短".encode())]


def _zipfile_itself(out: io.RawIOBase | io.BytesIO) -> None:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _members():
            with zf.open(_info(name), "w", force_zip64=True) as member:
                for at in range(0, max(len(data), 1), CHUNK):
                    member.write(data[at:at + CHUNK])


def _deflated_ahead(out: io.RawIOBase | io.BytesIO) -> None:
    first, *rest = _members()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, DeflatedMembers(1, ahead=2) as ahead:
        for name, data in rest:
            ahead.add(_info(name), data)
        with zf.open(_info(first[0]), "w", force_zip64=True) as member:
            member.write(first[1])
        ahead.write_into(zf)


def test_archive_is_what_zipfile_writes_deflating_itself() -> None:
    theirs, ours = io.BytesIO(), io.BytesIO()
    _zipfile_itself(theirs)
    _deflated_ahead(ours)
    assert ours.getvalue() == theirs.getvalue()
    with zipfile.ZipFile(ours) as z:
        assert z.testzip() is None
        assert [(n, z.read(n)) for n in z.namelist()] == _members()


class _Unseekable(io.RawIOBase):
    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.data += b
        return len(b)


def test_into_a_stream_that_cannot_seek(tmp_path: Path) -> None:
    theirs, ours = _Unseekable(), _Unseekable()
    _zipfile_itself(theirs)
    _deflated_ahead(ours)
    assert bytes(ours.data) == bytes(theirs.data)
    with zipfile.ZipFile(io.BytesIO(bytes(ours.data))) as z:
        assert [(n, z.read(n)) for n in z.namelist()] == _members()

"""Archive members deflated ahead of their turn, in a worker thread.

A zip archive takes one member at a time, so members that are ready early (a ``.qdpx``'s plain
text sources, made while ``project.qde`` is still being written) must wait. Deflating them
meanwhile, in a worker thread (zlib lets go of Python's global lock while it works), uses the
machine's other core; when their turn comes they are copied into the archive as they are:
written through ``zipfile`` as stored data, then their header is rewritten to say what they are
(deflated, with the text's CRC and size). The archive is byte for byte what ``zipfile`` writes
when it deflates them itself. Into an archive that cannot seek (standard output), they are
inflated and handed to ``zipfile`` instead.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import IO

CHUNK = 1 << 20


def deflated_info(name: str, date_time: tuple[int, int, int, int, int, int], level: int) -> zipfile.ZipInfo:
    """A member that ``ZipFile.open(info, "w")`` deflates at ``level`` (1: several times
    faster than zlib's default 6, for a file a little larger)."""
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = level  # type: ignore[attr-defined]  # read by ZipFile.open(info, "w")
    return info


@dataclass
class _Deflated:
    info: zipfile.ZipInfo
    crc: int
    size: int
    compressed: int


class DeflatedMembers:
    """Members deflated at ``level`` in a worker thread as they are added (a few behind at
    most), kept in a temporary file until :meth:`write_into` copies them into an archive in the
    order they were added. Use as a context manager (leaving it stops the worker)."""

    def __init__(self, level: int, ahead: int = 8, in_memory: int = 8 << 20):
        self.level = level
        self.ahead = ahead
        self._spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=in_memory)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annotator-deflate")
        self._pending: deque[Future[_Deflated]] = deque()
        self._done: list[_Deflated] = []

    def __enter__(self) -> DeflatedMembers:
        return self

    def __exit__(self, *exc: object) -> None:
        for job in self._pending:
            job.cancel()
        self._pool.shutdown(wait=True)
        self._spool.close()

    def add(self, info: zipfile.ZipInfo, data: bytes) -> None:
        """Deflate ``data`` as the member ``info`` (its ``compress_type`` must be deflate)."""
        self._pending.append(self._pool.submit(self._deflate, info, data))
        while len(self._pending) > self.ahead:
            self._done.append(self._pending.popleft().result())

    def _deflate(self, info: zipfile.ZipInfo, data: bytes) -> _Deflated:  # in the worker
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, -15)  # as zipfile makes it
        view, compressed = memoryview(data), 0
        for at in range(0, len(data), CHUNK):
            out = compressor.compress(view[at:at + CHUNK])
            self._spool.write(out)
            compressed += len(out)
        out = compressor.flush()
        self._spool.write(out)
        return _Deflated(info, zlib.crc32(data), len(data), compressed + len(out))

    def write_into(self, zf: zipfile.ZipFile) -> None:
        """Copy every member added into ``zf``, in order."""
        while self._pending:
            self._done.append(self._pending.popleft().result())
        self._spool.seek(0)
        seekable = _can_seek(zf.fp)
        for member in self._done:
            if seekable:
                _copy_deflated(zf, member, self._chunks(member.compressed))
            else:
                _inflate_into(zf, member, self._chunks(member.compressed))

    def _chunks(self, size: int) -> Iterator[bytes]:
        while size > 0:
            chunk = self._spool.read(min(size, CHUNK))
            if not chunk:
                raise OSError("a temporary file of the export ended early")
            size -= len(chunk)
            yield chunk


def _can_seek(fp: IO[bytes] | None) -> bool:
    """Whether the archive's file can go back to a member's header (as zipfile itself finds out)."""
    try:
        fp.seek(fp.tell())  # type: ignore[union-attr]
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _copy_deflated(zf: zipfile.ZipFile, member: _Deflated, chunks: Iterator[bytes]) -> None:
    info = member.info
    info.compress_type = zipfile.ZIP_STORED  # zipfile copies the deflated bytes as they are
    with zf.open(info, "w", force_zip64=True) as out:
        for chunk in chunks:
            out.write(chunk)
    info.compress_type, info.CRC, info.file_size = zipfile.ZIP_DEFLATED, member.crc, member.size
    assert zf.fp is not None and info.compress_size == member.compressed
    end = zf.fp.tell()
    zf.fp.seek(info.header_offset)
    zf.fp.write(info.FileHeader(True))  # the header zipfile writes for the deflated member
    zf.fp.seek(end)


def _inflate_into(zf: zipfile.ZipFile, member: _Deflated, chunks: Iterator[bytes]) -> None:
    inflater = zlib.decompressobj(-15)
    with zf.open(member.info, "w", force_zip64=True) as out:
        for chunk in chunks:
            out.write(inflater.decompress(chunk))
        out.write(inflater.flush())

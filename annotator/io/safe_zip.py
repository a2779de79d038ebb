"""Reading ZIP archives from other programs without trusting them.

Refuses member names that escape the archive (``../``, absolute paths, drive letters) and
archive bombs: limits on the number of members, each member's and the total uncompressed size
and the compression ratio, counted on the bytes actually inflated (headers can lie).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from annotator.errors import ImportFormatError
from annotator.special_files import regular_file_problem

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed, for members larger than RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
_CHUNK = 1 << 16


def _unsafe_name(name: str) -> bool:
    n = name.replace("\\", "/")
    if n.startswith("/") or (len(n) > 1 and n[1] == ":"):
        return True
    return any(part == ".." for part in PurePosixPath(n).parts)


class SafeZip:
    """A checked, read-only ZIP archive; use as a context manager."""

    def __init__(self, path: Path, *, max_total: int = MAX_TOTAL_BYTES,
                 max_member: int = MAX_MEMBER_BYTES, max_ratio: int = MAX_RATIO) -> None:
        self.path = path
        self.max_total = max_total
        self.max_member = max_member
        self.max_ratio = max_ratio
        self.read_total = 0
        if problem := regular_file_problem(path):  # a FIFO would block forever
            raise ImportFormatError(problem, path=path)
        try:
            self.zf = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise ImportFormatError("no such file", path=path) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFormatError(f"not a ZIP archive (a .qdpx is one): {exc}", path=path) from None
        infos = self.zf.infolist()
        if len(infos) > MAX_MEMBERS:
            self.zf.close()
            raise ImportFormatError(f"refused: the archive holds {len(infos)} files (limit {MAX_MEMBERS})",
                                    path=path)
        declared = 0
        for info in infos:
            if _unsafe_name(info.filename):
                self.zf.close()
                raise ImportFormatError(
                    f"refused: the archive member {info.filename!r} points outside the archive",
                    path=path)
            declared += info.file_size
        if declared > self.max_total:
            self.zf.close()
            raise ImportFormatError(
                f"refused: the archive unpacks to {declared} bytes (limit {self.max_total})", path=path)
        self.infos = {i.filename.replace("\\", "/"): i for i in infos if not i.is_dir()}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zf.close()

    def names(self) -> list[str]:
        return list(self.infos)

    def find(self, name: str) -> str | None:
        """The member called ``name``, compared without letter case (``Sources/`` = ``sources/``)."""
        if name in self.infos:
            return name
        low = name.lower()
        for n in self.infos:
            if n.lower() == low:
                return n
        return None

    def read(self, name: str) -> bytes:
        """The member's bytes, counting what is inflated against the limits as it goes."""
        info = self.infos[name]
        out = bytearray()
        limit = min(self.max_member, self.max_total - self.read_total)
        try:
            with self.zf.open(info) as f:
                while chunk := f.read(_CHUNK):
                    out += chunk
                    if len(out) > limit:
                        raise ImportFormatError(
                            f"refused: {name!r} unpacks to more than the size limit"
                            f" ({limit} bytes); is it an archive bomb?", path=self.path)
                    if (len(out) > RATIO_FLOOR
                            and len(out) > self.max_ratio * max(info.compress_size, 1)):
                        raise ImportFormatError(
                            f"refused: {name!r} is compressed more than {self.max_ratio}:1;"
                            " is it an archive bomb?", path=self.path)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise ImportFormatError(f"cannot read {name!r} from the archive: {exc}", path=self.path) from None
        self.read_total += len(out)
        return bytes(out)

"""GUIDs of the objects of a REFI-QDA export: ``uuid5`` of the project's namespace and a key
naming the object (``"selection/<segment>/<coder>/<lang>"``), in upper case, so that exporting
the same project twice gives the same GUIDs.

An export of a million segments makes millions of them, so they are computed straight from
SHA-1 without building ``UUID`` objects, and :func:`name_guids` makes a whole document's at once:
the digests joined, the version and variant bits set and the hex digits laid out with their
dashes by slice operations over all of them together, not one GUID at a time.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from operator import methodcaller
from typing import Any

try:  # CPython's own SHA-1: the same digests, cheaper than OpenSSL's for short keys
    from _sha1 import sha1 as _sha1
except ImportError:  # pragma: no cover - other Pythons
    _sha1 = hashlib.sha1

_VARIANT = {c: format((int(c, 16) & 0x3) | 0x8, "X") for c in "0123456789ABCDEF"}  # RFC 4122
_VERSION_BYTE = bytes((b & 0x0F) | 0x50 for b in range(256))  # byte 6: version 5
_VARIANT_BYTE = bytes((b & 0x3F) | 0x80 for b in range(256))  # byte 8: RFC 4122 variant
_DASHES = (8, 13, 18, 23)
_HEX_AT = [c for c in range(36) if c not in _DASHES]  # where each of the 32 hex digits goes
_WIDTH = 37  # a GUID and a line break


def guid(ns: uuid.UUID, *parts: str) -> str:
    """``uuid5(ns, "/".join(parts))`` in upper case."""
    return name_guid(ns.bytes + "/".join(parts).encode("utf-8"))


def guid_maker(ns: uuid.UUID) -> Callable[..., str]:
    """:func:`guid` for one namespace."""
    prefix = ns.bytes
    return lambda *parts: name_guid(prefix + "/".join(parts).encode("utf-8"))


def name_guid(name: bytes, sha1: Callable[[bytes], Any] = _sha1, variant: dict[str, str] = _VARIANT) -> str:
    """The upper-case ``uuid5`` of ``name``: the namespace's 16 bytes, then the key in UTF-8."""
    h = sha1(name).hexdigest().upper()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant[h[16]]}{h[17:20]}-{h[20:32]}"


def name_guids(names: Sequence[bytes]) -> list[str]:
    """:func:`name_guid` of each of ``names``, made together."""
    n = len(names)
    if not n:
        return []
    raw = bytearray(b"".join(map(methodcaller("digest"), map(_sha1, names))))  # 20 bytes each
    raw[6::20] = raw[6::20].translate(_VERSION_BYTE)
    raw[8::20] = raw[8::20].translate(_VARIANT_BYTE)
    digits = raw.hex().upper().encode("ascii")  # 40 each, of which a GUID takes the first 32
    out = bytearray(_WIDTH * n)
    for at, digit in zip(_HEX_AT, range(32), strict=True):
        out[at::_WIDTH] = digits[digit::40]
    for at in _DASHES:
        out[at::_WIDTH] = b"-" * n
    out[_WIDTH - 1::_WIDTH] = b"\n" * n
    return out[:-1].decode("ascii").split("\n")

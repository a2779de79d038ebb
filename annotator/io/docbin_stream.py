"""A spaCy ``.spacy`` file (a ``DocBin``) written in bounded memory.

``DocBin`` keeps every doc's arrays until ``to_bytes`` joins them into one message (a msgpack
map, zlib-compressed), so a large export holds all of them, then a copy. This writer keeps each
part of that message in a spool file as docs are added and, at the end, writes the same message
through one compressor: the bytes decompress to exactly what ``DocBin(attrs=["ORTH"],
store_user_data=True).to_bytes()`` gives for the same docs (a test compares them), so spaCy's own
``DocBin.from_bytes`` reads it. Memory holds the set of strings (one per distinct word) only.
"""

from __future__ import annotations

import struct
import tempfile
import zlib
from pathlib import Path
from typing import IO, Any

import numpy as np

#: The parts of the message kept in spools, in the order ``DocBin.to_bytes`` writes them (after
#: "version", "attrs"; "strings" is kept in memory): raw bytes, or packed elements of a list.
_RAW = ("tokens", "spaces", "lengths")
_LISTS = ("cats", "flags", "span_groups", "user_data")


def _bin_header(n: int) -> bytes:
    """msgpack's header of a byte string of ``n`` bytes (bin 8, 16 or 32)."""
    if n < 1 << 8:
        return struct.pack(">BB", 0xC4, n)
    if n < 1 << 16:
        return struct.pack(">BH", 0xC5, n)
    return struct.pack(">BI", 0xC6, n)


class DocBinWriter:
    """Add docs made by a blank pipeline (words and spaces only: ``ORTH`` and ``SPACY``, user
    data kept), then :meth:`write` the ``.spacy`` message to a binary file."""

    def __init__(self, folder: Path) -> None:
        from spacy.attrs import ORTH, SPACY
        from srsly import msgpack

        self.attrs, self._spacy = [ORTH], SPACY
        #: one packer for every value (``srsly.msgpack_dumps`` looks its encoders up at each call)
        self._packer = msgpack.Packer(use_bin_type=True)
        self._pack = self._packer.pack
        self.strings: set[str] = set()
        self.docs = 0
        self._spools: dict[str, IO[bytes]] = {
            name: tempfile.TemporaryFile(dir=folder) for name in (*_RAW, *_LISTS)}
        self._sizes = dict.fromkeys(self._spools, 0)

    def _put(self, name: str, data: bytes) -> None:
        self._spools[name].write(data)
        self._sizes[name] += len(data)

    def add(self, doc: Any) -> None:
        """What ``DocBin.add`` keeps of ``doc``, appended to the spools."""
        pack = self._pack
        self._put("tokens", np.ascontiguousarray(doc.to_array(self.attrs), dtype=np.uint64).tobytes())
        self._put("spaces", np.asarray(doc.to_array(self._spacy), dtype=bool).tobytes())
        self._put("lengths", np.int32(len(doc)).tobytes())
        for token in doc:
            self.strings.update((token.text, token.tag_, token.lemma_, token.norm_, str(token.morph),
                                 token.dep_, token.ent_type_, token.ent_kb_id_, token.ent_id_))
        self._put("cats", pack(doc.cats))
        self._put("flags", pack({"has_unknown_spaces": doc.has_unknown_spaces}))
        spans = doc.spans.to_bytes()
        self._put("span_groups", _bin_header(len(spans)) + spans)
        user_data = pack(doc.user_data)
        self._put("user_data", _bin_header(len(user_data)) + user_data)
        self.docs += 1

    def write(self, out: IO[bytes]) -> None:
        """The whole message, compressed, to ``out``; the spools are closed after."""
        pack, packer = self._pack, self._packer
        deflate = zlib.compressobj()

        def put(data: bytes) -> None:
            out.write(deflate.compress(data))

        try:
            put(packer.pack_map_header(10))
            put(pack("version") + pack("0.1"))
            put(pack("attrs") + pack(self.attrs))
            for name in _RAW:
                put(pack(name) + _bin_header(self._sizes[name]))
                self._copy(name, put)
            put(pack("strings") + packer.pack_array_header(len(self.strings)))
            for text in sorted(self.strings):
                put(pack(text))
            for name in _LISTS:
                put(pack(name) + packer.pack_array_header(self.docs))
                self._copy(name, put)
            out.write(deflate.flush())
        finally:
            self.close()

    def _copy(self, name: str, put: Any) -> None:
        spool = self._spools[name]
        spool.seek(0)
        while chunk := spool.read(1 << 20):
            put(chunk)

    def close(self) -> None:
        for spool in self._spools.values():
            spool.close()


"""A report's disagreements kept compact: per facet, the units that disagree and their kind.

Units alike (see :mod:`annotator.agreement.patterns`) disagree alike, so each kind's codes per
coder are held once; a :class:`Disagreement` is made only when one is asked for, and the JSON
lines are written from the kinds' text (a large project lists hundreds of thousands).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from annotator.agreement.report_model import Disagreement

Codes = dict[str, tuple[str, ...]]


class KindCodes(Mapping[int, Codes]):
    """Each kind's codes per coder, held as numbers: ``matrix[i, c]`` is the number (in ``names``)
    of coder ``c``'s set of codes in kind ``kinds[i]`` (-1: the coder did not finish it). A kind's
    dictionary is made only when asked for; the JSON lines are written from the numbers."""

    def __init__(self, coders: Sequence[str], names: Sequence[tuple[str, ...]], kinds: list[int],
                 matrix: npt.NDArray[np.int64]) -> None:
        self.coders, self.names, self.kinds, self.matrix = tuple(coders), list(names), kinds, matrix
        self._at: dict[int, int] | None = None

    def __getitem__(self, kind: int) -> Codes:
        if self._at is None:
            self._at = {k: i for i, k in enumerate(self.kinds)}
        names = self.names
        row = self.matrix[self._at[kind]].tolist()
        return {c: names[v] for c, v in zip(self.coders, row, strict=True) if v >= 0}

    def __iter__(self) -> Iterator[int]:
        return iter(self.kinds)

    def __len__(self) -> int:
        return len(self.kinds)

    def json_texts(self, quote: Any) -> dict[int, str]:
        """kind → its codes as JSON (as :func:`_codes_json` writes them): each coder's entry is
        written once per set of codes and the entries are joined a column at a time."""
        if not self.kinds:
            return {}
        sets = [json.dumps(list(n), ensure_ascii=False) for n in self.names]
        joined = np.full(len(self.kinds), "", dtype=object)
        for c, coder in enumerate(self.coders):
            entries = np.array([", " + quote(coder) + ": " + t for t in sets] + [""], dtype=object)
            joined += entries[self.matrix[:, c]]  # -1: the empty entry (the coder did not finish it)
        return {k: "{" + t[2:] + "}" for k, t in zip(self.kinds, joined.tolist(), strict=True)}


@dataclass(frozen=True)
class FacetDisagreements:
    """One facet's disagreeing units (in order), the kind of each and each kind's codes."""

    facet: str
    segments: list[str]
    kinds: list[int]
    codes: Mapping[int, Codes]


class DisagreementList(Sequence[Disagreement]):
    """Every facet's disagreements, facet by facet, as a sequence of :class:`Disagreement`."""

    def __init__(self, parts: Sequence[FacetDisagreements]) -> None:
        self.parts = tuple(parts)

    def __len__(self) -> int:
        return sum(len(p.segments) for p in self.parts)

    def __iter__(self) -> Iterator[Disagreement]:
        for p in self.parts:
            for segment, kind in zip(p.segments, p.kinds, strict=True):
                yield Disagreement(segment, p.facet, p.codes[kind])

    @overload
    def __getitem__(self, i: int) -> Disagreement: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Disagreement]: ...
    def __getitem__(self, i: int | slice) -> Disagreement | Sequence[Disagreement]:
        if isinstance(i, slice):
            at = range(len(self))[i]
            return list(islice(self, at.start, at.stop, at.step)) if at.step > 0 else list(self)[i]
        if i < 0:
            i += len(self)
        for p in self.parts:
            if 0 <= i < len(p.segments):
                return Disagreement(p.segments[i], p.facet, p.codes[p.kinds[i]])
            i -= len(p.segments)
        raise IndexError("disagreement index out of range")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def json_lines(self, texts: Mapping[str, tuple[str, str]] | None) -> Iterator[str]:
        """Each disagreement as one line of JSON: segment, facet, codes (and zh, en with ``texts``)."""
        quote = json.encoder.encode_basestring
        return chain.from_iterable(_lines(p, texts, quote) for p in self.parts)


def _codes_json(codes: Codes, entries: dict[tuple[str, tuple[str, ...]], str], quote: Any) -> str:
    """``codes`` as JSON, each (coder, codes) entry encoded once (``entries`` keeps them)."""
    out = []
    for entry in codes.items():
        text = entries.get(entry)
        if text is None:
            text = entries[entry] = quote(entry[0]) + ": " + json.dumps(list(entry[1]), ensure_ascii=False)
        out.append(text)
    return "{" + ", ".join(out) + "}"


def _lines(part: FacetDisagreements, texts: Mapping[str, tuple[str, str]] | None, quote: Any) -> list[str]:
    middle = f', "facet": {quote(part.facet)}, "codes": '
    if isinstance(part.codes, KindCodes):
        codes = {kind: middle + text for kind, text in part.codes.json_texts(quote).items()}
    else:
        entries: dict[tuple[str, tuple[str, ...]], str] = {}
        codes = {kind: middle + _codes_json(c, entries, quote) for kind, c in part.codes.items()}
    if texts is None:  # a list made at once: a generator's step per line cost as much as the line
        return ['{"segment": ' + quote(segment) + codes[kind] + "}"
                for segment, kind in zip(part.segments, part.kinds, strict=True)]
    lines = []
    for segment, kind in zip(part.segments, part.kinds, strict=True):
        zh, en = texts.get(segment, ("", ""))
        lines.append(f'{{"segment": {quote(segment)}{codes[kind]}, "zh": {quote(zh)}, "en": {quote(en)}}}')
    return lines

"""The character pieces of many Chinese words at once (:func:`annotator.nlp.keywords.word_pieces`).

A million-segment project's vocabulary holds hundreds of thousands of Chinese words; cutting
each into its pieces in Python takes seconds at every first build of the suggestion engine.
Here the words of each length are one array of code points and the pieces are integer keys (a
character's code point; a pair's two code points side by side), deduplicated with numpy; the
distinct pieces become strings in one step. The pieces come out as :func:`word_pieces` gives
them, word by word: its characters, then its pairs of neighbouring characters, each once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

#: Marks a character piece of a Chinese word (the same mark as :data:`annotator.nlp.keywords.PIECE`).
PIECE = "\u00b7"
_CJK_WORD = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")
#: Words up to this long are cut as arrays, one array per length; longer ones one by one.
WIDEST = 16
_SHIFT = 21  # code points take 21 bits; a pair is the first one shifted above the second
_LOW = (1 << _SHIFT) - 1


def has_pieces(term: str) -> bool:
    """Whether :func:`word_pieces` cuts ``term`` (a Chinese word of two or more characters)."""
    return len(term) >= 2 and _CJK_WORD.fullmatch(term) is not None


def _keys(word: str) -> list[int]:
    """A word's pieces as keys, one by one (what the arrays do for many words)."""
    chars = [ord(ch) for ch in word]
    pairs = [(a << _SHIFT) | b for a, b in pairwise(chars)] if len(word) >= 3 else []
    return list(dict.fromkeys(chars + pairs))


def _cut_length(words: Sequence[str], where: IntArray, length: int
                ) -> tuple[IntArray, npt.NDArray[np.int64], list[tuple[int, list[int]]]]:
    """The words at ``where`` (all ``length`` long) that have pieces: (their positions, their
    pieces' keys a row each, and those whose pieces repeat, deduplicated one by one)."""
    points = np.array([words[i] for i in where.tolist()], dtype=f"<U{length}").view(np.uint32)
    points = points.reshape(len(where), length).astype(np.int64)
    cjk = ((points >= 0x3400) & (points <= 0x9FFF)) | ((points >= 0xF900) & (points <= 0xFAFF))
    chinese = cjk.all(axis=1)
    where, points = where[chinese], points[chinese]
    keys = points if length < 3 else np.concatenate(
        [points, (points[:, :-1] << _SHIFT) | points[:, 1:]], axis=1)
    ordered = np.sort(keys, axis=1)
    repeats = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    odd = [(int(i), list(dict.fromkeys(row))) for i, row in zip(where[repeats].tolist(),
                                                                keys[repeats].tolist(), strict=True)]
    return where[~repeats], keys[~repeats], odd


def many_word_pieces(words: Sequence[str]) -> tuple[IntArray, IntArray, IntArray, list[str]]:
    """The pieces of those of ``words`` that have any (:func:`has_pieces`), in order: (their
    positions in ``words``, how many pieces each has, the pieces one after another as indexes
    into ``names``, and ``names``: the distinct pieces in the order first met)."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    rows: list[tuple[IntArray, npt.NDArray[np.int64]]] = []
    odd: list[tuple[int, list[int]]] = []
    for length in range(2, WIDEST + 1):
        where = np.flatnonzero(lengths == length)
        if len(where):
            at, keys, repeated = _cut_length(words, where, length)
            rows.append((at, keys))
            odd.extend(repeated)
    odd.extend((int(i), _keys(words[int(i)])) for i in np.flatnonzero(lengths > WIDEST).tolist()
               if has_pieces(words[int(i)]))
    return _assemble(rows, odd)


def _assemble(rows: list[tuple[IntArray, npt.NDArray[np.int64]]], odd: list[tuple[int, list[int]]]
              ) -> tuple[IntArray, IntArray, IntArray, list[str]]:
    """The pieces of every word in the words' order, and the distinct pieces named."""
    owners = np.concatenate([at for at, _k in rows] + [np.array([i for i, _k in odd], dtype=np.int64)])
    counts = np.concatenate([np.full(len(at), keys.shape[1], dtype=np.int64) for at, keys in rows]
                            + [np.array([len(k) for _i, k in odd], dtype=np.int64)])
    order = np.argsort(owners, kind="stable")
    starts = np.zeros(len(owners), dtype=np.int64)
    starts[order] = np.cumsum(counts[order]) - counts[order]
    flat = np.zeros(int(counts.sum()), dtype=np.int64)
    done = 0
    for at, keys in rows:
        flat[starts[done : done + len(at), None] + np.arange(keys.shape[1])] = keys
        done += len(at)
    for j, (_i, keys_of) in enumerate(odd):
        flat[starts[done + j] : starts[done + j] + len(keys_of)] = keys_of
    distinct, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    met = np.argsort(first, kind="stable")
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[met] = np.arange(len(distinct), dtype=np.int64)
    return owners[order], counts[order], rank[inverse.reshape(-1)], _names(distinct[met])


def _names(keys: npt.NDArray[np.int64]) -> list[str]:
    """The pieces' strings: the mark, then one character or two."""
    pair = (keys >> _SHIFT) > 0
    points = np.zeros((len(keys), 3), dtype=np.uint32)
    points[:, 0] = ord(PIECE)
    points[:, 1] = np.where(pair, keys >> _SHIFT, keys)
    points[:, 2] = np.where(pair, keys & _LOW, 0)  # a trailing 0 ends a one-character piece
    names: list[str] = points.view("<U3").reshape(-1).tolist()
    return names

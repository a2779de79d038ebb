"""The character pieces of many Chinese words at once (:func:`annotator.nlp.keywords.word_pieces`).

A million-segment project's vocabulary holds hundreds of thousands of Chinese words; cutting
each into its pieces in Python takes seconds at every first build of the suggestion engine.
Here the words are one array of code points and the pieces are integer keys (a character's code
point; a pair's two code points side by side), deduplicated with numpy; only the distinct
pieces (a few thousand) become strings. The pieces come out as :func:`word_pieces` gives them,
word by word: its characters, then its pairs of neighbouring characters, each once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

#: Marks a character piece of a Chinese word (the same mark as :data:`annotator.nlp.keywords.PIECE`).
PIECE = "\u00b7"
_CJK_WORD = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")
#: Words longer than this are cut one by one (their code points would make the array wide).
WIDEST = 64
_SHIFT = 21  # code points take 21 bits; a pair is the first one shifted above the second


def has_pieces(term: str) -> bool:
    """Whether :func:`word_pieces` cuts ``term`` (a Chinese word of two or more characters)."""
    return len(term) >= 2 and _CJK_WORD.fullmatch(term) is not None


def many_word_pieces(words: Sequence[str]) -> tuple[IntArray, IntArray, list[str]] | None:
    """The pieces of ``words`` (each a word :func:`has_pieces` accepts), in order: (the number of
    pieces of each word, the pieces one after another as indexes into ``names``, and ``names``:
    the distinct pieces in the order first met). None when a word is longer than :data:`WIDEST`."""
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    if not len(words) or int(lengths.max()) > WIDEST:
        return None
    width = int(lengths.max())
    points = np.array(words, dtype=f"<U{width}").view(np.uint32).reshape(len(words), width).astype(np.int64)
    column = np.arange(width, dtype=np.int64)
    pairs = (points[:, :-1] << _SHIFT) | points[:, 1:]
    keys = np.concatenate([points, pairs], axis=1)
    valid = np.concatenate([column < lengths[:, None],
                            (column[:-1] < lengths[:, None] - 1) & (lengths[:, None] >= 3)], axis=1)
    flat = keys[valid]  # row-major: word by word, its characters then its pairs
    owner = np.repeat(np.arange(len(words), dtype=np.int64), valid.sum(axis=1))
    order = np.lexsort((flat, owner))  # stable: the first of a word's equal pieces comes first
    again = np.zeros(len(flat), dtype=bool)
    again[order[1:]] = (flat[order[1:]] == flat[order[:-1]]) & (owner[order[1:]] == owner[order[:-1]])
    flat, owner = flat[~again], owner[~again]
    distinct, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    met = np.argsort(first, kind="stable")
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[met] = np.arange(len(distinct), dtype=np.int64)
    names = [_piece_name(int(k)) for k in distinct[met].tolist()]
    return np.bincount(owner, minlength=len(words)), rank[inverse.reshape(-1)], names


def _piece_name(key: int) -> str:
    if key >> _SHIFT:
        return PIECE + chr(key >> _SHIFT) + chr(key & ((1 << _SHIFT) - 1))
    return PIECE + chr(key)

"""Corpus keywords: TF-IDF of the stored content terms of both languages.

The terms come from the import (``segments.zh_terms`` / ``segments.en_terms``): jieba tokens
and lower-cased English lookup lemmas, already without stop words, punctuation and numbers.
Document frequencies are counted over the project's own segments, so a word is a keyword of a
segment when it is frequent there and rare in the rest of the corpus. Needs numpy only.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat
from operator import methodcaller

import numpy as np
import numpy.typing as npt

from annotator.nlp import pieces
from annotator.nlp.pieces import many_word_pieces
from annotator.nlp.suggest_state import pack_strings, unpack_strings
from annotator.nlp.term_lookup import TermLookup

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Keyword:
    """A word of one language that matters in a segment (or a document, or the corpus)."""

    text: str
    lang: str
    score: float


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


#: Marks a character piece of a Chinese word (:func:`word_pieces`); no stored term begins so.
PIECE = pieces.PIECE
_CJK_WORD = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")
#: Words given their pieces at once (:meth:`Vocabulary._add_many_pieces`) from this many on.
MANY_WORDS = 1000
#: Spare room (values) kept after the pieces' arrays, for the terms added later: see
#: :func:`_appended` (32 KB an array; the codebook's coded examples add a few thousand values).
ROOM = 4096
#: :meth:`Vocabulary.bulk_lookups` makes its tables when the lookups expected outnumber the
#: vocabulary's terms this many times (making them costs about as much as looking a term up
#: the usual way, per term; each lookup then costs about half)
TABLE_WORTH = 4


def word_pieces(term: str) -> tuple[str, ...]:
    """The character pieces of a Chinese word of two or more characters: each character and,
    in words of three or more, each pair of neighbouring characters (居住证明: 居 住 证 明 居住
    住证 证明), marked with :data:`PIECE`.

    jieba cuts the domain's compounds in more than one way (开证明 / 开 证明, 处罚权 / 执法权), and a
    Chinese character carries much of a word's meaning, so the learned model counts the pieces
    beside the words. Pieces are features only: never keywords, never cited as evidence.
    """
    if len(term) < 2 or not _CJK_WORD.fullmatch(term):
        return ()
    chars = [PIECE + ch for ch in term]
    pairs = [PIECE + term[i : i + 2] for i in range(len(term) - 1)] if len(term) >= 3 else []
    return tuple(dict.fromkeys(chars + pairs))


def keyword_worthy(term: str, lang: str) -> bool:
    """Whether a stored content term may be shown as a keyword.

    Single Chinese characters (年, 做, 月 ...) and one-letter English lemmas are mostly light
    words that jieba or the lemmatiser left alone; they still count as evidence for the learned
    model, but they are not shown as keywords. Character pieces (:func:`word_pieces`) never are.
    """
    return len(term) >= 2 and not term.startswith(PIECE) and (
        term.isalpha() or any(ch.isalpha() for ch in term))


class Vocabulary:
    """Terms of both languages as integer ids.

    With ``pieces``, every Chinese word of two or more characters brings its character pieces
    (:func:`word_pieces`) as terms of their own, and encoding a text counts them beside its
    words (as often as the word occurs).
    """

    def __init__(self, pieces: bool = False) -> None:
        self._ids: dict[str, dict[str, int]] = {"zh": {}, "en": {}}
        self.terms: list[str] = []
        self.langs: list[str] = []
        self.worthy: list[bool] = []
        self._flags: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]] | None = None
        self.pieces = pieces
        #: the ids of the pieces of each term (Chinese words of two or more characters) as
        #: arrays, ``flat[start[i]:start[i + 1]]`` for term i (:meth:`_index`), and those of the
        #: terms added since the arrays were made
        self._piece_index: tuple[IntArray, IntArray] = (np.zeros(1, dtype=np.int64),
                                                        np.zeros(0, dtype=np.int64))
        self._pending: list[tuple[array[int], array[int], array[int]]] = []
        #: the arrays the piece index's arrays are the start of (spare room after them)
        self._piece_room: tuple[IntArray | None, IntArray | None] = (None, None)
        self._piece_flags: npt.NDArray[np.bool_] | None = None
        #: the id tables as :class:`TermLookup` tables, while :meth:`bulk_lookups` holds them
        self._lookups: dict[str, TermLookup] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def __getstate__(self) -> dict[str, object]:
        """Kept compactly: the terms, their languages (names and one small number per term), the
        keyword marks and the pieces' arrays as arrays (the id tables follow from them)."""
        names = sorted(self._ids)  # every term's language has its table
        flags = self._flags
        if flags is not None and len(flags[0]) == len(self.terms) and names == ["en", "zh"]:
            codes, worthy = flags[0].astype(np.uint8), flags[1]  # made of the lists already
        else:
            number = {lang: i for i, lang in enumerate(names)}
            codes = np.fromiter(map(number.__getitem__, self.langs), dtype=np.uint8, count=len(self.langs))
            worthy = np.array(self.worthy, dtype=np.bool_)
        return {"terms": pack_strings(self.terms), "n": len(self.terms), "langs": (names, codes),
                "worthy": worthy, "pieces": self.pieces, "piece_index": self._index()}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.terms = unpack_strings(state["terms"], state["n"])  # type: ignore[arg-type]
        langs: tuple[list[str], npt.NDArray[np.uint8]] = state["langs"]  # type: ignore[assignment]
        names, codes = langs
        self.langs = list(map(names.__getitem__, codes.tolist()))
        worthy = np.asarray(state["worthy"], dtype=np.bool_)
        self.worthy = worthy.tolist()
        self._ids = {}
        for lang in {"zh", "en", *names}:
            ids = np.flatnonzero(codes == names.index(lang)).tolist() if lang in names else []
            self._ids[lang] = dict(zip(map(self.terms.__getitem__, ids), ids, strict=True))
        zh = codes == names.index("zh") if "zh" in names else np.zeros(len(codes), dtype=np.bool_)
        self._flags = zh, worthy  # what flags() makes of the lists
        self.pieces = bool(state.get("pieces", False))
        self._pending, self._piece_flags = [], None
        self._piece_index = state["piece_index"]  # type: ignore[assignment]
        self._piece_room = (None, None)
        self._lookups = {}

    def id(self, lang: str, term: str, *, add: bool = True) -> int | None:
        table = self._ids.setdefault(lang, {})
        found = table.get(term)
        if found is not None or not add:
            return found
        new = len(self.terms)
        table[term] = new
        self.terms.append(term)
        self.langs.append(lang)
        self.worthy.append(keyword_worthy(term, lang))
        if self.pieces and lang == "zh":
            self._add_pieces([new])
        return new

    def _add_pieces(self, term_ids: Iterable[int]) -> None:
        """Give the Chinese words ``term_ids`` (new ids, ascending) their pieces (new pieces get
        new ids, in the order they are first met)."""
        ids = list(term_ids)
        if len(ids) >= MANY_WORDS:
            self._add_many_pieces(ids)
            return
        table = self._ids["zh"]
        first = len(self.terms)
        new: list[str] = []
        owners, lengths, flat = array("q"), array("q"), array("q")
        for i in ids:
            pieces = word_pieces(self.terms[i])
            if not pieces:
                continue
            for piece in pieces:
                j = table.get(piece)
                if j is None:
                    j = table[piece] = first + len(new)
                    new.append(piece)
                flat.append(j)
            owners.append(i)
            lengths.append(len(pieces))
        if not owners:
            return
        self.terms.extend(new)
        self.langs.extend(["zh"] * len(new))
        self.worthy.extend([False] * len(new))
        self._pending.append((owners, lengths, flat))

    def _add_many_pieces(self, ids: list[int]) -> None:
        """:meth:`_add_pieces` of many words, with numpy (:func:`annotator.nlp.pieces.many_word_pieces`)."""
        at, lengths, flat, names = many_word_pieces([self.terms[i] for i in ids])
        if not len(at):
            return
        table = self._ids["zh"]
        first = len(self.terms)
        if not table.keys().isdisjoint(names):  # pieces known already keep their ids
            new = [name for name in names if name not in table]
            table.update(zip(new, range(first, first + len(new)), strict=True))
            piece_ids = np.fromiter(map(table.__getitem__, names), dtype=np.int64, count=len(names))
        else:
            new = names
            table.update(zip(names, range(first, first + len(names)), strict=True))
            piece_ids = np.arange(first, first + len(names), dtype=np.int64)
        self.terms.extend(new)
        self.langs.extend(["zh"] * len(new))
        self.worthy.extend([False] * len(new))
        owners = np.asarray(ids, dtype=np.int64)[at]
        self._pending.append((array("q", owners.tobytes()), array("q", lengths.tobytes()),
                              array("q", piece_ids[flat].tobytes())))

    def _index(self) -> tuple[IntArray, IntArray]:
        """The pieces as arrays: ``flat[start[i]:start[i + 1]]`` are the pieces of term ``i``
        (the pieces of the terms added since the arrays were made are added to them)."""
        start, flat = self._piece_index
        if len(start) != len(self.terms) + 1:
            # the pending words come in id order, all past the arrays
            keys = np.concatenate([np.frombuffer(o, dtype=np.int64) for o, _l, _f in self._pending]
                                  or [np.zeros(0, dtype=np.int64)])
            lens = np.concatenate([np.frombuffer(n, dtype=np.int64) for _o, n, _f in self._pending]
                                  or [np.zeros(0, dtype=np.int64)])
            lengths = np.zeros(len(self.terms) + 1 - len(start), dtype=np.int64)
            lengths[keys - (len(start) - 1)] = lens
            more = [np.frombuffer(f, dtype=np.int64) for _o, _n, f in self._pending]
            room = self._piece_room
            starts, start_room = _appended(start, [start[-1] + np.cumsum(lengths)], room[0])
            flats, flat_room = _appended(flat, more, room[1])
            self._piece_index, self._piece_room = (starts, flats), (start_room, flat_room)
            self._pending = []
        return self._piece_index

    def piece_flags(self) -> npt.NDArray[np.bool_]:
        """Per term id: whether it is a piece of a word (:func:`word_pieces`)."""
        if self._piece_flags is None or len(self._piece_flags) != len(self.terms):
            flags = np.zeros(len(self.terms), dtype=bool)
            flags[self._index()[1]] = True
            self._piece_flags = flags
        return self._piece_flags

    def pieces_of(self, term_id: int) -> tuple[int, ...]:
        """The ids of the pieces of word ``term_id`` (none for other terms)."""
        start, flat = self._index()
        if not 0 <= term_id < len(start) - 1:
            return ()
        return tuple(flat[start[term_id] : start[term_id + 1]].tolist())

    def _has_pieces(self) -> bool:
        return bool(self._pending) or len(self._piece_index[1]) > 0

    def _with_pieces(self, rows: IntArray, ids: IntArray) -> tuple[IntArray, IntArray]:
        """(row, term id) pairs plus a pair for every piece of each term (vectorised)."""
        if not self._has_pieces() or not len(ids):
            return rows, ids
        start, flat = self._index()
        n = start[ids + 1] - start[ids]
        if not n.any():
            return rows, ids
        owner = np.repeat(np.arange(len(ids)), n)
        offset = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        return (np.concatenate([rows, rows[owner]]),
                np.concatenate([ids, flat[start[ids][owner] + offset]]))

    def extend(self, lang: str, terms: Iterable[str]) -> None:
        """Add many terms of one language at once (terms already known keep their ids)."""
        table = self._ids.setdefault(lang, {})
        new = [t for t in dict.fromkeys(terms) if t and t not in table]
        first = len(self.terms)
        table.update(zip(new, range(first, first + len(new)), strict=True))
        self.terms.extend(new)
        self.langs.extend([lang] * len(new))
        self.worthy.extend(map(keyword_worthy, new, repeat(lang)))
        if self.pieces and lang == "zh":
            self._add_pieces(range(first, first + len(new)))

    def flags(self) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Per term id: whether it is Chinese, and whether it may be shown as a keyword."""
        if self._flags is None or len(self._flags[0]) != len(self.terms):
            zh = np.array(self.langs, dtype=np.str_) == "zh" if self.langs else np.zeros(0, dtype=bool)
            self._flags = zh, np.array(self.worthy, dtype=bool)
        return self._flags

    def encode_many(
        self, zh_terms: Sequence[str | None], en_terms: Sequence[str | None]
    ) -> tuple[IntArray, IntArray, FloatArray]:
        """Stored term strings of many segments at once, as (segment index, term id, count).

        Sorted by segment, then term id; unknown terms are dropped. Vectorised: one split per
        language and one sort, no per-segment Python work beyond counting its terms.
        """
        rows, cols = self.occurrences(zh_terms, en_terms)
        size = max(len(self.terms), 1)
        keys, counts = np.unique(rows * size + cols, return_counts=True)
        return keys // size, keys % size, counts.astype(np.float64)

    def occurrences(
        self, zh_terms: Sequence[str | None], en_terms: Sequence[str | None]
    ) -> tuple[IntArray, IntArray]:
        """Every occurrence of a known term in the stored term strings of many segments, a
        word's pieces (:func:`word_pieces`) once per occurrence of the word: (segment index,
        term id), in no particular order (:meth:`encode_many` counts them)."""
        rows: list[IntArray] = []
        cols: list[IntArray] = []
        n = len(zh_terms)
        for lang, col in (("zh", zh_terms), ("en", en_terms)):
            texts = [t or "" for t in col]
            lens = np.fromiter((t.count(" ") + 1 if t else 0 for t in texts), dtype=np.int64,
                               count=len(texts))
            ids = self._ids_of(lang, " ".join(t for t in texts if t)) if lens.any() else np.zeros(0, np.int64)
            seg = np.repeat(np.arange(n, dtype=np.int64), lens)
            got_rows, got_ids = seg[ids >= 0], ids[ids >= 0]
            if lang == "zh":
                got_rows, got_ids = self._with_pieces(got_rows, got_ids)
            rows.append(got_rows)
            cols.append(got_ids)
        return np.concatenate(rows), np.concatenate(cols)

    def _ids_of(self, lang: str, joined: str) -> IntArray:
        """The id of each space-separated term of ``joined`` (-1: unknown)."""
        table = self._ids[lang]
        lookup = self._lookups.get(lang)
        if lookup is not None and lookup.size == len(table):
            return lookup.ids(joined)
        flat = joined.split(" ")
        return np.fromiter(map(table.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))

    @contextmanager
    def bulk_lookups(self, expected: int) -> Iterator[None]:
        """Within it, :meth:`occurrences` looks terms up through numpy tables
        (:class:`~annotator.nlp.term_lookup.TermLookup`, made here) when about ``expected``
        lookups are to come, :data:`TABLE_WORTH` times the vocabulary's terms or more; the
        tables are dropped after (a table made before the vocabulary grew is not used)."""
        if expected >= TABLE_WORTH * max(len(self.terms), 1):
            self._lookups = {lang: TermLookup(table) for lang, table in self._ids.items()}
        try:
            yield
        finally:
            self._lookups = {}

    def encode(
        self, zh_terms: Iterable[str], en_terms: Iterable[str], *, add: bool = True
    ) -> tuple[IntArray, FloatArray]:
        """Unique term ids of a text and how often each occurs (unknown terms dropped unless ``add``)."""
        ids: list[int] = []
        cnt: list[int] = []
        for lang, terms in (("zh", zh_terms), ("en", en_terms)):
            table = self._ids[lang]
            for term, n in Counter(terms).items():
                i = table.get(term)
                if i is None and add and term:
                    i = self.id(lang, term)
                if i is None:
                    continue
                ids.append(i)
                cnt.append(n)
        got, counts = np.array(ids, dtype=np.int64), np.array(cnt, dtype=np.float64)
        if not self._has_pieces() or not len(got):
            return got, counts
        owners, every = self._with_pieces(np.arange(len(got), dtype=np.int64), got)
        if len(every) == len(got):
            return got, counts
        unique, where = np.unique(every, return_inverse=True)
        return unique, np.bincount(where, weights=counts[owners]).astype(np.float64)


def _appended(kept: IntArray, more: Sequence[IntArray], room: IntArray | None
              ) -> tuple[IntArray, IntArray]:
    """``kept`` with the arrays ``more`` after it, and the array it is the start of: ``kept``
    must be the start of ``room`` (when given); the values are written after it when ``room``
    has space left, else into a larger array with :data:`ROOM` spare. Terms added one at a time
    (a codebook's coded examples) then cost the new values, not a copy of every term's."""
    n, m = len(kept), sum(len(part) for part in more)
    if room is None or len(room) < n + m:
        room = np.empty(n + m + ROOM, dtype=np.int64)
        room[:n] = kept
    at = n
    for part in more:
        room[at : at + len(part)] = part
        at += len(part)
    return room[: n + m], room


class DocumentFrequencies:
    """In how many segments each term occurs; smoothed inverse document frequency."""

    def __init__(self) -> None:
        self.df = np.zeros(1024, dtype=np.float64)
        self.n_docs = 0

    def add(self, ids: IntArray) -> None:
        if len(ids) and int(ids.max()) >= len(self.df):
            grown = np.zeros(max(int(ids.max()) + 1, 2 * len(self.df)), dtype=np.float64)
            grown[: len(self.df)] = self.df
            self.df = grown
        self.df[ids] += 1.0
        self.n_docs += 1

    @classmethod
    def from_counts(cls, df: FloatArray, n_docs: int) -> DocumentFrequencies:
        out = cls()
        out.df = np.zeros(max(len(df), 1024), dtype=np.float64)
        out.df[: len(df)] = df
        out.n_docs = n_docs
        return out

    def idf(self, ids: IntArray) -> FloatArray:
        """``log((1 + N) / (1 + df)) + 1``: never zero, so a word in every segment still counts a little."""
        df = np.where(ids < len(self.df), self.df[np.minimum(ids, len(self.df) - 1)], 0.0)
        out: FloatArray = np.log((1.0 + self.n_docs) / (1.0 + df)) + 1.0
        return out


_SPLIT = methodcaller("split", " ")
_SPACES = methodcaller("count", " ")


class CorpusCounter:
    """Document frequencies of stored terms, counted chunk by chunk without encoding segments.

    Feed it the stored ``zh_terms`` / ``en_terms`` strings of every segment with :meth:`add`
    (any number of chunks), then :meth:`finish` gives the vocabulary (ids in code-point order
    of the terms, Chinese first), the document frequencies and the number of term occurrences.
    Only one counter per language is kept, never a segment's terms, so a corpus of 100,000
    segments costs memory for its distinct words only.
    """

    def __init__(self, pieces: bool = True) -> None:
        self._df: dict[str, Counter[str]] = {"zh": Counter(), "en": Counter()}
        self.n_docs = 0
        self.terms = 0
        self.pieces = pieces

    def add(self, zh_terms: Sequence[str | None], en_terms: Sequence[str | None]) -> None:
        """One chunk: the stored term strings of the same segments, in both languages."""
        self.n_docs += len(zh_terms)
        for lang, col in (("zh", zh_terms), ("en", en_terms)):
            texts = [t for t in col if t]
            self._df[lang].update(chain.from_iterable(map(frozenset, map(_SPLIT, texts))))
            self.terms += sum(map(_SPACES, texts)) + len(texts)

    @classmethod
    def of(cls, df: Mapping[str, Iterable[tuple[str, int]]], n_docs: int, terms: int) -> CorpusCounter:
        """A counter that has already counted: per language, (term, document frequency) rows;
        the segments and the term occurrences they were counted over (counts kept elsewhere)."""
        out = cls()
        out._df = {lang: Counter() for lang in df}
        for lang, rows in df.items():
            dict.update(out._df[lang], rows)
        out.n_docs, out.terms = n_docs, terms
        return out

    @property
    def counts(self) -> dict[str, Counter[str]]:
        """Per language: term → the number of segments counted that hold it."""
        return self._df

    def merge(self, other: CorpusCounter) -> None:
        """Add what ``other`` counted (other segments) to this counter."""
        for lang, counts in other.counts.items():
            self._df.setdefault(lang, Counter()).update(counts)
        self.n_docs += other.n_docs
        self.terms += other.terms

    def finish(self) -> tuple[Vocabulary, DocumentFrequencies]:
        """The vocabulary and document frequencies. With ``pieces`` (the default), the Chinese
        words' pieces follow the words; a piece's document frequency is the sum of those of the
        words it is part of, at most the number of segments (an upper bound: a segment holding
        two such words counts twice), so counting them costs one pass over the distinct words."""
        vocab = Vocabulary(pieces=self.pieces)
        parts: list[tuple[int, FloatArray]] = []
        for lang in ("zh", "en"):
            df_lang = self._df[lang]
            df_lang.pop("", None)  # not a term (the import never stores one)
            terms = sorted(df_lang)
            first = len(vocab)  # a new vocabulary: the terms get the next ids, in this order
            vocab.extend(lang, terms)
            parts.append((first, np.fromiter(map(df_lang.__getitem__, terms), dtype=np.float64,
                                             count=len(terms))))
        df = np.zeros(len(vocab), dtype=np.float64)
        for first, counts in parts:
            df[first : first + len(counts)] = counts
        zh_first, zh_df = parts[0]
        words = np.arange(zh_first, zh_first + len(zh_df), dtype=np.int64)
        owners, expanded = vocab._with_pieces(words, words)
        np.add.at(df, expanded[len(words):], df[owners[len(words):]])
        np.minimum(df, float(self.n_docs), out=df)
        self._df = {"zh": Counter(), "en": Counter()}
        return vocab, DocumentFrequencies.from_counts(df, self.n_docs)


def tfidf_keywords(
    ids: IntArray,
    counts: FloatArray,
    vocab: Vocabulary,
    dfs: DocumentFrequencies,
    *,
    top: int = 8,
) -> tuple[Keyword, ...]:
    """The ``top`` keywords of each language, best first (scores are L2-normalised per language)."""
    if not len(ids) or top <= 0:
        return ()
    weights = counts * dfs.idf(ids)
    is_zh, worthy = vocab.flags()
    inside = ids < len(is_zh)
    seg_zh = np.zeros(len(ids), dtype=bool)
    seg_zh[inside] = is_zh[ids[inside]]
    seg_worthy = np.zeros(len(ids), dtype=bool)
    seg_worthy[inside] = worthy[ids[inside]]
    out: list[Keyword] = []
    for lang in ("zh", "en"):
        mask = seg_worthy & (seg_zh if lang == "zh" else ~seg_zh)
        if not mask.any():
            continue
        lang_ids = ids[mask]
        w = weights[mask]
        norm = float(np.sqrt(np.sum(w * w))) or 1.0
        order = np.lexsort((lang_ids, -w))[:top]
        out.extend(Keyword(vocab.terms[int(lang_ids[j])], lang, round(float(w[j]) / norm, 4)) for j in order)
    out.sort(key=lambda k: -k.score)
    return tuple(out)


def corpus_keywords(
    counts: CorpusCounter,
    chunks: Callable[[], Iterable[tuple[Sequence[str | None], Sequence[str | None]]]],
    *,
    top: int = 20,
    expected: int = 0,
) -> dict[str, list[Keyword]]:
    """Keywords of the whole corpus (or of some of its segments) per language.

    ``counts``: the document frequencies of every segment's terms (the corpus counts the project
    keeps); ``chunks()``: the stored zh terms and en terms (space-separated, or None) of the
    segments asked for, as two lists per chunk (called again in the rare case below). Each
    segment's TF-IDF vector is L2-normalised per language and the vectors are summed over the
    segments, so a word ranks high when it is distinctive in many segments. Scores are divided
    by the number of segments (``expected``: about how many terms they hold, for
    :meth:`Vocabulary.bulk_lookups`). Here the idf is ``log((1 + N) / (1 + df))`` without the +1, so a
    word found in every segment is no keyword of the corpus (unless no word is distinctive at
    all). Memory holds the vocabulary and one chunk, never every segment's vector.
    """
    vocab = Vocabulary()
    df: list[int] = []
    for lang in ("zh", "en"):
        known = {t: n for t, n in counts.counts.get(lang, {}).items() if t}
        terms = sorted(known)
        vocab.extend(lang, terms)
        df.extend(map(known.__getitem__, terms))
    dfs = DocumentFrequencies.from_counts(np.array(df, dtype=np.float64), counts.n_docs)
    for shift in (1.0, 0.0):
        total, n = _summed_tfidf(chunks(), vocab, dfs, shift, expected)
        if total.any():
            break
    return _top_per_language(total, vocab, max(n, 1), top)


def _summed_tfidf(
    chunks: Iterable[tuple[Sequence[str | None], Sequence[str | None]]], vocab: Vocabulary,
    dfs: DocumentFrequencies, shift: float, expected: int,
) -> tuple[FloatArray, int]:
    """The segments' per-language L2-normalised TF-IDF vectors (idf less ``shift``), summed, a
    chunk at a time (:meth:`Vocabulary.encode_many`; ``expected``: about how many terms are
    looked up); and the number of segments."""
    is_zh = vocab.flags()[0]
    idf = dfs.idf(np.arange(len(vocab), dtype=np.int64)) - shift
    total = np.zeros(len(vocab), dtype=np.float64)
    n = 0
    with vocab.bulk_lookups(expected):
        for zh_terms, en_terms in chunks:
            rows, ids, counts = vocab.encode_many(zh_terms, en_terms)
            w = counts * idf[ids]
            vector = rows * 2 + is_zh[ids]  # (segment, language)
            norm = np.sqrt(np.bincount(vector, weights=w * w, minlength=2 * len(zh_terms)))[vector]
            some = norm > 0
            total += np.bincount(ids[some], weights=w[some] / norm[some], minlength=len(vocab))
            n += len(zh_terms)
    return total, n


def _top_per_language(total: FloatArray, vocab: Vocabulary, n: int, top: int) -> dict[str, list[Keyword]]:
    """The ``top`` keyword-worthy terms per language by summed weight (divided by ``n``)."""
    out: dict[str, list[Keyword]] = {"zh": [], "en": []}
    for i in np.argsort(-total, kind="stable").tolist():
        if total[i] <= 0:
            break
        lang = vocab.langs[i]
        if vocab.worthy[i] and len(out[lang]) < top:
            out[lang].append(Keyword(vocab.terms[i], lang, round(float(total[i]) / n, 4)))
        if all(len(v) >= top for v in out.values()):
            break
    return out


def _split(stored: str | None) -> Sequence[str]:
    return stored.split(" ") if stored else ()


def idf_value(n_docs: int, df: int) -> float:
    """The idf formula for one term (documentation and tests)."""
    return math.log((1.0 + n_docs) / (1.0 + df)) + 1.0

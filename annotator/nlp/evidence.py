"""Which words of a segment are cited as evidence for a code: only those that carry weight
for that code beyond the others.

For each word ``w`` of the segment and code ``c`` of a facet, the log-odds ratio of the word in
the code's examples against the facet's other examples, with an informative Dirichlet prior
(Monroe, Colaresi and Quinn 2008, "Fightin' Words", Political Analysis 16(4), eqs. 16-22)::

    delta = log((y_c + a_w) / (n_c + a_0 - y_c - a_w)) - log((y_r + a_w) / (n_r + a_0 - y_r - a_w))
    var   = 1 / (y_c + a_w) + 1 / (y_r + a_w)
    z     = delta / sqrt(var)

``y_c``/``y_r``: the word's count in the code's / the rest's examples (the codebook's text about
each code included, as pseudo-counts); ``n_c``/``n_r``: all words counted there; the prior
``a_w = a_0 * f_w`` spreads ``a_0`` (:data:`PRIOR_SEGMENTS` average segments' worth of words)
over the vocabulary by the word's frequency in all examples (add-one smoothed), so a word
frequent everywhere is expected everywhere and its delta is near zero.

A word is cited for a code when

* its z-score is at least :data:`Z_MIN` (1.96, the two-sided 5 % point Monroe et al. use),
* it was counted at least :data:`MIN_COUNT` times for the code (one stray occurrence in one
  example is no pattern), and
* it is not found in the examples of every code of the facet (a word of every code explains
  none of them), and
* it is not both found under more than one code and in more than :data:`COMMON_SHARE` of the
  project's segments (once the project has :data:`COMMON_MIN_SEGMENTS`): such a word describes
  the corpus (社区, "community" in a corpus about community work), not a code, even where the
  codebook's text about one code happens to use it more than the others' (:func:`common_terms`).
  A common word that only one code's examples hold (a coder's recurring topic) stays evidence.

Function words never reach this point: the stored terms have no stop words, and the caller
passes only terms that may be shown (:func:`annotator.nlp.keywords.keyword_worthy`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The suggestion panel shows this many codes with this many evidence words each; the coding
#: screen colours exactly those words in the text (:func:`shown_evidence`).
SHOWN_CODES = 3
SHOWN_WORDS = 4

Z_MIN = 1.96
MIN_COUNT = 2.0
PRIOR_SEGMENTS = 10.0
#: A word found in more than this share of the project's segments is never cited ...
COMMON_SHARE = 1.0 / 3.0
#: ... once the project has this many segments (before that, shares say little).
COMMON_MIN_SEGMENTS = 10


def common_terms(df: FloatArray, n_docs: int) -> npt.NDArray[np.bool_] | None:
    """Per term id, whether the word is too common in the corpus to be cited (None: too few
    segments to say)."""
    if n_docs < COMMON_MIN_SEGMENTS:
        return None
    return np.asarray(df, dtype=np.float64) > COMMON_SHARE * n_docs


def log_odds_z(
    y_c: FloatArray, n_c: float | FloatArray, y_r: FloatArray, n_r: float | FloatArray,
    a_w: FloatArray, a_0: float,
) -> FloatArray:
    """Monroe et al. (2008) z-scores of the words' log-odds ratio, code against the rest
    (element-wise: words x codes when ``n_c``/``n_r`` are per code)."""
    pos = np.log(y_c + a_w) - np.log(np.maximum(n_c + a_0 - y_c - a_w, 1e-12))
    neg = np.log(y_r + a_w) - np.log(np.maximum(n_r + a_0 - y_r - a_w, 1e-12))
    var = 1.0 / (y_c + a_w) + 1.0 / (y_r + a_w)
    return (pos - neg) / np.sqrt(var)


def background(totals: FloatArray, all_terms: float, vocab: int, a_0: float) -> FloatArray:
    """The informative prior a_w = a_0 * (count_w + 1) / (all + V) for the given words' totals."""
    return a_0 * (totals + 1.0) / (max(all_terms, 0.0) + float(max(vocab, 1)))


def cited(
    ids: IntArray,
    counts: FloatArray,
    code_counts: FloatArray,
    code_terms: FloatArray,
    totals: FloatArray,
    all_terms: float,
    vocab: int,
    mass: float,
    common: npt.NDArray[np.bool_] | None = None,
) -> list[list[int]]:
    """Per code (column), the term ids of the segment cited as evidence, strongest first.

    ``ids``: the segment's term ids (each once) and ``counts`` their counts in the segment;
    ``code_counts`` [len(ids) x K]: each term's count per code; ``code_terms`` [K]: all terms
    counted per code; ``totals``: each term's count in all examples of the facet; ``mass``:
    the mean number of terms of a segment (``a_0 = PRIOR_SEGMENTS * mass``); ``common``: per
    term id, whether the word is in too many of the corpus's segments (:func:`common_terms`).
    """
    k = code_counts.shape[1] if code_counts.ndim == 2 else 0
    if not len(ids) or not k:
        return [[] for _ in range(k)]
    a_0 = PRIOR_SEGMENTS * max(mass, 1.0)
    a_w = background(totals, all_terms, vocab, a_0)[:, None]
    present = code_counts > 0
    everywhere = np.asarray(present.all(axis=1) if k > 1 else np.zeros(len(ids), dtype=bool))
    if common is not None:
        inside = ids < len(common)
        everywhere |= inside & common[np.where(inside, ids, 0)] & (present.sum(axis=1) > 1)
    y_r = np.maximum(totals[:, None] - code_counts, 0.0)
    n_r = np.maximum(all_terms - code_terms, 0.0)
    z = log_odds_z(code_counts, code_terms, y_r, n_r, a_w, a_0)
    keep = (z >= Z_MIN) & (code_counts >= MIN_COUNT) & ~everywhere.reshape(-1, 1)
    strength = z * counts[:, None]
    out: list[list[int]] = [[] for _ in range(k)]
    for j in np.flatnonzero(keep.any(axis=0)).tolist():
        rows = np.flatnonzero(keep[:, j])
        rows = rows[np.argsort(-strength[rows, j], kind="stable")]
        out[j] = ids[rows].tolist()
    return out


def shown_evidence(suggestions: Any, top: int = SHOWN_CODES,
                   words: int = SHOWN_WORDS) -> tuple[tuple[str, str], ...]:
    """(word, code) for every evidence word the suggestion panel shows, in its order."""
    out: list[tuple[str, str]] = []
    for s in suggestions.codes[:top]:
        out.extend((w, s.code) for w in s.evidence[:words] if (w, s.code) not in out)
    return tuple(out)

"""Codebook keywords found in a segment: the evidence that needs no training.

Chinese keywords are matched against the jieba tokens and, as whole terms, against the raw
text (which also finds terms jieba split differently or that sit inside a longer word).
English keywords are matched as lemma sequences against the stored lemmas of the segment
(``segments.en_tokens``), so "grid members", "Grid member" and "grid member's" all match.

Weights, chosen on principle rather than fitted to any corpus:

* a keyword found as a jieba token, or as a substring of at least three characters, or an
  English lemma phrase, weighs 1;
* a two-character Chinese keyword found only as a substring weighs 0.5 (two characters often
  straddle a word boundary: 上报 in 马上报告);
* a one-character keyword counts only as a whole token;
* a keyword that several codes of one facet share is split between them (1/k each);
* a keyword counts once per segment however often it occurs.

:func:`code_description_terms` gives, per code, the content terms of its label, definition,
when-to-use note and keywords in both languages, tokenised like the segments; the learned model
uses them as a prior (:mod:`annotator.nlp.classifier`).
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.codebook_examples import CodedExample, coded_examples
from annotator.errors import AnnotatorError
from annotator.files import atomic_output
from annotator.model import Code, Codebook

_lemma_cache: dict[str, tuple[str, ...]] = {}
_lemma_lock = threading.Lock()
#: code texts (zh, en) -> content terms (zh, en), tokenised once per process
_description_cache: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
_disk: dict[str, Any] = {}

#: The tokenised codebook text is also kept on disk (in the data folder), so that a new process
#: with the same codebook and tokeniser need not load jieba and spaCy (about 4 s) at all.
CACHE_FILE = "codebook-terms.json"
#: Entries kept on disk at most (phrases plus code descriptions); past that, only the last
#: codebook's are kept.
CACHE_ENTRIES = 5000


def _fingerprint() -> str:
    """What the tokenised text depends on: the tokeniser's source and the NLP packages' versions."""
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256(Path(__file__).with_name("tokenize.py").read_bytes())
    for dist in ("jieba", "spacy", "spacy-lookups-data"):
        try:
            digest.update(metadata.version(dist).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()


def _cache_path() -> Path | None:
    from annotator.config import data_dir

    try:
        return data_dir() / CACHE_FILE
    except OSError:
        return None


def _load_disk_cache() -> None:
    """Fill the in-process caches from the data folder, once per process (lock held)."""
    if _disk:
        return
    _disk["fingerprint"] = _fingerprint()
    path = _cache_path()
    if path is None:
        return
    try:
        _absorb(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return  # no cache, or a damaged one: tokenise again


def _absorb(data: Any) -> None:
    """Take the entries of a cache made with the same tokeniser (lock held)."""
    if not isinstance(data, dict) or data.get("fingerprint") != _disk["fingerprint"]:
        return
    for phrase, lemmas in data.get("lemmas", []):
        _lemma_cache.setdefault(str(phrase), tuple(map(str, lemmas)))
    for zh, en, zh_terms, en_terms in data.get("descriptions", []):
        _description_cache.setdefault(
            (str(zh), str(en)), (tuple(map(str, zh_terms)), tuple(map(str, en_terms))))


def remember_codebook_terms(text: str | None) -> None:
    """Take tokenised codebook text kept elsewhere (e.g. in the project file, as
    :func:`codebook_terms_text` gave it); text from another tokeniser version is ignored."""
    with _lemma_lock:
        _load_disk_cache()
        if text:
            with contextlib.suppress(ValueError, TypeError):
                _absorb(json.loads(text))


def codebook_terms_known(codebook: Codebook) -> bool:
    """Whether all of ``codebook``'s text is tokenised already (in this process, the data folder
    or taken from the project): then building an engine loads neither jieba nor spaCy."""
    phrases = {k.strip() for c in codebook.codes for k in c.keywords_en if k.strip()}
    texts = _codebook_texts(codebook)
    with _lemma_lock:
        _load_disk_cache()
        return phrases <= _lemma_cache.keys() and texts <= _description_cache.keys()


def codebook_terms_text(codebook: Codebook) -> str:
    """The tokenised text of ``codebook`` known to this process (English keyword lemmas, code
    descriptions' terms), as JSON to keep beside the codebook."""
    phrases = {k.strip() for c in codebook.codes for k in c.keywords_en if k.strip()}
    texts = _codebook_texts(codebook)
    with _lemma_lock:
        data = {
            "fingerprint": _disk.get("fingerprint") or _fingerprint(),
            "lemmas": sorted([p, list(v)] for p, v in _lemma_cache.items() if p in phrases),
            "descriptions": sorted([zh, en, list(z), list(e)] for (zh, en), (z, e)
                                   in _description_cache.items() if (zh, en) in texts),
        }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _save_disk_cache(
    phrases: Sequence[str] = (), descriptions: Sequence[tuple[str, str]] = ()
) -> None:
    """Write the in-process caches to the data folder (atomically; failures are ignored)."""
    path = _cache_path()
    if path is None:
        return
    lemmas = dict(_lemma_cache)
    texts = dict(_description_cache)
    if len(lemmas) + len(texts) > CACHE_ENTRIES:
        lemmas = {p: _lemma_cache[p] for p in phrases if p in _lemma_cache}
        texts = {t: _description_cache[t] for t in descriptions if t in _description_cache}
    data = {
        "fingerprint": _disk.get("fingerprint") or _fingerprint(),
        "lemmas": [[p, list(v)] for p, v in lemmas.items()],
        "descriptions": [[zh, en, list(z), list(e)] for (zh, en), (z, e) in texts.items()],
    }
    with contextlib.suppress(OSError, AnnotatorError), atomic_output(path) as f:
        json.dump(data, f, ensure_ascii=False)


@dataclass(frozen=True)
class Match:
    code: str
    keyword: str  # as written in the codebook
    lang: str
    weight: float


def lemmatise_phrases(phrases: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each English phrase as the lemma sequence the import stores (spaCy, loaded once)."""
    with _lemma_lock:
        _load_disk_cache()
        missing = sorted({p for p in phrases if p not in _lemma_cache})
        if missing:
            from annotator.nlp.tokenize import tokenize

            for phrase, toks in zip(missing, tokenize(missing, "en"), strict=True):
                _lemma_cache[phrase] = tuple(t.replace(" ", "") for t in toks.tokens if t.strip())
            _save_disk_cache(phrases=phrases)
        return {p: _lemma_cache[p] for p in phrases}


#: How many times the when-to-use note counts in a code's text (the learned model's prior):
#: it describes the situations a segment is coded for, in words nearer a segment's own than
#: the definition's concepts. Chosen on the development sets, on the first and confirmed on the
#: second (burden recall@3 +0.029 and +0.015, dimension top-1 +0.000 and +0.010; see
#: benchmarks/results/accuracy.md).
WHEN_TO_USE_WEIGHT = 2


def _description(code: Code, lang: str) -> str:
    """Label, definition, when-to-use (:data:`WHEN_TO_USE_WEIGHT` times) and keywords of
    ``code`` in one language, one per line.

    ``when_not_to_use`` is left out: it speaks of the other codes.
    """
    texts = (code.label, code.definition, *[code.when_to_use] * WHEN_TO_USE_WEIGHT)
    keywords = code.keywords_zh if lang == "zh" else code.keywords_en
    parts = [getattr(t, lang).strip() for t in texts] + [k.strip() for k in keywords]
    return "\n".join(p for p in parts if p)


def _codebook_texts(codebook: Codebook) -> set[tuple[str, str]]:
    """Every (Chinese, English) text of ``codebook`` the engine tokenises: each code's
    description (:func:`_description`) and each coded example."""
    texts = {(_description(c, "zh"), _description(c, "en")) for c in codebook.codes}
    return texts | {(e.text.zh, e.text.en) for e in coded_examples(codebook)}


def _tokenised(codebook: Codebook) -> dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
    """The content terms (Chinese, English) of every text of :func:`_codebook_texts`.

    Tokenised with :func:`annotator.nlp.tokenize.tokenize`, the codebook's Chinese keywords kept
    whole as at import, so the terms are the ones stored for segments. Cached per process and
    in the data folder (:data:`CACHE_FILE`, valid while the tokeniser and the NLP packages stay
    the same).
    """
    wanted = _codebook_texts(codebook)
    with _lemma_lock:
        _load_disk_cache()
        missing = sorted(t for t in wanted if t not in _description_cache)
        if missing:
            from annotator.nlp.tokenize import add_terms, tokenize

            add_terms(k for c in codebook.codes for k in c.keywords_zh)
            zh = tokenize([m[0] for m in missing], "zh")
            en = tokenize([m[1] for m in missing], "en")
            for key, z, e in zip(missing, zh, en, strict=True):
                _description_cache[key] = (z.terms, e.terms)
            _save_disk_cache(descriptions=sorted(wanted))
        return {texts: _description_cache[texts] for texts in wanted}


def code_description_terms(codebook: Codebook) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per code id: the content terms (Chinese, English) of the codebook's text about it
    (tokenised as :func:`_tokenised` says)."""
    terms = _tokenised(codebook)
    return {c.id: terms[(_description(c, "zh"), _description(c, "en"))] for c in codebook.codes}


def coded_example_terms(codebook: Codebook) -> list[tuple[CodedExample, tuple[str, ...], tuple[str, ...]]]:
    """The codebook's coded examples (:mod:`annotator.codebook_examples`), each with the
    content terms (Chinese, English) of its text."""
    terms = _tokenised(codebook)
    return [(e, *terms[(e.text.zh, e.text.en)]) for e in coded_examples(codebook)]


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


class Lexicon:
    """The codebook's keywords of both languages, ready to match."""

    def __init__(self, codebook: Codebook, en_lemmas: dict[str, tuple[str, ...]]) -> None:
        self.codebook = codebook
        # keyword -> [(code, weight share)]
        zh: dict[str, list[tuple[str, float]]] = {}
        en: dict[tuple[str, ...], list[tuple[str, str, float]]] = {}
        for facet in codebook.facets:
            zh_owners: dict[str, list[str]] = {}
            en_owners: dict[tuple[str, ...], list[tuple[str, str]]] = {}
            for code in facet.codes:
                for kw in dict.fromkeys(k.strip().lower() for k in code.keywords_zh):
                    if kw:
                        zh_owners.setdefault(kw, []).append(code.id)
                for phrase in dict.fromkeys(k.strip() for k in code.keywords_en):
                    lemmas = en_lemmas.get(phrase, ())
                    if lemmas:
                        owners = en_owners.setdefault(lemmas, [])
                        if code.id not in {c for c, _ in owners}:
                            owners.append((code.id, phrase))
            for kw, codes in zh_owners.items():
                zh.setdefault(kw, []).extend((c, 1.0 / len(codes)) for c in codes)
            for lemmas, owners in en_owners.items():
                en.setdefault(lemmas, []).extend((c, p, 1.0 / len(owners)) for c, p in owners)
        self.zh = zh
        self.en = en
        self._code_rank = {c.id: i for i, c in enumerate(codebook.codes)}
        #: the English keywords' lemmas, made into patterns when first located (:meth:`_pattern`:
        #: an engine built or loaded for suggestions alone compiles none)
        self._lemmas = {phrase: lemmas for phrase, lemmas in en_lemmas.items() if lemmas}
        self._surface: dict[str, re.Pattern[str]] = {}
        self._en_first: dict[str, list[tuple[str, ...]]] = {}
        for lemmas in en:
            self._en_first.setdefault(lemmas[0], []).append(lemmas)
        for pats in self._en_first.values():
            pats.sort(key=len, reverse=True)

    @classmethod
    def build(cls, codebook: Codebook) -> Lexicon:
        """Lemmatise the English keywords (spaCy's English pipeline, loaded on first use)."""
        phrases = sorted({k.strip() for c in codebook.codes for k in c.keywords_en if k.strip()})
        return cls(codebook, lemmatise_phrases(phrases) if phrases else {})

    @property
    def zh_terms(self) -> list[str]:
        return [k for k in self.zh if _has_cjk(k)]

    def match(self, zh: str, zh_tokens: Sequence[str], en_tokens: Sequence[str]) -> list[Match]:
        """Codebook keywords in one segment (each keyword once), in codebook order."""
        out: list[Match] = []
        if zh and self.zh:
            text = zh.lower()
            tokens = {t.lower() for t in zh_tokens}
            for kw, owners in self.zh.items():
                if kw in tokens:
                    strength = 1.0
                elif len(kw) >= 2 and kw in text:
                    strength = 1.0 if len(kw) >= 3 else 0.5
                else:
                    continue
                out.extend(Match(code, kw, "zh", strength * share) for code, share in owners)
        if en_tokens and self._en_first:
            found: set[tuple[str, ...]] = set()
            n = len(en_tokens)
            for i, tok in enumerate(en_tokens):
                pats = self._en_first.get(tok)
                if not pats:
                    continue
                for pat in pats:
                    if pat not in found and i + len(pat) <= n and tuple(en_tokens[i : i + len(pat)]) == pat:
                        found.add(pat)
            for pat in found:
                out.extend(Match(code, phrase, "en", share) for code, phrase, share in self.en[pat])
        return out


    def locate(self, text: str, lang: str, matches: Iterable[Match]) -> list[tuple[int, int, str]]:
        """Where the ``lang`` keywords of ``matches`` (from :meth:`match` on the same segment)
        stand in ``text``: (start, end, code), so that what is shown is what was matched.

        Chinese keywords are found as written (case-insensitive); an English keyword phrase as
        its words in any inflection that begins with their lemmas ("grid member" finds
        "Grid members", "grid member's"), or as written.
        """
        out: list[tuple[int, int, str]] = []
        low = text.lower()
        rank = self._code_rank
        for m in sorted(matches, key=lambda m: rank.get(m.code, len(rank))):  # codebook order
            if m.lang != lang:
                continue
            if lang == "zh":
                out.extend((a, b, m.code) for a, b in find_all(low, m.keyword))
                continue
            pattern = self._pattern(m.keyword)
            if pattern is None:
                out.extend((a, b, m.code) for a, b in find_all(low, m.keyword.lower()))
            else:
                out.extend((hit.start(), hit.end(), m.code) for hit in pattern.finditer(text))
        return out

    def _pattern(self, phrase: str) -> re.Pattern[str] | None:
        """The surface pattern of English keyword ``phrase`` (None: it has no lemmas)."""
        pattern = self._surface.get(phrase)
        lemmas = self._lemmas.get(phrase)
        if pattern is None and lemmas:
            pattern = self._surface[phrase] = _surface_pattern(phrase, lemmas)
        return pattern

    def locate_cited(self, text: str, lang: str, matches: Iterable[Match],
                     cited: Sequence[tuple[str, str]]) -> list[tuple[int, int, str]]:
        """Where the evidence words ``cited`` ((word, code) pairs, as the suggestion panel shows
        them) stand in ``text``: (start, end, code). A codebook keyword is found through its match
        (:meth:`locate`, even when cited for a code it implies); a word the learned model cites
        (a stored term: Chinese as written, an English lemma) as written or, in English, as a
        word that begins with it. The first pair is placed last, so its colour wins an overlap."""
        found = {(m.keyword, m.lang): m for m in matches}
        low = text.lower()
        out: list[tuple[int, int, str]] = []
        for word, code in reversed(cited):
            match = found.get((word, lang))
            if match is not None:
                out.extend((a, b, code) for a, b, _c in self.locate(text, lang, [match]))
            elif lang == "zh" and _has_cjk(word):
                out.extend((a, b, code) for a, b in find_all(low, word.lower()))
            elif lang == "en" and word.strip() and not _has_cjk(word):
                pattern = _surface_pattern(word, word.split())
                out.extend((hit.start(), hit.end(), code) for hit in pattern.finditer(text))
        return out


def find_all(haystack: str, needle: str) -> Iterable[tuple[int, int]]:
    """Every place ``needle`` stands in ``haystack``, left to right, not overlapping."""
    if not needle:
        return
    start = haystack.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = haystack.find(needle, start + len(needle))


def _surface_pattern(phrase: str, lemmas: Sequence[str]) -> re.Pattern[str]:
    """The phrase as written, or its lemmas each followed by any word characters (and 's)."""
    inflected = r"\W+".join(re.escape(lemma) + r"\w*(?:['’]s)?" for lemma in lemmas)
    written = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.compile(rf"\b(?:{written}|{inflected})\b", re.IGNORECASE)


def code_strengths(matches: Sequence[Match]) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Per code: summed keyword weight and the keywords found (strongest first)."""
    per: dict[str, list[Match]] = {}
    for m in matches:
        per.setdefault(m.code, []).append(m)
    out: dict[str, tuple[float, tuple[str, ...]]] = {}
    for code, ms in per.items():
        ms.sort(key=lambda m: (-m.weight, m.lang, m.keyword))
        out[code] = (sum(m.weight for m in ms), tuple(dict.fromkeys(m.keyword for m in ms)))
    return out

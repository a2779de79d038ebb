"""Build a large, realistic project fast, for the scale benchmarks.

    python -m benchmarks.generate --segments 1000000 -o big.db [--coders 5] [--coded 0.2] [--seed 1]

Text is varied, not a few recombined sentences: Chinese turns are drawn word by word from
jieba's own dictionary (weighted by its frequencies, with the codebook's keywords mixed in at a
realistic rate), English turns from spaCy's English lexeme probabilities, so the vocabulary is
as large as a real corpus's and every segment differs. Because the words are drawn, their
segmentation is known: the token columns are filled as import would fill them, without paying
for jieba (which the import benchmark measures on its own).

Coders: ``--coders`` coders each code ``--coded`` of the segments (the same segments, as in a
double-coding study), one dimension and zero to two burden types, agreeing with a latent
"true" code most of the time; every state has its event in the log, as the coding screen writes
it. Everything is written in batches through one connection. As an import does, the project
keeps its document spans and the suggestion engine's corpus counts, so that a first start of
the coding screen or of ``suggest`` on it costs what it costs after a real import.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.application.corpus_counts import corpus_counts
from annotator.codebook import bundled_codebook_path, load_codebook
from annotator.storage.codebook_store import save_codebook
from annotator.storage.db import open_project
from annotator.storage.reading_order import document_spans

BATCH = 20_000
SPEAKERS = ("采访者", "受访者")
STOP_POS = {"x", "u", "uj", "ul", "p", "c", "r", "y", "e", "o", "m", "q", "d", "f"}
EMPTY = json.dumps({"codes": [], "done": False, "memo": ""})


class Vocabulary:
    """Words to draw from, with their probabilities and whether each is a content term."""

    def __init__(self, words: list[str], weights: np.ndarray, content: np.ndarray) -> None:
        self.words = np.array(words, dtype=object)
        self.p = weights / weights.sum()
        self.content = content

    def sentences(self, rng: np.random.Generator, n: int, lo: int, hi: int) -> Iterator[np.ndarray]:
        lengths = rng.integers(lo, hi, size=n)
        picks = rng.choice(len(self.words), size=int(lengths.sum()), p=self.p)
        start = 0
        for length in lengths:
            yield picks[start:start + length]
            start += length


def chinese_vocabulary(keywords: list[str]) -> Vocabulary:
    import jieba

    words, freq, content = [], [], []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3 or not all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
                continue
            words.append(parts[0])
            freq.append(float(parts[1]))
            content.append(parts[2] not in STOP_POS and len(parts[0]) > 1)
    total = sum(freq)
    for kw in keywords:  # codebook keywords about once in 300 words, as in the demo corpus
        words.append(kw)
        freq.append(total / 300 / max(len(keywords), 1))
        content.append(True)
    return Vocabulary(words, np.array(freq), np.array(content))


def english_vocabulary(keywords: list[str]) -> Vocabulary:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        probs = json.load(f)
    words = [w for w in probs if w.isalpha() and w.islower()]
    weights = np.exp(np.array([probs[w] for w in words]))
    content = np.array([len(w) > 3 for w in words])
    total = weights.sum()
    words += keywords
    weights = np.concatenate([weights, np.full(len(keywords), total / 300 / max(len(keywords), 1))])
    content = np.concatenate([content, np.ones(len(keywords), dtype=bool)])
    return Vocabulary(words, weights, content)


def segment_rows(n: int, per_doc: int, rng: np.random.Generator,
                 zh: Vocabulary, en: Vocabulary) -> Iterator[tuple]:
    zh_sents = zh.sentences(rng, n, 8, 60)
    en_sents = en.sentences(rng, n, 10, 70)
    for i in range(n):
        doc, pos = divmod(i, per_doc)
        zi, ei = next(zh_sents), next(en_sents)
        zw, ew = zh.words[zi], en.words[ei]
        zh_text = "".join(zw) + "。"
        en_text = " ".join(ew).capitalize() + "."
        yield (f"D{doc + 1:06d}-{pos + 1:03d}", f"D{doc + 1:06d}", pos + 1, SPEAKERS[pos % 2],
               zh_text, en_text, " ".join(zw) + " 。", " ".join(ew) + " .",
               " ".join(zw[zh.content[zi]]), " ".join(ew[en.content[ei]]).lower())


def coder_work(segments: list[str], facets: dict[str, list[str]], coders: list[str],
               rng: np.random.Generator) -> Iterator[tuple[str, str, list[str]]]:
    dims, burdens = facets["dimension"], facets["burden"]
    for seg in segments:
        true_dim = dims[rng.integers(len(dims))]
        true_burden = list(rng.choice(burdens, size=rng.integers(0, 3), replace=False))
        for coder in coders:
            dim = true_dim if rng.random() < 0.8 else dims[rng.integers(len(dims))]
            burden = [b for b in true_burden if rng.random() < 0.85]
            if rng.random() < 0.1:
                burden.append(burdens[rng.integers(len(burdens))])
            yield coder, seg, sorted({dim, *burden})


def _batches(rows: Iterator[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_segments(conn: sqlite3.Connection, n: int, per_doc: int, rng: np.random.Generator,
                   zh: Vocabulary, en: Vocabulary) -> None:
    docs = (n + per_doc - 1) // per_doc
    conn.executemany(
        "INSERT INTO documents (id, position, title, attributes) VALUES (?, ?, ?, ?)",
        [(f"D{d:06d}", d, f"Interview {d}",
          json.dumps({"role": ("resident", "cadre", "official")[d % 3], "district": f"district {d % 7}"}))
         for d in range(1, docs + 1)],
    )
    sql = ("INSERT INTO segments (id, document, position, speaker, zh, en, zh_tokens, en_tokens,"
           " zh_terms, en_terms) VALUES (?,?,?,?,?,?,?,?,?,?)")
    for batch in _batches(segment_rows(n, per_doc, rng, zh, en)):
        conn.executemany(sql, batch)


def write_coding(conn: sqlite3.Connection, n: int, per_doc: int, coders: list[str], share: float,
                 facets: dict[str, list[str]], rng: np.random.Generator) -> int:
    stamp = "2026-01-01T00:00:00.000Z"
    conn.executemany("INSERT INTO coders (name, created_at) VALUES (?, ?)", [(c, stamp) for c in coders])
    picked = np.sort(rng.choice(n, size=int(n * share), replace=False))
    segments = [f"D{i // per_doc + 1:06d}-{i % per_doc + 1:03d}" for i in picked]
    states = 0
    for batch in _batches(coder_work(segments, facets, coders, rng), BATCH // 4):
        conn.executemany("INSERT INTO annotations (coder, segment, code, created_at) VALUES (?,?,?,?)",
                         [(c, s, code, stamp) for c, s, codes in batch for code in codes])
        conn.executemany("INSERT INTO done (coder, segment, done_at) VALUES (?,?,?)",
                         [(c, s, stamp) for c, s, _ in batch])
        conn.executemany(
            "INSERT INTO events (at, coder, session, action, segment, before, after)"
            " VALUES (?,?,'generated','code',?,?,?)",
            [(stamp, c, s, EMPTY, json.dumps({"codes": codes, "done": True, "memo": ""}))
             for c, s, codes in batch])
        states += len(batch)
    return states


def generate(path: Path, segments: int, *, coders: int = 5, coded: float = 0.2,
             per_doc: int = 200, seed: int = 1) -> dict[str, float]:
    """Write a new project at ``path``; return what was written and how long it took."""
    t0 = time.perf_counter()
    codebook = load_codebook(bundled_codebook_path())
    facets = {f.id: [c.id for c in f.codes] for f in codebook.facets}
    zh = chinese_vocabulary([k for c in codebook.codes for k in c.keywords_zh])
    en = english_vocabulary([k for c in codebook.codes for k in c.keywords_en if " " not in k])
    rng = np.random.default_rng(seed)
    names = [f"coder{i + 1}" for i in range(coders)]
    if path.exists():
        raise SystemExit(f"{path}: already exists")
    with open_project(path, create=True) as project:
        save_codebook(project, codebook)
        with project.write() as conn:
            write_segments(conn, segments, per_doc, rng, zh, en)
            states = write_coding(conn, segments, per_doc, names, coded, facets, rng)
        document_spans(project)  # as an import keeps them
        corpus_counts(project)  # the same
        project.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"segments": segments, "coder_states": states, "seconds": time.perf_counter() - t0,
            "bytes": path.stat().st_size}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--segments", type=int, required=True)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--coded", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    done = generate(args.output, args.segments, coders=args.coders, coded=args.coded, seed=args.seed)
    print(f"{args.output}: {done['segments']:,} segments, {done['coder_states']:,} coder states,"
          f" {done['bytes'] / 1e6:.0f} MB in {done['seconds']:.1f} s")


if __name__ == "__main__":
    main()

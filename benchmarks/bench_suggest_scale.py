"""The suggestion engine on a large project: 100,000 bilingual segments, 10,000 of them coded.

The project is made by ``create_project`` and filled with SQL inserts. Its stored tokens and
terms are realistic: a few dozen real sentence pairs (the demo corpus, the held-out test
sentences, the other benchmark's sentences) are tokenised once with
:func:`annotator.nlp.tokenize.tokenize`, as the import does, and recombined; each segment also
gets a few rare words (names, places, one-off terms drawn from a Zipf distribution over 40,000
made-up words per language) so that the vocabulary grows as a real corpus's does.

Prints, beside baselines measured in the same run:

* ``suggester_for_project``: wall time and resident-memory growth, with the per-process cost
  of loading jieba and spaCy (the codebook's text is tokenised) measured separately first;
  Python allocations kept and at peak (tracemalloc, a second build);
* the first ``suggest()`` after the build, then the median ``suggest()`` over random segments
  (each seen for the first time, as when the coder moves on), and again on segments just seen,
  against reading the segment's row from SQLite and looking its terms up in a dict, and
  against ``jieba.lcut`` of its Chinese text;
* the median ``learn()`` (retraining after a tag, with 10,000 coded segments);
* ``annotator suggest PROJECT SEGMENT`` as a command, the first time on this machine (no cached
  codebook text: jieba and spaCy load) and after, against ``annotator --help``.

    python benchmarks/bench_suggest_scale.py [--segments 100000] [--coded 10000] [--db PATH]
                                             [--profile]
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import itertools
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: Characters for made-up Chinese rare words; syllables for made-up English ones.
_ZH_CHARS = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶" \
            "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺" \
            "顾毛郝龚邵万钱严覃武戴莫孔向汤桥湾苑庄园坊里村镇营屯堡寨岗坡岭塘港"
_EN_SYLLABLES = ["zhang", "wang", "li", "chen", "liu", "yang", "huang", "zhao", "wu", "zhou",
                 "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "luo", "gao", "ton", "ville",
                 "ford", "ham", "ley", "ridge", "brook", "stone", "field", "wood"]
RARE_WORDS = 40_000


def rss_mb() -> float:
    """Current resident memory of this process (MB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _sentence_pairs() -> list[tuple[str, str]]:
    """Real sentence pairs from the repository: demo corpus, held-out tests, bench_suggest."""
    pairs: list[tuple[str, str]] = []
    corpus = ROOT / "corpora" / "x-community"
    for zh_file in sorted(corpus.glob("*.zh.txt")):
        en_file = zh_file.with_name(zh_file.name.replace(".zh.", ".en.")).read_text(encoding="utf-8")
        zh_lines = [ln for ln in zh_file.read_text(encoding="utf-8").splitlines() if ln.strip()]
        en_lines = [ln for ln in en_file.splitlines() if ln.strip()]
        for zh, en in zip(zh_lines, en_lines, strict=False):
            pairs.append((re.sub(r"^\S{1,3}[：:]", "", zh), re.sub(r"^\S{1,3}:\s*", "", en)))
    for name, attr in (("test_suggest_heldout", "HELDOUT"), ("test_suggest", "ROWS")):
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "nlp" / f"{name}.py")
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception:  # the tests need pytest; the benchmark can do without them
            continue
        pairs.extend((row[0], row[1]) for row in getattr(module, attr, []))
    bench = ROOT / "benchmarks" / "bench_suggest.py"
    spec = importlib.util.spec_from_file_location("bench_suggest", bench)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        pairs.extend(zip(module.ZH, module.EN, strict=True))
    return list(dict.fromkeys(pairs))


def _rare_words(rng: random.Random) -> tuple[list[str], list[str]]:
    zh = list(dict.fromkeys("".join(rng.choices(_ZH_CHARS, k=rng.choice((2, 3))))
                            for _ in range(RARE_WORDS * 2)))[:RARE_WORDS]
    en = list(dict.fromkeys("".join(rng.choices(_EN_SYLLABLES, k=rng.choice((2, 3, 4))))
                            for _ in range(RARE_WORDS * 2)))[:RARE_WORDS]
    return zh, en


def build(path: Path, n: int, coded: int, seed: int = 7) -> list[str]:
    """The project: ``n`` segments inserted with SQL, ``coded`` of them coded by ``bench``."""
    from annotator.application.projects import create_project
    from annotator.nlp.lexicon import Lexicon
    from annotator.nlp.tokenize import add_terms, tokenize
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.db import now, open_project

    rng = random.Random(seed)
    create_project(path)
    with open_project(path) as project:
        codebook = load_codebook(project)
    add_terms(Lexicon(codebook, {}).zh_terms)
    pairs = _sentence_pairs()
    zh_tok = tokenize([zh for zh, _ in pairs], "zh")
    en_tok = tokenize([en for _, en in pairs], "en")
    rare_zh, rare_en = _rare_words(rng)
    zipf = list(itertools.accumulate(1.0 / (r + 1) for r in range(RARE_WORDS)))
    per_doc = 1000
    stamp = now()
    ids: list[str] = []
    with open_project(path) as project, project.write() as conn:
        docs = (n + per_doc - 1) // per_doc
        conn.executemany(
            "INSERT INTO documents (id, position, title, attributes, imported_at)"
            " VALUES (?, ?, ?, '{}', ?)",
            [(f"D{d:04d}", d, f"Interview {d}", stamp) for d in range(docs)],
        )
        batch: list[tuple[Any, ...]] = []
        for i in range(n):
            picks = rng.sample(range(len(pairs)), rng.randint(1, 3))
            extra = rng.randint(0, 4)
            rz = rng.choices(rare_zh, cum_weights=zipf, k=extra)
            re_ = rng.choices(rare_en, cum_weights=zipf, k=extra)
            zh_tokens = [t for j in picks for t in zh_tok[j].tokens] + rz
            zh_terms = [t for j in picks for t in zh_tok[j].terms] + rz
            en_tokens = [t.replace(" ", "") for j in picks for t in en_tok[j].tokens] + re_
            en_terms = [t.replace(" ", "") for j in picks for t in en_tok[j].terms] + re_
            zh = "".join(pairs[j][0] for j in picks) + "".join(rz)
            en = " ".join(pairs[j][1] for j in picks) + (" " + " ".join(re_) if re_ else "")
            doc, pos = divmod(i, per_doc)
            seg = f"D{doc:04d}-{pos + 1:04d}"
            ids.append(seg)
            batch.append((seg, f"D{doc:04d}", pos + 1, "AB"[i % 2], zh, en, " ".join(zh_tokens),
                          " ".join(en_tokens), " ".join(zh_terms), " ".join(en_terms)))
            if len(batch) == 5000:
                _insert(conn, batch)
                batch = []
        if batch:
            _insert(conn, batch)
        dims = [c.id for c in codebook.facets[0].codes]
        burdens = [c.id for c in codebook.facets[1].codes]
        conn.execute("INSERT OR IGNORE INTO coders (name, created_at) VALUES ('bench', ?)", (stamp,))
        rows = []
        for seg in rng.sample(ids, min(coded, n)):
            for code in [rng.choice(dims), *rng.sample(burdens, rng.randint(1, 3))]:
                rows.append(("bench", seg, code, stamp))
        conn.executemany(
            "INSERT INTO annotations (coder, segment, code, created_at) VALUES (?,?,?,?)", rows
        )
    return ids


def _insert(conn: Any, rows: list[tuple[Any, ...]]) -> None:
    conn.executemany(
        "INSERT INTO segments (id, document, position, speaker, zh, en, zh_tokens, en_tokens,"
        " zh_terms, en_terms) VALUES (?,?,?,?,?,?,?,?,?,?)",
        rows,
    )


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1e3:8.3f} ms"


def _cli(args: list[str], home: Path | None = None) -> float:
    env = dict(os.environ)
    if home is not None:
        env["ANNOTATOR_HOME"] = str(home)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "annotator", *args], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    took = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"annotator {' '.join(args)} failed: {done.stderr.strip()}")
    return took


def measure(path: Path, samples: int, profile: bool) -> None:
    from annotator.application.suggesting import suggester_for_project
    from annotator.nlp.lexicon import Lexicon, code_description_terms
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.db import open_project

    rng = random.Random(11)
    with open_project(path) as project:
        ids = [r[0] for r in project.execute("SELECT id FROM segments")]
        gold: dict[str, set[str]] = {}
        for seg, code in project.execute("SELECT segment, code FROM annotations WHERE coder='bench'"):
            gold.setdefault(seg, set()).add(code)
        codebook = load_codebook(project)
    print(f"project: {len(ids):,} segments, {len(gold):,} coded by 'bench',"
          f" {path.stat().st_size / 1e6:.0f} MB on disk")

    # per-process cost: jieba and spaCy load to tokenise the codebook's text
    gc.collect()
    rss0 = rss_mb()
    t = time.perf_counter()
    code_description_terms(codebook)
    Lexicon.build(codebook)
    pipelines = time.perf_counter() - t
    rss1 = rss_mb()
    print(f"  baseline: load jieba + spaCy, tokenise the codebook   {pipelines:6.2f} s"
          f"   RSS +{rss1 - rss0:5.0f} MB")

    with open_project(path) as project:
        if profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
        t = time.perf_counter()
        s = suggester_for_project(project, coder="bench")
        build_s = time.perf_counter() - t
        if profile:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(18)
    gc.collect()
    rss2 = rss_mb()
    print(f"suggester_for_project (coder 'bench', {s.examples:,} examples)       {build_s:6.2f} s"
          f"   RSS +{rss2 - rss1:5.0f} MB")

    order = rng.sample(ids, min(samples, len(ids)))
    t = time.perf_counter()
    s.suggest(order[0])
    first = time.perf_counter() - t
    print(f"first suggest() after the build                   {first * 1e3:8.3f} ms")

    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    fresh = []
    for seg in order[1:]:
        t = time.perf_counter()
        s.suggest(seg)
        fresh.append(time.perf_counter() - t)
    if profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    again = []
    for seg in order[-50:]:
        t = time.perf_counter()
        s.suggest(seg)
        again.append(time.perf_counter() - t)
    print(f"suggest() on a random segment, median            {_ms(fresh)}"
          f"   (p90 {sorted(fresh)[int(len(fresh) * 0.9)] * 1e3:.2f} ms, max {max(fresh) * 1e3:.2f} ms)")
    print(f"suggest() on a segment just shown, median        {_ms(again)}")

    # baselines: read the row, look each term up in a dict; jieba.lcut of the Chinese
    import jieba

    table = {w: i for i, w in enumerate(s.vocab.terms)}
    with open_project(path) as project:
        lookup = []
        texts = []
        for seg in order[1:]:
            t = time.perf_counter()
            zh, zh_terms, en_terms = project.execute(
                "SELECT zh, zh_terms, en_terms FROM segments WHERE id = ?", (seg,)).fetchone()
            found = [table.get(w) for w in f"{zh_terms} {en_terms}".split(" ")]
            lookup.append(time.perf_counter() - t)
            texts.append(zh)
            del found
    jieba.lcut("预热")
    cut = []
    for zh in texts:
        t = time.perf_counter()
        jieba.lcut(zh)
        cut.append(time.perf_counter() - t)
    print(f"  baseline: SQLite row + dict lookup of its terms {_ms(lookup)}")
    print(f"  baseline: jieba.lcut of its Chinese text        {_ms(cut)}")

    codes = [c.id for c in s.codebook.codes]
    coded = rng.sample(sorted(gold), min(200, len(gold)))
    retrain = []
    for seg in coded:
        new = frozenset(rng.sample(codes, 3))
        t = time.perf_counter()
        s.learn(seg, new)
        retrain.append(time.perf_counter() - t)
        s.learn(seg, frozenset(gold[seg]))
    print(f"learn() after a tag ({s.examples:,} coded), median      {_ms(retrain)}"
          f"   (max {max(retrain) * 1e3:.2f} ms)")
    close = getattr(s, "close", None)
    if close is not None:
        close()
    del s
    gc.collect()

    tracemalloc.start()
    with open_project(path) as project:
        base = tracemalloc.get_traced_memory()[0]
        kept = suggester_for_project(project, coder="bench")
        current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"suggester_for_project Python allocations (tracemalloc): kept {(current - base) / 1e6:6.1f} MB,"
          f" peak {(peak - base) / 1e6:6.1f} MB")
    del kept

    one = rng.choice(ids)
    help_s = _cli(["--help"])
    fresh_home = Path(tempfile.mkdtemp(prefix="annotator-home-"))
    cold_s = _cli(["suggest", str(path), one], home=fresh_home)
    warm_s = _cli(["suggest", str(path), one], home=fresh_home)
    print(f"annotator suggest PROJECT ONE_SEGMENT (command)  {cold_s:6.2f} s first on this machine,"
          f" {warm_s:.2f} s after")
    print(f"  baseline: annotator --help                      {help_s:6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--coded", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=400)
    parser.add_argument("--db", type=Path, help="reuse (or build) the generated project here")
    parser.add_argument("--profile", action="store_true", help="cProfile the build and suggest()")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.db, args.segments, args.coded)
        return
    with tempfile.TemporaryDirectory() as tmp:
        # a data folder of its own: the codebook's tokenised text is not yet cached there, so
        # the first build in this process pays for jieba and spaCy as on a new machine
        os.environ["ANNOTATOR_HOME"] = str(Path(tmp) / "home")
        path = args.db or Path(tmp) / "scale.db"
        if not path.exists():
            # in another process, so that this one starts without jieba and spaCy loaded
            t = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--build-only", "--db", str(path),
                            "--segments", str(args.segments), "--coded", str(args.coded)],
                           check=True)
            print(f"built {args.segments:,} segments in {time.perf_counter() - t:.1f} s")
        measure(path, args.samples, args.profile)


if __name__ == "__main__":
    main()

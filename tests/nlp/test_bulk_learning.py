"""The engine learns every example of a project at once (sums per coded segment, a chunk at a
time): the counts and the suggestions are those of learning the examples one by one, and the
compact example store behaves as the dictionary it stands for."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

import annotator.nlp.keywords as keywords_module
import annotator.nlp.suggest as suggest_module
from annotator.application.corpus_counts import corpus_counts
from annotator.application.suggesting import suggester_for_project
from annotator.nlp.classifier import Runs
from annotator.nlp.examples import Examples, _distinct_rows
from annotator.nlp.suggest import Suggester
from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import open_project
from annotator.storage.segment_reader import SegmentReader
from annotator.storage.training import annotation_rows
from benchmarks.generate import generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "p.db"
    generate(path, 600, coders=3, coded=0.5, per_doc=100)
    return path


def _one_by_one(project: object) -> Suggester:
    """Every example learned on its own (FacetModel.update), in the order the rows give them."""
    codebook = load_codebook(project)  # type: ignore[arg-type]
    engine = Suggester.build(codebook, iter(()), (), SegmentReader.of(project),  # type: ignore[arg-type]
                             calibrate=False, counts=corpus_counts(project))  # type: ignore[arg-type]
    grouped: dict[tuple[str, str], set[str]] = {}
    for who, seg, code in annotation_rows(project):  # type: ignore[arg-type]
        grouped.setdefault((who, seg), set()).add(code)
    for (who, seg), codes in grouped.items():
        engine.learn_as(who, seg, frozenset(codes))
    return engine


@pytest.mark.parametrize("chunk", [7, 5000], ids=["small-chunks", "one-chunk"])
@pytest.mark.parametrize("worth", [10**9, 0], ids=["dictionary-lookups", "numpy-table-lookups"])
def test_learning_all_at_once_equals_learning_one_by_one(
        generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, worth: int) -> None:
    monkeypatch.setenv("ANNOTATOR_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(suggest_module, "BULK_CHUNK", chunk)
    monkeypatch.setattr(suggest_module, "SUMMED_OCCURRENCES", chunk * 30)
    monkeypatch.setattr(keywords_module, "TABLE_WORTH", worth)  # the coded terms looked up either way
    with open_project(generated) as p:
        bulk = suggester_for_project(p, lead=True, calibrate=False)
        single = _one_by_one(p)
        ids = [r[0] for r in p.execute("SELECT id FROM segments ORDER BY rowid")]
    assert bulk.examples == single.examples > 200
    assert list(bulk._examples) == list(single._examples)
    assert (bulk.relations.agree, bulk.relations.total) == (single.relations.agree, single.relations.total)
    for facet, model in bulk.models.items():
        other = single.models[facet]
        n = len(bulk.vocab)
        np.testing.assert_allclose(model.counts[:n], other.counts[:n], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(model.totals[:n], other.totals[:n], rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(model.code_terms, other.code_terms, rtol=1e-12)
        assert model.code_examples.tolist() == other.code_examples.tolist()
        assert model.examples == other.examples
    for seg in ids[::3]:
        assert bulk.suggest(seg, top=20) == single.suggest(seg, top=20)
    bulk.close()
    single.close()


def test_the_example_store_behaves_as_an_ordered_dictionary() -> None:
    rng = random.Random(5)
    codes = ["a", "b", "c", "d"]
    rows = [(f"w{rng.randint(0, 3)}", f"s{rng.randint(0, 60):03d}", rng.choice([*codes, "x"]))
            for _ in range(400)]
    store = Examples.collect(rows, frozenset(codes))
    model: dict[tuple[str, str], frozenset[str]] = {}
    for who, seg, code in rows:
        if code in codes:
            model[(who, seg)] = model.get((who, seg), frozenset()) | {code}
    order = list(dict.fromkeys((w, s) for w, s, _c in rows))
    model = {k: model[k] for k in order if k in model}
    assert list(store) == list(model) and len(store) == len(model)
    keys = [*model, ("w9", "s999"), ("w0", "s999")]
    for _ in range(300):
        key = rng.choice(keys)
        if rng.random() < 0.4:
            assert store.pop(key, frozenset()) == model.pop(key, frozenset())
        else:
            new = frozenset(rng.sample(codes, rng.randint(1, 3)))
            model.pop(key, None)
            store[key] = model[key] = new
        assert store.get(key) == model.get(key, frozenset())
        assert (key in store) is (key in model)
    assert list(store) == list(model) and len(store) == len(model)
    assert store.last(5) == list(model)[-5:]
    assert store.last(len(model) + 3) == list(model)



def _random_examples(rng: np.random.Generator) -> Examples:
    examples = Examples()
    examples.segments = np.array([f"S{i:03d}" for i in range(300)])
    examples.seg = rng.integers(0, 300, 900).astype(np.int32)
    examples.set_of = rng.integers(0, 7, 900).astype(np.int32)
    examples.removed = rng.random(900) < 0.1
    examples.sets = [frozenset({str(i)}) for i in range(7)]
    return examples


def test_what_is_learned_per_kind_of_segment_is_the_sum_over_its_examples() -> None:
    rng = np.random.default_rng(3)
    examples = _random_examples(rng)
    kinds, kind_of = examples.segment_kinds()
    weights = rng.random((7, 3))
    live = ~examples.removed
    expected = np.zeros((300, 3))
    np.add.at(expected, examples.seg[live], weights[examples.set_of[live]])
    assert np.allclose(Examples.per_kind(kinds, weights)[kind_of], expected)
    assert len(np.unique(kinds, axis=0)) == len(kinds) < 300  # each kind once; segments share them


def test_kinds_too_wide_for_one_number_are_found_by_whole_rows() -> None:
    grid = np.random.default_rng(4).integers(-1, 7, (500, 4)).astype(np.int32)
    grid[::3] = grid[1::3][: len(grid[::3])]  # rows that repeat
    narrow = _distinct_rows(grid, 7)  # (7 + 1) ** 4 fits in one number
    wide = _distinct_rows(grid, 2**40)  # does not
    assert np.array_equal(narrow[0], wide[0]) and np.array_equal(narrow[1], wide[1])
    assert np.array_equal(narrow[0][narrow[1]], grid)


def _assert_holds(store: Examples, kept: list[tuple[tuple[str, str], frozenset[str]]]) -> None:
    """``store`` holds the examples ``kept`` (key, codes), in order: coders and code sets
    numbered as first met, the segments sorted."""
    assert list(store.items()) == kept and len(store) == len(kept)
    assert store.whos == list(dict.fromkeys(key[0] for key, _c in kept))
    assert store.sets == list(dict.fromkeys(found for _k, found in kept))  # numbered as first met
    assert store.segments.tolist() == sorted({key[1] for key, _c in kept})
    assert store.last(7) == [key for key, _c in kept][-7:]


def test_examples_read_a_coder_at_a_time_keep_the_rows_order_sets_and_coders() -> None:
    rng = random.Random(7)
    codes = ["a", "b", "c"]
    grouped = sorted({(f"w{rng.randint(0, 3)}", f"s{rng.randint(0, 80):03d}"): "\x1f".join(
        sorted(rng.sample([*codes, "x", "y"], rng.randint(1, 2)))) for _ in range(300)}.items())
    rows = [(w, s, c) for (w, s), c in grouped]
    columns = [(who, [r[1] for r in rows if r[0] == who], [r[2] for r in rows if r[0] == who])
               for who in sorted({r[0] for r in rows})]
    store = Examples.collect_columns(columns, frozenset(codes))
    kept = [((w, s), frozenset(c.split("\x1f")) & set(codes)) for w, s, c in rows]
    kept = [(key, found) for key, found in kept if found]  # an example with no known code is left out
    _assert_holds(store, kept)


def test_examples_from_annotations_numbered_by_sqlite_are_the_runs_of_each_coders_segments() -> None:
    rng = random.Random(11)
    codes = ["a", "b", "c", "x"]  # "x" is not known: an example holding only it is left out
    known = frozenset(["a", "b", "c"])
    held = {(f"w{rng.randint(0, 3)}", f"s{rng.randint(0, 80):03d}"): sorted(rng.sample(range(6), rng.randint(1, 3)))
            for _ in range(300)}  # numbers 4 and 5: codes not in the list
    keys = sorted(held)
    parts = []
    for who in sorted({w for w, _s in keys}):
        mine = [(s, n) for (w, s), numbers in held.items() if w == who for n in rng.sample(numbers, len(numbers))]
        mine.sort(key=lambda r: r[0])  # by segment; within one, any order
        parts.append((who, np.array([s for s, _n in mine], dtype=np.str_), np.array([n for _s, n in mine])))
    store = Examples.collect_annotations(parts, codes, known)
    model = [((w, s), frozenset(codes[n] for n in held[(w, s)] if n < len(codes)) & known) for w, s in keys]
    kept = [(key, found) for key, found in model if found]
    assert len(kept) < len(model)  # some examples are left out
    _assert_holds(store, kept)


def test_runs_sum_each_runs_weight_once_per_occurrence_and_skip_runs_of_weight_zero() -> None:
    rng = np.random.default_rng(5)
    lengths = rng.integers(1, 9, 200)
    starts = np.cumsum(lengths) - lengths
    values = rng.integers(0, 40, int(lengths.sum()))
    for weights in (rng.integers(0, 3, 200).astype(np.float64), rng.integers(1, 3, 200).astype(np.float64),
                    np.zeros(200)):
        expected = np.zeros(45)
        for run, (first, length) in enumerate(zip(starts.tolist(), lengths.tolist(), strict=True)):
            for value in values[first : first + length].tolist():
                expected[value] += weights[run]
        got = Runs(starts, lengths).summed(values, weights, 45)
        assert got.dtype == np.float64 and got.tolist() == expected.tolist()

"""The suggestion engine on real project files: tokens, codebook evidence, learning, commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.application.suggesting import suggester_for_project
from annotator.errors import AnnotatorError, UsageError
from annotator.nlp.suggest import Suggester, Suggestions, suggest_text
from annotator.storage.db import open_project

ROWS = [
    ("我们街道现在最大的问题还是权责不匹配，很多事情压下来，我们却没有执法权。",
     "Our biggest problem is still the mismatch of rights and responsibilities: Workers get the"
     " duties but no law enforcement power."),
    ("痕迹主义没有根本改变，每件事都要拍照、填表、做台账。",
     "Trace-leaving formalism has not really changed; the workers photograph everything and"
     " fill in ledgers."),
    ("居民打电话来问垃圾什么时候清运。",
     "A resident called to ask when the rubbish would be collected."),
    ("上个月区里来检查了三次，每次都要准备迎检材料。",
     "Last month the district came to inspect three times, and each time we prepared inspection"
     " materials."),
    ("社区只有五个人，却要对接二十多个部门。",
     "The community has five people but works with more than twenty departments."),
]


def _without_examples(tmp_path: Path) -> Path:
    """The bundled codebook without its coded examples: what a coder's own examples teach."""
    import yaml

    from annotator.codebook import bundled_codebook_path

    data = yaml.safe_load(bundled_codebook_path().read_text(encoding="utf-8"))
    for facet in data["facets"]:
        for code in facet["codes"]:
            code.pop("examples", None)
    path = tmp_path / "no-examples.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _project(tmp_path: Path, rows: list[tuple[str, str]] = ROWS, name: str = "p.db",
             codebook: Path | None = None) -> tuple[Path, list[str]]:
    from annotator.application.projects import create_project
    from annotator.application.transcripts import import_transcripts

    source = tmp_path / f"{name}.jsonl"
    with source.open("w", encoding="utf-8") as f:
        for zh, en in rows:
            f.write(json.dumps({"document": "T", "zh": zh, "en": en}, ensure_ascii=False) + "\n")
    path = tmp_path / name
    create_project(path, codebook)
    with open_project(path) as project:
        import_transcripts(project, [source])
        ids = [r[0] for r in project.execute("SELECT id FROM segments ORDER BY position")]
    return path, ids


def _tag(path: Path, coder: str, segment: str, codes: list[str]) -> None:
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag

    with open_project(path) as project:
        tag(project, load_codebook(project), coder, segment, codes)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    return _project(tmp_path_factory.mktemp("small"))


def _suggester(path: Path, **kw: object) -> Suggester:
    with open_project(path) as project:
        return suggester_for_project(project, **kw)  # type: ignore[arg-type]


def test_codebook_terms_stay_whole_and_english_is_one_lemma(small: tuple[Path, list[str]]) -> None:
    path, ids = small
    s = _suggester(path)
    first = s.suggest(ids[0], top=20)
    second = s.suggest(ids[1], top=20)
    zh_words = {k.text for k in first.keywords + second.keywords if k.lang == "zh"}
    assert "权责不匹配" in zh_words and "痕迹主义" in zh_words
    assert not {"权责", "匹配", "痕迹"} & zh_words
    # "Workers" and "workers" are one lower-case lemma
    assert "worker" in {s.vocab.terms[i] for i in range(len(s.vocab)) if s.vocab.langs[i] == "en"}
    assert not any(t in ("Workers", "workers") for t in s.vocab.terms)
    en_words = [k.text for k in first.keywords if k.lang == "en"]
    assert en_words and all(w == w.lower() for w in en_words)
    # no stop words, punctuation or numbers
    everything = {k.text for sid in ids for k in s.suggest(sid, top=50).keywords}
    assert not everything & {"我们", "的", "the", "and", "，", "。", ":", "三", "20", "five", "be"}


def test_codebook_keywords_suggest_codes_with_evidence(small: tuple[Path, list[str]]) -> None:
    path, ids = small
    s = _suggester(path, learned=False)
    r = s.suggest(ids[0], top=10)
    burden = [c for c in r.codes if c.facet == "burden"]
    assert burden[0].code == "rights_mismatch" and burden[0].passes
    assert "权责不匹配" in burden[0].evidence and "law enforcement power" in burden[0].evidence
    trace = s.suggest(ids[1], top=10).codes
    assert trace[0].code == "trace_formalism"
    assert {"痕迹主义", "台账"} <= set(trace[0].evidence)
    # both languages contribute: the English lemma phrase "inspection materials" matches
    # "inspection materials" and the Chinese 迎检 / 检查 match too
    insp = {c.code: c for c in s.suggest(ids[3], top=10).codes}
    assert "inspection_pressure" in insp
    assert {"迎检", "inspection"} <= set(insp["inspection_pressure"].evidence)
    # a segment with no codebook word gets no codes (nothing to explain them with)
    assert s.suggest(ids[2]).codes == ()
    # single-choice facets: exactly one passing code per facet
    for sid in ids:
        dims = [c for c in s.suggest(sid, top=50).codes if c.facet == "dimension"]
        assert sum(c.passes for c in dims) == (1 if dims else 0)


def test_learning_changes_the_ranking(tmp_path: Path) -> None:
    # words found nowhere in the codebook (not in its keywords, nor in its definitions)
    rows = [(f"楼下的狗又叫了一晚上，第{i}次了。", f"The dog downstairs barked all night again, night {i}.")
            for i in range(6)]
    path, ids = _project(tmp_path, ROWS + rows, codebook=_without_examples(tmp_path))
    rubbish = ids[len(ROWS):]
    s = _suggester(path, coder="ann")
    assert s.suggest(rubbish[0]).codes == ()
    for seg in rubbish[1:4]:
        _tag(path, "ann", seg, ["latency", "feedback_gap"])
        s.learn(seg, frozenset({"latency", "feedback_gap"}))
    after = s.suggest(rubbish[0], top=10).codes
    assert after and after[0].code in ("latency", "feedback_gap")
    dims = [c for c in after if c.facet == "dimension"]
    assert dims[0].code == "latency" and dims[0].passes
    words = {k.text for k in s.suggest(rubbish[0], top=50).keywords}
    assert dims[0].evidence and set(dims[0].evidence) <= words  # the segment's own words
    # incremental learning gives exactly what a fresh load of the same annotations gives
    fresh = _suggester(path, coder="ann")
    assert fresh.suggest(rubbish[0], top=10) == s.suggest(rubbish[0], top=10)
    # un-learning puts the ranking back
    for seg in rubbish[1:4]:
        s.learn(seg, frozenset())
    assert s.suggest(rubbish[0]).codes == ()
    with pytest.raises(UsageError):
        s.learn("no-such-segment", frozenset({"latency"}))


def test_lead_learns_from_every_coder_a_coder_from_their_own(tmp_path: Path) -> None:
    rows = [(f"居民又来问垃圾清运的事情，第{i}次了。", f"Residents asked again about rubbish collection, time {i}.")
            for i in range(5)]
    path, ids = _project(tmp_path, rows, codebook=_without_examples(tmp_path))
    for seg in ids[1:3]:
        _tag(path, "ann", seg, ["latency"])
    for seg in ids[3:5]:
        _tag(path, "bob", seg, ["adaptation"])

    def top_dim(**kw: object) -> str:
        s = _suggester(path, **kw)
        return next(c.code for c in s.suggest(ids[0], top=10).codes if c.facet == "dimension")

    assert top_dim(coder="ann") == "latency"
    assert top_dim(coder="bob") == "adaptation"
    ann, lead, everyone = (_suggester(path, coder="ann"), _suggester(path, coder="ann", lead=True),
                           _suggester(path))
    assert (ann.examples, lead.examples, everyone.examples) == (2, 4, 4)


@pytest.mark.slow  # includes a 100,000-character segment
def test_bad_input_never_crashes(tmp_path: Path) -> None:
    bad = [
        ("。。。！？", "... !!! ???"),
        ("１２３４ 2023 3.14", "123 456 7.5"),
        ("我们社区的KPI考核和grid workers的工作weekly report", "KPI 考核 and 网格员 weekly reports"),
        ("我們街道現在最大的問題還是權責不匹配，痕跡主義沒有改變。", "Traditional characters."),
        ("😀😀 🙏 形式主义😡", "🙂 formalism 👍"),
        ("", "Only English here: inspection again."),
        ("只有中文：台账又多了。", ""),
    ]
    path, ids = _project(tmp_path, bad)
    long_zh = "材料" + "基层减负，痕迹主义，层层加码。" * 7000
    long_path, long_ids = _project(tmp_path, [(long_zh[:100_000], "ledgers " * 12_000)], name="long.db")
    for p, segs in ((path, ids), (long_path, long_ids)):
        s = _suggester(p)
        for seg in segs:
            r = s.suggest(seg)
            assert isinstance(r, Suggestions)
            assert all(0.0 <= c.score <= 1.0 for c in r.codes)
            assert all(0.0 <= k.score <= 1.0 for k in r.keywords)
            s.learn(seg, frozenset({"integration", "trace_formalism"}))
            s.suggest(seg)
    s = _suggester(long_path)
    long_codes = {c.code for c in s.suggest(long_ids[0]).codes}
    assert "trace_formalism" in long_codes
    # the same inputs as bare text, outside any project
    s = _suggester(path)
    for zh, en in [*bad, ("", ""), ("   ", "\n\t"), (long_zh[:100_000], "")]:
        r = suggest_text(zh, en, s.codebook)
        assert isinstance(r, Suggestions)
        suggest_text(zh, en, model=s)
    assert suggest_text("", "", s.codebook) == Suggestions("", (), ())


def test_suggest_text_on_unseen_text(small: tuple[Path, list[str]]) -> None:
    path, _ids = small
    s = _suggester(path)
    r = suggest_text("网格员上报的问题迟迟得不到解决，群众很不满意。",
                     "Grid members report the problems but nobody solves them.", s.codebook)
    assert r.codes[0].code == "smart_governance"
    assert "网格员" in r.codes[0].evidence
    assert {k.text for k in r.keywords} >= {"网格员"}
    with pytest.raises(AnnotatorError):
        suggest_text("x", "y")


def test_suggest_command_json_and_table(demo_project: Path) -> None:
    from annotator.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["suggest", str(demo_project), "--coder", "paper", "--json", "--top", "3"])
    assert out.exit_code == 0, out.output
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 11
    for obj in lines:
        assert set(obj) == {"segment", "keywords", "codes"}
        assert all(set(k) == {"text", "lang", "score"} and k["lang"] in ("zh", "en") for k in obj["keywords"])
        assert len(obj["codes"]) <= 3
        for c in obj["codes"]:
            assert {"code", "facet", "score", "evidence"} <= set(c) and isinstance(c["evidence"], list)
        scores = [c["score"] for c in obj["codes"] if c["passes"]]
        assert scores == sorted(scores, reverse=True)
    one = runner.invoke(app, ["suggest", str(demo_project), "C20230623-001", "--json"])
    assert [json.loads(x)["segment"] for x in one.stdout.splitlines()] == ["C20230623-001"]
    table = runner.invoke(app, ["suggest", str(demo_project), "C20230623-001"])
    assert table.exit_code == 0 and "unfixed_matters" in table.stdout and "盖章" in table.stdout
    for args in (["nope"], ["--coder", "nobody"], ["--top", "0"]):
        bad = runner.invoke(app, ["suggest", str(demo_project), *args])
        assert bad.exit_code == 1 and len(bad.stderr.strip().splitlines()) == 1, bad.output
    missing = runner.invoke(app, ["suggest", str(demo_project.parent / "missing.db")])
    assert missing.exit_code == 1 and "no such project" in missing.stderr


def test_keywords_command(demo_project: Path) -> None:
    from annotator.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["keywords", str(demo_project), "--top", "5"])
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("zh:") and "\nen:" in out.stdout
    doc = runner.invoke(app, ["keywords", str(demo_project), "--document", "D20230804", "--json"])
    words = [json.loads(x) for x in doc.stdout.splitlines()]
    assert {w["lang"] for w in words} == {"zh", "en"}
    assert "活动" in {w["text"] for w in words}
    bad = runner.invoke(app, ["keywords", str(demo_project), "--document", "nope"])
    assert bad.exit_code == 1 and "no document" in bad.stderr


def test_commands_do_not_import_nlp_libraries_at_import() -> None:
    import subprocess
    import sys

    code = ("import annotator.cli.suggest, annotator.nlp.suggest, annotator.nlp.keywords, sys;"
            "print([m for m in ('spacy', 'jieba', 'textual') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_scores_without_the_models_evidence_words_are_the_same(demo_project: Path) -> None:
    from annotator.nlp.suggest import rank_codes

    with open_project(demo_project) as p:
        engine = suggester_for_project(p, calibrate=False)
        seen = 0
        for seg in engine.segment_ids:
            stored = engine._segment(seg)
            assert stored is not None
            args = (engine.codebook, engine._matches(stored), stored.ids, stored.counts, engine.vocab,
                    engine.models)
            cited, bare = rank_codes(*args), rank_codes(*args, cite=False)
            assert [(c.code, c.score, c.passes) for c in bare] == [(c.code, c.score, c.passes) for c in cited]
            keywords = {m.keyword for m in engine._matches(stored)}
            assert all(set(c.evidence) <= keywords for c in bare)
            seen += any(set(c.evidence) - keywords for c in cited)
        engine.close()
    assert seen  # the model's words were cited somewhere, and left out there


def test_a_kept_lexicon_makes_its_keyword_patterns_when_it_first_locates() -> None:
    import pickle

    from annotator.codebook import bundled_codebook_path, load_codebook
    from annotator.nlp.lexicon import Lexicon, Match

    lexicon = Lexicon(load_codebook(bundled_codebook_path()),
                      {"external environment": ("external", "environment")})
    loaded = pickle.loads(pickle.dumps(lexicon))
    assert loaded._surface == {}  # nothing compiled by building or loading it
    match = Match("adaptation", "external environment", "en", 1.0)
    text = "The External environments changed; the external environment too."
    second = text.index("external environment")
    assert loaded.locate(text, "en", [match]) == [
        (4, 4 + len("External environments"), "adaptation"),
        (second, second + len("external environment"), "adaptation")]
    assert list(loaded._surface) == ["external environment"]
    assert loaded.locate(text, "en", [Match("adaptation", "sinking", "en", 1.0)]) == []  # no lemmas: as written

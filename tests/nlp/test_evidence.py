"""Evidence words: cited only when they single the code out (Monroe et al. 2008 log-odds)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from annotator.nlp.evidence import (
    COMMON_MIN_SEGMENTS,
    MIN_COUNT,
    cited,
    common_terms,
    log_odds_z,
    shown_evidence,
)


def test_log_odds_z_by_hand() -> None:
    # Monroe, Colaresi & Quinn (2008), eqs. 16-20, worked by hand:
    # y_c=10, n_c=100, y_r=2, n_r=200, a_w=1, a_0=10
    # delta = ln(11/99) - ln(3/207) = 2.03688; var = 1/11 + 1/3; z = 2.03688 / 0.65134 = 3.12722
    z = log_odds_z(np.array([10.0]), 100.0, np.array([2.0]), 200.0, np.array([1.0]), 10.0)
    assert z[0] == pytest.approx(3.12722, abs=1e-4)


def test_log_odds_is_antisymmetric() -> None:
    y_c, y_r, a_w = np.array([4.0, 0.0, 7.0]), np.array([1.0, 5.0, 7.0]), np.array([0.5, 0.5, 2.0])
    there = log_odds_z(y_c, 50.0, y_r, 80.0, a_w, 30.0)
    back = log_odds_z(y_r, 80.0, y_c, 50.0, a_w, 30.0)
    assert there.tolist() == pytest.approx((-back).tolist())


def _facet() -> dict[str, np.ndarray]:
    # terms: 0 distinctive of code 0 (12 there, 0 else), 1 in every code, 2 once in code 0,
    #        3 distinctive of code 1
    counts = np.array([[12.0, 0.0, 0.0], [9.0, 10.0, 11.0], [1.0, 0.0, 0.0], [0.0, 8.0, 0.0]])
    return {"counts": counts, "code_terms": np.array([100.0, 100.0, 100.0]),
            "totals": counts.sum(axis=1)}


def test_only_distinctive_words_are_cited() -> None:
    f = _facet()
    ids = np.arange(4)
    per_code = cited(ids, np.ones(4), f["counts"], f["code_terms"], f["totals"], 300.0, 50, 10.0)
    assert per_code[0] == [0]  # not the word of every code, not the single occurrence
    assert per_code[1] == [3]
    assert per_code[2] == []
    assert f["counts"][2, 0] < MIN_COUNT


def test_a_word_frequent_in_every_code_is_never_cited() -> None:
    counts = np.array([[40.0, 2.0, 1.0]])  # far more in code 0, but present in all
    per_code = cited(np.array([0]), np.ones(1), counts, np.array([100.0, 100.0, 100.0]),
                     counts.sum(axis=1), 300.0, 50, 10.0)
    assert per_code == [[], [], []]


def test_shown_evidence_is_what_the_panel_shows() -> None:
    codes = [SimpleNamespace(code=c, evidence=e) for c, e in
             [("a", ("w1", "w2", "w3", "w4", "w5")), ("b", ("w1",)), ("c", ("x",)), ("d", ("y",))]]
    shown = shown_evidence(SimpleNamespace(codes=codes))
    assert shown == (("w1", "a"), ("w2", "a"), ("w3", "a"), ("w4", "a"), ("w1", "b"), ("x", "c"))


def test_a_word_of_a_third_of_the_corpus_found_under_two_codes_is_never_cited() -> None:
    df = np.array([5.0, 3.0, 0.0])  # of 12 segments: 42 %, 25 %, none
    common = common_terms(df, 12)
    assert common is not None and common.tolist() == [True, False, False]
    assert common_terms(df, COMMON_MIN_SEGMENTS - 1) is None  # too few segments to say
    # term 0: far more under code 0 but also under code 1; term 1 the same but rarer in the
    # corpus; term 2 common but only code 0 holds it (a coder's recurring topic)
    counts = np.array([[30.0, 2.0, 0.0], [30.0, 2.0, 0.0], [30.0, 0.0, 0.0]])
    ids, totals = np.array([0, 1, 2]), counts.sum(axis=1)
    args = (np.ones(3), counts, np.array([100.0, 100.0, 100.0]), totals, 300.0, 50, 10.0)
    assert sorted(cited(ids, *args)[0]) == [0, 1, 2]
    assert sorted(cited(ids, *args, np.array([True, False, True]))[0]) == [1, 2]


def test_the_demo_never_cites_the_corpus_own_setting(demo_project: Path) -> None:
    # 社区 / "community" are in over a third of the demo's segments and in the codebook's text
    # about several codes: they describe the corpus, not a code.
    from typer.testing import CliRunner

    from annotator.cli import app

    out = CliRunner().invoke(app, ["suggest", str(demo_project), "--coder", "paper", "--json"])
    assert out.exit_code == 0, out.output
    cited_words = {w for line in out.stdout.splitlines() for c in json.loads(line)["codes"]
                   for w in c["evidence"]}
    assert cited_words and not cited_words & {"社区", "community"}

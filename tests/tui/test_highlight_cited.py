"""The coding screen colours exactly the evidence words the suggestion panel cites, each in the
colour of the code it is cited for (annotator.nlp.lexicon.Lexicon.locate_cited)."""

from __future__ import annotations

from rich.text import Text

from annotator.codebook import bundled_codebook_path, load_codebook
from annotator.nlp.lexicon import Lexicon
from annotator.tui.highlight import Highlighter


def _coloured(text: Text) -> dict[str, str]:
    """word -> colour of every coloured span."""
    plain = text.plain
    return {plain[s.start : s.end]: str(s.style.color.name).lower()  # type: ignore[union-attr]
            for s in text.spans if getattr(s.style, "color", None)}


def test_cited_words_only_in_their_code_colour() -> None:
    codebook = load_codebook(bundled_codebook_path())
    lexicon = Lexicon.build(codebook)
    mark = Highlighter(codebook)
    text = "每次迎检都要加班整理台账和检查材料"
    matches = lexicon.match(text, [], [])
    everything = _coloured(mark(text, "zh", lexicon.locate(text, "zh", matches)))
    assert {"迎检", "台账"} <= set(everything)  # while loading: every codebook keyword found
    only = mark(text, "zh", lexicon.locate_cited(text, "zh", matches,
                                                 [("迎检", "inspection_pressure")]))
    assert _coloured(only) == {"迎检": codebook.code("inspection_pressure").color.lower()}  # type: ignore[union-attr]
    assert _coloured(mark(text, "zh", lexicon.locate_cited(text, "zh", matches, []))) == {}


def test_a_dimension_citing_its_burden_words_colours_them_in_its_own_colour() -> None:
    """A burden type's keyword is evidence for the dimension it implies; cited for the
    dimension, it is found through the burden type's match and coloured as the dimension."""
    codebook = load_codebook(bundled_codebook_path())
    lexicon = Lexicon.build(codebook)
    text = "整理台账"
    matches = lexicon.match(text, [], [])
    assert {m.code for m in matches if m.keyword == "台账"} == {"trace_formalism"}
    spans = lexicon.locate_cited(text, "zh", matches, [("台账", "integration")])
    assert spans == [(2, 4, "integration")]


def test_words_the_learned_model_cites_are_found_as_written_or_inflected() -> None:
    """Learned evidence is a stored term (not a codebook keyword): Chinese as written, an
    English lemma also in its inflected forms, case-insensitive, whole words only."""
    codebook = load_codebook(bundled_codebook_path())
    lexicon = Lexicon.build(codebook)
    zh = "周末还要加班"
    assert lexicon.locate_cited(zh, "zh", [], [("加班", "inspection_pressure")]) == [
        (4, 6, "inspection_pressure")]
    en = "Overtime again; we worked overtimes, not overtly."
    spans = lexicon.locate_cited(en, "en", [], [("overtime", "inspection_pressure")])
    assert [en[a:b] for a, b, _c in spans] == ["Overtime", "overtimes"]
    assert lexicon.locate_cited(en, "zh", [], [("overtime", "inspection_pressure")]) == []

"""The coding screen colours exactly the evidence words the suggestion panel cites."""

from __future__ import annotations

from annotator.codebook import bundled_codebook_path, load_codebook
from annotator.tui.highlight import Highlighter


def _coloured(text: object) -> set[str]:
    plain = text.plain  # type: ignore[attr-defined]
    return {plain[s.start:s.end] for s in text.spans if getattr(s.style, "color", None)}  # type: ignore[attr-defined]


def test_cited_words_only_in_their_code_colour() -> None:
    codebook = load_codebook(bundled_codebook_path())
    mark = Highlighter(codebook)
    text = "每次迎检都要加班整理台账和检查材料"
    everything = _coloured(mark(text, "zh"))
    assert {"迎检", "台账"} <= everything  # without citations: every codebook keyword
    only = mark(text, "zh", cited=[("迎检", "inspection_pressure")])
    assert _coloured(only) == {"迎检"}
    span = next(s for s in only.spans if only.plain[s.start:s.end] == "迎检")
    assert str(span.style.color.name).lower() == codebook.code("inspection_pressure").color.lower()  # type: ignore[union-attr]
    assert _coloured(mark(text, "zh", cited=[])) == set()  # no evidence shown: nothing coloured

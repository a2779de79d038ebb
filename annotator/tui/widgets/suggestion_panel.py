"""Suggested codes, ranked, each with the words that support it."""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from textual.content import Content

from annotator.codebook import ID_RE as ID
from annotator.model import Codebook
from annotator.nlp.evidence import SHOWN_CODES, SHOWN_WORDS
from annotator.tui.i18n import t
from annotator.tui.widgets.frames import FramedStatic
from annotator.tui.widgets.steady import update_steady

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
ITEM = ("[@click=screen.apply_code({code!r})]$first[b {color}]$key[/]$mark$label[/]")


def enter_target(codebook: Codebook, suggestions: Any | None, applied: frozenset[str]) -> str | None:
    """The suggestion ``enter`` applies: the best one not applied yet that adds a code without
    replacing the answer of a single-choice facet (None when there is none)."""
    taken = {code.facet for code in codebook.codes if code.id in applied}
    for s in suggestions.codes if suggestions else ():
        code = codebook.code(s.code)
        if code is None or s.code in applied:
            continue
        facet = codebook.facet(code.facet)
        if facet is not None and not facet.multiple and code.facet in taken:
            continue
        return s.code
    return None


#: Suggestion lines made lately: (codebook, language, suggestions, codes applied, top) → line.
_MADE: dict[Hashable, Content] = {}
MADE_KEPT = 64


def suggestion_markup(codebook: Codebook, lang: str, suggestions: Any | None, applied: frozenset[str],
                      *, top: int = SHOWN_CODES) -> Content:
    """The suggestions line. Words and labels from data go in as ``$variables`` (plain text),
    never as markup: a transcript's ``[/`` or ``[b]`` is shown as typed. The last few lines
    made are kept (parsing them is most of a key's work)."""
    key = (id(codebook), codebook, lang, suggestions, applied, top)
    try:
        found = _MADE.get(key)
    except TypeError:  # unhashable: made every time
        return _suggestion_markup(codebook, lang, suggestions, applied, top)
    if found is None:
        found = _MADE[key] = _suggestion_markup(codebook, lang, suggestions, applied, top)
        while len(_MADE) > MADE_KEPT:
            del _MADE[next(iter(_MADE))]
    return found


def _suggestion_markup(codebook: Codebook, lang: str, suggestions: Any | None,
                       applied: frozenset[str], top: int) -> Content:
    if suggestions is None:
        return Content.from_markup("[dim]$text[/]", text=t(lang, "suggestions_loading"))
    items = []
    target = enter_target(codebook, suggestions, applied)
    for s in suggestions.codes[:top]:
        code = codebook.code(s.code)
        if code is None or not ID.match(s.code):
            continue
        color = code.color if code.color and COLOR.match(code.color) else "yellow"
        key = f"[{code.key}]" if code.key else ""
        mark = "●" if s.code in applied else ("·" if key else " ")  # key and label stay together
        first = "⏎" if s.code == target else ""  # what enter applies (joined to its chip)
        item = Content.from_markup(ITEM.format(code=s.code, color=color), first=first, key=key,
                                   mark=mark, label=code.label.get(lang) or code.id)
        words = t(lang, "list_sep").join(s.evidence[:SHOWN_WORDS])
        if words:
            space = "" if lang == "zh" else " "  # a full-width bracket brings its own space
            item = item + Content.from_markup(f"{space}[dim]$words[/]", words=t(lang, "evidence", words=words))
        items.append(item)
    note = _sample_note(lang, suggestions)
    if not items:
        return Content.from_markup("[dim]$text[/]", text=t(lang, "suggestions_none")) + note
    head = Content.from_markup("[b]$text[/] ", text=t(lang, "suggestions"))
    return head + Content("  ").join(items) + note


def _sample_note(lang: str, suggestions: Any) -> Content:
    """Says that the suggestions learned from the latest coded segments only, if they did (the
    engine learning from all of them is still being built)."""
    sample = getattr(suggestions, "learned_from", None)
    if not sample:
        return Content("")
    n, m = sample
    space = "" if lang == "zh" else " "
    return Content.from_markup(f"{space}[dim]$text[/]",
                               text=t(lang, "suggestions_sample", n=f"{n:,}", m=f"{m:,}"))


class SuggestionPanel(FramedStatic):
    """The ranked suggestions for the current segment; click one to apply it. Its drawn frames
    are kept per markup, and the screen prepares the neighbours' ahead of time."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parsed: dict[str, Content] = {}
        self._shown: Hashable | None = None
        self._content: Content | None = None

    def show(self, markup: str | Content) -> None:
        """Show ``markup`` (parsed once per distinct markup); a repaint when the size stays."""
        key = _key(markup)
        if key == self._shown:
            return
        content = self._parse(markup)
        self._shown = self._shown_key = key
        update_steady(self, content, self._content)
        self._content = content

    def prepare_markup(self, markup: str | Content) -> None:
        """Draw ``markup`` ahead of time (see :meth:`FramedStatic.prepare`)."""
        self.prepare(_key(markup), lambda: self._parse(markup))

    def _parse(self, markup: str | Content) -> Content:
        if isinstance(markup, Content):
            return markup
        content = self._parsed.get(markup)
        if content is None:
            if len(self._parsed) > 256:
                self._parsed.clear()
            content = self._parsed[markup] = Content.from_markup(markup)
        return content


def _key(markup: str | Content) -> Hashable:
    """What tells two contents apart (``Content`` compares its text only)."""
    return markup if isinstance(markup, str) else (markup.plain, tuple(markup.spans))

"""The coding screen's keys: one table for bindings, help and the command palette."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingsMap

from annotator.model import Codebook


@dataclass(frozen=True)
class UiKey:
    keys: str  # Textual key names, comma separated
    display: str  # how help shows them
    action: str
    text: str  # i18n key of the description
    footer: bool = False
    short: str = ""  # i18n key of the footer's shorter description (the footer fits 80 columns)
    optional: bool = False  # left out when a code uses the key (the code wins)
    lead_only: bool = False


UI_KEYS: tuple[UiKey, ...] = (
    UiKey("j,down,n", "j ↓ n", "next", "a_next"),
    UiKey("k,up,p", "k ↑ p", "prev", "a_prev"),
    UiKey("u", "u", "next_undone", "a_next_undone", footer=True, short="f_next_undone"),
    UiKey("U", "U", "next_unsure", "a_next_unsure", optional=True),
    UiKey("g", "g", "goto", "a_goto"),
    UiKey("x", "x", "mark_none", "a_none", footer=True, short="f_none"),
    UiKey("enter", "enter", "apply_suggestion", "a_suggest"),
    UiKey("slash", "/", "search", "a_search", footer=True),
    UiKey("f", "f", "filter", "a_filter", footer=True),
    UiKey("escape", "esc", "clear_view", "a_clear"),
    UiKey("m", "m", "memo", "a_memo", footer=True),
    UiKey("ctrl+z", "ctrl+z", "undo", "a_undo"),
    UiKey("ctrl+y", "ctrl+y", "redo", "a_redo"),
    UiKey("question_mark", "?", "help", "a_help", footer=True),
    UiKey("q", "q", "quit", "a_quit", footer=True),
    UiKey("o", "o", "toggle_outline", "a_outline", optional=True),
    UiKey("pagedown", "PgDn", "scroll_text(1)", "a_text_down"),
    UiKey("pageup", "PgUp", "scroll_text(-1)", "a_text_up"),
    UiKey("R", "R", "refresh_states", "a_refresh", optional=True, lead_only=True),
)


def key_name(character: str) -> str:
    """Textual's key name for a code's key character (``1`` → ``1``, ``-`` → ``minus``)."""
    if character == ",":  # a comma separates keys in a binding
        return "comma"
    key, _binding = next(iter(BindingsMap([Binding(character, "")])))
    return key


def code_keys(codebook: Codebook) -> dict[str, str]:
    """Textual key name → code id for every code with a key."""
    return {key_name(c.key): c.id for c in codebook.codes if c.key}


def active_ui_keys(codebook: Codebook, *, lead: bool) -> list[UiKey]:
    """The UI keys in force: optional ones whose key a code uses are dropped (the code wins;
    the action stays in the command palette)."""
    taken = set(code_keys(codebook))
    out = []
    for k in UI_KEYS:
        if k.lead_only and not lead:
            continue
        if k.optional and any(name in taken for name in k.keys.split(",")):
            continue
        out.append(k)
    return out


def coding_screen_keys(codebook: Codebook, lang: str, *, lead: bool) -> list[Binding]:
    """The coding screen's bindings: the UI keys in force (described in ``lang``), then one key
    per code (toggling it; not in the footer)."""
    from annotator.tui.i18n import t

    out = [Binding(k.keys, k.action, t(lang, k.short or k.text), show=k.footer,
                   key_display=k.display)
           for k in active_ui_keys(codebook, lead=lead)]
    for key, code_id in code_keys(codebook).items():
        code = codebook.code(code_id)
        label = code.label.get(lang) if code else code_id
        out.append(Binding(key, f"toggle_code({code_id!r})", label, show=False))
    return out

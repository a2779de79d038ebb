"""Text made safe to show: control characters dropped (a module of its own, light to import,
for the renderers)."""

from __future__ import annotations

import re

_CONTROL_TABLE: dict[int, str | None] = {
    c: None for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if c not in (0x09, 0x0A)
}
_CONTROL_TABLE.update({0x0B: " ", 0x0C: " ", 0x0D: "\n", 0xA0: " ", 0xFEFF: None})


_NEEDS_CLEANING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\xa0\ufeff]")


def clean_text(text: str) -> str:
    """Drop control characters other than tab and newline (vertical tab, form feed → space;
    carriage return → newline; no-break space → space; stray BOMs dropped)."""
    if _NEEDS_CLEANING.search(text) is None:  # fast path: most lines are clean
        return text
    return text.translate(_CONTROL_TABLE)

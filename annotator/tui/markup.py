"""Putting data (labels, keys, names, texts) into Textual markup without it being read as markup.

``textual.markup.escape`` escapes only brackets that open with a lower-case letter, ``#``, ``/``
or ``@``: ``[F]`` (an upper-case code key) or ``[Note]`` in a label is still read as a style tag
and vanishes. This escapes every opening bracket.
"""

from __future__ import annotations


def escape(text: str) -> str:
    """``text`` as markup that shows exactly ``text``.

    In Textual markup a backslash escapes the bracket right after it and is dropped; every other
    backslash is kept as it is. So one backslash goes before every ``[``, and a text ending in a
    backslash gets a zero-width space so the backslash cannot escape the markup that follows.
    """
    out = text.replace("[", "\\[")
    return out + "\u200b" if out.endswith("\\") else out

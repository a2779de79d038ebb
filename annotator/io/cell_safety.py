"""Spreadsheet formula neutralisation for exported text cells (CSV injection).

Excel, LibreOffice and Google Sheets run a cell as a formula when its text starts with ``=``,
``+``, ``-`` or ``@`` — also after leading spaces or line breaks, which they skip, and with the
full-width forms East Asian input methods type (``＝＋－＠``), which they read as the ASCII ones.
Such a cell gets a leading ``'``, which spreadsheets show as text and do not display.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = frozenset("=+-@" "\uff1d\uff0b\uff0d\uff20" "\ufe66\ufe62\ufe63\ufe6b")
#: a cell starting with one of these is neutralised whatever follows (tab, carriage return)
CONTROL_START = ("\t", "\r")


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    if text.startswith(CONTROL_START):
        return True
    stripped = text.lstrip()  # spaces, ideographic space U+3000, tabs, line breaks
    return bool(stripped) and stripped[0] in FORMULA_START


def neutralise(value: Any) -> Any:
    """``value`` made safe for a spreadsheet cell (text that could run as a formula gets a
    leading ``'``); anything that is not text is returned as it is."""
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value

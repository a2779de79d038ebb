"""Updating a ``height: auto`` Static without laying out the screen when its size stays."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.css.scalar import Unit
from textual.widgets import Static


def height_at(widget: Static, content: Content) -> int | None:
    """Lines ``content`` takes in ``widget`` at its current width (None before the first layout)."""
    width = widget.scrollable_content_region.width
    if width <= 0:
        return None
    rules: Any = widget.styles  # Textual passes a widget's styles as the rules map itself
    return content.get_height(rules, width)


def update_steady(widget: Static, content: Content, shown: Content | None) -> None:
    """Show ``content`` in ``widget`` (which shows ``shown``): a repaint only when both take the
    same number of lines at the widget's width, a layout of the screen otherwise."""
    same = False
    fixed = widget.styles.height
    if shown is not None and fixed is not None and fixed.unit == Unit.CELLS:
        same = True  # a height in lines: the content never changes the size
    elif shown is not None:
        before = height_at(widget, shown)
        same = before is not None and before == height_at(widget, content)
    widget.update(content, layout=not same)

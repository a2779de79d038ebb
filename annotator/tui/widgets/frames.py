"""Widgets that keep the lines they have drawn.

Textual repaints one rectangle around every change of a frame, and the header and the bottom
rows change on every key, so every widget of the coding screen is asked for its lines on every
key. A widget here answers from a small cache of finished frames (padding, borders, background
and the app's line filters applied), keyed on what it shows, its size and its colours, and the
screen can draw what it will show next before the key that shows it (``prepare``).

Drawing a frame uses the same code as Textual's own widgets (its styles cache, a private module
of Textual 8.2), so a cached frame is exactly what Textual would have drawn.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from textual._styles_cache import StylesCache
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, VisualType, visualize
from textual.widget import Widget
from textual.widgets import Static

FRAMES_KEPT = 24


def draw(widget: Widget, content_line: Callable[[int], Strip], crop: Region | None = None
         ) -> list[Strip]:
    """Every line of ``widget`` (or the lines of ``crop``) as Textual draws it, with
    ``content_line(y)`` as the lines of its content (what ``Widget.render_line`` returns)."""
    base_background, background = widget.background_colors
    styles = widget.styles
    app = widget.app
    size = widget.region.size
    return StylesCache().render(
        styles, size, base_background, background, content_line, widget.get_line_filters(),
        None, None,  # no border titles on these widgets
        content_size=widget.content_region.size, padding=styles.padding,
        crop=size.region if crop is None else crop,
        opacity=widget.opacity, ansi_theme=app.ansi_theme, native_ansi=app.native_ansi_color,
    )


def crop_frame(widget: Widget, lines: list[Strip], crop: Region) -> list[Strip]:
    """The part ``crop`` of a whole frame, with the hovered link styled as Textual styles it."""
    width = widget.region.width
    if crop.y != 0 or crop.height != len(lines):
        lines = lines[crop.y : crop.bottom]
    if crop.column_span != (0, width):
        x1, x2 = crop.column_span
        lines = [strip.crop(x1, x2) for strip in lines]
    if widget.auto_links:
        hover = widget.hover_style
        if hover._link_id and hover._meta and "@click" in hover.meta:
            link_style = widget.link_style_hover
            if link_style:
                lines = [strip.style_links(hover.link_id, link_style) for strip in lines]
    return lines


class Frames:
    """The last few frames of one widget, keyed on what it shows, its size and its colours."""

    def __init__(self, kept: int = FRAMES_KEPT) -> None:
        self._kept = kept
        self._frames: OrderedDict[Hashable, list[Strip]] = OrderedDict()

    def key(self, widget: Widget, shown: Hashable) -> Hashable:
        return (shown, widget.region.size, widget.background_colors)

    def get(self, key: Hashable) -> list[Strip] | None:
        lines = self._frames.get(key)
        if lines is not None:
            self._frames.move_to_end(key)
        return lines

    def put(self, key: Hashable, lines: list[Strip]) -> list[Strip]:
        self._frames[key] = lines
        self._frames.move_to_end(key)
        while len(self._frames) > self._kept:
            self._frames.popitem(last=False)
        return lines

    def clear(self) -> None:
        self._frames.clear()


def usable(widget: Widget) -> bool:
    """Whether cached frames stand for what Textual would draw now (not while text is selected
    in the widget, nor before it has a size)."""
    return bool(widget.region) and widget.text_selection is None


class FramedStatic(Static):
    """A Static that keeps its drawn frames, keyed on a key given with its content.

    ``show_keyed(key, content)`` shows content (a repaint, no layout unless asked),
    ``prepare(key, content)`` draws it ahead of time.
    """

    def __init__(self, content: VisualType = "", *, id: str | None = None,
                 kept: int = FRAMES_KEPT) -> None:
        super().__init__(content, id=id)
        self._frames = Frames(kept)
        self._shown_key: Hashable | None = None

    def show_keyed(self, key: Hashable, content: VisualType, *, layout: bool = False) -> None:
        """Show ``content``; ``key`` stands for it (equal keys, equal content)."""
        self._shown_key = key
        self.update(content, layout=layout)

    def prepare(self, key: Hashable, content: VisualType | Callable[[], VisualType]) -> None:
        """Draw the frame of ``content`` now, so that showing it later only looks it up.
        ``content`` may be a function that makes it (called only when the frame is missing)."""
        if not usable(self):
            return
        frame_key = self._frames.key(self, key)
        if self._frames.get(frame_key) is None:
            made: Any = content() if callable(content) else content
            self._frames.put(frame_key, self._draw(visualize(self, made, markup=self._render_markup)))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._frames.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        key = self._shown_key
        if key is None or not usable(self):
            return super().render_lines(crop)
        frame_key = self._frames.key(self, key)
        lines = self._frames.get(frame_key)
        if lines is None:
            lines = self._frames.put(frame_key, self._draw(self.visual))
        return crop_frame(self, lines, crop)

    def _draw(self, visual: Visual) -> list[Strip]:
        width, height = self.size
        strips = Visual.to_strips(self, visual, width, height, self.visual_style)
        blank: list[Strip] = []

        def line(y: int) -> Strip:
            if y < len(strips):
                return strips[y]
            if not blank:
                blank.append(Strip.blank(width, self.visual_style.rich_style))
            return blank[0]

        return draw(self, line)

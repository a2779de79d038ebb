"""The segment's Chinese and English texts in one widget of fixed size.

Both texts are drawn by one line-API widget that fills the space the layout gives it (``1fr``),
stacked on narrow terminals and side by side on wide ones, each under a rule with its title.
Showing another segment changes what the widget draws, never its size, so it is repainted
(``refresh()``) without laying out the screen again. It scrolls itself (mouse wheel, or the
screen's keys through :meth:`scroll_lines`) and marks the visible part on its right edge when
the texts are longer than the widget.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import partial
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from annotator.tui.widgets.frames import FRAMES_KEPT, Frames, crop_frame, draw, usable
from annotator.tui.widgets.line_break import break_lines

RULE = "─"
THUMB = "┃"
WHEEL_LINES = 3


class SegmentText(Widget, can_focus=False):
    """Two texts under titled rules; ``show`` replaces them and scrolls back to the top."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"segment-text--rule", "segment-text--title",
                                             "segment-text--thumb"}

    def __init__(self, titles: tuple[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._titles = titles
        self._texts: tuple[Text, Text] = (Text(), Text())
        self._wide = False
        self._top = 0
        self._lines: list[Strip] | None = None
        self._lines_width = -1
        self._frame = (0, 0)  # (width, height) while a paint is under way
        self._style_of: dict[str, Style] = {}
        self._blank = Strip.blank(0)
        self._key: Hashable | None = None
        self._frames = Frames()
        self._painted: list[Strip] | None = None  # the whole frame last drawn on screen
        # (key, wide) → (lines, width) of texts drawn ahead of time or shown lately
        self._built: OrderedDict[tuple[Hashable, bool], tuple[list[Strip], int]] = OrderedDict()

    # what the screen calls -----------------------------------------------------------
    def show(self, zh: Text | str, en: Text | str, key: Hashable | None = None) -> None:
        """Show these texts from the top (a repaint; the layout is untouched). ``key`` stands
        for the two texts (equal keys, equal texts): their frame is then kept, and one drawn
        ahead of time by :meth:`prepare` is shown without drawing."""
        self._texts = (zh if isinstance(zh, Text) else Text(zh),
                       en if isinstance(en, Text) else Text(en))
        self._key = key
        built = self._built.get((key, self._wide)) if key is not None else None
        self._lines, self._lines_width = built if built is not None else (None, -1)
        self._top = 0
        self._refresh_changed_rows()

    def _refresh_changed_rows(self) -> None:
        """Repaint what differs from the frame on screen: with both frames drawn, only the
        rows that changed (the rules, the titles and the blank rows under a short text stay),
        so Textual composes a few lines rather than the widget's whole height."""
        painted, self._painted = self._painted, None
        frame = None
        if painted is not None and self._key is not None and usable(self):
            frame = self._frames.get(self._frames.key(self, (self._key, self._top, self._wide)))
        if frame is None or painted is None or len(frame) != len(painted):
            self.refresh()
            return
        width = self.size.width
        changed = [y for y, (old, new) in enumerate(zip(painted, frame, strict=True))
                   if old is not new and old != new]
        regions: list[Region] = []
        for y in changed:  # runs of changed rows, one region each
            if regions and regions[-1].bottom == y:
                last = regions.pop()
                regions.append(Region(0, last.y, width, last.height + 1))
            else:
                regions.append(Region(0, y, width, 1))
        self._painted = frame
        if regions:
            self.refresh(*regions)

    def prepare(self, key: Hashable, make: Callable[[], tuple[Text | str, Text | str]],
                *, frame: bool = True) -> None:
        """Draw, now, the frame that ``show(*make(), key=key)`` will show; ``make`` is called
        only when that frame (or its lines) is not drawn yet. ``frame=False``: only lay out the
        lines (the frame is then drawn by the next call, or when shown)."""
        if not usable(self):
            return
        width, height = self.size.width, self.size.height
        frame_key = self._frames.key(self, (key, 0, self._wide))
        if self._frames.get(frame_key) is not None:
            return
        built = self._built.get((key, self._wide))
        if built is not None and built[1] == width:
            lines = built[0]
        else:
            zh, en = make()
            lines = self._build(width, (zh if isinstance(zh, Text) else Text(zh),
                                        en if isinstance(en, Text) else Text(en)))
            self._keep_built(key, lines, width)
        if frame:
            self._frames.put(frame_key, draw(self, partial(self._line, lines, 0, width, height)))

    def _keep_built(self, key: Hashable, lines: list[Strip], width: int) -> None:
        built = self._built
        built[(key, self._wide)] = (lines, width)
        built.move_to_end((key, self._wide))
        while len(built) > FRAMES_KEPT:
            built.popitem(last=False)

    @property
    def wide(self) -> bool:
        return self._wide

    @wide.setter
    def wide(self, value: bool) -> None:
        if value != self._wide:
            self._wide = value
            self._lines = None
            self._built.clear()
            self.refresh()

    @property
    def plain(self) -> str:
        """Both texts as plain text (Chinese, then English)."""
        return f"{self._texts[0].plain}\n{self._texts[1].plain}"

    @property
    def top(self) -> int:
        """The first text line shown (0 when not scrolled)."""
        return self._top

    def line_count(self) -> int:
        """How many lines the texts take at the current width (rules included)."""
        return len(self._ensure_lines())

    def scroll_lines(self, delta: int) -> bool:
        """Scroll by ``delta`` lines (negative: up); False when already at that end."""
        height = self.size.height
        last = max(0, len(self._ensure_lines()) - height)
        top = min(max(self._top + delta, 0), last)
        if top == self._top:
            return False
        self._top = top
        self.refresh()
        return True

    # Textual hooks ---------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_of.clear()
        self._lines = None
        self._blank = Strip.blank(0)
        self._frames.clear()
        self._built.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._lines = None
        self._built.clear()
        self.scroll_lines(0)  # keep the top inside the new height

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        if self.scroll_lines(WHEEL_LINES):
            event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        if self.scroll_lines(-WHEEL_LINES):
            event.stop()

    def render_lines(self, crop: Region) -> list[Strip]:
        width, height = self._frame = (self.size.width, self.size.height)  # once per paint
        if self._key is None or not usable(self):
            return super().render_lines(crop)
        frame_key = self._frames.key(self, (self._key, self._top, self._wide))
        lines = self._frames.get(frame_key)
        if lines is None:
            text_lines = self._ensure_lines(width)
            lines = self._frames.put(
                frame_key, draw(self, partial(self._line, text_lines, self._top, width, height)))
        self._painted = lines
        return crop_frame(self, lines, crop)

    def render_line(self, y: int) -> Strip:
        width, height = self._frame
        return self._line(self._ensure_lines(width), self._top, width, height, y)

    def _line(self, lines: list[Strip], top: int, width: int, height: int, y: int) -> Strip:
        """Line ``y`` of the widget showing ``lines`` from ``top``, with the scroll thumb."""
        row = top + y
        if row < len(lines):
            strip = lines[row]
        else:
            strip = self._blank
            if strip.cell_length != width:
                strip = self._blank = Strip.blank(width, self._style("base"))
        if len(lines) > height > 0 and width > 0:
            thumb_top = round(top * height / len(lines))
            thumb_len = max(1, round(height * height / len(lines)))
            if thumb_top <= y < thumb_top + thumb_len:
                mark = Strip([Segment(THUMB, self._style("segment-text--thumb"))], 1)
                strip = Strip.join([strip.crop(0, width - 1), mark])
        return strip

    # drawing ---------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        style = self._style_of.get(name)
        if style is None:
            style = self._style_of[name] = (
                self.rich_style if name == "base" else self.get_component_rich_style(name))
        return style

    def _ensure_lines(self, width: int | None = None) -> list[Strip]:
        if width is None:
            width = self.size.width
        if self._lines is None or self._lines_width != width:
            self._lines = self._build(width, self._texts)
            self._lines_width = width
            if self._key is not None:
                self._keep_built(self._key, self._lines, width)
        return self._lines

    def _rule(self, title: str, width: int) -> Strip:
        rule = self._style("segment-text--rule")
        segments = [Segment(RULE, rule), Segment(title, self._style("segment-text--title")),
                    Segment(RULE * width, rule)]
        return Strip(segments).crop_extend(0, width, rule)

    def _column(self, title: str, text: Text, width: int, *, chinese: bool = False) -> list[Strip]:
        """A rule with ``title``, then ``text`` wrapped with one cell of padding each side
        (``chinese``: by the Chinese rules of :mod:`line_break`)."""
        base = self._style("base")
        inner = max(1, width - 2)
        console = self.app.console
        options = console.options.update(width=inner, height=None, no_wrap=chinese,
                                          overflow="crop" if chinese else "fold", highlight=False)
        if chinese:
            text = Text("\n").join(text[a:b] for a, b in break_lines(text.plain, inner))
        rows = console.render_lines(text, options, style=base, pad=True)
        pad = Segment(" ", base)
        lines = [self._rule(title, width)]
        for segments in rows:
            lines.append(Strip([pad, *segments, pad], inner + 2).crop_extend(0, width, base))
        return lines

    def _build(self, width: int, texts: tuple[Text, Text]) -> list[Strip]:
        if width <= 0:
            return []
        (zh_title, en_title), (zh, en) = self._titles, texts
        if not self._wide:
            return self._column(zh_title, zh, width, chinese=True) + self._column(en_title, en, width)
        left_width = width // 2
        right_width = width - left_width
        left = self._column(zh_title, zh, left_width, chinese=True)
        right = self._column(en_title, en, right_width)
        base = self._style("base")
        blank_left = Strip.blank(left_width, base)
        blank_right = Strip.blank(right_width, base)
        out = []
        for n in range(max(len(left), len(right))):
            out.append(Strip.join([left[n] if n < len(left) else blank_left,
                                   right[n] if n < len(right) else blank_right]))
        return out

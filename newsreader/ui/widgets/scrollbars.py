"""Scrollbars that remember their drawings.

Textual draws a scrollbar through Rich (segments, lines, strips) each time one of its numbers
changes: 1–2 ms a key press for the article pane's bar, whose height changes with every article.
A pane's articles come in a few lengths, so the same drawings come back again and again:
`remember_drawings` keeps them. A drawing not seen before is made by Textual's own code, so
what the screen shows is exactly what Textual would draw.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from textual.css.styles import RulesMap
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, RichVisual, Visual

DRAWINGS = 64  # per scrollbar


class _Remembered(Visual):
    """One scrollbar drawing: from the bar's memory, else drawn by Textual (`RichVisual`)."""

    def __init__(
        self,
        bar: ScrollBar,
        render: ScrollBarRender,
        drawings: OrderedDict[Hashable, list[Strip]],
    ) -> None:
        self._rich = RichVisual(bar, render)
        self._render = render
        self._drawings = drawings

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        render = self._render
        key = (
            width,
            height,
            style,
            render.virtual_size,
            render.window_size,
            render.position,
            render.thickness,
            render.vertical,
            render.style,
            options.selection,
        )
        strips = self._drawings.get(key)
        if strips is None:
            strips = self._rich.render_strips(width, height, style, options)
            self._drawings[key] = strips
            if len(self._drawings) > DRAWINGS:
                self._drawings.popitem(last=False)
        else:
            self._drawings.move_to_end(key)
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._rich.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._rich.get_height(rules, width)


def remember_drawings(bar: ScrollBar) -> None:
    """Make `bar` keep its last drawings (Textual's documented way to change one scrollbar's
    drawing: a `renderer` class of its own)."""
    drawings: OrderedDict[Hashable, list[Strip]] = OrderedDict()

    class RememberingRender(ScrollBarRender):
        def visualize(self) -> Visual:
            return _Remembered(bar, self, drawings)

    bar.renderer = RememberingRender  # type: ignore[misc]  # per instance: as documented

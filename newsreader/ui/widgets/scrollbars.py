"""Scrollbars that draw less: they remember their drawings, and redraw only the cells that change.

Textual draws a scrollbar through Rich (segments, lines, strips) each time one of its numbers
changes: 1–2 ms a key press for the article pane's bar, whose height changes with every article.
A pane's articles come in a few lengths, so the same drawings come back again and again:
`remember_drawings` keeps them. A drawing not seen before is made by Textual's own code, so
what the screen shows is exactly what Textual would draw.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from rich.color import Color as RichColor
from rich.style import Style as RichStyle
from textual.css.styles import RulesMap
from textual.geometry import Region
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


def update_bar(
    bar: ScrollBar,
    *,
    window_virtual_size: int | None = None,
    window_size: int | None = None,
    position: float | None = None,
) -> bool:
    """Give a vertical scrollbar new numbers, redrawing only the cells of it that change.

    Textual draws all of a scrollbar again when one of its numbers changes: 40 lines when a
    list moves by a row or an article of another length is shown, where the thumb's end moves
    by a cell or two. False, with nothing changed, where this cannot be done (the bar hidden,
    held by the mouse, or drawn another way): set the numbers the usual way then.
    """
    if not bar.vertical or not bar.display or not bar.size or bar.grabbed:
        return False
    before = _cells(bar)
    if before is None:
        return False
    old = (bar.window_virtual_size, bar.window_size, bar.position)
    if window_virtual_size is not None:
        bar.set_reactive(ScrollBar.window_virtual_size, window_virtual_size)
    if window_size is not None:
        bar.set_reactive(ScrollBar.window_size, window_size)
    if position is not None:
        bar.set_reactive(ScrollBar.position, bar.validate_position(position))
    after = _cells(bar)
    if after is None or len(after) != len(before):
        bar.set_reactive(ScrollBar.window_virtual_size, old[0])
        bar.set_reactive(ScrollBar.window_size, old[1])
        bar.set_reactive(ScrollBar.position, old[2])
        return False
    changed = [row for row, (was, now) in enumerate(zip(before, after, strict=True)) if was != now]
    if changed:
        first, last = changed[0], changed[-1]
        bar.refresh(Region(0, first, bar.size.width, last - first + 1))
    return True


def _cells(bar: ScrollBar) -> list[tuple[str, RichStyle | None]] | None:
    """What a vertical scrollbar draws, cell by cell: Textual's own `ScrollBarRender.render_bar`
    with the numbers and colours `ScrollBar.render` gives it."""
    renderable = bar.render()
    if not isinstance(renderable, ScrollBarRender):
        return None
    style = renderable.style
    if not isinstance(style, RichStyle):
        return None
    drawn = renderable.render_bar(
        size=bar.size.height,
        window_size=renderable.window_size,
        virtual_size=renderable.virtual_size,
        position=renderable.position,
        vertical=True,
        thickness=bar.size.width,
        back_color=style.bgcolor or RichColor.parse("#555555"),
        bar_color=style.color or RichColor.parse("bright_magenta"),
    )
    return [(segment.text, segment.style) for segment in drawn.segments]

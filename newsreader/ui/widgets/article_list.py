"""A virtual article list: draws only the visible rows, so 100,000 articles scroll smoothly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsreader.model import NO_STATE, Article, ArticleState
from newsreader.text.sanitize import for_display
from newsreader.ui.widgets.scrollbars import update_bar

ROW_HEIGHT = 2
KEPT_ROWS = 2000  # drawn rows kept (a screen shows about 40)


class ArticleList(ScrollView, can_focus=True):
    """Two lines per article: a bookmark mark and the title, then tags/date or a search snippet.

    The screen hands it the articles, their states and snippets (attributes down); it posts
    `Opened` on enter or a click (messages up). The screen watches `cursor` (set again at each
    `show`, even to the same row) to show the current article: a message would reach it after
    the list's repaint, and a move would take two frames.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        Binding("enter", "open", "Open", id="list.open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--cursor",
        "article-list--unread",
        "article-list--read",
        "article-list--mark",
        "article-list--detail",
        "article-list--match",
    }

    @dataclass
    class Opened(Message):
        """The person asked to read `article`."""

        article: Article

    # repaint=False: a move redraws the two rows that changed, not the whole list.
    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.articles: Sequence[Article] = ()
        self.states: Mapping[str, ArticleState] = {}
        self.details: Mapping[str, Sequence[tuple[str, bool]]] = {}
        self.empty_message = "Loading…"
        self.length = 0  # rows the list has room for: len(articles), or more (see `show`)
        self._styles: dict[str, Style] = {}
        # Rows as drawn, by what they show: a scroll by one row, or the focus leaving (the
        # cursor's colour changes, no other row's), draws one or two rows, not forty again.
        self._rows: dict[tuple[object, ...], Strip] = {}
        self._looks: tuple[Style, ...] | None = None

    # -- attributes down -----------------------------------------------------------------

    def show(
        self,
        articles: Sequence[Article],
        states: Mapping[str, ArticleState],
        details: Mapping[str, Sequence[tuple[str, bool]]] | None = None,
        keep: str | None = None,
        empty_message: str = "No articles here.",
        length: int | None = None,
    ) -> None:
        """Show `articles`. `details` replaces an article's second line with (text, is_match)
        pieces (a search snippet); `keep` keeps the cursor on that article id if present.
        `length`: the whole list's length when `articles` are its first rows (the first page,
        before the catalog loads): the scrollbar has its final size from the first frame."""
        # Where the kept article's row is on screen: new articles arriving above it (an
        # auto-refresh) must not move it, or the line a person is looking at.
        screen_row = self.cursor * ROW_HEIGHT - round(self.scroll_y)
        self.articles = articles
        self.states = states
        self.details = details or {}
        self.empty_message = empty_message
        self.length = max(length or 0, len(articles))
        self.virtual_size = Size(self.size.width, self.length * ROW_HEIGHT)
        position = -1
        if keep is not None:
            position = next((i for i, a in enumerate(articles) if a.id == keep), -1)
        top = max(0, position * ROW_HEIGHT - screen_row) if position >= 0 else 0
        self.scroll_to(y=top, animate=False, immediate=True)
        self.cursor = max(position, 0)
        self.refresh()

    def update_states(self, states: Mapping[str, ArticleState], changed: str | None = None) -> None:
        """New states; with `changed` (an article id), only that article's row is redrawn."""
        self.states = states
        current = self.current
        if changed is not None and current is not None and current.id == changed:
            self.refresh_row(self.cursor)
        else:
            self.refresh()

    @property
    def current(self) -> Article | None:
        if 0 <= self.cursor < len(self.articles):
            return self.articles[self.cursor]
        return None

    # -- cursor --------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.articles) - 1)) if self.articles else 0

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Textual's, but the scrollbar redraws only its cells that change (a move by a row
        changes one or two of them; Textual draws all 40 again)."""
        bar = self._vertical_scrollbar if self.show_vertical_scrollbar else None
        if bar is None or not update_bar(bar, position=new_value):
            super().watch_scroll_y(old_value, new_value)
        elif round(old_value) != round(new_value):
            self.refresh(self.size.region)

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region(
            Region(0, new * ROW_HEIGHT, self.size.width, ROW_HEIGHT), animate=False, immediate=True
        )
        self.refresh_row(old)
        self.refresh_row(new)

    def refresh_row(self, row: int) -> None:
        y = row * ROW_HEIGHT - round(self.scroll_offset.y)
        self.refresh(Region(0, y, self.size.width, ROW_HEIGHT))

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.size.height // ROW_HEIGHT - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.size.height // ROW_HEIGHT - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.articles) - 1

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = (offset.y + round(self.scroll_offset.y)) // ROW_HEIGHT
        if 0 <= row < len(self.articles):
            self.focus()
            if row == self.cursor and event.chain >= 2:
                self.action_open()
            self.cursor = row

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.length * ROW_HEIGHT)

    # -- drawing -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        # Theme, focus or CSS changed: look the component styles up again. The rows drawn
        # stay: their key holds their style, and a row whose style is unchanged is the same.
        self._styles.clear()
        self._looks = None
        super().notify_style_update()

    def _component(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(name, partial=True)
        return style

    def _look(self) -> tuple[Style, ...]:
        """The styles a row may use besides its own, for the rows' key: a theme changes them.
        Looked up once per change of styles (a tuple per line cost 0.2 ms a redraw)."""
        if self._looks is None:
            names = ("mark", "read", "unread", "detail")
            self._looks = tuple(self._component(f"article-list--{name}") for name in names)
        return self._looks

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = y + round(self.scroll_offset.y)
        row, second = divmod(line, ROW_HEIGHT)
        base = self._styles.get("") or self._styles.setdefault("", self.rich_style)
        if not self.articles:
            text = self.empty_message if line == 0 else ""
            detail = self._component("article-list--detail")
            return Strip([Segment(f" {text}", base + detail)]).adjust_cell_length(width, base)
        if row >= len(self.articles):
            return Strip.blank(width, base)
        article = self.articles[row]
        state = self.states.get(article.id, NO_STATE)
        style = base
        if row == self.cursor:
            style += self._component("article-list--cursor")
        pieces = self.details.get(article.id)
        if second and pieces is not None:  # a search snippet: drawn as it comes, not kept
            segments = self._detail(article, pieces, style, width - 3)
            return Strip(segments).adjust_cell_length(width, style)
        key = (article, state, second, style, width, self._look())
        strip = self._rows.get(key)
        if strip is None:
            if second:
                segments = self._detail(article, None, style, width - 3)
            else:
                segments = self._title(article, state, style, width - 3)
            strip = Strip(segments).adjust_cell_length(width, style)
            if len(self._rows) >= KEPT_ROWS:
                self._rows.clear()
            self._rows[key] = strip
        return strip

    def _title(
        self, article: Article, state: ArticleState, style: Style, room: int
    ) -> list[Segment]:
        mark_style = style + self._component("article-list--mark")
        name = "article-list--read" if state.read else "article-list--unread"
        title_style = style + self._component(name)
        mark = "★ " if state.bookmarked else "  "
        title = _fit(for_display(article.title, True), room)
        return [Segment(" ", style), Segment(mark, mark_style), Segment(title, title_style)]

    def _detail(
        self,
        article: Article,
        pieces: Sequence[tuple[str, bool]] | None,
        style: Style,
        room: int,
    ) -> list[Segment]:
        detail_style = style + self._component("article-list--detail")
        if pieces is None:
            parts = [article.date[:10]]
            if article.link and article.source:
                parts.append(article.source)  # a feed article: where it comes from
            parts.append(" · ".join(article.tags))
            line = for_display("  ".join(p for p in parts if p), single_line=True)
            line = _fit(line, room)
            return [Segment("   ", style), Segment(line, detail_style)]
        match_style = detail_style + self._component("article-list--match")
        segments = [Segment("   ", style)]
        segments += [
            Segment(for_display(text, True), match_style if hit else detail_style)
            for text, hit in pieces
        ]
        return segments


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, with an ellipsis when something was cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""

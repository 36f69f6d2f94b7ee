"""The article pane: title, tags, reading time and source, then the body with quotations styled
and the names of their speakers drawn in the speaker style.

It wraps the text itself and draws only the visible lines (the Line API), so showing another
article changes no layout: moving through the list stays fast however long the article is.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.timer import Timer
from textual.widget import Widget

from newsreader.library.first_page import Opening, body_check
from newsreader.model import NO_STATE, Article, ArticleState, count_words, reading_minutes
from newsreader.text.quotes import quote_spans
from newsreader.text.sanitize import for_display
from newsreader.ui.widgets.scrollbars import remember_drawings, update_bar

MEASURE = 88  # the longest line: long lines on wide terminals are hard to follow
MARGIN = 2
MARK_SECONDS = 2.0  # how long a quotation jumped to stays marked: long enough to find it
CACHED_ARTICLES = 64  # quotations kept per article: moving back and forth finds them again
CACHED_LAYOUTS = 16  # wrapped bodies kept: moving back and forth does not wrap them again


if TYPE_CHECKING:
    from newsreader.text.quotation import Quotation


class ArticleView(ScrollView, can_focus=True):
    """Shows one article. Article text only ever enters as plain strings inside `Content`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="article.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="article.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="article.page_up"),
        Binding("home", "scroll_home", "Top", show=False, id="article.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--meta",
        "article-view--tag",
        "article-view--quote",
        "article-view--quote-nested",
        "article-view--quote-marked",
        "article-view--speaker",
        "article-view--match",
        "article-view--current-match",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.body = ""
        self.state = NO_STATE
        self.matches: list[tuple[int, int]] = []
        self.current_match = -1
        self.quotations: list[Quotation] = []
        self.marked: tuple[int, int] | None = None  # the quotation just jumped to
        self._quotation_cache: OrderedDict[str, tuple[str, list[Quotation]]] = OrderedDict()
        self._known_quotations: Opening | None = None
        self._body_cache: OrderedDict[tuple[object, ...], _Body] = OrderedDict()
        self._mark_timer: Timer | None = None
        self._lines: list[Content] = []
        self._match_lines: list[int] = []
        # Where each body paragraph went: its offset in the body, its first line (counted from
        # the body's first line, `_body_start`), and the offset (in the paragraph) at which each
        # of its wrapped lines starts.
        self._body_start = 0
        self._paragraph_offsets: list[int] = []
        self._paragraph_lines: list[tuple[int, list[int]]] = []
        self._paragraph_firsts: list[int] = []
        self._width = 0
        self._strips: dict[int, Strip] = {}
        self._render_width = 0
        self._wrap_when_drawn = False  # shown before it had a size (see `show`)
        self._base: tuple[RichStyle, Style] | None = None
        self._styles: dict[str, Style] = {}

    # -- attributes down -----------------------------------------------------------------

    def show(
        self,
        article: Article | None,
        body: str,
        state: ArticleState,
        matches: Sequence[tuple[int, int]] = (),
    ) -> None:
        """Show `article` with its `body`; `matches` are (start, end) spans of search hits."""
        same = article is not None and self.article is not None and article.id == self.article.id
        self.article, self.body, self.state = article, for_display(body), state
        self.matches = list(matches)
        self.current_match = -1
        self.quotations = self._quotations_of(article, self.body)
        if not same:
            self._clear_mark()
        if not self.size.width:
            # Not laid out yet (shown at start): wrapped when the first frame is drawn, at the
            # width it is drawn at; a Resize comes a few frames later.
            self._wrap_when_drawn = True
            return
        self._layout()
        if not same:
            self.scroll_to(y=0, animate=False, immediate=True)

    def _quotations_of(self, article: Article | None, body: str) -> list[Quotation]:
        """The article's quotations with their speakers, found once per article and body."""
        if article is None or not body:
            return []
        cached = self._quotation_cache.get(article.id)
        if cached is not None and cached[0] == body:
            self._quotation_cache.move_to_end(article.id)
            return cached[1]
        known = self._known_quotations
        if known is not None and known.id == article.id and known.body_check == body_check(body):
            found = list(known.quotations)  # found when the first page was written
        else:
            from newsreader.text.speakers import extract_quotations  # 12 ms of rules to compile

            found = extract_quotations(body)
        self._quotation_cache[article.id] = (body, found)
        if len(self._quotation_cache) > CACHED_ARTICLES:
            self._quotation_cache.popitem(last=False)
        return found

    def know_quotations(self, opening: Opening) -> None:
        """The quotations of an article as the first page keeps them: the article the reader
        opens on shows them without the speakers' rules (used only for the same body)."""
        self._known_quotations = opening

    def update_state(self, state: ArticleState) -> None:
        self.state = state
        self._layout()

    @property
    def text(self) -> str:
        """Everything the pane shows, as plain text (for tests and copying)."""
        return "\n".join(line.plain for line in self._lines)

    # -- wrapping --------------------------------------------------------------------------

    def on_mount(self) -> None:
        remember_drawings(self.vertical_scrollbar)

    def on_resize(self, event: events.Resize) -> None:
        # Wrapped anew, the text moves between lines: keep the line read at the top (a
        # quotation just jumped to, when the tags pane shows or hides) at the top.
        top = self.offset_at_line(round(self.scroll_offset.y))
        self._strips.clear()  # drawn at the old width, though the text may wrap the same
        self._layout()
        if top is not None:
            self.scroll_to(y=self.line_of(top), animate=False, immediate=True)

    def _style(self, component: str) -> Style:
        style = self._styles.get(component)
        if style is None:
            rich = self.get_component_rich_style(component, partial=True)
            style = self._styles[component] = Style.from_rich_style(rich)
        return style

    def _layout(self) -> None:
        """Wrap the article into lines at the current width (the body's lines come from a
        cache when only the header changed, or when the article was shown a moment ago)."""
        self._wrap_when_drawn = False
        width = max(10, min(MEASURE, self.scrollable_content_region.width - 2 * MARGIN))
        previous, previous_width = self._lines, self._width
        self._width = width
        lines: list[Content] = [Content("")]
        article = self.article
        if article is None:
            self._lines = [
                *lines,
                Content("Nothing to show.").stylize(self._style("article-view--meta")),
            ]
            self._body_start, self._paragraph_offsets, self._paragraph_lines = 0, [], []
            self._paragraph_firsts, self._match_lines = [], []
        else:
            title = Content(for_display(article.title, single_line=True))
            lines += title.stylize(self._style("article-view--title")).wrap(width)
            lines += self._meta(article).wrap(width)
            lines.append(Content(""))
            body = self._body(article.id, width)
            self._body_start = len(lines)
            self._paragraph_offsets, self._paragraph_lines = body.offsets, body.lines
            self._paragraph_firsts = [first for first, _ in body.lines]
            self._lines = lines + body.wrapped
            self._match_lines = [self.line_of(start) for start, _ in self.matches]
        self._set_virtual_size(Size(width + 2 * MARGIN, len(self._lines)))
        self._refresh_changed(previous, previous_width == width)

    def _body(self, article_id: str, width: int) -> _Body:
        """The body wrapped at `width` with its quotations and matches styled, cached."""
        key = (
            article_id,
            width,
            self.marked,
            tuple(self.matches),
            self.current_match,
            len(self.quotations),
        )
        cached = self._body_cache.get(key)
        if cached is not None and cached.text == self.body:
            self._body_cache.move_to_end(key)
            return cached
        body = self._wrap_body(width)
        self._body_cache[key] = body
        if len(self._body_cache) > CACHED_LAYOUTS:
            self._body_cache.popitem(last=False)
        return body

    def _refresh_changed(self, previous: list[Content], same_width: bool) -> None:
        """Redraw only the visible lines that changed: a bookmark changes one line of the
        header; another article leaves the blank lines and the border as they were."""
        if not same_width or len(previous) != len(self._lines):
            self._strips.clear()
        top = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        width = self.scrollable_content_region.width
        start = -1  # the first row of a run of changed rows
        for row in range(height + 1):
            index = top + row
            changed = False
            if row < height:
                old = previous[index] if same_width and index < len(previous) else None
                new = self._lines[index] if index < len(self._lines) else None
                if old is None or new is None:
                    changed = old is not new or not same_width
                else:
                    changed = old.plain != new.plain or old.spans != new.spans
            if changed:
                self._strips.pop(index, None)
                if start < 0:
                    start = row
            elif start >= 0:
                self.refresh(Region(0, start, width, row - start))
                start = -1
        if len(previous) == len(self._lines) and same_width:
            for index, (old, new) in enumerate(zip(previous, self._lines, strict=True)):
                if index not in range(top, top + height) and (
                    old.plain != new.plain or old.spans != new.spans
                ):
                    self._strips.pop(index, None)

    def _set_virtual_size(self, size: Size) -> None:
        """Change the scrollable size without a layout pass of the whole screen.

        Textual lays out every widget again when a virtual size changes, because a scrollbar
        may appear. Ours is always there (overflow-y: scroll), so when only the height changes,
        the scrollbar's numbers are all that need to change: a move in the list then redraws
        two panes instead of the screen.
        """
        if size == self.virtual_size:
            return  # an article of the same length: the scrollbar is right as it is
        if self.styles.overflow_y == "scroll" and size.width == self.virtual_size.width:
            self.set_reactive(Widget.virtual_size, size)
            if not self._update_scrollbar(size.height):
                self._scroll_update(size)
        else:
            self.virtual_size = size

    def _update_scrollbar(self, lines: int) -> bool:
        """Give the scrollbar the new height, redrawing only its cells that change. False
        where this cannot be done: `_scroll_update` then."""
        bar = self._vertical_scrollbar
        window = self.container_size.height - self.scrollbar_size_horizontal
        if bar is None or not update_bar(bar, window_virtual_size=lines, window_size=window):
            return False
        # A shorter article may end above the line read: scroll up to its end.
        self.scroll_y = self.validate_scroll_y(self.scroll_y)
        return True

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Textual's, but the scrollbar redraws only its cells that change."""
        bar = self._vertical_scrollbar
        if (
            not self.show_vertical_scrollbar
            or bar is None
            or not update_bar(bar, position=new_value)
        ):
            super().watch_scroll_y(old_value, new_value)
        elif round(old_value) != round(new_value):
            self.refresh(self.size.region)

    def _meta(self, article: Article) -> Content:
        meta = self._style("article-view--meta")
        parts: list[Content] = []
        if article.tags:
            tags = for_display(" · ".join(article.tags), single_line=True)
            parts.append(Content(tags).stylize(self._style("article-view--tag")))
        words = count_words(self.body)
        facts = [f"{words:,} words", f"{reading_minutes(words)} min read"]
        if article.date:
            facts.insert(0, article.date[:10])
        if self.state.bookmarked:
            facts.append("★ bookmarked")
        if self.state.read:
            facts.append("read")
        parts.append(Content("   ".join(facts)).stylize(meta))
        if article.link and article.source:  # a feed article: the feed, the author, the link
            byline = article.source + (f" · {article.author}" if article.author else "")
            parts.append(Content(for_display(byline, single_line=True)).stylize(meta))
        source = article.link or article.source
        if source:
            parts.append(Content(for_display(source, single_line=True)).stylize(meta))
        return Content("\n").join(parts)

    def _wrap_body(self, width: int) -> _Body:
        quote = self._style("article-view--quote")
        nested = self._style("article-view--quote-nested")
        match = self._style("article-view--match")
        current = self._style("article-view--current-match")
        spans = [
            Span(q.start, q.end, quote if q.depth == 1 else nested) for q in quote_spans(self.body)
        ]
        spans += self._speaker_spans()
        if self.marked is not None:
            spans.append(Span(*self.marked, self._style("article-view--quote-marked")))
        for index, (start, end) in enumerate(self.matches):
            spans.append(Span(start, end, current if index == self.current_match else match))
        lines: list[Content] = []
        offsets: list[int] = []
        starts: list[tuple[int, list[int]]] = []
        offset = 0
        for paragraph in self.body.split("\n"):
            end = offset + len(paragraph)
            local = [
                Span(max(s.start, offset) - offset, min(s.end, end) - offset, s.style)
                for s in spans
                if s.start < end and s.end > offset
            ]
            wrapped = Content(paragraph, local).wrap(width) if paragraph else [Content("")]
            offsets.append(offset)
            starts.append((len(lines), _line_starts(paragraph, wrapped)))
            lines += wrapped
            offset = end + 1
        return _Body(self.body, lines, offsets, starts)

    def _speaker_spans(self) -> list[Span]:
        """The words naming each quotation's speaker, where the article names them (several
        quotations of one paragraph may share them: styled once)."""
        speaker = self._style("article-view--speaker")
        places = {
            (q.speaker_start, q.speaker_end)
            for q in self.quotations
            if 0 <= q.speaker_start < q.speaker_end <= len(self.body)
        }
        return [Span(start, end, speaker) for start, end in sorted(places)]

    def offset_at_line(self, line: int) -> int | None:
        """The body offset at which `line` starts; None for the header and the first line."""
        line -= self._body_start
        if line < 0 or not self._paragraph_lines or self._body_start <= 0:
            return None
        index = bisect_right(self._paragraph_firsts, line) - 1
        first, starts = self._paragraph_lines[index]
        return self._paragraph_offsets[index] + starts[min(line - first, len(starts) - 1)]

    def line_of(self, offset: int) -> int:
        """The line (of all the pane's lines) on which the body's character at `offset` is."""
        if not self._paragraph_offsets:
            return 0
        paragraph = max(0, bisect_right(self._paragraph_offsets, offset) - 1)
        first, starts = self._paragraph_lines[paragraph]
        local = offset - self._paragraph_offsets[paragraph]
        return self._body_start + first + max(0, bisect_right(starts, local) - 1)

    # -- drawing ---------------------------------------------------------------------------

    def _base_style(self, base: RichStyle) -> Style:
        if self._base is None or self._base[0] != base:
            self._base = (base, Style.from_rich_style(base))
        return self._base[1]

    def notify_style_update(self) -> None:
        super().notify_style_update()
        styles, base = self._styles, self._base
        self._styles, self._base = {}, None
        if not self._lines:
            return
        # Focus changes only the border: the lines stay as they are, wrapped and drawn.
        if base is None or base[0] != self.rich_style:
            self._strips.clear()  # the pane's own colours changed
        if any(self._style(name) != style for name, style in styles.items()):
            self._body_cache.clear()  # the theme changed: the spans carry the old colours
            self._layout()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Measured once a frame, not once a line (it is a computed region each time).
        self._render_width = self.scrollable_content_region.width
        if self._wrap_when_drawn and self._render_width:
            self._layout()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = y + round(self.scroll_offset.y)
        strip = self._strips.get(index)
        if strip is None:
            width = self._render_width
            base = self._base[0] if self._base is not None else self.rich_style
            if index >= len(self._lines):
                return Strip.blank(width, base)
            line = self._lines[index]
            segments = [Segment(" " * MARGIN, base)]
            segments += line.render_segments(self._base_style(base))
            room = width - MARGIN - line.cell_length
            if room >= 0:  # the usual case: pad to the width, one strip made
                segments.append(Segment(" " * room, base))
                strip = Strip(segments, width)
            else:
                strip = Strip(segments).adjust_cell_length(width, base)
            self._strips[index] = strip
        return strip

    # -- jumping between search matches ----------------------------------------------------

    def next_match(self, step: int = 1) -> bool:
        """Move to the next (or, with -1, previous) match and scroll it into view."""
        if not self.matches:
            return False
        self.current_match = (self.current_match + step) % len(self.matches)
        self._layout()
        line = (
            self._match_lines[self.current_match]
            if self.current_match < len(self._match_lines)
            else 0
        )
        self.scroll_to(y=max(0, line - self.size.height // 3), animate=False, immediate=True)
        return True

    # -- jumping to a quotation ------------------------------------------------------------

    def show_quotation(self, start: int, end: int | None = None, mark: bool = True) -> None:
        """Scroll so that the quotation at `start` (an offset in the body) is the top line;
        with `mark`, mark it (to `end`) for a moment so the eye finds it."""
        if mark:
            end = end if end is not None else start + 1
            self.marked = (start, max(start + 1, end))
            self._layout()
            if self._mark_timer is not None:
                self._mark_timer.stop()
            self._mark_timer = self.set_timer(MARK_SECONDS, self._unmark)
        self.scroll_to(y=self.line_of(start), animate=False, immediate=True)

    def quotation_at(self, start: int, text: str = "") -> Quotation | None:
        """This article's quotation starting at `start`; else the one with `text` (offsets
        stored for the body may differ from the text shown when the file was edited by hand)."""
        for quotation in self.quotations:
            if quotation.start == start:
                return quotation
        return next((q for q in self.quotations if text and q.text == text), None)

    def _clear_mark(self) -> None:
        if self._mark_timer is not None:
            self._mark_timer.stop()
            self._mark_timer = None
        self.marked = None

    def _unmark(self) -> None:
        was_marked = self.marked is not None
        self._clear_mark()
        if was_marked:
            self._layout()


def _line_starts(paragraph: str, wrapped: list[Content]) -> list[int]:
    """The offset in `paragraph` at which each of its wrapped lines starts (wrapping drops the
    spaces where it breaks, so each line is looked for after the one before)."""
    position = 0
    starts = []
    for line in wrapped:
        words = line.plain.strip()
        found = paragraph.find(words, position) if words else position
        starts.append(max(position, found))
        position = max(position, found) + len(words)
    return starts


@dataclass(frozen=True)
class _Body:
    """A body wrapped at one width: its lines, and where each paragraph went (see
    `ArticleView._paragraph_lines`)."""

    text: str
    wrapped: list[Content]
    offsets: list[int]
    lines: list[tuple[int, list[int]]]

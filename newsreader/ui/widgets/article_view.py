"""The article pane: title, tags, reading time and source, then the body with quotations styled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.style import Style
from textual.widgets import Static

from newsreader.model import Article, ArticleState
from newsreader.text.quotes import quote_spans


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one article. Article text only ever enters as plain strings inside `Content`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="article.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="article.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="article.page_up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--quote",
        "article-view--quote-nested",
        "article-view--match",
        "article-view--current-match",
        "article-view--tag",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.body = ""
        self.matches: list[tuple[int, int]] = []
        self.current_match = -1

    def compose(self) -> ComposeResult:
        yield Static(id="article-title")
        yield Static(id="article-meta")
        yield Static(id="article-body")

    def show(
        self,
        article: Article | None,
        body: str,
        state: ArticleState,
        matches: Sequence[tuple[int, int]] = (),
    ) -> None:
        """Show `article` with its `body`; `matches` are (start, end) spans of search hits."""
        changed = article is None or self.article is None or article.id != self.article.id
        self.article = article
        self.body = body
        self.matches = list(matches)
        self.current_match = -1
        if article is None:
            self.query_one("#article-title", Static).update("")
            self.query_one("#article-meta", Static).update("")
            self.query_one("#article-body", Static).update(Content("Nothing to show."))
            return
        self.query_one("#article-title", Static).update(Content(article.title))
        self.query_one("#article-meta", Static).update(self._meta(article, state))
        self._render_body()
        if changed:
            self.scroll_home(animate=False, immediate=True)

    def update_state(self, state: ArticleState) -> None:
        if self.article is not None:
            self.query_one("#article-meta", Static).update(self._meta(self.article, state))

    def _meta(self, article: Article, state: ArticleState) -> Content:
        parts: list[Content] = []
        if article.tags:
            tags = Content(" · ".join(article.tags))
            parts.append(tags.stylize(self._style("article-view--tag")))
        facts = [f"{article.words:,} words", f"{article.reading_minutes} min read"]
        if article.date:
            facts.insert(0, article.date[:10])
        if state.bookmarked:
            facts.append("★ bookmarked")
        if state.read:
            facts.append("read")
        parts.append(Content("   ".join(facts)))
        source = article.link or article.source
        if source:
            parts.append(Content(source).stylize("dim"))
        return Content("\n").join(parts)

    def _render_body(self) -> None:
        spans: list[Span] = []
        quote = self._style("article-view--quote")
        nested = self._style("article-view--quote-nested")
        for span in quote_spans(self.body):
            spans.append(Span(span.start, span.end, quote if span.depth == 1 else nested))
        match = self._style("article-view--match")
        current = self._style("article-view--current-match")
        for index, (start, end) in enumerate(self.matches):
            spans.append(Span(start, end, current if index == self.current_match else match))
        self.query_one("#article-body", Static).update(Content(self.body, spans))

    def _style(self, component: str) -> Style:
        return Style.from_rich_style(self.get_component_rich_style(component, partial=True))

    # -- jumping between search matches ----------------------------------------------------

    def next_match(self, step: int = 1) -> bool:
        """Move to the next (or, with -1, previous) match and scroll it into view."""
        if not self.matches:
            return False
        self.current_match = (self.current_match + step) % len(self.matches)
        self._render_body()
        self.call_after_refresh(self._scroll_to_current)
        return True

    def _scroll_to_current(self) -> None:
        body = self.query_one("#article-body", Static)
        start = self.matches[self.current_match][0]
        line = _line_of_offset(self.body, start, max(1, body.content_region.width))
        target = body.virtual_region.y + line
        self.scroll_to(y=max(0, target - self.size.height // 3), animate=False)


def _line_of_offset(text: str, offset: int, width: int) -> int:
    """The wrapped line (at `width` cells) on which character `offset` of `text` falls."""
    lines = 0
    position = 0
    for paragraph in text.split("\n"):
        end = position + len(paragraph)
        wrapped = Content(paragraph).wrap(width) if paragraph else [Content("")]
        if offset <= end:
            consumed = position
            for index, line in enumerate(wrapped):
                consumed += len(line.plain)
                # Wrapping drops the space at each break; allow for it.
                if offset < consumed + index + 1:
                    return lines + index
            return lines + len(wrapped) - 1
        lines += len(wrapped)
        position = end + 1
    return lines

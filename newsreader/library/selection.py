"""Which articles a list shows, in which order; and the sidebar's counts."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from newsreader.model import NO_STATE, Article, ArticleState, TagCount


@dataclass(frozen=True, slots=True)
class Selection:
    """What the sidebar has chosen: a special view ("all", "bookmarks", "unread") or a tag."""

    kind: str = "all"
    tag: str = ""

    @classmethod
    def of_tag(cls, tag: str) -> Selection:
        return cls("tag", tag)

    @classmethod
    def of_feed(cls, source: str) -> Selection:
        """The articles of one feed (the `tag` field holds the feed's title)."""
        return cls("feed", source)

    @property
    def label(self) -> str:
        names = {"all": "All", "bookmarks": "Bookmarks", "unread": "Unread", "muted": "Muted"}
        return names.get(self.kind, self.tag)

    def admits(self, article: Article, state: ArticleState) -> bool:
        if self.kind == "bookmarks":
            return state.bookmarked
        if self.kind == "unread":
            return not state.read
        if self.kind == "tag":
            wanted = self.tag.casefold()
            return any(tag.casefold() == wanted for tag in article.tags)
        if self.kind == "feed":
            return bool(article.link) and article.source == self.tag
        return True


ALL = Selection("all")
BOOKMARKS = Selection("bookmarks")
UNREAD = Selection("unread")
MUTED = Selection("muted")  # what config.toml's mute rules hide everywhere else
ORDERS = ("newest", "oldest", "title", "feed")
_NOT_WORDS = " \"'“”‘’«»„([{<*#-—–…"


def select(
    articles: Sequence[Article],
    states: Mapping[str, ArticleState],
    selection: Selection,
    muted: Collection[str] = (),
    hide_read: bool = False,
) -> list[Article]:
    """The articles `selection` shows, in the library's order (newest first). Muted articles
    show only in the Muted view; `hide_read` leaves read ones out (not from Bookmarks)."""
    if selection.kind == "muted":
        return [a for a in articles if a.id in muted]
    if selection.kind == "all" and not muted and not hide_read:
        return list(articles)
    hide = hide_read and selection.kind != "bookmarks"
    shown = []
    for article in articles:
        state = states.get(article.id, NO_STATE)
        if article.id in muted or (hide and state.read) or not selection.admits(article, state):
            continue
        shown.append(article)
    return shown


def arrange(articles: list[Article], order: str) -> list[Article]:
    """`articles` (newest first, as selected) in `order`: newest, oldest, title or feed (by
    feed, then newest first within one)."""
    if order == "oldest":
        return articles[::-1]
    if order == "title":
        # By the words: a title opening with a quote mark or a bracket sorts by its first word.
        return sorted(articles, key=lambda a: a.title.casefold().lstrip(_NOT_WORDS))
    if order == "feed":
        return sorted(articles, key=lambda a: (a.source or "\uffff").casefold())
    return articles


def next_order(order: str) -> str:
    return ORDERS[(ORDERS.index(order) + 1) % len(ORDERS)] if order in ORDERS else ORDERS[0]


@dataclass(frozen=True, slots=True)
class SidebarCounts:
    """The numbers beside All, Bookmarks and Unread, and each tag's count."""

    total: int
    bookmarked: int
    unread: int
    tags: tuple[TagCount, ...]
    feeds: tuple[TagCount, ...] = ()


def count_states(
    articles: Sequence[Article], states: Mapping[str, ArticleState]
) -> tuple[int, int]:
    """(bookmarked, unread) among `articles`."""
    return count_marks([article.id for article in articles], states)


def count_marks(ids: Sequence[str], states: Mapping[str, ArticleState]) -> tuple[int, int]:
    """(bookmarked, unread) among the articles with these ids (no article need be built)."""
    bookmarked = read = 0
    for doc_id in ids:
        state = states.get(doc_id)
        if state is not None:
            bookmarked += state.bookmarked
            read += state.read
    return bookmarked, len(ids) - read


def feed_counts(articles: Sequence[Article]) -> tuple[TagCount, ...]:
    """Articles per feed (articles with a web link, by their source), largest first."""
    counts: dict[str, int] = {}
    for article in articles:
        if article.link and article.source:
            counts[article.source] = counts.get(article.source, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return tuple(TagCount(name, count) for name, count in ordered)

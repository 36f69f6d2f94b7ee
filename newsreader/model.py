"""The domain language: articles, their reading state, tags and the outcome of an import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

WORDS_PER_MINUTE = 230


def count_words(body: str) -> int:
    """Words of a body as the parsers leave it: single spaces, paragraphs split by a blank line."""
    if not body:
        return 0
    return body.count(" ") + body.count("\n\n") + 1


def reading_minutes(words: int) -> int:
    return max(1, round(words / WORDS_PER_MINUTE))


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article as a source produced it, before the library gives it an id and a place."""

    title: str
    summary: str
    body: str
    tags: tuple[str, ...] = ()
    tags_raw: str = ""
    source: str = ""
    link: str = ""
    author: str = ""
    published: str = ""
    guid: str = ""  # a feed entry's id: how it is found again when it changes
    # The feed an entry came from, as the feed names itself (its own id or home link, else
    # where it was read from), never its title: scopes a guid that is not a URL.
    feed: str = ""
    language: str = ""  # as the feed declares it ("de", "pt-BR"); "" when unknown


class Article(NamedTuple):
    """A stored article without its body: what lists, counts and the first screen need.

    A NamedTuple, not a frozen dataclass: a library of 100,000 is built at every start, and a
    tuple is made several times faster. `summary` is empty when read from the catalog (it is
    stored with the body); `Library.summary` reads it.
    """

    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    tags_raw: str
    source: str
    link: str
    author: str
    published: str
    added: str

    @property
    def date(self) -> str:
        """The date people think of for this article: published if known, else imported."""
        return self.published or self.added


@dataclass(frozen=True, slots=True)
class ArticleState:
    """What the reader did with an article: small, precious, stored apart from the articles."""

    bookmarked: bool = False
    read: bool = False


NO_STATE = ArticleState()  # an article nobody has marked (frozen, so one is shared)


@dataclass(frozen=True, slots=True)
class TagCount:
    """A tag as the library shows it, with how many articles carry it."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Rejection:
    """A file an import could not take, and why, in words a person understands."""

    path: Path
    reason: str


@dataclass(slots=True)
class ImportReport:
    """What an import did: new articles, ones already there, files rejected."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    skipped: int = 0  # files in folders that are not article files (images, notes, ...)
    updated: list[str] = field(default_factory=list)  # feed entries changed upstream
    subscribed: int = 0  # feeds added from OPML files
    index_problem: str = ""  # why the search index is behind the library, if it is

"""Search over the library: keeps the FTS5 index in step with it and answers queries as articles."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsreader.library.derived import reconcile
from newsreader.library.index_query import (
    DocCounts,
    all_matches,
    articles_quoted,
    quote_match,
    run_query,
    speaker_match,
    with_word_forms,
)
from newsreader.library.library import Library
from newsreader.library.search_index import HitPage, IndexBusy
from newsreader.library.suggest import did_you_mean
from newsreader.model import Article
from newsreader.text.query import Query, parse_query
from newsreader.text.sanitize import sanitize_line

if TYPE_CHECKING:
    from newsreader.library.catalog_copy import CatalogReader

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class SearchResult:
    article: Article
    score: float
    snippet: str  # matched words between SNIPPET_START and SNIPPET_END; "" without words


@dataclass(slots=True)
class SearchResults:
    query: Query
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    exact_total: bool = True
    ranked: bool = True
    suggestion: str = ""  # a word the library has, near one of the query's that it has not
    suggestion_for: str = ""  # that word of the query, folded

    @property
    def message(self) -> str:
        """What to tell the person about these results, in plain words."""
        if self.query.error:  # it may quote what was typed or pasted: no control characters
            return sanitize_line(self.query.error)
        if self.query.is_empty:
            return "Type words to search; quotes for a phrase, -word to leave out, tag:, is:unread."
        if not self.query.has_text and self.query.excluded:
            return "Add a word to search for besides the ones left out."
        if not self.results:
            if self.suggestion:
                return f"No results; did you mean “{self.suggestion}”?"
            return "No results."
        shown = len(self.results)
        total = f"{self.total:,}" if self.exact_total else f"about {self.total:,}"
        text = f"{total} results" if self.total != 1 else "1 result"
        if shown < self.total:
            text += f", best {shown:,} shown" if self.ranked else f", newest {shown:,} shown"
        if not self.ranked:
            text += " (too many to rank: add a word)"
        return " ".join([text, *self.query.notes])


def sync_index(library: Library, progress: Progress | None = None, force: bool = False) -> bool:
    """Bring the index in step with the library (see `derived`); True when it changed anything.

    `force` empties it first (in a transaction: other processes keep their file). Cheap when
    the catalog is as this process last reconciled it (one stat).
    """
    index = library.index
    on_disk = library.catalog_file_signature()  # a stat: no catalog is read for this
    if not force and on_disk is not None and library.in_step.get(index.name) == on_disk:
        return False
    if force:
        index.rebuild()
    else:
        index.prepare()
        # Another process (or an earlier command) reconciled with the catalog as it is now:
        # nothing to compare, and the catalog need not even be read (100,000: 0.6 s).
        if on_disk is not None and index.in_step_with() == repr(on_disk):
            library.in_step[index.name] = on_disk
            return False
    if force or index.is_empty():  # building from nothing: FTS5 merges faster in a big cache
        index.use_bulk_cache()
    done, in_step_with = reconcile(library, index, progress)
    if in_step_with is not None:
        index.record_in_step(repr(in_step_with))
    library.in_step[index.name] = in_step_with
    return force or bool(done)


def search(
    library: Library,
    text: str,
    limit: int = 200,
    tag: str | None = None,
    typing: bool = False,
    states: Iterable[str] = (),
    feed: str | None = None,
    by_date: bool = False,
    catalog: CatalogReader | None = None,
) -> SearchResults:
    """Run a query as typed. `tag`, `feed` and `states` ("bookmarked", "unread", "read") narrow
    it as the sidebar's choice does; `typing` makes the last word a prefix; `by_date` orders
    newest first instead of by relevance. Every filter applies before the limit, so counts are
    true. Never raises for anything a person can type: a wrong query says what is wrong.
    `catalog` answers what the catalog would (titles, order): the index's copy of it, for a
    command (see `catalog_copy`); the library itself by default."""
    reader: CatalogReader = catalog if catalog is not None else library
    query = parse_query(text, typing=typing)
    if tag:
        query.tags.append(tag)
    if feed:
        query.feeds.append(feed)
    query.states.update(states)
    found = SearchResults(query)
    if query.error or query.is_empty or (not query.has_text and query.excluded):
        return found
    try:
        only, excluding = _id_filters(library, query, reader)
    except IndexBusy:
        query.error = "The search index is busy (another newsreader is writing it); try again."
        return found
    if not query.has_text:
        return _filter_catalog(reader, query, found, only, excluding, limit)
    try:
        sync_index(library)
    except IndexBusy:  # search what is indexed; the newest articles come with the next search
        query.notes.append("(the index is busy: the newest articles may be missing)")
    counts = DocCounts()  # read once for the word forms, used again to estimate the matches
    query = with_word_forms(library.index, query, reader.languages(), counts)
    found.query = query
    page: HitPage = run_query(
        library.index,
        query,
        limit,
        only,
        excluding,
        reader.rowids_newest_first,
        by_date=by_date,
        counts=counts,
    )
    for hit in page.hits:
        article = reader.article(hit.id)
        if article is not None:
            found.results.append(SearchResult(article, hit.score, hit.snippet))
    found.total, found.exact_total, found.ranked = page.total, page.exact_total, page.ranked
    if not found.results:
        found.suggestion_for, found.suggestion = did_you_mean(library.index, query)
    return found


def _id_filters(
    library: Library, query: Query, reader: CatalogReader | None = None
) -> tuple[set[str] | None, set[str] | None]:
    """The articles the filters allow (`only`, None for all) and those they leave out."""
    catalog: CatalogReader = reader if reader is not None else library
    only: set[str] | None = None
    excluding: set[str] = set()

    def narrow(ids: set[str]) -> None:
        nonlocal only
        only = ids if only is None else only & ids

    if query.states or query.excluded_states:
        states = library.states()
        marked = {
            "bookmarked": {d for d, s in states.items() if s.bookmarked},
            "read": {d for d, s in states.items() if s.read},
        }
        for state in query.states:
            if state == "unread":
                excluding |= marked["read"]
            else:
                narrow(marked[state])
        for state in query.excluded_states:
            if state == "unread":
                narrow(marked["read"])
            else:
                excluding |= marked[state]
    for tag in query.tags:
        narrow(catalog.tagged(tag))
    for tag in query.excluded_tags:
        excluding |= catalog.tagged(tag)
    for name in query.feeds:
        narrow(catalog.of_feed(name))
    for name in query.excluded_feeds:
        excluding |= catalog.of_feed(name)
    quoted = [*query.speakers, *query.excluded_speakers, *query.quoting, *query.excluded_quoting]
    if quoted:
        sync_index(library)
    for words in query.speakers:
        narrow(articles_quoted(library.index, speaker_match(words)))
    for words in query.excluded_speakers:
        excluding |= articles_quoted(library.index, speaker_match(words))
    for words in query.quoting:
        narrow(articles_quoted(library.index, quote_match(words)))
    for words in query.excluded_quoting:
        excluding |= articles_quoted(library.index, quote_match(words))
    if only is not None:
        only -= excluding
        return only, None
    return None, excluding or None


def _passes(
    article: Article, query: Query, only: set[str] | None, excluding: set[str] | None
) -> bool:
    return (
        (only is None or article.id in only)
        and (excluding is None or article.id not in excluding)
        and (not query.after or article.date >= query.after)
        and (not query.before or article.date < query.before)
    )


def _filter_catalog(
    library: CatalogReader,
    query: Query,
    found: SearchResults,
    only: set[str] | None,
    excluding: set[str] | None,
    limit: int,
) -> SearchResults:
    """Filters with no words: the newest articles that pass them. Articles are built only for
    what is shown (or, with dates to check, for what the id filters let through): 100,000
    of them would take half a second."""
    order = library.ids_newest_first()
    if only is not None:
        candidates = [d for d in order if d in only]
    elif excluding is not None:
        candidates = [d for d in order if d not in excluding]
    else:
        candidates = order
    if query.after or query.before:
        articles = (library.article(doc_id) for doc_id in candidates)
        matching = [a for a in articles if a is not None and _passes(a, query, None, None)]
        found.total = len(matching)
        found.results = [SearchResult(a, 0.0, "") for a in matching[:limit]]
        return found
    found.total = len(candidates)
    for doc_id in candidates[:limit]:
        article = library.article(doc_id)
        if article is not None:
            found.results.append(SearchResult(article, 0.0, ""))
    return found


def matching_ids(library: Library, text: str, catalog: CatalogReader | None = None) -> set[str]:
    """Every article `text` finds, whatever their number (for mute rules and saved-search
    counts): no ranking, no snippets. An empty or wrong query finds nothing. `catalog` as
    for `search`; a query of filters only reads the library's catalog whatever it is."""
    query = parse_query(text, typing=False)
    if query.error or query.is_empty or (not query.has_text and query.excluded):
        return set()
    with contextlib.suppress(IndexBusy):
        sync_index(library)
    only, excluding = _id_filters(library, query, catalog)
    if not query.has_text:
        return {a.id for a in library.articles() if _passes(a, query, only, excluding)}
    reader: CatalogReader = catalog if catalog is not None else library
    query = with_word_forms(library.index, query, reader.languages())
    return all_matches(library.index, query, only, excluding)


def muted_ids(
    library: Library, queries: Iterable[str], catalog: CatalogReader | None = None
) -> set[str]:
    """The articles the mute rules hide (in the reader; never deleted, never dropped by the
    command line, which marks them)."""
    muted: set[str] = set()
    for text in queries:
        muted |= matching_ids(library, text, catalog)
    return muted

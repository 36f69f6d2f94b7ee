"""Search over the library: keeps the FTS5 index in step with it and answers queries as articles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsreader.library.library import Library
from newsreader.library.search_index import HitPage, IndexEntry, digest_of
from newsreader.model import Article
from newsreader.text.query import Query, parse_query

Progress = Callable[[int, int], None]
INDEX_BATCH = 2000


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

    @property
    def message(self) -> str:
        """What to tell the person about these results, in plain words."""
        if self.query.is_empty:
            return "Type words to search; quotes for a phrase, -word to leave out, tag:, is:unread."
        if not self.query.has_text and self.query.excluded:
            return "Add a word to search for besides the ones left out."
        if not self.results:
            return "No results."
        shown = len(self.results)
        total = f"{self.total:,}" if self.exact_total else f"about {self.total:,}"
        text = f"{total} results" if self.total != 1 else "1 result"
        if shown < self.total:
            text += f", best {shown:,} shown" if self.ranked else f", first {shown:,} shown"
        if not self.ranked:
            text += " (too many to rank: add a word)"
        return " ".join([text, *self.query.notes])


def sync_index(library: Library, progress: Progress | None = None, force: bool = False) -> bool:
    """Bring the index in line with the library; True when it had to change anything.

    A missing, corrupt or outdated index is rebuilt; a stale one gets the difference. Cheap when
    nothing changed since the last call in this process (one stat).
    """
    index = library.index
    signature = library.catalog_signature()
    if not force and signature is not None and signature == library.index_signature:
        return False
    library.index_signature = signature
    ids = library.ids()
    digest = digest_of(ids)
    if force or not index.is_usable():
        index.create()
    elif index.digest() == digest:
        return False
    indexed = index.indexed_ids()
    missing = [doc_id for doc_id in ids if doc_id not in indexed]
    if len(missing) > INDEX_BATCH:
        index.use_bulk_cache()
    removed = indexed.difference(ids)
    if not missing:
        index.write([], removed, digest)
        return True
    for start in range(0, len(missing), INDEX_BATCH):
        batch = missing[start : start + INDEX_BATCH]
        done = start + len(batch)
        # The digest is recorded with the last batch only: an interrupted rebuild stays stale.
        index.write(
            index_entries(library, batch),
            removed if start == 0 else [],
            digest if done == len(missing) else "partial",
        )
        if progress is not None:
            progress(done, len(missing))
    return True


def index_entries(library: Library, doc_ids: Iterable[str]) -> list[IndexEntry]:
    entries = []
    for doc_id, summary, body in library.texts(doc_ids):
        article = library.article(doc_id)
        if article is not None:
            entries.append(
                IndexEntry(doc_id, article.title, summary, body, article.tags, article.date)
            )
    return entries


def search(
    library: Library,
    text: str,
    limit: int = 200,
    tag: str | None = None,
    typing: bool = False,
    states: Iterable[str] = (),
) -> SearchResults:
    """Run a query as typed. `tag` and `states` ("bookmarked", "unread", "read") narrow it as
    the sidebar's choice does; `typing` makes the last word a prefix. Never raises for anything
    a person can type."""
    query = parse_query(text, typing=typing)
    if tag:
        query.tags.append(tag)
    query.states.update(states)
    found = SearchResults(query)
    if query.is_empty or (not query.has_text and query.excluded):
        return found
    states = library.states()
    only: set[str] | None = None
    excluding: set[str] | None = None
    read = {doc_id for doc_id, state in states.items() if state.read}
    if "bookmarked" in query.states:
        only = {doc_id for doc_id, state in states.items() if state.bookmarked}
    if "read" in query.states:
        only = read if only is None else only & read
    if "unread" in query.states:
        if only is not None:
            only -= read
        else:
            excluding = read
    if not query.has_text and not query.tags:
        return _filter_catalog(library, query, found, only, excluding, limit)
    sync_index(library)
    wanted_tags = {t.casefold() for t in query.tags}
    page: HitPage = library.index.search(query, limit, only, excluding)
    for hit in page.hits:
        article = library.article(hit.id)
        # FTS matches tag words; this keeps only exact tags (`Russia`, not `Russia Today`).
        if article is None or not wanted_tags <= {t.casefold() for t in article.tags}:
            continue
        snippet = hit.snippet if query.has_text else ""
        found.results.append(SearchResult(article, hit.score, snippet))
    found.total, found.exact_total, found.ranked = page.total, page.exact_total, page.ranked
    return found


def _filter_catalog(
    library: Library,
    query: Query,
    found: SearchResults,
    only: set[str] | None,
    excluding: set[str] | None,
    limit: int,
) -> SearchResults:
    """State and date filters with no words: the newest articles that pass them."""
    matching = [
        article
        for article in library.articles()
        if (only is None or article.id in only)
        and (excluding is None or article.id not in excluding)
        and (not query.after or article.date >= query.after)
        and (not query.before or article.date < query.before)
    ]
    found.total = len(matching)
    found.results = [SearchResult(a, 0.0, "") for a in matching[:limit]]
    return found

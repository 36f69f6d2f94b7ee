"""Search over the library: keeps the FTS5 index in step with it and answers queries as articles."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsreader.library.derived import reconcile
from newsreader.library.library import Library
from newsreader.library.search_index import HitPage, IndexBusy
from newsreader.model import Article
from newsreader.text.query import Query, parse_query

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
    """Bring the index in step with the library (see `derived`); True when it changed anything.

    `force` empties it first (in a transaction: other processes keep their file). Cheap when
    the catalog is as this process last reconciled it (one stat).
    """
    index = library.index
    signature = library.catalog_signature()
    if not force and signature is not None and library.in_step.get(index.name) == signature:
        return False
    if force:
        index.rebuild()
        index.use_bulk_cache()
    else:
        index.prepare()
    done, in_step_with = reconcile(library, index, progress)
    library.in_step[index.name] = in_step_with
    return force or bool(done)


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
    try:
        sync_index(library)
    except IndexBusy:  # search what is indexed; the newest articles come with the next search
        query.notes.append("(the index is busy: the newest articles may be missing)")
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

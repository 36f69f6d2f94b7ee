"""Runs parsed queries on the search index: word forms, exact forms first, newest first."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

import orjson

from newsreader.library import newest_chunk
from newsreader.library.search_index import RANK_LIMIT, Hit, HitPage, SearchIndex, id_of, rowids_of
from newsreader.text.highlight import SNIPPET_END, SNIPPET_START, fold
from newsreader.text.query import Query, Term, fts_string
from newsreader.text.word_forms import MIN_STEM_CHARS, candidate_prefix, forms_among

# Every article's index rowid, newest first (the library knows the dates).
NewestFirst = Callable[[], Sequence[int]]
MAX_FORMS = 12  # a word with more forms in the library than this keeps its commonest ones
NARROW_FILTER = 1000
FEW_IDS = 8  # a filter this narrow looks its ids up one by one (see `_condition`)
NEWEST_CHUNK = 2000  # newest articles tried at a time for a set too large to rank
# From the body (column 2): a snippet of the tags column would just list the tags.
_SNIPPET = f"snippet(fts, 2, '{SNIPPET_START}', '{SNIPPET_END}', '…', 16)"


class DocCounts:
    """Documents per term, as read from the index during one search. fts5vocab counts a term's
    documents by reading its whole list: 55 ms for a word in every article of a million. The
    word-forms step reads every term from a prefix on; the estimate then needs no new read."""

    def __init__(self) -> None:
        self.docs: dict[str, int] = {}
        self.prefixes: list[str] = []  # every term starting with one of these is in `docs`

    def add_range(self, prefix: str, docs: dict[str, int]) -> None:
        self.docs.update(docs)
        self.prefixes.append(prefix)

    def _covers(self, term: str) -> bool:
        return any(term.startswith(prefix) for prefix in self.prefixes)

    def of(self, term: str) -> int | None:
        if term in self.docs:
            return self.docs[term]
        return 0 if self._covers(term) else None  # read with its range: not in the index

    def starting_with(self, prefix: str) -> int | None:
        if not self._covers(prefix):
            return None
        return sum(count for term, count in self.docs.items() if term.startswith(prefix))


def with_word_forms(
    index: SearchIndex,
    query: Query,
    languages: Sequence[str] = ("english",),
    counts: DocCounts | None = None,
) -> Query:
    """The query with each single word also matching its other forms in the library (`drone`
    finds `drones`), by the stems of each of `languages`; phrases stay phrases. The document
    counts read meanwhile are added to `counts`, for `run_query` to use again."""
    with index.reading() as db:

        def expand(term: Term) -> Term:
            if len(term.words) != 1 or term.quoted:
                return term
            found: dict[str, None] = {}
            for language in languages:
                forms = _forms(db, term.words[0], term.prefix, language, counts)
                found.update(dict.fromkeys(forms))
            forms = tuple(found)[:MAX_FORMS]
            return dataclasses.replace(term, forms=forms) if forms else term

        groups = [[expand(term) for term in group] for group in query.groups]
        excluded = [expand(term) for term in query.excluded]
    return dataclasses.replace(query, groups=groups, excluded=excluded)


def _forms(
    db: sqlite3.Connection, word: str, prefix: bool, language: str, counts: DocCounts | None
) -> tuple[str, ...]:
    start = candidate_prefix(word, language)
    if len(start) < MIN_STEM_CHARS:
        return ()
    rows = db.execute(
        "SELECT term, doc FROM fts_vocab WHERE term >= ? AND term < ?",
        (start, start + "\U0010ffff"),
    ).fetchall()
    folded = fold(word)
    docs = dict(rows)
    if counts is not None:
        counts.add_range(start, docs)
    # A prefix being typed finds its longer forms already; the others are what it adds.
    candidates = [term for term in docs if not (prefix and term.startswith(folded))]
    forms = forms_among(word, candidates, language)
    forms.sort(key=lambda term: -docs[term])
    return tuple(forms[:MAX_FORMS])


def estimate(db: sqlite3.Connection, query: Query, known: DocCounts | None = None) -> int:
    """An upper bound on matches, from the rarest required word's document count (`known`:
    counts already read, by term)."""
    known = known if known is not None else DocCounts()
    counts = [sum(_term_count(db, term, known) for term in group) for group in query.groups]
    return min(counts) if counts else 0


def _term_count(db: sqlite3.Connection, term: Term, known: DocCounts) -> int:
    counts = []
    for position, word in enumerate(term.words):
        # The index folds case and accents: so must the look-up (`über` is stored as `uber`).
        token = fold(word)
        if term.prefix and position == len(term.words) - 1:
            counts.append(_prefix_count(db, token, known))
        else:
            counts.append(_doc_count(db, token, known))
    count = min(counts) if counts else 0
    for form in term.forms:
        count += _doc_count(db, form, known)
    return count


def _doc_count(db: sqlite3.Connection, token: str, known: DocCounts) -> int:
    count = known.of(token)
    if count is not None:
        return count
    row = db.execute("SELECT doc FROM fts_vocab WHERE term = ?", (token,)).fetchone()
    return int(row[0] or 0) if row else 0


def _prefix_count(db: sqlite3.Connection, prefix: str, known: DocCounts) -> int:
    count = known.starting_with(prefix)
    if count is not None:
        return count
    row = db.execute(
        "SELECT sum(doc) FROM fts_vocab WHERE term >= ? AND term < ?",
        (prefix, prefix + "\U0010ffff"),
    ).fetchone()
    return int(row[0] or 0) if row else 0


def run_query(
    index: SearchIndex,
    query: Query,
    limit: int,
    only: Iterable[str] | None,
    excluding: Iterable[str] | None,
    newest_first: NewestFirst,
    by_date: bool = False,
    counts: DocCounts | None = None,
) -> HitPage:
    """The best `limit` matches of `query` within `only` and outside `excluding`: by relevance,
    articles with the words as typed before those with other forms only; or newest first (on
    request, and for result sets too large to rank)."""
    if only is not None and not isinstance(only, set):
        only = set(only)
    filters = _filters(only, excluding)
    condition, params = _condition(query, filters)
    with index.reading() as db:
        estimated = estimate(db, query, counts)
        if only is not None and len(only) <= NARROW_FILTER:
            # A narrow filter (a speaker quoted a few times) keeps the set small: rank it,
            # rather than walk the whole library newest first looking for its few.
            estimated = min(estimated, len(only))
        ranked = estimated <= RANK_LIMIT
        if by_date or not ranked:
            return _newest_first(db, condition, params, limit, newest_first, ranked, estimated)
        rows = []
        if query.has_forms:  # the words as typed first
            exact_condition, exact_params = _condition(query.exact(), filters)
            rows = _ranked(db, exact_condition, exact_params, limit)
            if len(rows) < limit:
                seen = orjson.dumps([row[0] for row in rows]).decode()
                more = f"{condition} AND +rowid NOT IN (SELECT value FROM json_each(:seen))"
                rows += _ranked(db, more, {**params, "seen": seen}, limit - len(rows))
        else:
            rows = _ranked(db, condition, params, limit)
        if len(rows) < limit:
            total = len(rows)
        else:
            total = db.execute(f"SELECT count(*) FROM fts WHERE {condition}", params).fetchone()[0]
    hits = [Hit(id_of(rowid), float(-score), text) for rowid, score, text in rows]
    return HitPage(hits, total, True, True)


Filters = tuple[list[str], dict[str, object]]


def _filters(only: Iterable[str] | None, excluding: Iterable[str] | None) -> Filters:
    """The SQL for `only` and `excluding`, built once per search: a tag's ids, listed for
    SQLite, are 50,000 numbers at a million articles."""
    where: list[str] = []
    params: dict[str, object] = {}
    # `+rowid`: a plain `rowid IN` makes SQLite run the full-text query once per listed id
    # (1.6 s for 200 ids at 100,000 articles); with `+` it runs once and filters (20 ms). For
    # a handful of ids (a speaker quoted in two articles) once per id is the cheaper way.
    if only is not None:
        only = list(only)
        plain = "rowid" if len(only) <= FEW_IDS else "+rowid"
        where.append(f"{plain} IN (SELECT value FROM json_each(:only))")
        params["only"] = orjson.dumps(rowids_of(only)).decode()
    if excluding is not None:
        where.append("+rowid NOT IN (SELECT value FROM json_each(:excluding))")
        params["excluding"] = orjson.dumps(rowids_of(excluding)).decode()
    return where, params


def _condition(query: Query, filters: Filters) -> tuple[str, dict[str, object]]:
    where = ["fts MATCH :match", *filters[0]]
    params: dict[str, object] = {"match": query.fts(), **filters[1]}
    if query.after:
        where.append("date >= :after")
        params["after"] = query.after
    if query.before:
        where.append("date < :before")
        params["before"] = query.before
    return " AND ".join(where), params


def _ranked(
    db: sqlite3.Connection, condition: str, params: dict[str, object], limit: int
) -> list[tuple[int, float, str]]:
    # Only a bare `ORDER BY rank` lets FTS5 sort inside the index and stop at the limit.
    rows = db.execute(
        f"SELECT rowid, rank, {_SNIPPET}, date FROM fts WHERE {condition} ORDER BY rank"
        " LIMIT :limit",
        {**params, "limit": limit},
    ).fetchall()
    # Equal scores (the same text twice), newest first: a stable sort by date, then by score.
    rows.sort(key=lambda row: row[3], reverse=True)
    rows.sort(key=lambda row: row[1])
    return [(rowid, score, text) for rowid, score, text, _ in rows]


def _newest_first(
    db: sqlite3.Connection,
    condition: str,
    params: dict[str, object],
    limit: int,
    newest_first: NewestFirst,
    ranked: bool,
    estimated: int,
) -> HitPage:
    """The newest `limit` matches with their snippets. A set too large to rank is dense: the
    library's newest articles are tried a chunk at a time, sized by how dense it is (see
    `_newest_of_dense`); a smaller set is listed whole (cheap: rowids only), counted, and its
    newest get their snippets."""
    order = newest_first()
    if not ranked:
        return _newest_of_dense(db, condition, params, limit, order, estimated)
    return _newest_of_listed(db, condition, params, limit, order, ranked=True)


def _newest_of_listed(
    db: sqlite3.Connection,
    condition: str,
    params: dict[str, object],
    limit: int,
    order: Sequence[int],
    ranked: bool,
) -> HitPage:
    matching = {r for (r,) in db.execute(f"SELECT rowid FROM fts WHERE {condition}", params)}
    chosen = list(islice((r for r in order if r in matching), limit))
    wanted = orjson.dumps(chosen).decode()
    rows = db.execute(
        f"SELECT rowid, rank, {_SNIPPET} FROM fts WHERE {condition}"
        " AND +rowid IN (SELECT value FROM json_each(:wanted))",
        {**params, "wanted": wanted},
    ).fetchall()
    snippets = {rowid: (score, text) for rowid, score, text in rows}
    hits = [Hit(id_of(r), float(-snippets[r][0]), snippets[r][1]) for r in chosen if r in snippets]
    return HitPage(hits, len(matching), True, ranked)


def _newest_of_dense(
    db: sqlite3.Connection,
    condition: str,
    params: dict[str, object],
    limit: int,
    order: Sequence[int],
    estimated: int,
) -> HitPage:
    """The newest articles, as many as should hold `limit` matches at the set's density, are
    asked in one pass, with the matches' scores and snippets. When the words' lists in the
    index are long against that chunk (a word in every article of a big library), the chunk
    is indexed again on its own and asked there (`newest_chunk`). A chunk with too few
    matches (words each in many articles, seldom together) and the set is listed whole: two
    more passes at most, where a walk chunk by chunk could take hundreds."""
    # Enough of the newest to hold `limit` matches at the set's density, with room to spare:
    # 300 for a word in every article, never more than NEWEST_CHUNK.
    density = max(estimated, 1) / max(len(order), 1)
    size = min(NEWEST_CHUNK, max(limit, int(limit * 1.5 / min(density, 1.0)) + 1))
    chunk = order[:size]
    if newest_chunk.worth_it(estimated, size):
        rows = newest_chunk.matches_in(db, chunk, condition, params, _SNIPPET)
    else:
        rows = db.execute(
            f"SELECT rowid, rank, {_SNIPPET} FROM fts WHERE {condition}"
            " AND +rowid IN (SELECT value FROM json_each(:chunk))",
            {**params, "chunk": orjson.dumps(chunk).decode()},
        ).fetchall()
    found = {rowid: (score, text) for rowid, score, text in rows}
    hits = [Hit(id_of(r), float(-found[r][0]), found[r][1]) for r in chunk if r in found]
    if len(hits) >= limit:
        return HitPage(hits[:limit], max(estimated, limit), False, False)
    if len(chunk) == len(order):  # the whole library was asked: every match is here
        return HitPage(hits, len(hits), True, False)
    return _newest_of_listed(db, condition, params, limit, order, ranked=False)


def speaker_match(words: tuple[str, ...]) -> str:
    """An FTS5 expression for quotations whose speaker has all of `words`: a last name matches
    the full name, and case and accents never matter (the tokenizer folds both)."""
    return f"speaker : ({' '.join(fts_string(word) for word in words)})"


def quote_match(words: tuple[str, ...]) -> str:
    """An FTS5 expression for quotations saying `words`, as a phrase."""
    return f"text : {fts_string(' '.join(words))}"


def articles_quoted(index: SearchIndex, expression: str) -> set[str]:
    """Ids of the articles with a quotation matching `expression` (`speaker_match`,
    `quote_match`): `said:` and `quote:` in queries."""
    with index.reading() as db:
        rows = db.execute(
            "SELECT DISTINCT article FROM quotations"
            " WHERE id IN (SELECT rowid FROM quotes WHERE quotes MATCH ?)",
            (expression,),
        ).fetchall()
    return {id_of(rowid) for (rowid,) in rows}


def all_matches(
    index: SearchIndex, query: Query, only: Iterable[str] | None, excluding: Iterable[str] | None
) -> set[str]:
    """The ids of every article matching `query`, unordered."""
    condition, params = _condition(query, _filters(only, excluding))
    with index.reading() as db:
        return {id_of(r) for (r,) in db.execute(f"SELECT rowid FROM fts WHERE {condition}", params)}

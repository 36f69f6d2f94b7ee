"""Runs parsed queries on the search index: word forms, exact forms first, newest first."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from itertools import islice

import orjson

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


def with_word_forms(
    index: SearchIndex, query: Query, languages: Sequence[str] = ("english",)
) -> Query:
    """The query with each single word also matching its other forms in the library (`drone`
    finds `drones`), by the stems of each of `languages`; phrases stay phrases."""
    with index.reading() as db:

        def expand(term: Term) -> Term:
            if len(term.words) != 1 or term.quoted:
                return term
            found: dict[str, None] = {}
            for language in languages:
                found.update(dict.fromkeys(_forms(db, term.words[0], term.prefix, language)))
            forms = tuple(found)[:MAX_FORMS]
            return dataclasses.replace(term, forms=forms) if forms else term

        groups = [[expand(term) for term in group] for group in query.groups]
        excluded = [expand(term) for term in query.excluded]
    return dataclasses.replace(query, groups=groups, excluded=excluded)


def _forms(db: sqlite3.Connection, word: str, prefix: bool, language: str) -> tuple[str, ...]:
    start = candidate_prefix(word, language)
    if len(start) < MIN_STEM_CHARS:
        return ()
    rows = db.execute(
        "SELECT term, doc FROM fts_vocab WHERE term >= ? AND term < ?",
        (start, start + "\U0010ffff"),
    ).fetchall()
    folded = fold(word)
    docs = dict(rows)
    # A prefix being typed finds its longer forms already; the others are what it adds.
    candidates = [term for term in docs if not (prefix and term.startswith(folded))]
    forms = forms_among(word, candidates, language)
    forms.sort(key=lambda term: -docs[term])
    return tuple(forms[:MAX_FORMS])


def estimate(db: sqlite3.Connection, query: Query) -> int:
    """An upper bound on matches, from the rarest required word's document count."""
    counts = []
    for group in query.groups:
        counts.append(sum(_term_count(db, term) for term in group))
    return min(counts) if counts else 0


def _term_count(db: sqlite3.Connection, term: Term) -> int:
    counts = []
    for position, word in enumerate(term.words):
        # The index folds case and accents: so must the look-up (`über` is stored as `uber`).
        token = fold(word)
        if term.prefix and position == len(term.words) - 1:
            row = db.execute(
                "SELECT sum(doc) FROM fts_vocab WHERE term >= ? AND term < ?",
                (token, token + "\U0010ffff"),
            ).fetchone()
        else:
            row = db.execute("SELECT doc FROM fts_vocab WHERE term = ?", (token,)).fetchone()
        counts.append(int(row[0] or 0) if row else 0)
    count = min(counts) if counts else 0
    for form in term.forms:
        row = db.execute("SELECT doc FROM fts_vocab WHERE term = ?", (form,)).fetchone()
        count += int(row[0] or 0) if row else 0
    return count


def run_query(
    index: SearchIndex,
    query: Query,
    limit: int,
    only: Iterable[str] | None,
    excluding: Iterable[str] | None,
    newest_first: NewestFirst,
    by_date: bool = False,
) -> HitPage:
    """The best `limit` matches of `query` within `only` and outside `excluding`: by relevance,
    articles with the words as typed before those with other forms only; or newest first (on
    request, and for result sets too large to rank)."""
    if only is not None and not isinstance(only, set):
        only = set(only)
    filters = _filters(only, excluding)
    condition, params = _condition(query, filters)
    with index.reading() as db:
        estimated = estimate(db, query)
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
    library's newest articles are tried a chunk at a time, sized by how dense it is, and each
    chunk's matches come with their scores and snippets in the same pass (each pass reads the
    words' whole lists in the index); a smaller set is listed whole (cheap: rowids only),
    counted, and its newest get their snippets."""
    order = newest_first()
    if not ranked:
        return _newest_of_dense(db, condition, params, limit, order, estimated)
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
    return HitPage(hits, len(matching), True, True)


def _newest_of_dense(
    db: sqlite3.Connection,
    condition: str,
    params: dict[str, object],
    limit: int,
    order: Sequence[int],
    estimated: int,
) -> HitPage:
    # Enough of the newest to hold `limit` matches at the set's density, with room to spare:
    # 300 for a word in every article, never more than NEWEST_CHUNK at a time.
    density = max(estimated, 1) / max(len(order), 1)
    size = min(NEWEST_CHUNK, max(limit, int(limit * 1.5 / min(density, 1.0)) + 1))
    hits: list[Hit] = []
    start = 0
    while start < len(order) and len(hits) < limit:
        chunk = order[start : start + size]
        start += size
        rows = db.execute(
            f"SELECT rowid, rank, {_SNIPPET} FROM fts WHERE {condition}"
            " AND +rowid IN (SELECT value FROM json_each(:chunk))",
            {**params, "chunk": orjson.dumps(chunk).decode()},
        ).fetchall()
        found = {rowid: (score, text) for rowid, score, text in rows}
        for rowid in chunk:
            if rowid in found and len(hits) < limit:
                score, text = found[rowid]
                hits.append(Hit(id_of(rowid), float(-score), text))
        size = NEWEST_CHUNK  # a set sparser than estimated: wider chunks from now on
    exact = len(hits) < limit  # the whole library was walked: every match is here
    return HitPage(hits, len(hits) if exact else max(estimated, len(hits)), exact, False)


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

"""Quotations across the library: who is quoted most, what each said, articles by speaker."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader.library.index_query import speaker_match
from newsreader.library.library import Library
from newsreader.library.search import sync_index
from newsreader.library.search_index import IndexBusy, id_of, rowid_of
from newsreader.model import Article
from newsreader.text.query import words_of

if TYPE_CHECKING:
    from newsreader.library.catalog_copy import CatalogReader

MAX_SPEAKERS = 1000


@dataclass(frozen=True, slots=True)
class SpeakerCount:
    name: str
    count: int  # quotations


@dataclass(frozen=True, slots=True)
class StoredQuotation:
    """A quotation as the store keeps it, with its article."""

    article: Article
    text: str
    speaker: str | None
    as_written: str | None
    kind: str | None
    start: int  # offsets in the article's body, marks included
    end: int


def _in_step(library: Library) -> None:
    # A busy index still answers with what it holds; the newest come with the next call.
    with contextlib.suppress(IndexBusy):
        sync_index(library)


def speakers(library: Library, limit: int | None = None) -> list[SpeakerCount]:
    """Named people and organisations, most quoted first (unnamed speakers such as
    `analysts` are not one speaker across articles, so they are left out)."""
    _in_step(library)
    with library.index.reading() as db:
        rows = db.execute(
            "SELECT speaker, count(*) AS quoted FROM quotations"
            " WHERE speaker IS NOT NULL AND kind != 'unnamed'"
            " GROUP BY speaker ORDER BY quoted DESC, speaker LIMIT ?",
            (limit or MAX_SPEAKERS,),
        ).fetchall()
    return [SpeakerCount(name, count) for name, count in rows]


def quotations(
    library: Library,
    article_ids: list[str] | None = None,
    speaker: str | None = None,
    catalog: CatalogReader | None = None,
) -> list[StoredQuotation]:
    """Stored quotations of these articles (all when None), of `speaker` when given (matched
    as `said:` matches), newest article first and in text order within one. `catalog` gives
    the articles and their order (the index's copy of the catalog, for a command)."""
    reader: CatalogReader = catalog if catalog is not None else library
    _in_step(library)
    where, params = [], []
    if article_ids is not None:
        where.append("article IN (SELECT value FROM json_each(?))")
        params.append("[" + ",".join(str(rowid_of(d)) for d in article_ids) + "]")
    if speaker is not None:
        words = words_of(speaker)
        if not words:
            return []
        where.append("id IN (SELECT rowid FROM quotes WHERE quotes MATCH ?)")
        params.append(speaker_match(words))
    condition = " WHERE " + " AND ".join(where) if where else ""
    with library.index.reading() as db:
        rows = db.execute(
            "SELECT article, position, start, end, text, speaker, as_written, kind"
            f" FROM quotations{condition}",
            params,
        ).fetchall()
    # The library's own order (newest first, the last imported first among equals), then
    # each article's quotations in text order: as `list` shows them.
    if len({row[0] for row in rows}) > 1:
        rank = {rowid: place for place, rowid in enumerate(reader.rowids_newest_first())}
        rows.sort(key=lambda row: (rank.get(row[0], len(rank)), row[1]))
    else:
        rows.sort(key=lambda row: row[1])
    found = []
    for article_rowid, _, start, end, text, name, as_written, kind in rows:
        article = reader.article(id_of(article_rowid))
        if article is not None:
            found.append(StoredQuotation(article, text, name, as_written, kind, start, end))
    return found


def quotations_by(library: Library, speaker: str, limit: int = 500) -> list[StoredQuotation]:
    """What `speaker` said across the library, newest article first."""
    return quotations(library, speaker=speaker)[:limit]

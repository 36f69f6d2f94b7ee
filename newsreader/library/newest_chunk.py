"""A small full-text table of the library's newest articles, for searches that match nearly all.

A word in every article has an entry for every article in the index: a million at a million
articles. FTS5 reads the whole list for any query with that word, even one asking only about the
newest 300 articles (290 ms), and looking the 300 up one by one is slower still (10 ms each).
Indexing those 300 articles' texts again, in memory, and asking the same query there takes 9 ms
for short articles and 25 ms for long ones. Which way is cheaper depends on how many entries the
list has against how many articles are indexed again: `worth_it` decides.

The table has the index's columns and tokenizer, so the same query text means the same thing.
Scores (bm25) are computed within the chunk, not the library: a dense search lists its matches
newest first, and its scores are only reported.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence

import orjson

from newsreader.library.search_index import FTS_COLUMNS, FTS_DEFINITION, RANK

# Index entries read per article indexed again at which both ways cost the same, measured:
# ~100 for one-paragraph articles, ~190 for 300-word ones.
ENTRIES_PER_ARTICLE = 150

_local = threading.local()


def worth_it(estimated_matches: int, chunk: int) -> bool:
    """Whether indexing `chunk` articles again is cheaper than reading a word's whole list."""
    return estimated_matches > ENTRIES_PER_ARTICLE * chunk


def matches_in(
    db: sqlite3.Connection,
    rowids: Sequence[int],
    condition: str,
    params: dict[str, object],
    snippet: str,
) -> list[tuple[int, float, str]]:
    """(rowid, score, `snippet`) of the articles among `rowids` that meet `condition` (a WHERE
    clause on the index's `fts` table, as `index_query` builds them), in no order."""
    columns = ", ".join(FTS_COLUMNS)
    texts = db.execute(
        f"SELECT rowid, {columns} FROM fts WHERE rowid IN (SELECT value FROM json_each(?))",
        (orjson.dumps(list(rowids)).decode(),),
    ).fetchall()
    scratch = _scratch()
    scratch.execute("BEGIN")  # one transaction: FTS5 writes one segment, not one per article
    try:
        scratch.execute("DELETE FROM fts")
        scratch.executemany(
            f"INSERT INTO fts(rowid, {columns}) VALUES (?{', ?' * len(FTS_COLUMNS)})", texts
        )
    finally:
        scratch.execute("COMMIT")
    return scratch.execute(
        f"SELECT rowid, rank, {snippet} FROM fts WHERE {condition}", params
    ).fetchall()


def _scratch() -> sqlite3.Connection:
    """This thread's in-memory database with an empty table like the index's `fts`."""
    db: sqlite3.Connection | None = getattr(_local, "db", None)
    if db is None:
        db = sqlite3.connect(":memory:", isolation_level=None)
        db.execute(f"CREATE VIRTUAL TABLE fts USING {FTS_DEFINITION}")
        db.execute("INSERT INTO fts(fts, rank) VALUES ('rank', ?)", (RANK,))
        _local.db = db
    return db

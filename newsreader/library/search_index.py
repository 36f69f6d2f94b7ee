"""The full-text search index: SQLite FTS5 beside the library, derived from it and disposable."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from newsreader.text.highlight import SNIPPET_END, SNIPPET_START
from newsreader.text.query import Query

SCHEMA_VERSION = "1"
# Column weights for bm25: a title match counts most, then tags, summary, body.
RANK = "bm25(10.0, 3.0, 1.0, 5.0)"
# Above this many estimated matches, ranking every match would make a keystroke slow (bm25 is
# computed for each match before sorting): such a query returns the first matches unranked.
RANK_LIMIT = 10_000
BULK_CACHE_KIB = 128 * 1024


@dataclass(frozen=True, slots=True)
class IndexEntry:
    id: str
    title: str
    summary: str
    body: str
    tags: tuple[str, ...]
    date: str


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    score: float
    snippet: str  # matched words between SNIPPET_START and SNIPPET_END


@dataclass(frozen=True, slots=True)
class HitPage:
    hits: list[Hit]
    total: int  # matches in all; may be a lower bound when `exact_total` is False
    exact_total: bool
    ranked: bool


def rowid_of(doc_id: str) -> int:
    """Article ids are 64-bit hex hashes: the index's rowid is the same number, signed."""
    value = int(doc_id, 16)
    return value - (1 << 64) if value >= (1 << 63) else value


def id_of(rowid: int) -> str:
    return f"{rowid & ((1 << 64) - 1):016x}"


def digest_of(doc_ids: Iterable[str]) -> str:
    """An order-free fingerprint of a set of ids, to tell whether the index matches the library."""
    value = 0
    count = 0
    for doc_id in doc_ids:
        value ^= int(doc_id, 16)
        count += 1
    return f"{count}:{value:016x}"


def _extra_summary(entry: IndexEntry) -> str:
    """The summary, unless the body begins with it anyway (a WordPress excerpt usually does)."""
    summary = entry.summary.removesuffix("…").rstrip()
    return "" if entry.body.startswith(summary) else entry.summary


class IndexTransaction:
    """The writes possible inside `SearchIndex.transaction()`."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def add(self, entries: Iterable[IndexEntry]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO fts(rowid, title, summary, body, tags, date)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                (rowid_of(e.id), e.title, _extra_summary(e), e.body, " ; ".join(e.tags), e.date)
                for e in entries
            ),
        )

    def remove(self, doc_ids: Iterable[str]) -> None:
        self._db.executemany("DELETE FROM fts WHERE rowid = ?", ((rowid_of(d),) for d in doc_ids))

    def set_digest(self, digest: str) -> None:
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'digest'", (digest,))


class SearchIndex:
    """One FTS5 table over title, summary, body and tags; rowid = article id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None

    # -- opening ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 10000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            self._db = db
        return self._db

    def use_bulk_cache(self) -> None:
        """A large page cache for building the index (an import, a rebuild): FTS5 merges its
        segments in it, 20-30% faster at 100k articles. Not for the reader, which would keep
        the memory."""
        with self._lock:
            self._connect().execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")

    def is_usable(self) -> bool:
        """True when the file is an index of the current schema that SQLite can read."""
        if not self.path.exists():
            return False
        try:
            with self._lock:
                row = (
                    self._connect()
                    .execute("SELECT value FROM meta WHERE key = 'schema'")
                    .fetchone()
                )
                self._connect().execute("SELECT count(*) FROM fts WHERE fts MATCH 'x'").fetchone()
        except sqlite3.DatabaseError:
            return False
        return row is not None and row[0] == SCHEMA_VERSION

    def digest(self) -> str:
        with self._lock:
            row = self._connect().execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()
        return str(row[0]) if row else ""

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def remove(self) -> None:
        """Delete the index files (the library is the truth; the index can always be rebuilt)."""
        self.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.path) + suffix).unlink()

    # -- writing ---------------------------------------------------------------------------

    def create(self) -> None:
        self.remove()
        with self._lock:
            db = self._connect()
            db.executescript(
                f"""
                CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
                CREATE VIRTUAL TABLE fts USING fts5(
                    title, summary, body, tags, date UNINDEXED,
                    tokenize = "unicode61 remove_diacritics 2");
                CREATE VIRTUAL TABLE fts_vocab USING fts5vocab(fts, 'row');
                INSERT INTO fts(fts, rank) VALUES('rank', '{RANK}');
                INSERT INTO meta VALUES ('schema', '{SCHEMA_VERSION}'), ('digest', '0:0');
                """
            )

    def write(self, entries: Iterable[IndexEntry], removed: Iterable[str], digest: str) -> None:
        """Add or replace `entries`, drop `removed`, record the library digest: one transaction."""
        with self.transaction() as writer:
            writer.remove(removed)
            writer.add(entries)
            writer.set_digest(digest)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[IndexTransaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield IndexTransaction(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def indexed_ids(self) -> set[str]:
        with self._lock:
            return {id_of(r) for (r,) in self._connect().execute("SELECT rowid FROM fts")}

    # -- searching -------------------------------------------------------------------------

    def estimate(self, query: Query) -> int:
        """An upper bound on matches, from the rarest required word's document count."""
        counts: list[int] = []
        with self._lock:
            db = self._connect()
            for group in query.groups:
                group_count = 0
                for term in group:
                    group_count += self._term_count(db, term.words, term.prefix)
                counts.append(group_count)
        return min(counts) if counts else 0

    @staticmethod
    def _term_count(db: sqlite3.Connection, words: tuple[str, ...], prefix: bool) -> int:
        if not words:
            return 0
        counts = []
        for position, word in enumerate(words):
            token = word.casefold()
            if prefix and position == len(words) - 1:
                row = db.execute(
                    "SELECT sum(doc) FROM fts_vocab WHERE term >= ? AND term < ?",
                    (token, token + "\U0010ffff"),
                ).fetchone()
            else:
                row = db.execute("SELECT doc FROM fts_vocab WHERE term = ?", (token,)).fetchone()
            counts.append(int(row[0] or 0) if row else 0)
        return min(counts)

    def search(
        self,
        query: Query,
        limit: int,
        only: Iterable[str] | None = None,
        excluding: Iterable[str] | None = None,
    ) -> HitPage:
        """Ranked matches of `query`'s words and tags, within `only` and outside `excluding`."""
        expression = query.fts()
        where = ["fts MATCH :match"]
        params: dict[str, object] = {"match": expression, "limit": limit}
        if only is not None:
            where.append("rowid IN (SELECT value FROM json_each(:only))")
            params["only"] = orjson.dumps([rowid_of(d) for d in only]).decode()
        if excluding is not None:
            where.append("rowid NOT IN (SELECT value FROM json_each(:excluding))")
            params["excluding"] = orjson.dumps([rowid_of(d) for d in excluding]).decode()
        if query.after:
            where.append("date >= :after")
            params["after"] = query.after
        if query.before:
            where.append("date < :before")
            params["before"] = query.before
        condition = " AND ".join(where)
        # From the body (column 2): a snippet of the tags column would just list the tags.
        snippet = f"snippet(fts, 2, '{SNIPPET_START}', '{SNIPPET_END}', '…', 16)"
        with self._lock:
            db = self._connect()
            estimate = self.estimate(query) if query.groups else 0
            ranked = estimate <= RANK_LIMIT
            # Only a bare `ORDER BY rank` lets FTS5 sort inside the index and stop at the limit.
            order = "ORDER BY rank" if ranked else ""
            rows = db.execute(
                f"SELECT rowid, rank, {snippet}, date FROM fts"
                f" WHERE {condition} {order} LIMIT :limit",
                params,
            ).fetchall()
            if len(rows) < limit:
                total, exact = len(rows), True
            elif ranked:
                total = db.execute(
                    f"SELECT count(*) FROM fts WHERE {condition}", params
                ).fetchone()[0]
                exact = True
            else:
                total, exact = estimate, False
        # Equal scores (the same text twice), newest first: a stable sort by date, then by score.
        rows.sort(key=lambda row: row[3], reverse=True)
        rows.sort(key=lambda row: row[1])
        hits = [Hit(id_of(rowid), float(-score), text) for rowid, score, text, _ in rows]
        return HitPage(hits, total, exact, ranked)

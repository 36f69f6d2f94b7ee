"""The full-text search index: SQLite FTS5 beside the library, derived from it and disposable."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import orjson

from newsreader.library.derived import ArticleContent
from newsreader.library.errors import LibraryCorrupt, LibraryError
from newsreader.text.quotes import EXTRACTOR_VERSION

# Quotations are derived with the text: new extraction rules rebuild the index like a schema.
SCHEMA_VERSION = f"3.{EXTRACTOR_VERSION}"
# Column weights for bm25: a title match counts most, then tags, summary, body.
RANK = "bm25(10.0, 3.0, 1.0, 5.0)"
# Above this many estimated matches, ranking every match would make a keystroke slow (bm25 is
# computed for each match before sorting): such a query returns the first matches unranked.
RANK_LIMIT = 10_000
BULK_CACHE_KIB = 128 * 1024
# FTS5 merges its segments this many at a time: its default, and while building in bulk.
AUTOMERGE = 4
BULK_AUTOMERGE = 8
# FTS5 gathers new terms in memory up to this many bytes before writing them as a segment: its
# default, and while building in bulk. Fewer, larger first segments leave less to merge: an
# import of 100,000 articles took 14.6 s instead of 15.7-17.3 (the writer's CPU 12.6 s instead
# of 13.1-14.8), searches as fast. It works only with the inserts in rowid order (`apply`).
HASH_BYTES = 1024 * 1024
BULK_HASH_BYTES = 16 * 1024 * 1024
BUSY_SECONDS = 10.0
_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
PROGRESS_STEPS = 2000  # SQLite VM steps between two looks at whether a search is still wanted
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
# The articles' full-text table: its columns and how it splits words (`index_query` builds a
# small one like it for the newest articles of a dense search).
FTS_COLUMNS = ("title", "summary", "body", "tags", "date")
FTS_DEFINITION = """fts5(
        title, summary, body, tags, date UNINDEXED,
        tokenize = "unicode61 remove_diacritics 2")"""
_SCHEMA = f"""
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
    CREATE VIRTUAL TABLE IF NOT EXISTS fts USING {FTS_DEFINITION};
    CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab(fts, 'row');
    CREATE TABLE IF NOT EXISTS applied(id TEXT PRIMARY KEY, version TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS quotations(
        id INTEGER PRIMARY KEY, article INTEGER NOT NULL, position INTEGER NOT NULL,
        start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
        speaker TEXT, as_written TEXT, kind TEXT);
    CREATE INDEX IF NOT EXISTS quotations_article ON quotations(article);
    CREATE INDEX IF NOT EXISTS quotations_speaker ON quotations(speaker);
    CREATE VIRTUAL TABLE IF NOT EXISTS quotes USING fts5(
        text, speaker, content = 'quotations', content_rowid = 'id',
        tokenize = "unicode61 remove_diacritics 2");
    INSERT INTO fts(fts, rank) VALUES('rank', '{RANK}');
    INSERT OR REPLACE INTO meta VALUES ('schema', '{SCHEMA_VERSION}');
"""


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


class IndexBusy(LibraryError):
    """Another process holds the search index's lock for longer than we wait."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The search index {path.name} is busy: another newsreader is writing it; "
            "try again in a moment."
        )


class SearchAbandoned(LibraryError):
    """A search stopped because a newer one superseded it (see `SearchIndex.abandoned_when`)."""

    def __init__(self) -> None:
        super().__init__("The search was superseded by a newer one.")


class IndexUnavailable(LibraryError):
    """SQLite cannot use the index for a reason that is neither busy nor damage."""


def _code(error: sqlite3.Error) -> int:
    return int(getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF


def is_busy(error: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: wait or retry, never a reason to delete anything."""
    return _code(error) in _BUSY_CODES or "locked" in str(error) or "busy" in str(error)


def is_damaged(error: sqlite3.Error) -> bool:
    return _code(error) in _DAMAGE_CODES


def rowid_of(doc_id: str) -> int:
    """Article ids are 64-bit hex hashes: the index's rowid is the same number, signed."""
    value = int(doc_id, 16)
    return value - (1 << 64) if value >= (1 << 63) else value


def rowids_of(doc_ids: Iterable[str]) -> list[int]:
    """`rowid_of` of many ids at once: the tag filter of a search holds 50,000 ids at a million
    articles, and one conversion each took 60 ms. Here the hex is decoded in one call and read
    as big-endian signed 64-bit numbers; an id of another shape takes the slow way."""
    ids = list(doc_ids)
    joined = "".join(ids)
    if len(joined) == 16 * len(ids):
        with contextlib.suppress(ValueError):
            decoded = bytes.fromhex(joined)
            if len(decoded) == 8 * len(ids):  # fromhex skips white space: none was skipped
                numbers = array("q", decoded)
                if sys.byteorder == "little":
                    numbers.byteswap()
                return numbers.tolist()
    return [rowid_of(doc_id) for doc_id in ids]


def id_of(rowid: int) -> str:
    return f"{rowid & ((1 << 64) - 1):016x}"


def _extra_summary(entry: ArticleContent) -> str:
    """The summary, unless the body begins with it anyway (a WordPress excerpt usually does)."""
    summary = entry.summary.removesuffix("…").rstrip()
    return "" if entry.body.startswith(summary) else entry.summary


# A quotation as the index stores it: start, end, text, speaker, as written, kind.
QuotationRow = tuple[int, int, str, str | None, str | None, str | None]


def quotation_rows(body: str) -> list[QuotationRow]:
    """The quotations of an article's body, as `IndexTransaction.apply` stores them."""
    # Loaded on first use: its rules compile in 50 ms that a command never writing pays not.
    from newsreader.text.speakers import extract_quotations

    found = extract_quotations(body)
    return [(q.start, q.end, q.text, q.speaker, q.as_written, q.kind) for q in found]


class IndexTransaction:
    """The writes possible inside `SearchIndex.transaction()`: a `StoreWriter`."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def apply(
        self,
        contents: Iterable[ArticleContent],
        quotations: Sequence[Sequence[QuotationRow]] | None = None,
    ) -> None:
        """Index these articles with their quotations. `quotations`, when given, holds each
        article's `quotation_rows(body)`, parallel to `contents`, computed elsewhere (an import
        computes some in the process that reads the files, to keep both cores busy)."""
        batch = list(contents)
        if quotations is None:
            quotations = [quotation_rows(e.body) for e in batch]
        # In rowid order: FTS5 writes out the terms it has gathered whenever a rowid is lower
        # than the last one, and rowids are hashes. Unsorted, 100,000 articles made ~50,000
        # small segments to merge: 13 s of CPU against 7 s sorted 250 at a time.
        self._db.executemany(
            "INSERT OR REPLACE INTO fts(rowid, title, summary, body, tags, date)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            sorted(
                (rowid_of(e.id), e.title, _extra_summary(e), e.body, " ; ".join(e.tags), e.date)
                for e in batch
            ),
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO applied(id, version) VALUES (?, ?)",
            ((e.id, e.version) for e in batch),
        )
        self._drop_quotations([e.id for e in batch])
        # Rows with their ids given, one statement each: a statement over many rows (INSERT
        # ... SELECT) opens a savepoint, and FTS5 writes out the terms it gathered at every
        # savepoint, which would undo the bulk buffer (`BULK_HASH_BYTES`).
        since = self._db.execute("SELECT coalesce(max(id), 0) FROM quotations").fetchone()[0]
        rows: list[tuple[int | str | None, ...]] = []
        for entry, found in zip(batch, quotations, strict=True):
            article = rowid_of(entry.id)
            for position, row in enumerate(found):
                rows.append((since + len(rows) + 1, article, position, *row))
        self._db.executemany(
            "INSERT INTO quotations(id, article, position, start, end, text, speaker, as_written,"
            " kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._db.executemany(
            "INSERT INTO quotes(rowid, text, speaker) VALUES (?, ?, ?)",
            ((row[0], row[5], row[6] or "") for row in rows),
        )

    def merge_in_bulk(self, bulk: bool) -> None:
        """While building in bulk (an import's writer), FTS5 merges its segments 8 at a time
        rather than 4 (10% less CPU for 100,000 articles, searches as fast: 30 ms for a common
        word either way), and writes them from a larger buffer (`BULK_HASH_BYTES`). The
        settings are stored in the index: set them back before the commit, and later writes
        merge as usual."""
        settings = {
            "automerge": BULK_AUTOMERGE if bulk else AUTOMERGE,
            "hashsize": BULK_HASH_BYTES if bulk else HASH_BYTES,
        }
        for table in ("fts", "quotes"):
            for name, value in settings.items():
                self._db.execute(f"INSERT INTO {table}({table}, rank) VALUES(?, ?)", (name, value))

    def drop(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        self._db.executemany("DELETE FROM fts WHERE rowid = ?", ((rowid_of(d),) for d in ids))
        self._db.executemany("DELETE FROM applied WHERE id = ?", ((d,) for d in ids))
        self._drop_quotations(ids)

    def _drop_quotations(self, doc_ids: list[str]) -> None:
        """Remove these articles' quotations and their entries in the external-content FTS
        table (which must be told the old values to forget them). Read first, then one row
        per statement: new articles, an import's, cost one read (see `apply`)."""
        articles = orjson.dumps([rowid_of(d) for d in doc_ids]).decode()
        old = self._db.execute(
            "SELECT id, text, coalesce(speaker, '') FROM quotations"
            " WHERE article IN (SELECT value FROM json_each(?))",
            (articles,),
        ).fetchall()
        if not old:
            return
        self._db.executemany(
            "INSERT INTO quotes(quotes, rowid, text, speaker) VALUES('delete', ?, ?, ?)", old
        )
        self._db.executemany("DELETE FROM quotations WHERE id = ?", ((row[0],) for row in old))


class SearchIndex:
    """One FTS5 table over title, summary, body and tags (rowid = article id), and the
    `(id, version)` pairs it holds: a derived store (see `derived`)."""

    name = "search index"

    def __init__(self, path: Path, busy_seconds: float = BUSY_SECONDS) -> None:
        self.path = path
        self.busy_seconds = busy_seconds
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._abandon = threading.local()  # per thread: when its reads should stop

    # -- opening ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            db = sqlite3.connect(
                self.path, timeout=self.busy_seconds, check_same_thread=False, isolation_level=None
            )
            try:
                try:
                    db.execute("PRAGMA journal_mode = WAL")
                    db.execute("PRAGMA synchronous = NORMAL")
                except sqlite3.OperationalError as error:
                    if not is_busy(error):
                        raise
                    # An import is writing in a rollback journal (see `use_bulk_journal`):
                    # work in that mode, each commit synced; a later connection brings WAL back.
                    db.execute("PRAGMA synchronous = FULL")
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def use_bulk_journal(self) -> bool:
        """A rollback journal instead of WAL, for one big write (an import's index writer): each
        new page is written once, not into the log and again at the checkpoint. An import of
        100,000 articles indexed in 14.8 s instead of 20.4 s. Only when no other connection
        has the index open (SQLite refuses otherwise: WAL stays, False). Readers that open it
        meanwhile read until the write takes its exclusive lock (a cache spill, the commit);
        `use_wal` puts WAL back, as does the next connection that can. Crash-safe either way:
        a journal left by a dead writer is rolled back by the next connection."""
        with self._lock, self._errors():
            db = self._connect()
            db.execute("PRAGMA busy_timeout = 0")  # refused at once rather than waited for
            try:
                mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            except sqlite3.OperationalError as error:
                if not is_busy(error):
                    raise
                mode = "wal"
            finally:
                db.execute(f"PRAGMA busy_timeout = {int(self.busy_seconds * 1000)}")
            if mode != "delete":
                return False
            db.execute("PRAGMA synchronous = FULL")  # NORMAL is not crash-safe in this mode
            return True

    def use_wal(self) -> None:
        """Back to WAL after `use_bulk_journal` (quietly left for later when another process
        has the index open)."""
        with self._lock, self._errors():
            db = self._connect()
            with contextlib.suppress(sqlite3.OperationalError):
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite errors as one sentence: busy is said as busy, never taken for damage."""
        try:
            yield
        except sqlite3.Error as error:
            raise self._said(error) from None

    def _said(self, error: sqlite3.Error) -> LibraryError:
        if _code(error) == sqlite3.SQLITE_INTERRUPT or str(error) == "interrupted":
            return SearchAbandoned()
        if is_busy(error):
            return IndexBusy(self.path)
        if is_damaged(error):
            return LibraryCorrupt(self.path, str(error))
        return IndexUnavailable(f"The search index {self.path} cannot be used: {error}.")

    def use_bulk_cache(self) -> None:
        """A large page cache for building the index (an import, a rebuild): FTS5 merges its
        segments in it, 20-30% faster at 100k articles. Not for the reader, which would keep
        the memory."""
        with self._lock, self._errors():
            self._connect().execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")

    def prepare(self) -> None:
        """Make the file an index of the current schema. A missing one is created, an outdated
        one rebuilt inside a transaction (the file stays: other processes may have it open);
        only a file SQLite says is not a database, or damaged, is replaced. Raises `IndexBusy`
        when another process holds it too long."""
        try:
            with self._lock:
                if self._schema() == SCHEMA_VERSION:
                    return
        except sqlite3.Error as error:
            if not is_damaged(error):
                raise self._said(error) from None
            self._replace_damaged()
        self.rebuild()

    def _schema(self) -> str:
        if not self.path.exists():
            return ""
        db = self._connect()
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            return ""
        row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return str(row[0]) if row else ""

    def _replace_damaged(self) -> None:
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.path) + suffix).unlink()

    def rebuild(self) -> None:
        """Empty the index to the current schema in one transaction: the next reconcile fills
        it. Readers in other processes see the old index until it commits, never no file."""
        with self._lock, self._errors():
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                for table in ("fts_vocab", "fts", "applied", "quotes", "quotations", "meta"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def check(self) -> str:
        """'' when SQLite and FTS5 find the index sound, else what they found (for doctor)."""
        try:
            with self._lock:
                db = self._connect()
                row = db.execute("PRAGMA integrity_check").fetchone()
                if row is None or row[0] != "ok":
                    return str(row[0] if row else "no answer")
                if self._schema() != SCHEMA_VERSION:
                    return ""  # an older index is not damaged: the next search rebuilds it
                db.execute("INSERT INTO fts(fts, rank) VALUES('integrity-check', 1)")
                db.execute("INSERT INTO quotes(quotes, rank) VALUES('integrity-check', 1)")
        except sqlite3.Error as error:
            if is_busy(error):
                raise IndexBusy(self.path) from None
            return str(error)
        return ""

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- writing ---------------------------------------------------------------------------

    def is_empty(self) -> bool:
        with self._lock, self._errors():
            return self._connect().execute("SELECT 1 FROM applied LIMIT 1").fetchone() is None

    def in_step_with(self) -> str:
        """The catalog signature a reconcile last brought this index in step with ('' none)."""
        with self._lock, self._errors():
            row = self._connect().execute("SELECT value FROM meta WHERE key = 'in_step'").fetchone()
        return str(row[0]) if row else ""

    def record_in_step(self, signature: str) -> None:
        """Written after a reconcile's last transaction: the index holds every version the
        catalog had at `signature` (read under the lock with them). A later catalog has
        another signature, so this never claims more than was done."""
        with self._lock, self._errors():
            self._connect().execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('in_step', ?)", (signature,)
            )

    def applied(self) -> dict[str, str]:
        with self._lock, self._errors():
            return dict(self._connect().execute("SELECT id, version FROM applied").fetchall())

    @contextlib.contextmanager
    def transaction(self) -> Iterator[IndexTransaction]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        with self._lock, self._errors():
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield IndexTransaction(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def indexed_ids(self) -> set[str]:
        with self._lock, self._errors():
            return {id_of(r) for (r,) in self._connect().execute("SELECT rowid FROM fts")}

    # -- reading ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, for queries (see `index_query`); errors said as one sentence. In a
        thread inside `abandoned_when`, a query stops as soon as the predicate holds."""
        with self._lock, self._errors():
            db = self._connect()
            abandoned = getattr(self._abandon, "predicate", None)
            if abandoned is None:
                yield db
                return
            db.set_progress_handler(lambda: 1 if abandoned() else 0, PROGRESS_STEPS)
            try:
                yield db
            finally:
                db.set_progress_handler(None, 0)

    @contextlib.contextmanager
    def abandoned_when(self, predicate: Callable[[], bool]) -> Iterator[None]:
        """Within the block (in this thread), every read stops with `SearchAbandoned` once
        `predicate` holds: a search superseded by a newer keystroke stops working, rather than
        keep the index from the newer one. Writes are never stopped this way."""
        self._abandon.predicate = predicate
        try:
            yield
        finally:
            self._abandon.predicate = None

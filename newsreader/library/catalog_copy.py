"""A copy of the catalog inside the search index: commands answer from it without reading the
catalog (26 MB of JSON at 100,000 articles, 0.15 s to parse before the first line is printed).

It is derived data like the index itself (see `derived`), and it keeps the same rule:

- one row per article: the catalog record as stored, with the article's *version*, and its
  summary, word count and lead (what `--json` prints from the body); bringing the copy in step
  is the difference by `(id, version)` against the catalog's, applied in one SQLite
  transaction. A record changes only with its version (`Library.add` writes it once; a feed
  entry is rewritten only when its content hash changes, a fetched full text changes the
  version too), and the version covers the body and summary; so a row with the catalog's
  version holds the catalog's record and texts. Texts are copied for up to `EAGER_TEXTS` new
  or changed articles at a time; beyond (a large import) they are left to the body files.
- what a command needs of the whole catalog (the order newest first, the tag counts, the
  languages) is computed by the `Library` itself from the catalog it read, and written in the
  same transaction with the catalog signature (mtime, size, inode) it was read at.

A command answers from the copy only when a stat of the catalog equals the signature the copy
was written with: then every row and fact is the catalog's as it is on disk, whatever the
index's own state (a search still reconciles the index first when it is behind, which reads
the catalog). Otherwise the command takes the catalog's path as before, then brings the copy
in step for the next one (`after_catalog_read`). The copy is filled by these commands, not by
an import or the reader: neither pays for it; the first such command after a change to the
catalog pays the difference: at 100,000 articles ~0.17 s when no article changed (another
write of the catalog file), a full fill ~1.2 s once after a large import.

Why not rows written with the index's own rows (`IndexTransaction.apply`)? An import indexes
in a helper process from the parsed files, before `Library.add` decides tag spellings and body
files: its rows could not be exact copies of the records, and the copy would be wrong exactly
where it must be exact. A store of its own, filled from the records, needs nothing of the
importer, costs an import nothing, and needs no rebuild of the index.

The copy's rows and facts live in the index's file, in tables of their own (`TABLES`); a
rebuild of the index keeps them (they depend on the catalog alone); `reindex` rebuilds both.
"""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol

import orjson

from newsreader.library.derived import Difference, Signature, difference
from newsreader.library.errors import LibraryError
from newsreader.library.library import Library, _article
from newsreader.library.search_index import id_of, rowid_of
from newsreader.model import Article, TagCount, count_words

# Articles read one at a time beyond this: the question is about the whole catalog (a date
# filter with no words); the catalog answers it faster than one row at a time.
SINGLE_READS = 1000
TABLES = ("catalog_copy", "catalog_facts")
# The copy's own layout: another one is emptied and filled again by the next command.
COPY_SCHEMA = "5"
# Texts are copied when this many articles or fewer are new or changed (a feed's refresh, an
# import of some files): a body file read for each 500. A larger import leaves them to be read
# from the body files when shown (reading 100,000 bodies would cost the next command seconds).
EAGER_TEXTS = 20_000
LEAD_WORDS = 40
ID_DIGITS = 16
HEX_DIGITS = "0123456789abcdef"
SIGN = 1 << 63
_SCHEMA = (
    # `texts`: the summary, the body's word count and (unless the summary begins with it) its
    # lead, as JSON: the body's file is not read for them (the version covers the body). NULL:
    # not copied (see `EAGER_TEXTS`).
    "CREATE TABLE IF NOT EXISTS catalog_copy(rowid INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL, version TEXT NOT NULL, record BLOB NOT NULL, texts BLOB)",
    "CREATE TABLE IF NOT EXISTS catalog_facts(key TEXT PRIMARY KEY, value BLOB NOT NULL)",
)


class CopyCannot(Exception):
    """The copy cannot answer this (it is behind, or the question needs the whole catalog):
    the command answers from the catalog instead."""


class CatalogReader(Protocol):
    """What commands read of the catalog: the `Library` gives it from the catalog file, a
    `CatalogCopy` from the index's copy."""

    def article(self, doc_id: str) -> Article | None: ...
    def resolve_id(self, prefix: str) -> str | None: ...
    def rowids_newest_first(self) -> list[int]: ...
    def ids_newest_first(self) -> list[str]: ...
    def languages(self) -> list[str]: ...
    def tag_counts(self) -> list[TagCount]: ...
    def tagged(self, tag: str) -> set[str]: ...
    def of_feed(self, name: str) -> set[str]: ...


def _rowids_to_bytes(rowids: Iterable[int]) -> bytes:
    values = array("q", rowids)
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def _rowids_from_bytes(data: bytes) -> list[int]:
    values = array("q")
    values.frombytes(data)
    if sys.byteorder == "big":
        values.byteswap()
    return values.tolist()


def copy_in_step_with(db: sqlite3.Connection) -> str:
    """The catalog signature the copy holds ('' when none, no copy yet, or another layout)."""
    try:
        facts = dict(
            db.execute(
                "SELECT key, value FROM catalog_facts WHERE key IN ('in_step', 'schema')"
            ).fetchall()
        )
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return ""
        raise
    return str(facts.get("in_step", "")) if facts.get("schema") == COPY_SCHEMA else ""


def in_step_copy(library: Library) -> CatalogCopy | None:
    """The copy, when it is in step with the catalog as it is on disk (a stat and one small
    read; the catalog is not read), else None. Whatever the index's own state: the copy
    depends on the catalog alone (a search still reconciles the index first if it is behind).
    A busy or unusable index just means no copy: the catalog answers."""
    on_disk = library.catalog_file_signature()
    index = library.index
    if on_disk is None or not index.path.exists():
        return None
    try:
        with index.reading() as db:
            copied = copy_in_step_with(db)
            if copied != repr(on_disk):
                return None
            if index.in_step_with() == copied:  # a search's own `sync_index` is one stat
                library.in_step[index.name] = on_disk
    except LibraryError:
        return None
    return CatalogCopy(library)


def after_catalog_read(library: Library) -> None:
    """A command read the catalog (its copy was behind): bring the copy in step for the next
    one, while the catalog is in memory. Never the command's failure: the copy only saves
    time; an index that is missing, busy or damaged is left to the commands that need it."""
    if not library.index.path.exists():
        return
    with contextlib.suppress(LibraryError, CopyCannot):
        sync_copy(library)


def sync_copy(library: Library, force: bool = False) -> bool:
    """Bring the copy in step with the catalog (see the module's doc); True when rows changed.
    `force` empties it first, in the same transaction (`newsreader reindex`)."""
    index = library.index
    with library.locked():
        signature = library.catalog_signature()
        versions = library.versions()
        records = library.catalog_records()
    with index.reading() as db:
        before = None if force else _copied(db)
        seen = db.execute("PRAGMA data_version").fetchone()[0]
    # Read before the write transaction: the library's lock is never awaited inside it.
    planned = _difference(versions, before or {})
    facts: list[tuple[str, bytes | str]] = []
    texts: dict[str, bytes] = {}
    eager = len(planned.apply) <= EAGER_TEXTS
    if before is None or planned:
        facts, texts = _read_catalog(library, signature, planned.apply if eager else [])
    with index.reading() as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            # Unless another process has written the index since (SQLite's data_version),
            # the pairs read above are the copy's: 100,000 of them are not read twice.
            unchanged = db.execute("PRAGMA data_version").fetchone()[0] == seen
            have = None if force else (before if unchanged else _copied(db))
            if have is None:  # `reindex`; no copy yet, or another layout
                for table in TABLES:
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA:
                    db.execute(statement)
                have = {}
            diff = planned if have is before else _difference(versions, have)
            if (diff and not facts) or (eager and not all(d in texts for d in diff.apply)):
                raise CopyCannot("another process changed the copy meanwhile: next time")
            db.executemany(
                "DELETE FROM catalog_copy WHERE rowid = ?", ((rowid_of(d),) for d in diff.drop)
            )
            # In rowid order: the table's pages fill one after another (random ids: 4x slower).
            rows = sorted(
                (rowid_of(d), d, versions[d], orjson.dumps(records[d]), texts.get(d))
                for d in diff.apply
            )
            db.executemany("INSERT OR REPLACE INTO catalog_copy VALUES (?, ?, ?, ?, ?)", rows)
            # Unless rows changed, the facts stay: they follow from the `(id, version)` pairs
            # (a record changes only with its version; the catalog keeps import order).
            facts += [("in_step", repr(signature)), ("schema", COPY_SCHEMA)]
            db.executemany("INSERT OR REPLACE INTO catalog_facts VALUES (?, ?)", facts)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return bool(diff)


def _difference(versions: dict[str, str], have: dict[str, str]) -> Difference:
    """`derived.difference`, with nothing to compare when both are equal (one C-level test:
    the usual case, the catalog rewritten for something else)."""
    return Difference([], []) if versions == have else difference(versions, have)


def _copied(db: sqlite3.Connection) -> dict[str, str] | None:
    """The copy's `(id, version)` pairs; None when there is no copy of this layout."""
    if _layout(db) != COPY_SCHEMA:
        return None
    return dict(db.execute("SELECT id, version FROM catalog_copy").fetchall())


def _read_catalog(
    library: Library, signature: Signature, doc_ids: list[str]
) -> tuple[list[tuple[str, bytes | str]], dict[str, bytes]]:
    """What commands need of the whole catalog, computed by the library itself, and the
    summary, lead and word count of `doc_ids` (their bodies read file by file), all from the
    catalog at `signature`, under the lock; `CopyCannot` when the catalog has changed since."""
    with library.locked():
        if library.catalog_signature() != signature:
            raise CopyCannot("the catalog changed meanwhile")
        order = library.rowids_newest_first()
        tags = [(t.name, t.count) for t in library.tag_counts()]
        languages = library.languages()
        texts = {
            doc_id: _texts(summary, lead_of(body), count_words(body))
            for doc_id, summary, body in library.texts(doc_ids)
        }
    facts: list[tuple[str, bytes | str]] = [
        ("order", _rowids_to_bytes(order)),
        ("tags", orjson.dumps(tags)),
        ("languages", orjson.dumps(languages)),
    ]
    return facts, texts


def lead_of(body: str) -> str:
    """The first words of a body (`--json`'s `lead`); the rest is not split."""
    return " ".join(body.split(maxsplit=LEAD_WORDS)[:LEAD_WORDS])


def _texts(summary: str, lead: str, words: int) -> bytes:
    """As the copy stores them: the lead only when the summary does not begin with it (a
    WordPress excerpt is the body's first 55 words: most leads are the summary's first 40)."""
    if lead == lead_of(summary):
        return orjson.dumps([summary, words])
    return orjson.dumps([summary, words, lead])


def _layout(db: sqlite3.Connection) -> str:
    """The copy's layout ('' when there is no copy yet)."""
    try:
        row = db.execute("SELECT value FROM catalog_facts WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return ""
        raise
    return str(row[0]) if row else ""


class CatalogCopy:
    """The catalog as the index's copy holds it (see `in_step_copy`): a `CatalogReader`."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._records: dict[str, dict[str, Any]] = {}
        self._texts: dict[str, bytes | None] = {}
        self._order: list[int] | None = None
        self._single_reads = 0

    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The index's connection; an index that cannot be read (busy, damaged) is a copy
        that cannot answer: the catalog does, as before (`tags` never needed the index)."""
        try:
            with self.library.index.reading() as db:
                yield db
        except LibraryError as error:
            raise CopyCannot(str(error)) from error

    def _fact(self, key: str) -> bytes:
        with self._reading() as db:
            row = db.execute("SELECT value FROM catalog_facts WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise CopyCannot(f"the copy has no {key}")
        value = row[0]
        return value.encode() if isinstance(value, str) else bytes(value)

    def records(self, doc_ids: Iterable[str]) -> Mapping[str, dict[str, Any]]:
        """The catalog records of these articles, in one read; `CopyCannot` when one is
        missing (the copy is behind what the index found)."""
        wanted = [d for d in dict.fromkeys(doc_ids) if d not in self._records]
        if wanted:
            listed = orjson.dumps([rowid_of(d) for d in wanted]).decode()
            with self._reading() as db:
                rows = db.execute(
                    "SELECT id, record, texts FROM catalog_copy"
                    " WHERE rowid IN (SELECT value FROM json_each(?))",
                    (listed,),
                ).fetchall()
            for doc_id, record, texts in rows:
                self._records[doc_id] = orjson.loads(record)
                self._texts[doc_id] = texts
            missing = [d for d in wanted if d not in self._records]
            if missing:
                raise CopyCannot(f"the copy lacks {missing[0]}")
        return self._records

    def record(self, doc_id: str) -> dict[str, Any]:
        if doc_id not in self._records:
            self._single_reads += 1
            if self._single_reads > SINGLE_READS:
                raise CopyCannot("a question about the whole catalog")
        return self.records([doc_id])[doc_id]

    def article(self, doc_id: str) -> Article | None:
        return _article(doc_id, self.record(doc_id))

    def resolve_id(self, prefix: str) -> str | None:
        """As `Library.resolve_id`: the one id starting with `prefix`. Ids are 16 hex digits,
        the rows' keys the same number (`rowid_of`): a prefix is a range of keys."""
        if len(prefix) > ID_DIGITS or prefix.strip(HEX_DIGITS):
            return None  # no id starts with it
        low = int(prefix.ljust(ID_DIGITS, "0"), 16)
        high = int(prefix.ljust(ID_DIGITS, "f"), 16)
        # As signed keys the range splits where the top bit turns on (only for "").
        ranges = [(low, min(high, SIGN - 1)), (max(low, SIGN), high)]
        found: list[int] = []
        with self._reading() as db:
            for start, end in ranges:
                if start <= end and len(found) < 2:
                    found += [
                        rowid
                        for (rowid,) in db.execute(
                            "SELECT rowid FROM catalog_copy WHERE rowid BETWEEN ? AND ? LIMIT 2",
                            (rowid_of(f"{start:016x}"), rowid_of(f"{end:016x}")),
                        )
                    ]
        return id_of(found[0]) if len(found) == 1 else None

    def rowids_newest_first(self) -> list[int]:
        if self._order is None:
            self._order = _rowids_from_bytes(self._fact("order"))
        return self._order

    def ids_newest_first(self) -> list[str]:
        return [id_of(rowid) for rowid in self.rowids_newest_first()]

    def languages(self) -> list[str]:
        return [str(name) for name in orjson.loads(self._fact("languages"))]

    def tag_counts(self) -> list[TagCount]:
        return [TagCount(name, count) for name, count in orjson.loads(self._fact("tags"))]

    def tagged(self, tag: str) -> set[str]:
        raise CopyCannot("tag filters read the catalog")

    def of_feed(self, name: str) -> set[str]:
        raise CopyCannot("feed filters read the catalog")

    def texts_of(self, doc_id: str) -> tuple[str, str, int]:
        """The summary, the body's lead (`lead_of`) and its word count, as `--json` shows
        them: the body's file is not read."""
        record = self.record(doc_id)  # the row is there (or `CopyCannot`), its texts with it
        copied = self._texts[doc_id]
        if copied is not None:
            summary, words, *lead = orjson.loads(copied)
            return str(summary), str(lead[0]) if lead else lead_of(summary), int(words)
        # Not copied (a large import): from the body's file, as `Library.body` and `summary`.
        stored = self.library.stored_texts(doc_id, record)
        body = str(stored["body"]) if stored else ""
        if stored and "summary" in stored:
            summary = str(stored["summary"])
        else:
            summary = str(record.get("summary", ""))
        return summary, lead_of(body), count_words(body)

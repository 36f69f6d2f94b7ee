"""The Library facade: articles, bodies and reading state, as `Article` objects, never documents."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

from newsreader.library.article_ids import article_id, blake2b_hex, content_hash
from newsreader.library.bodies import BodyFiles, FileAssigner, file_of
from newsreader.library.derived import ArticleContent, Signature
from newsreader.library.errors import LibraryError, describe_os_error
from newsreader.library.search_index import SearchIndex, id_of, rowid_of
from newsreader.library.storage import LibraryLock
from newsreader.library.tinydb_files import open_db
from newsreader.model import NO_STATE, Article, ArticleState, ParsedArticle, TagCount
from newsreader.text.word_forms import snowball_names

ARTICLES = "articles"
STATE = "state"
META = "meta"


def default_library_path() -> Path:
    return platformdirs.user_data_path("newsreader") / "library.json"


def _version(doc_id: str, record: Mapping[str, Any]) -> str:
    """A feed entry's content hash, or a file's id; and the full text's, once fetched."""
    version = record.get("hash") or doc_id
    full = record.get("full")
    return f"{version}+{full}" if full else str(version)


def _texts(item: ParsedArticle) -> dict[str, str]:
    return {"summary": item.summary, "body": item.body}


def _article(doc_id: str, record: dict[str, Any]) -> Article:
    get = record.get
    return Article(
        doc_id,
        get("title", ""),
        get("summary", ""),
        tuple(get("tags", ())),
        get("tags_raw", ""),
        get("source", ""),
        get("link", ""),
        get("author", ""),
        get("published", ""),
        get("added", ""),
    )


class Library:
    """A library on disk: `library.json` (titles, tags, dates: what the first screen needs),
    `library.state.json` (bookmarks and read marks), `library.bodies/` (summaries and bodies, in
    files of 500 in import order) and, derived, `library.search.sqlite`. One lock file guards
    all writes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().absolute()
        folder = self.path.parent
        if self.path.is_dir():
            raise LibraryError(f"The library path {self.path} is a folder, not a file.")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LibraryError(describe_os_error(error, self.path)) from None
        stem = self.path.name.removesuffix(".json")
        self.state_path = folder / f"{stem}.state.json"
        self.bodies_dir = folder / f"{stem}.bodies"
        self.index = SearchIndex(folder / f"{stem}.search.sqlite")
        self.lock = LibraryLock(str(self.path) + ".lock")
        self._catalog, self._catalog_storage = open_db(self.path, self.lock, backup=True)
        self._state, self._state_storage = open_db(self.state_path, self.lock, backup=True)
        self._bodies = BodyFiles(self.bodies_dir, self.lock)
        # Per derived store, the catalog signature it was last reconciled with in this process:
        # set after the work, from the signature read with the versions it applied.
        self.in_step: dict[str, Signature] = {}
        self._languages: tuple[Signature, list[str]] = (None, ["english"])
        self._date_order: tuple[Signature, list[int]] = (None, [])
        self._tag_index: tuple[Signature, dict[str, set[str]]] = (None, {})
        self._id_order: tuple[list[int] | None, list[str]] = (None, [])
        # Body files known without the catalog (from the first page): an article opened
        # before the catalog has loaded reads its body, not 26 MB of titles.
        self._file_hints: dict[str, str] = {}

    # -- reading -------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.path.is_file()

    def _records(self) -> dict[str, dict[str, Any]]:
        # The raw table, not `table.all()`: 100k Document copies would double the memory.
        tables = self._catalog_storage.read() or {}
        return tables.get(ARTICLES, {})

    def __len__(self) -> int:
        return len(self._records())

    def ids(self) -> list[str]:
        return list(self._records())

    def stored_texts(self, doc_id: str, record: Mapping[str, Any]) -> Mapping[str, Any] | None:
        """The summary and body of an article whose catalog record the caller has (the
        index's copy of it): its body file is read, the catalog is not."""
        return self._bodies.get(file_of(doc_id, record), doc_id)

    def catalog_records(self) -> Mapping[str, Mapping[str, Any]]:
        """The catalog's records by id, in the file's (import) order, as stored: what the
        index's copy of the catalog copies (see `catalog_copy`). Not to be changed."""
        return self._records()

    def articles(self) -> list[Article]:
        """Every article, newest first; articles of the same date, the last imported first."""
        found = [_article(doc_id, record) for doc_id, record in self._records().items()]
        found.reverse()  # the file keeps import order; the stable sort keeps it for ties
        found.sort(key=lambda a: a.date, reverse=True)
        return found

    def rowids_newest_first(self) -> list[int]:
        """Every article's search-index rowid, newest first (same date: last imported first);
        sorted once per version of the catalog."""
        signature = self.catalog_signature()
        if self._date_order[0] != signature or signature is None:
            records = self._records()
            ids = list(records)
            ids.reverse()  # the file keeps import order; the stable sort keeps it for ties

            def date(doc_id: str) -> str:
                record = records[doc_id]
                return str(record.get("published") or record.get("added") or "")

            ids.sort(key=date, reverse=True)
            self._date_order = (signature, [rowid_of(doc_id) for doc_id in ids])
        return self._date_order[1]

    def ids_newest_first(self) -> list[str]:
        """Every article's id in the order of `rowids_newest_first` (and `articles`)."""
        rowids = self.rowids_newest_first()
        if self._id_order[0] is not rowids:
            self._id_order = (rowids, [id_of(rowid) for rowid in rowids])
        return self._id_order[1]

    def languages(self) -> list[str]:
        """The languages articles declare (feeds say theirs), English first and always:
        what word forms are looked for in. Counted once per version of the catalog."""
        signature = self.catalog_signature()
        if self._languages[0] != signature or signature is None:
            declared = {r["lang"] for r in self._records().values() if "lang" in r}
            self._languages = (signature, ["english", *sorted(snowball_names(declared))])
        return self._languages[1]

    def tagged(self, tag: str) -> set[str]:
        """Ids of the articles with exactly this tag (any case); the map from tags to ids is
        built once per version of the catalog."""
        signature = self.catalog_signature()
        if self._tag_index[0] != signature or signature is None:
            index: dict[str, set[str]] = {}
            for doc_id, record in self._records().items():
                for name in record.get("tags", ()):
                    index.setdefault(name.casefold(), set()).add(doc_id)
            self._tag_index = (signature, index)
        return set(self._tag_index[1].get(tag.casefold(), ()))

    def of_feed(self, name: str) -> set[str]:
        """Ids of the articles of the feed with this title (any case)."""
        wanted = name.casefold()
        return {
            doc_id
            for doc_id, record in self._records().items()
            if record.get("link") and str(record.get("source", "")).casefold() == wanted
        }

    def article(self, doc_id: str) -> Article | None:
        record = self._records().get(doc_id)
        return _article(doc_id, record) if record is not None else None

    def resolve_id(self, prefix: str) -> str | None:
        """The one article id starting with `prefix`, or None if none or several do."""
        records = self._records()
        if prefix in records:
            return prefix
        matches = [doc_id for doc_id in records if doc_id.startswith(prefix)]
        return matches[0] if len(matches) == 1 else None

    def _file_of(self, doc_id: str) -> str:
        hint = self._file_hints.get(doc_id)
        return hint if hint is not None else file_of(doc_id, self._records().get(doc_id))

    def file_names(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """The body file of each article (for the first page)."""
        records = self._records()
        return {doc_id: file_of(doc_id, records.get(doc_id)) for doc_id in doc_ids}

    def know_files(self, files: Mapping[str, str]) -> None:
        """Body files as the first page recorded them; `{}` forgets them (the catalog has
        loaded: it is the authority again)."""
        self._file_hints = dict(files)

    def first_page_sources(self) -> list[Path]:
        """The files the first page is computed from (see `first_page`): catalog, marks and
        saved searches."""
        stem = self.path.name.removesuffix(".json")
        return [self.path, self.state_path, self.path.with_name(f"{stem}.saved.json")]

    def body(self, doc_id: str) -> str:
        record = self._bodies.get(self._file_of(doc_id), doc_id)
        return str(record["body"]) if record else ""

    def summary(self, doc_id: str) -> str:
        """The summary, kept with the body: the catalog stays small for the first screen."""
        record = self._bodies.get(self._file_of(doc_id), doc_id)
        if record and "summary" in record:
            return str(record["summary"])
        article = self.article(doc_id)
        return article.summary if article else ""

    def texts(self, doc_ids: Iterable[str]) -> Iterator[tuple[str, str, str]]:
        """(id, summary, body) for each id, file by file so each file is parsed once."""
        records = self._records()
        wanted = {doc_id: file_of(doc_id, records.get(doc_id)) for doc_id in doc_ids}
        for doc_id, text in self._bodies.read(wanted):
            summary = text.get("summary", records.get(doc_id, {}).get("summary", ""))
            yield doc_id, str(summary), str(text.get("body", ""))

    def versions(self) -> dict[str, str]:
        """Every article's version for derived data (see `derived`): a feed entry's content
        hash; a file's id, which is already the hash of its content."""
        return {doc_id: _version(doc_id, record) for doc_id, record in self._records().items()}

    def contents(self, doc_ids: Iterable[str]) -> Iterator[ArticleContent]:
        """What derived stores are given, with each article's version as read now."""
        records = self._records()
        for doc_id, summary, body in self.texts(doc_ids):
            record = records.get(doc_id)
            if record is None:
                continue  # removed meanwhile: the next reconcile drops it
            article = _article(doc_id, record)
            version = _version(doc_id, record)
            yield ArticleContent(
                doc_id, version, article.title, summary, body, article.tags, article.date
            )

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the library's write lock: no other process changes any of its files meanwhile."""
        with self._catalog_storage.locked():
            yield

    def body_assigner(self) -> FileAssigner:
        """Body-file numbers for articles about to be added (see `write_bodies`)."""
        return FileAssigner(self._records())

    def write_bodies(self, items: Mapping[str, ParsedArticle], numbers: Mapping[str, int]) -> None:
        """Write new articles' bodies ahead of `add` (an import frees them as it goes). Until
        `add` lists them, they are invisible: a crash in between loses nothing listed."""
        with self._catalog_storage.locked():
            self._bodies.write_new({d: _texts(item) for d, item in items.items()}, numbers)

    def bodies(self, doc_ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(id, body) for each id (see `texts`)."""
        for doc_id, _, body in self.texts(doc_ids):
            yield doc_id, body

    def tag_counts(self, articles: Iterable[Article] | None = None) -> list[TagCount]:
        """Tags with their article counts, most used first, then alphabetical."""
        counts: Counter[str] = Counter()
        if articles is None:  # from the records: no need to build 100,000 articles to count
            for record in self._records().values():
                counts.update(record.get("tags", ()))
        else:
            for article in articles:
                counts.update(article.tags)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
        return [TagCount(name, count) for name, count in ordered]

    def feed_counts(self) -> tuple[TagCount, ...]:
        """Articles per feed (those with a web link, by source), from the records: as
        `selection.feed_counts` counts built articles."""
        counts: Counter[str] = Counter()
        for record in self._records().values():
            source = record.get("source")
            if source and record.get("link"):
                counts[source] += 1
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
        return tuple(TagCount(name, count) for name, count in ordered)

    def known_tags(self) -> dict[str, str]:
        """Every tag's casefolded form mapped to the one spelling the library shows."""
        known: dict[str, str] = {}
        for record in self._records().values():
            for tag in record.get("tags", ()):
                known.setdefault(tag.casefold(), tag)
        return known

    def states(self) -> dict[str, ArticleState]:
        tables = self._state_storage.read() or {}
        return {
            doc_id: ArticleState(bool(r.get("bookmarked")), bool(r.get("read")))
            for doc_id, r in tables.get(STATE, {}).items()
        }

    def state(self, doc_id: str) -> ArticleState:
        return self.states_of([doc_id])[doc_id]

    def states_of(self, doc_ids: Iterable[str]) -> dict[str, ArticleState]:
        """The marks of these articles only (a key press need not build every article's)."""
        records = (self._state_storage.read() or {}).get(STATE) or {}
        found = {}
        for doc_id in doc_ids:
            record = records.get(doc_id)
            found[doc_id] = (
                ArticleState(bool(record.get("bookmarked")), bool(record.get("read")))
                if record is not None
                else NO_STATE
            )
        return found

    def catalog_signature(self) -> Signature:
        self._catalog_storage.read()
        return self._catalog_storage.signature

    def loaded_catalog_signature(self) -> Signature:
        """The signature of the catalog as this process last read it (no stat, no read)."""
        return self._catalog_storage.signature

    def catalog_file_signature(self) -> Signature:
        """The catalog file as it is on disk (mtime, size, inode), without reading it: what a
        derived store records it is in step with (see `search.sync_index`)."""
        return self._catalog_storage.file_signature()

    def mark_seen(self) -> None:
        """Remember the files as they are on disk now (call before reading them for display):
        `changed_on_disk` then tells whether another process wrote since."""
        for storage in (self._catalog_storage, self._state_storage):
            storage.mark_seen()

    def changed_on_disk(self) -> bool:
        """True when another process has written the articles or the state since `mark_seen`,
        whatever was read since (our own writes do not count)."""
        return any(
            storage.changed_since_seen() for storage in (self._catalog_storage, self._state_storage)
        )

    # -- writing -------------------------------------------------------------------------

    def set_state(
        self, doc_ids: Sequence[str], bookmarked: bool | None = None, read: bool | None = None
    ) -> None:
        """Set the bookmark and/or read mark of articles; written to disk before returning."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        changes: dict[str, Any] = {"changed": now}
        if bookmarked is not None:
            changes["bookmarked"] = bookmarked
        if read is not None:
            changes["read"] = read
        # One fsync'd write, whether the articles had a state before or not.
        table = self._state.id_table(STATE)
        with self._state_storage.locked():
            table.upsert_each({doc_id: changes for doc_id in doc_ids})

    def restore_states(self, states: Mapping[str, ArticleState]) -> None:
        """Put back each article's bookmark and read mark as given (undo): one write."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        table = self._state.id_table(STATE)
        with self._state_storage.locked():
            table.upsert_each(
                {
                    doc_id: {"bookmarked": state.bookmarked, "read": state.read, "changed": now}
                    for doc_id, state in states.items()
                }
            )

    def set_full_text(self, doc_id: str, body: str) -> None:
        """Replace an article's body by the full text fetched from its link. It stays until the
        entry changes upstream; its version changes, so the index and quotations follow."""
        with self._catalog_storage.locked():
            record = self._records().get(doc_id)
            if record is None:
                raise LibraryError("That article is no longer in the library.")
            summary = self.summary(doc_id)
            name = file_of(doc_id, record)
            self._bodies.rewrite({doc_id: {"summary": summary, "body": body}}, {doc_id: name})
            full = blake2b_hex(body)
            self._catalog.id_table(ARTICLES).upsert_each({doc_id: {"full": full}})

    def has_full_text(self, doc_id: str) -> bool:
        return bool(self._records().get(doc_id, {}).get("full"))

    def toggle_bookmark(self, doc_id: str) -> bool:
        value = not self.state(doc_id).bookmarked
        self.set_state([doc_id], bookmarked=value)
        return value

    def add(
        self,
        parsed: Sequence[ParsedArticle],
        now: str = "",
        ids: Sequence[str] | None = None,
        updated: list[str] | None = None,
        written: Mapping[str, int] | None = None,
        legacy: Sequence[Sequence[str]] | None = None,
    ) -> tuple[list[str], list[str]]:
        """Store new articles; return (ids added, ids already there). Re-adding adds nothing.

        `ids`, when given, are the items' `article_id`s, already computed by the caller. With
        `updated` (a list to fill), an existing article whose content changed (a feed entry
        edited upstream) is rewritten in place, keeping its id and so its bookmark; its id is
        appended to `updated` (and also counted in the existing ids). `written` names new
        articles whose bodies the caller already wrote (`write_bodies`), and in which file.
        `legacy`, parallel to `parsed`, lists ids an item may be stored under from before ids
        stopped depending on the feed's title: such an item keeps its old id (and bookmark).
        Bodies are written before the catalog: a crash in between leaves bodies nobody lists
        (harmless, reused on the next import), never a listed article without its body.
        """
        added: list[str] = []
        existing: list[str] = []
        now = now or datetime.now(UTC).isoformat(timespec="seconds")
        with self._catalog_storage.locked():
            records = self._records()
            known = self.known_tags()
            fresh: dict[str, ParsedArticle] = {}
            changed: dict[str, ParsedArticle] = {}
            for index, item in enumerate(parsed):
                doc_id = ids[index] if ids is not None else article_id(item)
                if legacy is not None and legacy[index] and doc_id not in records:
                    doc_id = next((old for old in legacy[index] if old in records), doc_id)
                if doc_id in records or doc_id in fresh:
                    existing.append(doc_id)
                    record = records.get(doc_id)
                    # Only a feed entry can change under its id; a file's id is its content.
                    can_change = bool(item.guid or item.link) and updated is not None
                    if can_change and record and record.get("hash") != content_hash(item):
                        changed[doc_id] = item
                    continue
                fresh[doc_id] = item
                added.append(doc_id)
                for tag in item.tags:
                    known.setdefault(tag.casefold(), tag)
            if changed:
                self._rewrite(changed, records, known)
                assert updated is not None
                updated.extend(changed)
            if not fresh:
                return added, existing
            written = written or {}
            unwritten = {d: item for d, item in fresh.items() if d not in written}
            shards = {**self._bodies.assign(unwritten, records), **written}
            self._bodies.write_new({d: _texts(item) for d, item in unwritten.items()}, shards)
            # Every id is new (checked above, under the lock): TinyDB's `insert_multiple`
            # would check each document's type and id again (most of `add` at 10,000, profiled).
            self._catalog.id_table(ARTICLES).insert_missing(
                {
                    doc_id: self._record(item, known, now, shards[doc_id])
                    for doc_id, item in fresh.items()
                }
            )
        return added, existing

    @staticmethod
    def _record(
        item: ParsedArticle, known: dict[str, str], now: str, shard: int | None
    ) -> dict[str, Any]:
        # Only what the first screen needs, and no empty fields: 100,000 records are parsed at
        # every start, and the parse costs by the number of values, not their length.
        record: dict[str, Any] = {
            "title": item.title,
            "tags": [known[tag.casefold()] for tag in item.tags],
            "tags_raw": item.tags_raw if item.tags_raw != ", ".join(item.tags) else "",
            "source": item.source,
            "link": item.link,
            "author": item.author,
            "published": item.published,
            "added": now,
            # Only a feed entry can change under the same id (a file's id is its content).
            "hash": content_hash(item) if item.guid or item.link else "",
            "lang": "" if item.language.casefold().startswith("en") else item.language,
        }
        record = {key: value for key, value in record.items() if value}
        if shard is not None:  # None: an article from before sequential body files
            record["shard"] = shard
        return record

    def _rewrite(
        self,
        changed: dict[str, ParsedArticle],
        records: dict[str, dict[str, Any]],
        known: dict[str, str],
    ) -> None:
        """Rewrite updated articles: bodies first, then the catalog, as for new ones."""
        for item in changed.values():
            for tag in item.tags:
                known.setdefault(tag.casefold(), tag)
        names = {doc_id: file_of(doc_id, records.get(doc_id)) for doc_id in changed}
        self._bodies.rewrite({d: _texts(item) for d, item in changed.items()}, names)
        rewritten = {}
        for doc_id, item in changed.items():
            record = records[doc_id]
            shard = record.get("shard")
            rewritten[doc_id] = self._record(item, known, record.get("added", ""), shard)
            rewritten[doc_id]["full"] = ""  # the entry changed upstream: its new text counts
        self._catalog.id_table(ARTICLES).upsert_each(rewritten)

"""Imports files into a library: find, read, store, index; reports what happened to each file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from newsreader.library.index_writer import BackgroundIndexWriter
from newsreader.library.library import Library, article_id
from newsreader.library.search import sync_index
from newsreader.library.search_index import IndexEntry, digest_of
from newsreader.library.subscriptions import Subscriptions
from newsreader.model import ImportReport, ParsedArticle, Rejection
from newsreader.sources.files import Subscribe, find_article_files, read_sources

# Called with (files done, files in all); lets the command line draw a progress bar.
Progress = Callable[[int, int], None]
INDEX_BATCH = 500


def import_paths(
    library: Library, paths: Iterable[Path], progress: Progress | None = None, source: str = ""
) -> ImportReport:
    """Import every article, feed and OPML file under `paths` into `library`, and index them.

    While files are read, new articles are indexed in a helper process. The index is written
    only after the library, with the library's digest: a crash in between leaves an index that
    the next search sees is stale and brings up to date. `source` replaces the file path as
    the articles' source (the bundled samples' path inside an install says nothing).
    """
    found = find_article_files(paths)
    report = ImportReport(rejected=list(found.rejected), skipped=found.skipped)
    stored = set(library.ids())
    if not stored and not library.index.is_usable():
        library.index.create()
    index_current = library.index.is_usable() and library.index.digest() == digest_of(stored)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    parsed: list[ParsedArticle] = []
    ids: list[str] = []
    pending: list[IndexEntry] = []
    queued: set[str] = set()
    feeds_to_add: list[tuple[str, str]] = []
    # Bodies go to their files as each file fills, and leave memory: 100,000 bodies held to
    # the end took a gigabyte. Feed entries keep theirs (an update compares their content).
    assigner = library.body_assigner()
    written: dict[str, int] = {}
    unwritten: dict[str, ParsedArticle] = {}
    total = len(found.files)
    writer = BackgroundIndexWriter(library.index) if index_current else None
    with writer or nullcontext():
        results = read_sources(found.files, library.known_tags().values())
        for done, result in enumerate(results, start=1):
            if isinstance(result, Rejection):
                report.rejected.append(result)
            elif isinstance(result, Subscribe):
                feeds_to_add += result.feeds
            else:
                for item in result:
                    if source:
                        item = dataclasses.replace(item, source=source)
                    doc_id = article_id(item)
                    new = doc_id not in stored and doc_id not in queued
                    if new:
                        queued.add(doc_id)
                        if writer is not None:
                            pending.append(_entry(doc_id, item, now))
                            if len(pending) >= INDEX_BATCH:
                                writer.add(pending)
                                pending = []
                        if not (item.guid or item.link):
                            written[doc_id] = assigner.next()
                            unwritten[doc_id] = item
                            item = dataclasses.replace(item, summary="", body="")
                            if assigner.file_full:
                                library.write_bodies(unwritten, written)
                                unwritten = {}
                    parsed.append(item)
                    ids.append(doc_id)
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
        if unwritten:
            library.write_bodies(unwritten, written)
        if parsed:
            report.added, report.existing = library.add(
                parsed, now, ids, report.updated, written=written
            )
        if writer is not None:
            writer.add(pending)
            writer.finish(digest_of(library.ids()))
    if report.added and (writer is None or writer.problem):
        sync_index(library)
    if report.updated:
        changed = set(report.updated)
        items = [(i, p) for i, p in zip(ids, parsed, strict=True) if i in changed]
        reindex(library, items, now, digest_of(library.ids()))
    if feeds_to_add:
        report.subscribed = Subscriptions(library).add_many(feeds_to_add)
    return report


def store_articles(library: Library, items: Sequence[ParsedArticle], report: ImportReport) -> None:
    """Add articles that are already in memory (a refreshed feed), indexing what changed."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    ids = [article_id(item) for item in items]
    digest_before = digest_of(library.ids())
    added, existing = library.add(items, now, ids, report.updated)
    report.added += added
    report.existing += existing
    changed = set(added) | set(report.updated)
    items_changed = [(i, p) for i, p in zip(ids, items, strict=True) if i in changed]
    reindex(library, items_changed, now, digest_before)


def reindex(
    library: Library, items: Sequence[tuple[str, ParsedArticle]], now: str, digest_before: str
) -> None:
    """Write these new or changed articles into the index if it was current before they were
    stored (`digest_before`); otherwise bring the whole index up to date."""
    index = library.index
    if index.is_usable() and index.digest() == digest_before:
        entries = {doc_id: _entry(doc_id, item, now) for doc_id, item in items}
        index.write(entries.values(), [], digest_of(library.ids()))
    else:
        sync_index(library)


def _entry(doc_id: str, item: ParsedArticle, now: str) -> IndexEntry:
    return IndexEntry(doc_id, item.title, item.summary, item.body, item.tags, item.published or now)

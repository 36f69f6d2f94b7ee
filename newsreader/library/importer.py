"""Imports files into a library: find, read, store, index; reports what happened to each file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from newsreader.library.index_writer import BackgroundIndexWriter
from newsreader.library.library import Library, article_id
from newsreader.library.search import sync_index
from newsreader.library.search_index import IndexEntry, digest_of
from newsreader.model import ImportReport, ParsedArticle, Rejection
from newsreader.sources.files import find_article_files, read_article_files

# Called with (files done, files in all); lets the command line draw a progress bar.
Progress = Callable[[int, int], None]
INDEX_BATCH = 500


def import_paths(
    library: Library, paths: Iterable[Path], progress: Progress | None = None, source: str = ""
) -> ImportReport:
    """Import every article file under `paths` into `library`, and index the new ones.

    While files are read, new articles are indexed on a second thread. The index is written
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
    total = len(found.files)
    writer = BackgroundIndexWriter(library.index) if index_current else None
    with writer or nullcontext():
        files = read_article_files(found.files, library.known_tags().values())
        for done, result in enumerate(files, start=1):
            if isinstance(result, Rejection):
                report.rejected.append(result)
            else:
                if source:
                    result = dataclasses.replace(result, source=source)
                parsed.append(result)
                doc_id = article_id(result)
                ids.append(doc_id)
                if writer is not None and doc_id not in stored and doc_id not in queued:
                    queued.add(doc_id)
                    pending.append(_entry(doc_id, result, now))
                    if len(pending) >= INDEX_BATCH:
                        writer.add(pending)
                        pending = []
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
        if parsed:
            report.added, report.existing = library.add(parsed, now, ids)
        if writer is not None:
            writer.add(pending)
            writer.finish(digest_of(library.ids()))
    if report.added and (writer is None or writer.problem):
        sync_index(library)
    return report


def _entry(doc_id: str, item: ParsedArticle, now: str) -> IndexEntry:
    return IndexEntry(doc_id, item.title, item.summary, item.body, item.tags, item.published or now)

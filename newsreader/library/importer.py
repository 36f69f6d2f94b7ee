"""Imports files into a library: find, read, store, index; reports what happened to each file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from newsreader.library.derived import ArticleContent
from newsreader.library.errors import LibraryError
from newsreader.library.index_writer import BUSY_SECONDS, BackgroundIndexWriter
from newsreader.library.library import Library, article_id, legacy_ids, version_of
from newsreader.library.search import sync_index
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

    While files are read, new articles are indexed on a helper thread, in one transaction
    that commits only after the library is written; then the index is reconciled with the
    library (see `derived`), which also takes in whatever another process added meanwhile.
    `source` replaces the file path as the articles' source (the bundled samples' path inside
    an install says nothing).
    """
    found = find_article_files(paths)
    report = ImportReport(rejected=list(found.rejected), skipped=found.skipped)
    stored = set(library.ids())
    now = datetime.now(UTC).isoformat(timespec="seconds")
    parsed: list[ParsedArticle] = []
    ids: list[str] = []
    pending: list[ArticleContent] = []
    queued: set[str] = set()
    feeds_to_add: list[tuple[str, str]] = []
    # Bodies go to their files as each file fills, and leave memory: 100,000 bodies held to
    # the end took a gigabyte. Feed entries keep theirs (an update compares their content).
    assigner = library.body_assigner()
    written: dict[str, int] = {}
    unwritten: dict[str, ParsedArticle] = {}
    total = len(found.files)
    writer = _start_writer(library, report)
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
                            pending.append(_content(doc_id, item, now))
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
            legacy = [legacy_ids(item, ()) for item in parsed]
            report.added, report.existing = library.add(
                parsed, now, ids, report.updated, written=written, legacy=legacy
            )
        if writer is not None:
            writer.add(pending)
    if feeds_to_add:
        report.subscribed = Subscriptions(library).add_many(feeds_to_add)
    _reconcile_index(library, report)
    return report


def _start_writer(library: Library, report: ImportReport) -> BackgroundIndexWriter | None:
    library.index.busy_seconds = min(library.index.busy_seconds, BUSY_SECONDS)
    try:
        library.index.prepare()
    except LibraryError as error:
        report.index_problem = str(error)
        return None
    library.index.close()  # the writer has its own connection; ours would hold a stale view
    return BackgroundIndexWriter(library.index)


def _reconcile_index(library: Library, report: ImportReport) -> None:
    """Bring the index in step (whatever the writer could not do, this does); a problem is
    told only when the index is still behind afterwards."""
    try:
        sync_index(library)
    except LibraryError as error:
        report.index_problem = str(error)
    else:
        report.index_problem = ""


def _content(doc_id: str, item: ParsedArticle, now: str) -> ArticleContent:
    date = item.published or now
    version = version_of(doc_id, item)
    return ArticleContent(doc_id, version, item.title, item.summary, item.body, item.tags, date)

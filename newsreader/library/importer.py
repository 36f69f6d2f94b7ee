"""Imports files into a library: find, read, store, index; reports what happened to each file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from newsreader.library.article_ids import article_id, legacy_ids, version_of
from newsreader.library.derived import ArticleContent
from newsreader.library.errors import LibraryError
from newsreader.library.index_writer import BUSY_SECONDS, BackgroundIndexWriter
from newsreader.library.library import Library
from newsreader.library.search import sync_index
from newsreader.library.search_index import quotation_rows
from newsreader.library.subscriptions import Subscriptions
from newsreader.model import ImportReport, ParsedArticle, Rejection
from newsreader.sources.files import Subscribe, find_article_files, read_sources

# Called with (files done, files in all); lets the command line draw a progress bar.
Progress = Callable[[int, int], None]
# Articles per hand-over to the index writer: what it has left when the files are read is a
# batch or two (250 against 500: the import's tail 0.1 s shorter at 10,000). Past
# `LARGE_IMPORT` articles, larger batches: the writer inserts each in rowid order, and FTS5
# writes out what it has gathered whenever a rowid goes back, so a larger batch leaves fewer
# segments to merge (100,000 articles: 13.3 s against 14.4).
INDEX_BATCH = 250
LARGE_IMPORT = 20_000
LARGE_INDEX_BATCH = 2000
# When the index writer is this many batches behind, this process extracts the quotations of
# the next batch itself: both cores stay busy, and what is left to the writer when the files
# are read stays short.
BEHIND = 2


def import_paths(
    library: Library, paths: Iterable[Path], progress: Progress | None = None, source: str = ""
) -> ImportReport:
    """Import every article, feed and OPML file under `paths` into `library`, and index them.

    While files are read, new articles are indexed by a helper process, in one transaction
    that commits only after the library is written; then the index is reconciled with the
    library (see `derived`), which also takes in whatever another process added meanwhile.
    `source` replaces the file path as the articles' source (the bundled samples' path inside
    an install says nothing).
    """
    report = ImportReport()
    # The writer starts first: its process starts while the files are found.
    writer = _start_writer(library, report)
    with writer or nullcontext():
        feeds_to_add = _import(library, paths, progress, source, report, writer)
    if feeds_to_add:
        report.subscribed = Subscriptions(library).add_many(feeds_to_add)
    _reconcile_index(library, report)
    return report


def _import(
    library: Library,
    paths: Iterable[Path],
    progress: Progress | None,
    source: str,
    report: ImportReport,
    writer: BackgroundIndexWriter | None,
) -> list[tuple[str, str]]:
    """Read the files; store what is new; hand it to the index writer. Returns the feeds that
    OPML files list, to subscribe to."""
    found = find_article_files(paths)
    report.rejected.extend(found.rejected)
    report.skipped = found.skipped
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
                        batch = INDEX_BATCH if len(queued) < LARGE_IMPORT else LARGE_INDEX_BATCH
                        if len(pending) >= batch:
                            _hand_over(writer, pending)
                            pending = []
                    if not (item.guid or item.link):
                        written[doc_id] = assigner.next()
                        unwritten[doc_id] = item
                        item = _without_texts(item)
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
    if writer is not None and pending:
        _hand_over(writer, pending)
    return feeds_to_add


def _without_texts(item: ParsedArticle) -> ParsedArticle:
    """The article without its summary and body (in their file already): made field by field,
    a third of what `dataclasses.replace` costs per article."""
    return ParsedArticle(
        title=item.title,
        summary="",
        body="",
        tags=item.tags,
        tags_raw=item.tags_raw,
        source=item.source,
        link=item.link,
        author=item.author,
        published=item.published,
        guid=item.guid,
        feed=item.feed,
        language=item.language,
    )


def _start_writer(library: Library, report: ImportReport) -> BackgroundIndexWriter | None:
    library.index.busy_seconds = min(library.index.busy_seconds, BUSY_SECONDS)
    try:
        library.index.prepare()
    except LibraryError as error:
        report.index_problem = str(error)
        return None
    library.index.close()  # the writer has its own connection; ours would hold a stale view
    return BackgroundIndexWriter(library.index)


def _hand_over(writer: BackgroundIndexWriter, contents: list[ArticleContent]) -> None:
    """Give the writer a batch; with its quotations when it is behind.

    The writer indexes and extracts quotations; this process reads and parses. Which of the
    two is slower depends on the articles and the library's size (the index's merges grow
    with it): extracting here only while the writer is behind balances the two.
    """
    quotations = None
    if writer.backlog >= BEHIND:
        quotations = [quotation_rows(content.body) for content in contents]
    writer.add(contents, quotations)


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

"""Imports files into a library: find, read, store, index; reports what happened to each file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from newsreader.library.library import Library
from newsreader.model import ImportReport, ParsedArticle, Rejection
from newsreader.sources.files import find_article_files, read_article_files

# Called with (files done, files in all); lets the command line draw a progress bar.
Progress = Callable[[int, int], None]


def import_paths(
    library: Library, paths: Iterable[Path], progress: Progress | None = None
) -> ImportReport:
    """Import every article file under `paths` into `library`."""
    found = find_article_files(paths)
    report = ImportReport(rejected=list(found.rejected), skipped=found.skipped)
    parsed: list[ParsedArticle] = []
    total = len(found.files)
    for done, result in enumerate(read_article_files(found.files, library.known_tags().values())):
        if isinstance(result, Rejection):
            report.rejected.append(result)
        else:
            parsed.append(result)
        if progress is not None and (done % 200 == 0 or done + 1 == total):
            progress(done + 1, total)
    if parsed:
        report.added, report.existing = library.add(parsed)
    return report

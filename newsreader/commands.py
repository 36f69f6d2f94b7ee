"""What each sub-command does, on top of the Library facade."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsreader.cli_output import Output, Styled
from newsreader.library import Library
from newsreader.library.catalog_copy import (
    CatalogCopy,
    CatalogReader,
    CopyCannot,
    after_catalog_read,
    in_step_copy,
    lead_of,
    sync_copy,
)
from newsreader.library.search import muted_ids, search, sync_index
from newsreader.model import NO_STATE, Article, ArticleState, ImportReport, count_words
from newsreader.settings_commands import checked_settings
from newsreader.text.highlight import plain_snippet

Handler = Callable[[Library, argparse.Namespace, Output], int]
# A command that reads the catalog through `catalog`: the index's copy of it when in step.
ReadingHandler = Callable[[Library, argparse.Namespace, Output, CatalogReader], int]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
# Commands that change what the reader's first page shows (titles, counts), not only marks.
CHANGE_THE_FIRST_PAGE = {"import", "refresh", "subscribe", "unsubscribe"}


def open_library(path: Path, first_time_samples: bool = False) -> Library:
    """Open the library. With `first_time_samples` (the reader), a library that does not exist
    yet is filled with the bundled sample articles; commands leave it as it is."""
    library = Library(path)
    if first_time_samples and not library.exists():
        from newsreader.library.importer import import_paths
        from newsreader.resources import resource_dir

        import_paths(
            library, [resource_dir("seeds")], source="sample article bundled with newsreader"
        )
    return library


def run(args: argparse.Namespace, path: Path, output: Output) -> int:
    # Settings first: a broken file stops every command before anything is touched.
    args.settings = checked_settings()
    if args.command == "doctor":
        return _doctor(path, args.restore, output)
    command = args.command or "read"
    library = open_library(path, first_time_samples=command == "read")
    handler = _handler(command)
    code = handler(library, args, output)
    if command in CHANGE_THE_FIRST_PAGE:
        # The next start draws the new first page at once, whatever the library's size.
        from newsreader.library.first_page_update import rewrite

        settings = args.settings
        rewrite(library, settings.order, settings.hide_read, settings.mute_queries)
    return code


def from_copy(handler: ReadingHandler) -> Handler:
    """A command that needs no whole catalog: it answers from the index's copy of the catalog
    when the copy is in step with the catalog file (see `catalog_copy`), without reading the
    catalog (26 MB at 100,000 articles). Otherwise, or when the copy cannot answer (a tag
    filter, a copy behind what the index found), it answers from the catalog as before, and
    then brings the copy in step for the next command. The handler prints only once it has
    read everything, so a retry never prints twice."""

    def run(library: Library, args: argparse.Namespace, output: Output) -> int:
        copy = in_step_copy(library)
        if copy is not None:
            try:
                return handler(library, args, output, copy)
            except CopyCannot:
                pass
        code = handler(library, args, output, library)
        after_catalog_read(library)
        return code

    return run


def muted(
    library: Library, args: argparse.Namespace, catalog: CatalogReader | None = None
) -> set[str]:
    """What the config's mute rules hide in the reader: the command line marks, never drops."""
    queries = args.settings.mute_queries
    return muted_ids(library, queries, catalog) if queries else set()


def article_json(
    library: Library,
    article: Article,
    state: ArticleState,
    is_muted: bool = False,
    catalog: CatalogReader | None = None,
) -> dict[str, Any]:
    if isinstance(catalog, CatalogCopy):
        summary, lead, words = catalog.texts_of(article.id)
    else:
        body = library.body(article.id)
        summary, lead, words = library.summary(article.id), lead_of(body), count_words(body)
    return {
        "id": article.id,
        "title": article.title,
        "tags": list(article.tags),
        "summary": summary,
        "lead": lead,
        "bookmarked": state.bookmarked,
        "read": state.read,
        "source": article.source,
        "link": article.link,
        "author": article.author,
        "published": article.published,
        "added": article.added,
        "words": words,
        "tags_raw": article.tags_raw,
        "muted": is_muted,
    }


def _read(library: Library, args: argparse.Namespace, output: Output) -> int:
    from newsreader.ui.app import run_reader

    return run_reader(library, args.settings)


def _import(library: Library, args: argparse.Namespace, output: Output) -> int:
    with output.progress("Importing") as progress:
        from newsreader.library.importer import import_paths  # the parsers load slowly

        report = import_paths(library, args.paths, progress)
    _print_import_report(report, output)
    if report.index_problem:
        output.error(
            f"The articles are stored, but the search index is behind: {report.index_problem} "
            "The next search brings it up to date."
        )
        return EXIT_FAILED
    if not (report.added or report.existing or report.rejected or report.subscribed):
        return EXIT_FAILED
    return EXIT_FAILED if report.rejected else EXIT_OK


def _print_import_report(report: ImportReport, output: Output) -> None:
    def plural(count: int, word: str) -> str:
        return f"{count:,} {word}{'' if count == 1 else 's'}"

    if not (report.added or report.existing or report.rejected or report.subscribed):
        output.error("No article files were found there (articles are .txt files, or feeds).")
        return
    parts = [
        f"{plural(len(report.added), 'new article')}",
        f"{len(report.existing):,} already in the library",
        f"{plural(len(report.rejected), 'file')} rejected",
    ]
    if report.updated:
        parts.insert(1, f"{len(report.updated):,} updated")
    if report.subscribed:
        parts.append(f"{plural(report.subscribed, 'new subscription')}")
    if report.skipped:
        parts.append(f"{plural(report.skipped, 'other file')} skipped")
    output.message("Imported: " + ", ".join(parts) + ".")
    for rejection in report.rejected:
        output.message(Styled("  rejected ", "yellow"), f"{rejection.path}: {rejection.reason}")


def _list(library: Library, args: argparse.Namespace, output: Output) -> int:
    states = library.states()
    articles = library.articles()
    if args.tag:
        wanted = args.tag.casefold()
        articles = [a for a in articles if any(t.casefold() == wanted for t in a.tags)]
    if args.bookmarked:
        articles = [a for a in articles if states.get(a.id, NO_STATE).bookmarked]
    hidden = muted(library, args)
    if args.json:
        output.json(
            [article_json(library, a, states.get(a.id, NO_STATE), a.id in hidden) for a in articles]
        )
        return EXIT_OK
    rows: list[list[str | Styled]] = []
    for article in articles:
        state = states.get(article.id, NO_STATE)
        mark = "★" if state.bookmarked else ("·" if article.id in hidden else " ")
        style = "dim" if article.id in hidden else ("" if state.read else "bold")
        title = Styled(article.title, style)
        rows.append([article.id, mark, title, ", ".join(article.tags)])
    columns: list[tuple[str, dict[str, Any]]] = [
        ("ID", {"style": "dim", "no_wrap": True}),
        ("", {"style": "yellow"}),
        ("Title", {"ratio": 3, "no_wrap": True}),
        ("Tags", {"ratio": 1, "style": "cyan", "no_wrap": True}),
    ]
    output.table(columns, rows)
    if not articles:
        output.message("No articles match.")
    return EXIT_OK


def _tags(
    library: Library, args: argparse.Namespace, output: Output, catalog: CatalogReader
) -> int:
    counts = catalog.tag_counts()
    if args.json:
        output.json([{"name": t.name, "count": t.count} for t in counts])
        return EXIT_OK
    output.table(
        [("Tag", {"style": "cyan"}), ("Articles", {"justify": "right"})],
        [[t.name, str(t.count)] for t in counts],
    )
    return EXIT_OK


def _bookmark(
    library: Library, args: argparse.Namespace, output: Output, catalog: CatalogReader
) -> int:
    resolved: list[str] = []
    for given in args.ids:
        doc_id = catalog.resolve_id(given)
        if doc_id is None:
            output.error(f"No single article has the id {given!r}; `newsreader list` shows ids.")
            return EXIT_FAILED
        resolved.append(doc_id)
    titles = {}
    for doc_id in resolved:
        article = catalog.article(doc_id)
        titles[doc_id] = article.title if article else ""
    from newsreader.library import first_page_update

    with library.locked():  # the marks and the first page that shows them move together
        page = first_page_update.current(library)
        before = library.states_of(resolved)
        library.set_state(resolved, bookmarked=not args.remove)
        if page is not None:
            first_page_update.marks_written(library, page, before, library.states_of(resolved))
    verb = "Removed the bookmark from" if args.remove else "Bookmarked"
    for doc_id in resolved:
        output.message(f"{verb} {doc_id}: ", titles[doc_id])
    return EXIT_OK


def _search(
    library: Library, args: argparse.Namespace, output: Output, catalog: CatalogReader
) -> int:
    if args.limit < 1:
        output.error("--limit must be 1 or more.")
        return EXIT_USAGE
    with output.progress("Updating the search index") as progress:
        sync_index(library, progress)
    by_date = args.sort == "date"
    text = " ".join(args.query)
    found = search(library, text, limit=args.limit, typing=False, by_date=by_date, catalog=catalog)
    if found.query.error:
        output.error(found.message)
        return EXIT_USAGE
    states = library.states_of(r.article.id for r in found.results)
    hidden = muted(library, args, catalog)
    if args.json:
        answer = [
            {
                **article_json(
                    library, r.article, states[r.article.id], r.article.id in hidden, catalog
                ),
                "score": round(r.score, 4),
                "snippet": plain_snippet(r.snippet),
            }
            for r in found.results
        ]
        output.json(answer)
        return EXIT_OK
    rows: list[list[str | Styled]] = [
        [r.article.id, Styled(r.article.title, "bold"), Styled(r.snippet, snippet=True)]
        for r in found.results
    ]
    output.table(
        [
            ("ID", {"style": "dim", "no_wrap": True}),
            ("Title", {"ratio": 2}),
            ("Snippet", {"ratio": 3}),
        ],
        rows,
    )
    output.message(found.message)
    return EXIT_OK


def _doctor(path: Path, restore: bool, output: Output) -> int:
    """Check the files without opening the library (which would stop at the first damage)."""
    from newsreader.library.doctor import check_library, restore_backups

    if restore:
        for line in restore_backups(path):
            output.message(line)
    findings = check_library(path)
    for finding in findings:
        mark = Styled("ok  ", "green") if finding.ok else Styled("bad ", "bold red")
        output.message(mark, finding.text)
    if not all(f.ok for f in findings):
        return EXIT_FAILED
    library = Library(path)
    rebuilt = sync_index(library)
    output.message(
        Styled("ok  ", "green"), "search index: " + ("brought up to date" if rebuilt else "fine")
    )
    return EXIT_OK


def _reindex(library: Library, args: argparse.Namespace, output: Output) -> int:
    with output.progress("Indexing") as progress:
        sync_index(library, progress, force=True)
    sync_copy(library, force=True)
    output.message(f"The search index was rebuilt from {len(library):,} articles.")
    return EXIT_OK


_COMMANDS: dict[str, Handler] = {
    "read": _read,
    "import": _import,
    "list": _list,
    "tags": from_copy(_tags),
    "bookmark": from_copy(_bookmark),
    "search": from_copy(_search),
    "reindex": _reindex,
}


def _handler(command: str) -> Handler:
    """The command's function; the modules of the others are not loaded (the reader starts,
    and every command answers, without the feed parsers or the doctor)."""
    if command in _COMMANDS:
        return _COMMANDS[command]
    from newsreader.quote_commands import QUOTE_COMMANDS

    if command in QUOTE_COMMANDS:
        return QUOTE_COMMANDS[command]
    from newsreader.settings_commands import SETTINGS_COMMANDS

    if command in SETTINGS_COMMANDS:
        return SETTINGS_COMMANDS[command]
    from newsreader.feed_commands import FEED_COMMANDS

    return FEED_COMMANDS[command]

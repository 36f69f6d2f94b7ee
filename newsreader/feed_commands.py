"""The feed sub-commands: subscribe, unsubscribe, feeds, refresh, export (OPML or Markdown)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

from rich.text import Text

from newsreader.cli_output import Output
from newsreader.library import Library
from newsreader.library.quotations import quotations
from newsreader.library.search import sync_index
from newsreader.library.storage import fsync_folder
from newsreader.library.subscriptions import Subscriptions
from newsreader.markdown_export import Quote, document
from newsreader.model import NO_STATE
from newsreader.sources.opml import write_opml

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
NO_FEEDS = "No subscriptions yet: `newsreader subscribe URL` or import an OPML file."


def _subscribe(library: Library, args: argparse.Namespace, output: Output) -> int:
    subscriptions = Subscriptions(library)
    failed = False
    for url in args.urls:
        try:
            feed, new = subscriptions.add(url)
        except ValueError as error:
            output.error(f"Not subscribed: {error}.")
            failed = True
            continue
        output.message(
            f"Subscribed to {feed.url}." if new else f"Already subscribed to {feed.url}."
        )
    if not failed:
        output.message("Run `newsreader refresh` (or press R in the reader) to fetch it.")
    return EXIT_FAILED if failed else EXIT_OK


def _unsubscribe(library: Library, args: argparse.Namespace, output: Output) -> int:
    subscriptions = Subscriptions(library)
    if any(not key.strip() for key in args.feeds):
        output.error("An empty name matches no feed; `newsreader feeds` lists them.")
        return EXIT_USAGE
    for key in args.feeds:
        try:
            feed = subscriptions.remove(key)
        except ValueError as error:
            output.error(f"Not unsubscribed: {error}.")
            return EXIT_FAILED
        if feed is None:
            output.error(f"No subscription matches {key!r}; `newsreader feeds` lists them.")
            return EXIT_FAILED
        output.message(Text(f"Unsubscribed from {feed.url}; its articles stay in the library."))
    return EXIT_OK


def _feeds(library: Library, args: argparse.Namespace, output: Output) -> int:
    feeds = Subscriptions(library).all()
    if args.json:
        output.json([dataclasses.asdict(feed) for feed in feeds])
        return EXIT_OK
    rows: list[list[str | Text]] = [
        [
            feed.id,
            feed.title or "",
            feed.url,
            feed.checked[:16].replace("T", " "),
            Text(feed.error, style="red")
            if feed.error
            else Text(f"+{feed.added}" if feed.checked else ""),
        ]
        for feed in feeds
    ]
    output.table(
        [
            ("ID", {"style": "dim"}),
            ("Title", {}),
            ("URL", {"style": "cyan"}),
            ("Checked", {}),
            ("Last refresh", {}),
        ],
        rows,
    )
    if not feeds:
        output.message(NO_FEEDS)
    return EXIT_OK


def _refresh(library: Library, args: argparse.Namespace, output: Output) -> int:
    if not Subscriptions(library).all():
        output.message(NO_FEEDS)
        return EXIT_OK
    from newsreader.library.refresh import refresh_feeds  # loads the feed parsers
    from newsreader.library.refresh_schedule import options_of

    with output.progress("Refreshing feeds") as progress:
        settings = args.settings
        outcomes = refresh_feeds(
            library, progress, timeout=args.timeout, options=lambda url: options_of(settings, url)
        )
    for outcome in outcomes:
        name = outcome.feed.title or outcome.feed.url
        if outcome.error:
            output.message(Text(f"  {name}: ", style="yellow") + Text(outcome.error))
        elif outcome.not_modified:
            output.message(Text(f"  {name}: not modified"))
        else:
            text = f"  {name}: {outcome.added} new"
            output.message(Text(text + (f", {outcome.updated} updated" if outcome.updated else "")))
    added = sum(o.added for o in outcomes)
    failed = sum(1 for o in outcomes if o.error)
    output.message(f"Refreshed {len(outcomes)} feeds: {added} new articles, {failed} failed.")
    return EXIT_FAILED if failed else EXIT_OK


def _export(library: Library, args: argparse.Namespace, output: Output) -> int:
    if args.markdown:
        return _export_markdown(library, args, output)
    if args.bookmarked or args.tag is not None:
        output.error("--bookmarked and --tag choose articles for --markdown, not for --opml.")
        return EXIT_USAGE
    feeds = [(feed.url, feed.title) for feed in Subscriptions(library).all()]
    document = write_opml(feeds)
    if args.output in (None, "-"):
        sys.stdout.write(document)
    else:
        Path(args.output).write_text(document, encoding="utf-8")
        output.message(f"Wrote {len(feeds)} subscriptions to {args.output}.")
    return EXIT_OK


def _export_markdown(library: Library, args: argparse.Namespace, output: Output) -> int:
    """The chosen articles, newest first, with their quotations and text, as one Markdown
    document on stdout or written atomically to FILE."""
    to_stdout = args.output in (None, "-")
    if not to_stdout and _is_library_file(library, Path(args.output)):
        output.error(f"{args.output} is one of the library's own files; choose another name.")
        return EXIT_USAGE
    articles = library.articles()
    if args.tag:  # chosen as `list` chooses them
        wanted = args.tag.casefold()
        articles = [a for a in articles if any(t.casefold() == wanted for t in a.tags)]
    if args.bookmarked:
        states = library.states()
        articles = [a for a in articles if states.get(a.id, NO_STATE).bookmarked]
    said: dict[str, list[Quote]] = {}
    bodies: dict[str, str] = {}
    if articles:
        with output.progress("Finding quotations") as progress:
            sync_index(library, progress)
        chosen = [a.id for a in articles] if args.tag or args.bookmarked else None
        for quotation in quotations(library, chosen):
            said.setdefault(quotation.article.id, []).append((quotation.text, quotation.speaker))
        bodies = dict(library.bodies(a.id for a in articles))
    text = document((a, bodies.get(a.id, ""), said.get(a.id, [])) for a in articles)
    if to_stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            _write_atomically(Path(args.output), text)
        except OSError as error:
            reason = error.strerror or str(error)
            output.error(f"Cannot write {args.output} ({reason}); a file already there is intact.")
            return EXIT_FAILED
    count = f"{len(articles):,} article" + ("" if len(articles) == 1 else "s")
    if not articles:
        where = "" if to_stdout else f" to {args.output}"
        output.message(f"No articles match, so an empty document was written{where}.")
    elif not to_stdout:
        output.message(f"Wrote {count} to {args.output}.")
    return EXIT_OK


def _is_library_file(library: Library, path: Path) -> bool:
    """True when `path` is (or links to) one of the library's own files, their backups, locks
    and SQLite companions, or a file in its bodies folder."""
    target = os.path.realpath(path)
    own = (library.path, library.state_path, library.index.path, Subscriptions(library).path)
    suffixes = ("", ".bak", ".lock", "-wal", "-shm")
    names = {os.path.realpath(f"{name}{suffix}") for name in own for suffix in suffixes}
    return target in names or Path(target).is_relative_to(os.path.realpath(library.bodies_dir))


def _write_atomically(path: Path, text: str) -> None:
    """Replace `path` (through a symbolic link) so that a failure at any point leaves the old
    file whole: a temp file in the same folder, fsync, `os.replace`, fsync of the folder. The
    new file keeps the old one's permissions, or gets those the umask gives a new file."""
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_folder(target.parent)


FEED_COMMANDS = {
    "subscribe": _subscribe,
    "unsubscribe": _unsubscribe,
    "feeds": _feeds,
    "refresh": _refresh,
    "export": _export,
}

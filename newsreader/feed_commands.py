"""The feed sub-commands: subscribe, unsubscribe, feeds, refresh, export."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from rich.text import Text

from newsreader.cli_output import Output
from newsreader.library import Library
from newsreader.library.subscriptions import Subscriptions
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

    with output.progress("Refreshing feeds") as progress:
        outcomes = refresh_feeds(library, progress, timeout=args.timeout)
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
    feeds = [(feed.url, feed.title) for feed in Subscriptions(library).all()]
    document = write_opml(feeds)
    if args.output in (None, "-"):
        sys.stdout.write(document)
    else:
        Path(args.output).write_text(document, encoding="utf-8")
        output.message(f"Wrote {len(feeds)} subscriptions to {args.output}.")
    return EXIT_OK


FEED_COMMANDS = {
    "subscribe": _subscribe,
    "unsubscribe": _unsubscribe,
    "feeds": _feeds,
    "refresh": _refresh,
    "export": _export,
}

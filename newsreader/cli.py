"""The command line: the reader, import, list, search, tags, bookmark, reindex, doctor."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from newsreader import __version__

# The rest loads once the arguments are parsed: `--version` and `--help` answer without it,
# and each command loads only what it uses (see `commands._handler`).

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"newsreader: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    db_help = "the library file (default: $NEWSREADER_DB or the user data folder)"
    parser = _Parser(
        prog="newsreader",
        description="A terminal news reader. Without a command, it opens the reader.",
    )
    parser.add_argument("--version", action="version", version=f"newsreader {__version__}")
    parser.add_argument("--db", type=Path, help=db_help)
    # `--db` also after the sub-command; SUPPRESS keeps it from hiding one given before.
    common = _Parser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS, help=db_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    imp = commands.add_parser("import", parents=[common], help="import article files and folders")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    lst = commands.add_parser("list", parents=[common], help="list articles")
    lst.add_argument("--tag", help="only articles with this tag (any case)")
    lst.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")
    lst.add_argument("--json", action="store_true", help="print one JSON array")

    search = commands.add_parser("search", parents=[common], help="full-text search")
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--limit", type=int, default=20, help="at most N results (default 20)")
    search.add_argument("--json", action="store_true", help="print one JSON array")
    search.add_argument(
        "--sort",
        choices=("relevance", "date"),
        default="relevance",
        help="best matches first (default) or newest first",
    )

    tags = commands.add_parser("tags", parents=[common], help="list tags with article counts")
    tags.add_argument("--json", action="store_true", help="print one JSON array")

    mark = commands.add_parser("bookmark", parents=[common], help="bookmark articles by id")
    mark.add_argument("ids", nargs="+", metavar="ID", help="article ids (a unique prefix will do)")
    mark.add_argument("--remove", action="store_true", help="remove the bookmarks instead")

    quotes = commands.add_parser("quotes", parents=[common], help="quotations and who said them")
    quotes.add_argument("ids", nargs="*", metavar="ID", help="only these articles")
    quotes.add_argument(
        "--speaker", metavar="NAME", help="only this speaker's (a last name will do)"
    )
    quotes.add_argument("--json", action="store_true", help="print one JSON array")
    speakers = commands.add_parser("speakers", parents=[common], help="who is quoted most")
    speakers.add_argument("--json", action="store_true", help="print one JSON array")

    config = commands.add_parser(
        "config", parents=[common], help="the settings file and its values"
    )
    config.add_argument("--keys", action="store_true", help="every key binding: id, keys, action")
    config.add_argument("--example", action="store_true", help="print a commented example file")
    config.add_argument("--json", action="store_true", help="print JSON")
    saved = commands.add_parser("saved", parents=[common], help="saved searches with counts")
    saved.add_argument("--json", action="store_true", help="print one JSON array")

    commands.add_parser("reindex", parents=[common], help="rebuild the search index")
    sub = commands.add_parser("subscribe", parents=[common], help="subscribe to feeds")
    sub.add_argument("urls", nargs="+", metavar="URL", help="feed addresses (http or https)")
    unsub = commands.add_parser("unsubscribe", parents=[common], help="stop following feeds")
    unsub.add_argument("feeds", nargs="+", metavar="FEED", help="URL, id or title")
    feeds = commands.add_parser("feeds", parents=[common], help="list subscriptions")
    feeds.add_argument("--json", action="store_true", help="print one JSON array")
    refresh = commands.add_parser("refresh", parents=[common], help="fetch every subscribed feed")
    refresh.add_argument("--timeout", type=float, default=15.0, help="seconds per feed (15)")
    export = commands.add_parser(
        "export", parents=[common], help="export subscriptions (OPML) or articles (Markdown)"
    )
    form = export.add_mutually_exclusive_group(required=True)
    form.add_argument("--opml", action="store_true", help="subscriptions as OPML")
    form.add_argument(
        "--markdown", action="store_true", help="articles with their quotations as Markdown"
    )
    export.add_argument("--tag", help="only articles with this tag, any case (with --markdown)")
    export.add_argument(
        "--bookmarked", action="store_true", help="only bookmarked articles (with --markdown)"
    )
    export.add_argument("output", nargs="?", metavar="FILE", help="file to write (default: stdout)")
    doctor = commands.add_parser("doctor", parents=[common], help="check the library's files")
    doctor.add_argument("--restore", action="store_true", help="restore the last good copy")
    return parser


def library_path(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return Path(args.db)
    from_env = os.environ.get("NEWSREADER_DB")
    if from_env:
        return Path(from_env)
    from newsreader.library import default_library_path

    return default_library_path()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments:
        args = build_parser().parse_args(arguments)
    else:  # `newsreader` alone opens the reader: what the parser would say, without its 5 ms
        args = argparse.Namespace(db=None, command=None)
    if args.command is None:
        # The reader: no collections until its first frame is drawn (they walked every module
        # being imported, 30 ms of the first screen); the screen enables them (`ReaderScreen`).
        import gc

        gc.disable()
    from newsreader.cli_output import Output
    from newsreader.config import ConfigError
    from newsreader.library import LibraryError

    output = Output()
    try:
        from newsreader import commands

        return commands.run(args, library_path(args), output)
    except LibraryError as error:
        output.error(str(error))
    except ConfigError as error:  # a setting is wrong: nothing was done, nothing was written
        output.error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        output.error("Interrupted; everything written before was kept.")
        return 130
    except BrokenPipeError:
        # `newsreader list | head`: the reader of our output left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # the promise is one sentence, never a traceback
        if os.environ.get("NEWSREADER_DEBUG"):
            raise
        output.error(f"Unexpected error: {type(error).__name__}: {error}")
    return EXIT_FAILED

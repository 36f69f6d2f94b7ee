"""The quotation sub-commands: quotes (who said what) and speakers (who is quoted most)."""

from __future__ import annotations

import argparse

from newsreader.cli_output import Output, Styled
from newsreader.commands import from_copy
from newsreader.library import Library
from newsreader.library.catalog_copy import CatalogReader
from newsreader.library.quotations import quotations, speakers
from newsreader.library.search import sync_index
from newsreader.text.query import words_of
from newsreader.text.sanitize import sanitize_line

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _quotes(
    library: Library, args: argparse.Namespace, output: Output, catalog: CatalogReader
) -> int:
    ids: list[str] | None = None
    if args.ids:
        ids = []
        for given in args.ids:
            doc_id = catalog.resolve_id(given)
            if doc_id is None:
                output.error(
                    f"No single article has the id {given!r}; `newsreader list` shows ids."
                )
                return EXIT_FAILED
            ids.append(doc_id)
    if args.speaker is not None and not words_of(args.speaker):
        output.error("--speaker needs a name, as in --speaker Shoigu.")
        return EXIT_USAGE
    with output.progress("Finding quotations") as progress:
        sync_index(library, progress)
    found = quotations(library, ids, speaker=args.speaker, catalog=catalog)
    if args.json:
        output.json(
            [
                {
                    "article": q.article.id,
                    "title": q.article.title,
                    "quote": q.text,
                    "speaker": q.speaker,
                    "speaker_as_written": q.as_written,
                    "kind": q.kind,
                }
                for q in found
            ]
        )
        return EXIT_OK
    rows: list[list[str | Styled]] = [
        [
            q.article.id,
            Styled(sanitize_line(q.speaker or "—"), "bold"),
            Styled(sanitize_line(q.text)),
            Styled(sanitize_line(q.article.title)),
        ]
        for q in found
    ]
    output.table(
        [
            ("ID", {"style": "dim", "no_wrap": True}),
            ("Speaker", {"ratio": 1}),
            ("Quotation", {"ratio": 3}),
            ("Article", {"ratio": 1}),
        ],
        rows,
    )
    said = f"{len(found):,} quotation" + ("" if len(found) == 1 else "s")
    output.message(said + (f" by “{args.speaker}”." if args.speaker else "."))
    return EXIT_OK


def _speakers(library: Library, args: argparse.Namespace, output: Output) -> int:
    with output.progress("Finding quotations") as progress:
        sync_index(library, progress)
    found = speakers(library)
    if args.json:
        output.json([{"name": s.name, "count": s.count} for s in found])
        return EXIT_OK
    output.table(
        [("Speaker", {}), ("Quotations", {"justify": "right"})],
        [[Styled(sanitize_line(s.name)), f"{s.count:,}"] for s in found],
    )
    return EXIT_OK


QUOTE_COMMANDS = {"quotes": from_copy(_quotes), "speakers": _speakers}

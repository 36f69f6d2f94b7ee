"""The settings sub-commands: config (the file and what it sets) and saved (saved searches)."""

from __future__ import annotations

import argparse
import sys

from newsreader.cli_output import Output, Styled
from newsreader.config import Settings, describe, example_config, load_settings
from newsreader.library import Library
from newsreader.text.sanitize import sanitize_line

EXIT_OK = 0
DEFAULT_THEME = "textual-dark"


def checked_settings() -> Settings:
    """The settings, checked through and through: binding ids and themes are the reader's, so
    the reader's modules are imported only when the file names some (textual is slow to load)."""
    settings = load_settings()
    if settings.keys or settings.theme != DEFAULT_THEME:
        from newsreader.ui.keymap import binding_ids, theme_names

        settings = load_settings(binding_ids=binding_ids(), themes=theme_names())
    return settings


def _config(library: Library, args: argparse.Namespace, output: Output) -> int:
    if args.example:
        sys.stdout.write(example_config())
        return EXIT_OK
    if args.keys:
        from newsreader.ui.keymap import binding_rows

        bindings = binding_rows(args.settings.keys)
        if args.json:
            output.json([{"id": i, "keys": k, "description": d} for i, k, d in bindings])
            return EXIT_OK
        output.table(
            [("Binding id", {"style": "cyan", "no_wrap": True}), ("Keys", {}), ("Does", {})],
            [[binding_id, keys, description] for binding_id, keys, description in bindings],
        )
        return EXIT_OK
    values = describe(args.settings)
    if args.json:
        output.json(dict(values))
        return EXIT_OK
    output.table(
        [("Setting", {"style": "cyan", "no_wrap": True}), ("Value", {})],
        [[name, Styled(value)] for name, value in values],
    )
    return EXIT_OK


def _saved(library: Library, args: argparse.Namespace, output: Output) -> int:
    from newsreader.library.saved_searches import SavedSearches
    from newsreader.library.search import matching_ids

    found = [(s, len(matching_ids(library, s.query))) for s in SavedSearches(library).all()]
    if args.json:
        output.json([{"name": s.name, "query": s.query, "count": count} for s, count in found])
        return EXIT_OK
    output.table(
        [("Name", {"style": "bold"}), ("Query", {}), ("Articles", {"justify": "right"})],
        [[Styled(sanitize_line(s.name)), Styled(s.query), f"{count:,}"] for s, count in found],
    )
    if not found:
        output.message("No saved searches; press S in the reader to save the current search.")
    return EXIT_OK


SETTINGS_COMMANDS = {"config": _config, "saved": _saved}

"""Everything the command line prints: tables and progress on a terminal, plain text or JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from rich.console import Console
from rich.text import Text


class Output:
    """Writes results to stdout and messages to stderr; article text is never read as markup."""

    def __init__(self) -> None:
        self.out = Console(highlight=False, soft_wrap=False)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)

    @property
    def interactive(self) -> bool:
        return self.err.is_terminal

    def json(self, value: Any) -> None:
        sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")
        sys.stdout.flush()

    def line(self, text: str | Text = "") -> None:
        self.out.print(text if isinstance(text, Text) else Text(text))

    def message(self, text: str | Text) -> None:
        self.err.print(text if isinstance(text, Text) else Text(text))

    def error(self, sentence: str) -> None:
        self.err.print(Text("newsreader: ", style="bold red") + Text(sentence))

    def table(
        self, columns: list[tuple[str, dict[str, Any]]], rows: list[list[str | Text]]
    ) -> None:
        if not self.out.is_terminal:
            # Piped: tab-separated lines that cut and awk understand.
            for row in rows:
                sys.stdout.write(
                    "\t".join(cell.plain if isinstance(cell, Text) else cell for cell in row) + "\n"
                )
            return
        from rich.table import Table  # loaded by the commands that print one

        table = Table(box=None, pad_edge=False, header_style="bold")
        for name, options in columns:
            table.add_column(name, **options)
        for row in rows:
            table.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))
        self.out.print(table)

    @contextmanager
    def progress(self, description: str) -> Iterator[Callable[[int, int], None]]:
        """A progress bar on a terminal (stderr); a no-op callback when piped."""
        if not self.interactive:
            yield lambda done, total: None
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.err, transient=True) as bar:
            task = bar.add_task(description, total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            yield update

"""Everything the command line prints: tables and progress on a terminal, plain text or JSON."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

TAB_SIZE = 8  # rich's, for plain text written as rich would write it
# What rich's `Text` removes from any string it is given (rich.control.STRIP_CONTROL_CODES).
_RICH_STRIPS = dict.fromkeys([7, 8, 11, 12, 13])


class Styled(NamedTuple):
    """A table cell or message: text and a rich style, made into rich's `Text` only for a
    terminal (rich.text takes 20 ms to load; piped output needs only the words)."""

    text: str
    style: str = ""
    snippet: bool = False  # `text` is a search snippet with its match marks (see `highlight`)

    def rich(self) -> Text:
        if self.snippet:
            from newsreader.text.highlight import snippet_text

            return snippet_text(self.text)
        from rich.text import Text

        return Text(self.text, style=self.style)

    @property
    def plain(self) -> str:
        """As `rich().plain`, without rich."""
        if self.snippet:
            from newsreader.text.highlight import plain_snippet

            return plain_snippet(self.text).translate(_RICH_STRIPS)
        return self.text.translate(_RICH_STRIPS)


def is_terminal(stream: TextIO) -> bool:
    """Whether rich would treat `stream` as a terminal (its `Console.is_terminal`, for a
    command-line process): TTY_COMPATIBLE, then FORCE_COLOR, then the stream itself."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method; or closed
        return False


def _as_text(text: str | Styled | Text) -> Text:
    if isinstance(text, Styled):
        return text.rich()
    from rich.text import Text

    return Text(text) if isinstance(text, str) else text


def _plain(text: str | Styled | Text) -> str:
    """The words rich's `Text` of `text` holds."""
    return text.translate(_RICH_STRIPS) if isinstance(text, str) else text.plain


class Output:
    """Writes results to stdout and messages to stderr; article text is never read as markup.

    rich's consoles (30 ms to load) are made when a terminal is written to: piped, results
    and messages are written as plain text, as rich would write them there."""

    def __init__(self) -> None:
        self._out: Console | None = None
        self._err: Console | None = None

    @property
    def out(self) -> Console:
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=False)
        return self._out

    @property
    def err(self) -> Console:
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, soft_wrap=True)
        return self._err

    @property
    def interactive(self) -> bool:
        return is_terminal(sys.stderr)

    def json(self, value: Any) -> None:
        import orjson

        sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")
        sys.stdout.flush()

    def line(self, text: str | Text = "") -> None:
        self.out.print(_as_text(text))

    def message(self, *parts: str | Styled | Text) -> None:
        """One line of `parts` (joined) to stderr."""
        self._say(*parts)

    def error(self, sentence: str) -> None:
        self._say(Styled("newsreader: ", "bold red"), sentence)

    def _say(self, *parts: str | Styled | Text) -> None:
        terminal = is_terminal(sys.stderr)
        if not terminal:
            # What rich writes to a stream that is not a terminal: the words without styles,
            # and no wrapping (soft wrap); tabs expanded (rich's way: by rich, below).
            plain = "".join(_plain(part) for part in parts)
            if "\t" not in plain:
                sys.stderr.write(plain + "\n")
                sys.stderr.flush()
                return
        text = (_as_text(parts[0]) if parts else _as_text("")).copy()
        for part in parts[1:]:
            text = text + _as_text(part)
        if terminal:
            self.err.print(text)
            return
        text.expand_tabs(TAB_SIZE)
        sys.stderr.write(text.plain + "\n")
        sys.stderr.flush()

    def table(
        self,
        columns: list[tuple[str, dict[str, Any]]],
        rows: Sequence[Sequence[str | Styled | Text]],
    ) -> None:
        if not is_terminal(sys.stdout):
            # Piped: tab-separated lines that cut and awk understand.
            for row in rows:
                sys.stdout.write(
                    "\t".join(cell if isinstance(cell, str) else cell.plain for cell in row) + "\n"
                )
            return
        from rich.table import Table  # loaded by the commands that print one

        table = Table(box=None, pad_edge=False, header_style="bold")
        for name, options in columns:
            table.add_column(name, **options)
        for row in rows:
            table.add_row(*(_as_text(cell) for cell in row))
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

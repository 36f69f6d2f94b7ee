"""The Textual application: opens the reader screen on a library."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import ClassVar

from rich.console import Console
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.theme import ThemeProvider
from textual.worker import WorkerFailed

from newsreader.config import Settings
from newsreader.library import Library
from newsreader.resources import resource_dir
from newsreader.ui import crash
from newsreader.ui.commands import ReaderCommands
from newsreader.ui.guards import GuardedCommandPalette
from newsreader.ui.idle_collector import IdleCollector
from newsreader.ui.keymap import keymap
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.quotations import QuotationOptions, QuotationsScreen
from newsreader.ui.screens.reader import ReaderScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.key_handoff import hand_on
from newsreader.ui.widgets.quotation_list import QuotationList
from newsreader.ui.widgets.tag_sidebar import TagSidebar


class NewsReaderApp(App[None]):
    """newsreader: tags, articles, the article; all from the keyboard."""

    TITLE = "newsreader"
    CSS_PATH = str(resource_dir("styles") / "newsreader.tcss")
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, library: Library, settings: Settings | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings(path=Path())
        # Exit sentences name files: printed on one line (the terminal folds it for the eye)
        # so that a path is copied whole, where Rich would break it at the console's width.
        self.error_console = Console(markup=False, highlight=False, stderr=True, soft_wrap=True)
        self.last_keys: deque[str] = deque(maxlen=crash.KEPT_KEYS)
        self.crash_report: Path | None = None
        self._crashed = False
        self.idle_collector = IdleCollector()  # full garbage collections between keys

    def get_default_screen(self) -> Screen[None]:
        return ReaderScreen(self.library, self.settings)

    def on_mount(self) -> None:
        # config.toml was checked before the reader started: its theme and keys are known.
        self.theme = self.settings.theme
        if self.settings.keys:
            self.set_keymap(keymap(self.settings.keys))
        self.idle_collector.start(self)

    def on_unmount(self) -> None:
        self.idle_collector.stop()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        general = [
            *self.BINDINGS,
            Binding("tab", "", "Next pane"),
            Binding("shift+tab", "", "Previous pane"),
            Binding("ctrl+p", "", "Command palette: every action, tags, people, saved"),
        ]
        self.push_screen(
            HelpScreen(
                [
                    ("Everywhere", [*ReaderScreen.BINDINGS, *general]),
                    ("Article list", ArticleList.BINDINGS),
                    ("Article", ArticleView.BINDINGS),
                    ("Tags", TagSidebar.BINDINGS),
                    ("A person's quotations (People, in the tags)", QuotationList.BINDINGS),
                    (
                        "The article's quotations (\")",
                        [*QuotationOptions.BINDINGS, *QuotationsScreen.BINDINGS],
                    ),
                ]
            )
        )

    # -- the palette: Textual's, with a guard (see newsreader.ui.guards) -----------------

    def action_command_palette(self) -> None:
        # Found by the long monkey: two ctrl+p faster than a palette opens. The first palette
        # is a child of the app before it is the screen on top, and a second with the same id
        # raised DuplicateIds (Textual 8.2.8 checks only the screen on top).
        if self.use_command_palette and not self._palette_exists():
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    def _palette_exists(self) -> bool:
        if isinstance(self.screen, CommandPalette):
            return True
        try:  # every screen the app holds, on the stack or still being added or removed
            self.get_child_by_id("--command-palette")
        except NoMatches:
            return False
        return True

    def search_themes(self) -> None:
        self.push_screen(
            GuardedCommandPalette(providers=[ThemeProvider], placeholder="Search for themes…")
        )

    # -- the last line of defence --------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        # Every key reaches the app once, unforwarded, before any widget sees it.
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.last_keys.append(event.key)
            self.idle_collector.key_pressed()
        elif isinstance(event, events.Key) and hand_on(self, event):
            return  # text typed right after `/` goes into the search box
        await super().on_event(event)

    def _handle_exception(self, error: Exception) -> None:
        """Anything unexpected: a crash report on disk, one sentence on the terminal, exit 1.

        Replaces Textual's wall of traceback (`_fatal_error`); like it, this stops the app
        through its normal exit, which gives the terminal back as it was.
        """
        if self._exception is None:
            self._exception = error  # run_test raises it at the end: tests still fail on it
            self._exception_event.set()
        self._return_code = 1
        cause = error.error if isinstance(error, WorkerFailed) else error
        if self._crashed:
            if self.crash_report is not None:
                crash.append_report(self.crash_report, crash.format_error(cause))
            return
        self._crashed = True
        try:
            text = crash.report_text(
                cause,
                size=self._terminal_size(),
                keys=self.last_keys,
                screens=[type(screen).__name__ for screen in self.screen_stack],
            )
            self.crash_report = crash.write_report(text)
        except Exception:  # the report is best effort; the sentence and the exit are not
            self.crash_report = None
        self._exit_renderables[:] = [crash.crash_sentence(cause, self.crash_report)]
        self._close_messages_no_wait()

    def _terminal_size(self) -> str:
        try:
            width, height = self.size
        except Exception:  # before the driver has started there is no size yet
            return "unknown"
        return f"{width}x{height}"


def run_reader(library: Library, settings: Settings | None = None) -> int:
    app = NewsReaderApp(library, settings)
    app.run()
    return app.return_code or 0

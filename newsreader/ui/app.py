"""The Textual application: opens the reader screen on a library."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from newsreader.library import Library
from newsreader.resources import resource_dir
from newsreader.ui.commands import ReaderCommands
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.reader import ReaderScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
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

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library

    def get_default_screen(self) -> Screen[None]:
        return ReaderScreen(self.library)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        general = [
            *self.BINDINGS,
            Binding("tab", "", "Next pane"),
            Binding("shift+tab", "", "Previous pane"),
            Binding("ctrl+p", "", "Command palette: tags, bookmark, theme"),
        ]
        self.push_screen(
            HelpScreen(
                [
                    ("Everywhere", [*ReaderScreen.BINDINGS, *general]),
                    ("Article list", ArticleList.BINDINGS),
                    ("Article", ArticleView.BINDINGS),
                    ("Tags", TagSidebar.BINDINGS),
                ]
            )
        )


def run_reader(library: Library) -> int:
    app = NewsReaderApp(library)
    app.run()
    return app.return_code or 0

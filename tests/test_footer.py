"""The footer (`KeyFooter`): one widget, the focused pane's keys, clicks, Textual's look."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Footer, Label

import newsreader.ui.screens.reader as reader_module
from newsreader.library import Library
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.footer import KeyFooter
from tests.ui_helpers import loaded, make_library, reader_app


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return make_library(tmp_path / "library.json")


def painted_last_line(app: App[None]) -> list[tuple[str, str]]:
    """The screen's last line as `export_screenshot` paints it: each segment's text and style.
    (The rest of the reader's screen is not compared: a theme set at start leaves a colour or
    two of the first theme in it, now and then, with either footer.)"""
    update = app.screen._compositor.render_full_update(simplify=True)
    return [(segment.text, str(segment.style)) for segment in update.strips[-1][0]]


def shown(pilot: Pilot[None]) -> str:
    """The footer's line as the screen paints it (cached until the footer is refreshed)."""
    footer = pilot.app.screen.query_one(KeyFooter)
    return footer.render_lines(footer.size.region)[0].text


async def test_the_keys_follow_the_focused_pane(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        line = shown(pilot)
        assert line.startswith(" ⏎ Open  / Search  b Bookmark  u Read/unread  t Tags ")
        assert line.endswith("▏^p palette ")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is app.screen.query_one(ArticleView)
        assert shown(pilot).startswith(" / Search  b Bookmark ")
        assert "Open" not in shown(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.screen.query_one(ArticleList)
        assert shown(pilot) == line


async def test_a_click_on_a_key_runs_it(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        article = app.screen.query_one(ArticleList).current
        assert article is not None
        start = shown(pilot).index(" b Bookmark ")
        await pilot.click(KeyFooter, offset=(start + 6, 0))  # on "Bookmark"
        await pilot.pause()
        assert Library(library.path).state(article.id).bookmarked
        assert app.screen._counts().bookmarked == 1
        await pilot.click(KeyFooter, offset=(start, 0))  # the key's first cell: again
        await pilot.pause()
        assert not Library(library.path).state(article.id).bookmarked
        await pilot.click(KeyFooter, offset=(120, 0))  # between the keys and the palette
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(KeyFooter, offset=(139, 0))  # the palette key's last cell
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_the_footer_is_one_widget_and_a_focus_change_mounts_nothing(
    library: Library,
) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        footer = app.screen.query_one(KeyFooter)
        widgets = list(app.screen.walk_children())
        assert not footer.children
        await pilot.press("enter", "escape", "tab", "escape")
        await pilot.pause()
        assert list(app.screen.walk_children()) == widgets
        assert app.screen.query_one(KeyFooter) is footer


# -- looks like Textual's Footer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "theme", "keys"),
    [
        (140, "textual-dark", []),
        (140, "nord", ["enter"]),
        (80, "textual-light", []),  # cut at the palette's border
        (80, "ansi-dark", ["enter"]),
    ],
)
async def test_the_footer_paints_as_textuals_does(
    library: Library, monkeypatch: pytest.MonkeyPatch, width: int, theme: str, keys: list[str]
) -> None:
    async def painted() -> list[tuple[str, str]]:
        app = reader_app(library)
        async with app.run_test(size=(width, 24)) as pilot:
            app.theme = theme
            await loaded(pilot)
            await pilot.press(*keys)
            for _ in range(3):  # Footer composes its keys a frame after the bindings change
                await pilot.pause()
            return painted_last_line(app)

    ours = await painted()
    monkeypatch.setattr(reader_module, "KeyFooter", Footer)
    assert ours == await painted()


class Keys(App[None]):
    """Keys the reader does not have: disabled, without a description, one action twice."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "first", "First"),
        Binding("b", "first", "Same action"),
        Binding("c", "off", "Disabled"),
        Binding("d", "bare", ""),
        Binding("e", "wide", "日本語 ☕"),
        Binding("f", "hidden", "Hidden", show=False),
        Binding("g", "gone", "Gone"),
    ]

    def __init__(self, footer: type[Footer | KeyFooter]) -> None:
        super().__init__()
        self.footer = footer
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Label("keys")
        yield self.footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return {"off": None, "gone": False}.get(action, True)

    def bell(self) -> None:
        self.bells += 1


@pytest.mark.parametrize("width", [8, 30, 58, 80])
async def test_other_keys_are_drawn_as_textual_draws_them(width: int) -> None:
    async def painted(footer: type[Footer | KeyFooter]) -> list[tuple[str, str]]:
        app = Keys(footer)
        async with app.run_test(size=(width, 4)) as pilot:
            for _ in range(3):
                await pilot.pause()
            return painted_last_line(app)

    assert await painted(KeyFooter) == await painted(Footer)


async def test_a_click_on_a_disabled_key_rings_the_bell() -> None:
    app = Keys(KeyFooter)
    async with app.run_test(size=(80, 4)) as pilot:
        line = shown(pilot)
        assert "Same action" not in line  # Footer shows the first key of an action
        await pilot.click(KeyFooter, offset=(line.index("Disabled"), 0))
        assert app.bells == 1

"""A seeded key monkey: random keys, typing and resizes never crash the reader or lose a mark."""

from __future__ import annotations

import asyncio
import random
import threading
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual import events
from textual.app import App, ComposeResult, ScreenStackError, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widgets import Input, Label, OptionList
from textual.worker import WorkerFailed

from newsreader.library import Library
from newsreader.library.selection import count_states
from newsreader.model import ArticleState, ParsedArticle
from newsreader.ui.app import NewsReaderApp
from newsreader.ui.guards import GuardedCommandPalette
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.reader import ReaderScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.tag_sidebar import TagSidebar
from tests.ui_helpers import ARTICLES, loaded, make_library, reader_app

SEEDS = [1, 2, 3, 4, 5]
KEYS_PER_SEED = 1000  # 5 x 1,000 keys: about a minute on two cores
SIZES = ((80, 24), (200, 50))  # the smallest and largest terminal a person uses
QUIT_ACTIONS = {"quit", "app.quit"}  # the monkey must still be running when it stops
# Letters for the search box and the palette; no `q`, which quits when the focus has moved on.
TYPED = "abcdefghijklmnoprstuvwxyzNATO "

# Every class whose bindings a person can reach in the reader, Textual's own included.
BOUND = (
    App,
    NewsReaderApp,
    Screen,
    ReaderScreen,
    HelpScreen,
    ArticleList,
    ArticleView,
    TagSidebar,
    ScrollView,
    OptionList,
    Input,
    CommandPalette,
)


def _bindings(bindings: Iterable[BindingType]) -> Iterator[Binding]:
    for binding in bindings:
        yield binding if isinstance(binding, Binding) else Binding(*binding)


def binding_keys() -> list[str]:
    """Every key bound anywhere in the app, except the ones that quit somewhere."""
    keys = {NewsReaderApp.COMMAND_PALETTE_BINDING}
    quitting = set()
    for cls in BOUND:
        for binding in _bindings(cls.BINDINGS):
            names = {key.strip() for key in binding.key.split(",")}
            (quitting if binding.action in QUIT_ACTIONS else keys).update(names)
    return sorted(keys - quitting)


KEYS = binding_keys()


def test_the_monkey_presses_every_key_of_the_reader() -> None:
    expected = (
        "j k up down pageup pagedown home end enter tab shift+tab t slash b u n N o escape R "
        "ctrl+r question_mark ctrl+p space backspace"
    )
    assert set(expected.split()) <= set(KEYS)
    assert "q" not in KEYS and "ctrl+q" not in KEYS


def burst(rng: random.Random) -> list[str]:
    """A few keys as a person presses them: bound keys, or words typed after / or ctrl+p."""
    roll = rng.random()
    if roll < 0.15:  # search, then move around the results
        typed = [rng.choice(TYPED) for _ in range(rng.randint(1, 8))]
        return ["slash", *typed, *rng.choices(["backspace", "enter", "escape", "down"], k=2)]
    if roll < 0.30:  # the palette: type, page through what it found, maybe run one
        typed = [rng.choice(TYPED) for _ in range(rng.randint(0, 6))]
        moves = rng.choices(["pagedown", "pageup", "down", "up", "home", "end", "backspace"], k=3)
        keys = ["ctrl+p", *moves[:1], *typed, *moves[1:]]
        return [*keys, rng.choice(["enter", "escape", "tab", "question_mark"])]
    return rng.choices(KEYS, k=rng.randint(3, 25))


def chars(keys: list[str]) -> list[str]:
    """Pilot's names for typed characters."""
    return ["space" if key == " " else key for key in keys]


def deliver(app: App[None], keys: list[str]) -> None:
    """Queue `keys` all at once, as a terminal delivers a fast typist's keys: the app meets
    each one in whatever state the ones before left it (Pilot.press settles after each key)."""
    for key in keys:
        app.post_message(events.Key(key, key_to_character(key)))


def library_articles() -> list[ParsedArticle]:
    """The test library plus enough tagged articles that paging moves in every pane."""
    extra = [
        ParsedArticle(
            f"Article number {n} about the harbour and the summit",
            f"Summary {n}.",
            f"Body of article {n}. “A quotation {n},” someone said.\n\nSecond paragraph {n}.",
            (f"Tag{n % 9}", "Harbour" if n % 2 else "Summit"),
            published=f"2024-06-{n % 28 + 1:02d}",
            source=f"fixtures/extra{n}.txt",
        )
        for n in range(40)
    ]
    return [*ARTICLES, *extra]


def without_quit(app: NewsReaderApp) -> None:
    """The palette's Quit would end the run early: drop it from this app's system commands."""
    system = app.get_system_commands

    def commands(screen: Screen[object]) -> Iterator[SystemCommand]:
        return (command for command in system(screen) if command.title != "Quit")

    app.get_system_commands = commands  # type: ignore[method-assign]


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_crash_and_marks_match_the_disk(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda *args, **kwargs: True)
    monkeypatch.chdir(tmp_path)  # the palette's Screenshot writes here
    library = make_library(tmp_path / "library.json", library_articles())
    rng = random.Random(seed)
    app = reader_app(library)
    without_quit(app)
    pressed = 0
    async with app.run_test(size=rng.choice(SIZES)) as pilot:
        while pressed < KEYS_PER_SEED:
            if rng.random() < 0.1:
                await pilot.resize_terminal(rng.randint(80, 200), rng.randint(24, 50))
            keys = chars(burst(rng))
            deliver(app, keys)
            pressed += len(keys)
            await pilot.pause()
            await loaded(pilot)  # a search superseded by the burst's next key is cancelled
            if not app.is_running:
                break  # leaving run_test raises what stopped it
        screen = app.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        on_disk = Library(library.path).states()
        for article in screen.articles:
            assert screen.states.get(article.id, ArticleState()) == on_disk.get(
                article.id, ArticleState()
            ), article.title
        counts = screen._counts()
        assert (counts.bookmarked, counts.unread) == count_states(screen.articles, on_disk)
        assert len(screen.articles) == len(library_articles())
    assert app.return_code in (0, None)
    assert pressed >= KEYS_PER_SEED, f"the app stopped after {pressed} keys"


async def test_a_mark_written_while_the_library_reloads_is_what_the_screen_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the monkey (seed 4, in one run: it depends on timing): ctrl+r, then b before
    the reload's thread is done. The thread read the state file before the bookmark was
    written; what it read must not win over the bookmark."""
    library = make_library(tmp_path / "library.json")
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        read, go = threading.Event(), threading.Event()
        real_states = library.states

        def states_then_wait() -> dict[str, ArticleState]:
            states = real_states()
            if threading.current_thread() is not threading.main_thread():
                read.set()
                go.wait(10)
            return states

        monkeypatch.setattr(library, "states", states_then_wait)
        await pilot.press("ctrl+r")
        assert await asyncio.to_thread(read.wait, 10)
        await pilot.press("b")  # written while the reload holds the states from before
        go.set()
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        article = screen.query_one(ArticleList).current
        assert article is not None
        assert Library(library.path).state(article.id).bookmarked
        assert screen.states.get(article.id, ArticleState()).bookmarked
        assert screen._counts().bookmarked == 1


async def test_page_keys_in_the_tags_hidden_behind_a_maximized_pane(tmp_path: Path) -> None:
    """Found by the monkey (seed 5): the palette's Maximize, ctrl+r, then t and PageUp. The
    reload gave the sidebar new entries while it had no size; focused, it has none still, and
    Textual's OptionList pages by lines it has not measured."""
    app = reader_app(make_library(tmp_path / "library.json", library_articles()))
    async with app.run_test(size=(166, 46)) as pilot:
        await loaded(pilot)
        app.screen.maximize(app.screen.query_one(ArticleList))
        await pilot.press("ctrl+r")
        await loaded(pilot)
        await pilot.press("t", "pagedown", "pageup", "end", "pageup")
        sidebar = app.screen.query_one(TagSidebar)
        assert app.focused is sidebar
        await pilot.press("escape", "t", "pagedown")  # escape gives the panes back
        assert sidebar.highlighted


async def test_a_late_close_of_the_help_screen_closes_nothing_else(tmp_path: Path) -> None:
    """Textual's Screen.dismiss pops whatever screen is on top: help closes only itself."""
    app = reader_app(make_library(tmp_path / "library.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        await pilot.press("ctrl+p")
        help_screen.action_close()  # late: the palette is on top by now
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, ReaderScreen)


# -- Textual's own bugs, shown without newsreader: when one of these fails, Textual has fixed
# -- it, and the guard in newsreader/ui/guards.py can go.


class Counted(Provider):
    """One command that counts how often it ran."""

    runs = 0

    async def discover(self) -> Hits:
        yield DiscoveryHit("Count", self.count)

    async def search(self, query: str) -> Hits:
        yield Hit(1, "Count", self.count)

    def count(self) -> None:
        Counted.runs += 1


class PaletteApp(App[None]):
    """A bare Textual app with one command in its palette."""

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {Counted}

    def __init__(self, palette: type[CommandPalette] = CommandPalette) -> None:
        super().__init__()
        self.palette = palette

    def compose(self) -> ComposeResult:
        yield Label("a bare app")

    def action_command_palette(self) -> None:
        self.push_screen(self.palette(id="--command-palette"))


class AutoHeightApp(App[None]):
    CSS = "OptionList { height: auto; }"

    def compose(self) -> ComposeResult:
        yield OptionList()


async def test_textual_option_list_pages_before_layout_raises_key_error() -> None:
    """Textual 8.2.8: options added to a list with no height yet have no lines until the next
    layout, and PageDown reads a line of the highlighted option unguarded."""
    app = AutoHeightApp()
    async with app.run_test():
        options = app.query_one(OptionList)
        options.add_options(["one", "two", "three"])
        options.highlighted = 0
        with pytest.raises(KeyError):
            options.action_page_down()


async def test_textual_palette_crashes_on_a_page_key_soon_after_opening() -> None:
    """The same bug met the way a person meets it: ctrl+p and PageUp, typed fast."""
    app = PaletteApp()
    with pytest.raises(KeyError):
        async with app.run_test() as pilot:
            deliver(app, ["ctrl+p", "pageup"])
            await pilot.pause()


async def test_textual_palette_selects_twice_and_pops_the_screen_below() -> None:
    """Textual 8.2.8: two selections queued before the palette closes (enter, enter) both run;
    the second dismisses again, and `Screen.dismiss` pops whatever is on top: the app's last
    screen, so `ScreenStackError`."""
    app = PaletteApp()
    with pytest.raises(ScreenStackError):
        async with app.run_test() as pilot:
            await open_palette(pilot)
            select_twice(app)
            await pilot.pause()


async def test_textual_palette_search_outlives_the_palette_when_the_app_exits() -> None:
    """Textual 8.2.8: the app's exit right behind ctrl+p removes the palette's widgets while
    its first search still runs; the search looks its list up: `NoMatches` in a worker.
    (Found by the long monkey in tmux.)"""
    app = PaletteApp()
    with pytest.raises(WorkerFailed, match="NoMatches"):
        async with app.run_test():
            deliver(app, ["ctrl+p"])
            app.exit()


async def test_the_guarded_palette_lets_the_app_exit_as_it_opens() -> None:
    app = PaletteApp(GuardedCommandPalette)
    async with app.run_test():
        deliver(app, ["ctrl+p"])
        app.exit()
    assert app.return_code == 0


async def test_the_guarded_palette_pages_early_and_selects_once() -> None:
    Counted.runs = 0
    app = PaletteApp(GuardedCommandPalette)
    async with app.run_test() as pilot:
        deliver(app, ["ctrl+p", "pageup", "pagedown"])
        await pilot.pause()
        await open_palette(pilot)
        select_twice(app)
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        assert len(app.screen_stack) == 1
    assert Counted.runs == 1


async def open_palette(pilot: Pilot[None]) -> None:
    """Open the palette (if it is not) and wait until its command is listed."""
    app = pilot.app
    if not isinstance(app.screen, CommandPalette):
        await pilot.press("ctrl+p")
    commands = app.screen.query_one(CommandList)
    while not commands.option_count:
        await app.workers.wait_for_complete()
        await pilot.pause()


def select_twice(app: App[None]) -> None:
    """Two enters that both reach the list before the palette has handled the first."""
    commands = app.screen.query_one(CommandList)
    commands.highlighted = 0
    commands.action_select()
    commands.action_select()


async def test_a_mark_written_while_two_reloads_overlap_is_what_the_screen_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+r, ctrl+r, b: the first reload's result comes first, then the second's, which
    read the state file before the bookmark was written."""
    library = make_library(tmp_path / "library.json")
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        read = [threading.Event(), threading.Event()]
        go = [threading.Event(), threading.Event()]
        delivered = asyncio.Event()
        real_states, real_loaded = library.states, screen._loaded
        loads = iter(range(2))

        def states_then_wait() -> dict[str, ArticleState]:
            states = real_states()
            if threading.current_thread() is not threading.main_thread():
                load = next(loads)
                read[load].set()
                go[load].wait(10)
            return states

        def loaded_and_tell(*args: Any) -> None:
            real_loaded(*args)
            delivered.set()

        monkeypatch.setattr(library, "states", states_then_wait)
        monkeypatch.setattr(screen, "_loaded", loaded_and_tell)
        await pilot.press("ctrl+r")
        assert await asyncio.to_thread(read[0].wait, 10)
        await pilot.press("ctrl+r")
        assert await asyncio.to_thread(read[1].wait, 10)
        await pilot.press("b")  # both reloads hold the states from before
        go[0].set()
        await asyncio.wait_for(delivered.wait(), 10)  # the first reload is on screen
        go[1].set()
        await loaded(pilot)
        article = screen.query_one(ArticleList).current
        assert article is not None
        assert Library(library.path).state(article.id).bookmarked
        assert screen.states.get(article.id, ArticleState()).bookmarked
        assert screen._counts().bookmarked == 1

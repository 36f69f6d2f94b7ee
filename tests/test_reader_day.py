"""The reader's day in the reader: triage keys, saved searches, mute rules, auto-refresh, full
text, copy and save, and settings from config.toml."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from newsreader.config import FeedSettings, Settings
from newsreader.library import Library
from newsreader.library.saved_searches import SavedSearches
from newsreader.library.subscriptions import Subscriptions
from newsreader.model import ParsedArticle
from newsreader.ui.app import NewsReaderApp
from newsreader.ui.screens.name_prompt import NamePrompt
from newsreader.ui.screens.reader import ReaderScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.tag_sidebar import TagSidebar
from tests.feed_server import serve_feeds
from tests.test_refresh_options import PAGE, rss
from tests.ui_helpers import loaded, make_library

LONG_BODY = "\n\n".join(f"Paragraph {n} of a long report about the harbour." for n in range(80))


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return make_library(tmp_path / "library.json")


def app_with(library: Library, **settings: object) -> NewsReaderApp:
    return NewsReaderApp(library, Settings(path=library.path, **settings))  # type: ignore[arg-type]


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 15) -> None:
    """Let workers and timers run until `condition` holds (auto-refresh is driven by a timer,
    so there is no single signal to wait for); fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        await loaded(pilot)
        await pilot.pause(0.05)


def screen_of(pilot: Pilot[None]) -> ReaderScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def titles(pilot: Pilot[None]) -> list[str]:
    return [a.title for a in pilot.app.screen.query_one(ArticleList).articles]


async def test_mark_all_read_then_undo_step_by_step(library: Library) -> None:
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        first = pilot.app.screen.query_one(ArticleList).current
        assert first is not None
        await pilot.press("b")  # bookmark the first
        await pilot.press("A")  # all three read
        assert all(s.read for s in library.states().values()) and len(library.states()) == 3
        assert screen_of(pilot).unread_count == 0
        await pilot.press("ctrl+z")
        assert not any(s.read for s in library.states().values())  # on disk, not just shown
        assert library.state(first.id).bookmarked
        assert screen_of(pilot).unread_count == 3
        await pilot.press("ctrl+z")
        assert not library.state(first.id).bookmarked
        await pilot.press("ctrl+z")  # nothing left: says so, changes nothing
        assert not library.state(first.id).bookmarked


async def test_mark_all_read_takes_only_the_view(library: Library) -> None:
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"lighthouse", "enter")
        await until(pilot, lambda: titles(pilot) == ["Harbour authority opens the new lighthouse"])
        await pilot.press("A")
        read = {a.title for a in library.articles() if library.state(a.id).read}
        assert read == {"Harbour authority opens the new lighthouse"}


async def test_space_reads_on_then_opens_the_next_unread(tmp_path: Path) -> None:
    articles = [
        ParsedArticle("Long report", "A summary.", LONG_BODY, published="2024-07-03"),
        ParsedArticle("Already read", "Read.", "Read before.", published="2024-07-02"),
        ParsedArticle("Next unread", "Unread.", "Not read yet.", published="2024-07-01"),
    ]
    library = make_library(tmp_path / "library.json", articles)
    read_id = next(a.id for a in library.articles() if a.title == "Already read")
    library.set_state([read_id], read=True)
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        view = pilot.app.screen.query_one(ArticleView)
        await pilot.press("enter")
        assert view.article is not None and view.article.title == "Long report"
        await pilot.press("space")
        await pilot.pause()
        assert view.scroll_y > 0 and view.article.title == "Long report"
        while view.scroll_y < view.max_scroll_y:
            await pilot.press("space")
            await pilot.pause()
        await pilot.press("space")  # at its end: the next unread, skipping the read one
        await pilot.pause()
        assert view.article.title == "Next unread"
        assert library.state(view.article.id).read


async def test_hide_read_and_the_four_orders(library: Library) -> None:
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        newest = titles(pilot)
        await pilot.press("enter")  # opening marks the first read
        await pilot.press("H")
        assert titles(pilot) == newest[1:]
        await pilot.press("H")
        assert titles(pilot) == newest
        await pilot.press("O")
        assert titles(pilot) == newest[::-1]
        await pilot.press("O")
        assert titles(pilot) == sorted(newest, key=lambda t: t.casefold().lstrip("["))
        await pilot.press("O", "O")
        assert titles(pilot) == newest


async def test_hide_read_and_order_from_the_config(library: Library) -> None:
    first = library.articles()[0]
    library.set_state([first.id], read=True)
    async with app_with(library, hide_read=True, order="oldest").run_test() as pilot:
        await loaded(pilot)
        assert first.title not in titles(pilot)
        assert titles(pilot) == [a.title for a in library.articles()[1:]][::-1]


async def test_hidden_read_articles_stay_hidden_in_search_results(library: Library) -> None:
    lighthouse = next(a for a in library.articles() if "lighthouse" in a.title)
    library.set_state([lighthouse.id], read=True)
    async with app_with(library, hide_read=True).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"lighthouse", "enter")
        await until(pilot, lambda: screen_of(pilot).results is not None)
        assert [r.article.id for r in screen_of(pilot).results.results] == [lighthouse.id]
        assert titles(pilot) == []  # found, but read: hidden as in the list
        await pilot.press("H")  # shown again when read articles are
        await until(pilot, lambda: titles(pilot) == [lighthouse.title])


async def test_save_a_search_and_find_it_after_a_restart(library: Library) -> None:
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"lighthouse", "enter")
        await until(pilot, lambda: len(titles(pilot)) == 1)
        await pilot.press("S")
        prompt = pilot.app.screen
        assert isinstance(prompt, NamePrompt)
        assert prompt.query_one(Input).value == "lighthouse"  # prefilled with the query
        await pilot.press("ctrl+a", *"Lights", "enter")  # ctrl+a: to the start of the line
        await until(pilot, lambda: bool(screen_of(pilot).saved))
    assert [(s.name, s.query) for s in SavedSearches(library).all()] == [
        ("Lightslighthouse", "lighthouse")
    ]
    async with app_with(Library(library.path)).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(screen_of(pilot).saved))
        sidebar = pilot.app.screen.query_one(TagSidebar)
        prompts = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        assert any(p.startswith("Lightslighthouse") and p.endswith("1") for p in prompts)
        sidebar.highlight_saved("Lightslighthouse")
        sidebar.focus()
        await pilot.press("enter")  # the saved search runs
        await until(pilot, lambda: titles(pilot) == ["Harbour authority opens the new lighthouse"])
        assert pilot.app.screen.query_one("#search", Input).value == "lighthouse"


async def test_escape_at_the_name_prompt_saves_nothing(library: Library) -> None:
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("S")  # no search yet: says so, no prompt
        assert not isinstance(pilot.app.screen, NamePrompt)
        await pilot.press("slash", *"lighthouse", "enter")
        await until(pilot, lambda: len(titles(pilot)) == 1)
        await pilot.press("S", "escape")
        assert isinstance(pilot.app.screen, ReaderScreen)
    assert SavedSearches(library).all() == []


async def test_muted_articles_are_hidden_everywhere_but_muted(library: Library) -> None:
    async with app_with(library, mute_queries=("tag:Coast",)).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(screen_of(pilot).muted))
        assert "Harbour authority opens the new lighthouse" not in titles(pilot)
        await pilot.press("slash", *"lighthouse", "enter")  # not in search results either
        await until(pilot, lambda: screen_of(pilot).results is not None)
        assert titles(pilot) == []
        await pilot.press("escape", "escape")
        sidebar = pilot.app.screen.query_one(TagSidebar)
        sidebar.highlighted = sidebar.get_option_index("muted")
        assert str(sidebar.get_option_at_index(sidebar.highlighted).prompt).endswith("1")
        sidebar.focus()
        await pilot.press("enter")
        assert titles(pilot) == ["Harbour authority opens the new lighthouse"]
    assert len(library) == 3  # hidden, never deleted


async def test_news_arrives_by_itself_without_moving_the_cursor(library: Library) -> None:
    with serve_feeds() as server:
        server.routes["/feed.xml"] = rss(("Ferry timetable", server.url("/a1")))
        server.routes["/quiet.xml"] = rss(("Quiet one", server.url("/q1")))
        Subscriptions(library).add(server.url("/feed.xml"))
        Subscriptions(library).add(server.url("/quiet.xml"))
        settings = {
            "refresh_every": 0.3,
            "feeds": (FeedSettings(server.url("/quiet.xml"), 0),),  # only by hand
        }
        # A short terminal: the list scrolls, and the cursor's row must stay where it is.
        async with app_with(library, **settings).run_test(size=(140, 9)) as pilot:
            await loaded(pilot)
            await until(pilot, lambda: "Ferry timetable" in titles(pilot))
            articles = pilot.app.screen.query_one(ArticleList)
            articles.cursor = titles(pilot).index("Harbour authority opens the new lighthouse")
            articles.scroll_to(y=articles.cursor * 2, animate=False, immediate=True)
            await pilot.pause()
            row_on_screen = articles.cursor * 2 - articles.scroll_y
            assert articles.scroll_y > 0  # scrolled: the cursor is not where showing it puts it
            server.routes["/feed.xml"] = rss(
                ("Pier reopens", server.url("/a2")), ("Ferry timetable", server.url("/a1"))
            )
            await until(pilot, lambda: "Pier reopens" in titles(pilot))  # no key pressed
            current = articles.current
            assert current is not None
            assert current.title == "Harbour authority opens the new lighthouse"
            assert articles.cursor * 2 - articles.scroll_y == row_on_screen
            assert "new" in str(articles.border_title)
            assert "Quiet one" not in titles(pilot)
            quiet = [p for p, _ in server.requests if p == "/quiet.xml"]
            assert quiet == []


async def test_a_failing_refresh_is_one_quiet_line(library: Library) -> None:
    with serve_feeds() as server:
        Subscriptions(library).add(server.url("/gone.xml"))
        async with app_with(library, refresh_every=0.3).run_test(size=(140, 40)) as pilot:
            await loaded(pilot)
            articles = pilot.app.screen.query_one(ArticleList)
            await until(pilot, lambda: "refresh failed" in str(articles.border_subtitle))
            assert isinstance(pilot.app.screen, ReaderScreen)  # never a modal


async def test_full_text_replaces_the_summary_and_stays(library: Library) -> None:
    with serve_feeds() as server:
        server.routes["/page"] = PAGE
        server.types["/page"] = "text/html; charset=utf-8"
        library.add([ParsedArticle("Pier", "A summary.", "A summary.", link=server.url("/page"))])
        async with app_with(library).run_test(size=(140, 40)) as pilot:
            await loaded(pilot)
            articles = pilot.app.screen.query_one(ArticleList)
            articles.cursor = titles(pilot).index("Pier")
            await pilot.pause()
            await pilot.press("F")
            view = pilot.app.screen.query_one(ArticleView)
            await until(pilot, lambda: "kept every plank" in view.body)
            assert any(q.speaker == "Jane Smith" for q in view.quotations)
    pier = next(a for a in library.articles() if a.title == "Pier")
    assert "kept every plank" in Library(library.path).body(pier.id)


async def test_full_text_that_fails_keeps_the_summary(library: Library) -> None:
    with serve_feeds() as server:
        library.add([ParsedArticle("Gone", "A summary.", "A summary.", link=server.url("/x"))])
        async with app_with(library).run_test(size=(140, 40)) as pilot:
            await loaded(pilot)
            articles = pilot.app.screen.query_one(ArticleList)
            articles.cursor = titles(pilot).index("Gone")
            await pilot.press("F")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert pilot.app.screen.query_one(ArticleView).body == "A summary."


async def test_copy_link_and_save_as_markdown(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_SAVE_DIR", str(tmp_path / "saved"))
    library.add([ParsedArticle("Linked", "S.", "“Hello,” said Ana Souza.", link="https://x.org/a")])
    copied: list[str] = []
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        monkeypatch.setattr(pilot.app, "copy_to_clipboard", copied.append)
        await loaded(pilot)
        articles = pilot.app.screen.query_one(ArticleList)
        articles.cursor = titles(pilot).index("Linked")
        await pilot.pause()
        await pilot.press("y", "w")
    assert copied == ["https://x.org/a"]
    (saved,) = (tmp_path / "saved").iterdir()
    assert saved.name.startswith("linked-") and saved.suffix == ".md"
    text = saved.read_text()
    assert text.startswith("# Linked") and "Ana Souza" in text


async def test_keys_and_theme_from_the_config(library: Library) -> None:
    app = app_with(library, keys={"reader.bookmark": ("m",)}, theme="textual-light")
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        assert pilot.app.theme == "textual-light"
        current = pilot.app.screen.query_one(ArticleList).current
        assert current is not None
        await pilot.press("m")
        assert library.state(current.id).bookmarked
        await pilot.press("b")  # b is no longer bookmark
        assert library.state(current.id).bookmarked


async def test_help_and_palette_know_the_new_keys(library: Library) -> None:
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        shown = str(pilot.app.screen.query_one("#help-keys").render())
        for words in (
            "Mark all read",
            "Undo",
            "Hide read",
            "Change order",
            "Save search",
            "Full text",
        ):
            assert words in shown, words


async def test_rename_and_delete_a_saved_search_from_the_palette(library: Library) -> None:
    SavedSearches(library).save("Lights", "lighthouse")
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(screen_of(pilot).saved))
        await pilot.press("ctrl+p", *"Rename saved search: Lights")
        await until(pilot, lambda: pilot.app.screen.query("CommandList").first().option_count > 0)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, NamePrompt))
        await pilot.press("ctrl+a", "ctrl+k", *"Beacons", "enter")
        await until(pilot, lambda: [s.name for s, _ in screen_of(pilot).saved] == ["Beacons"])
        await pilot.press("ctrl+p", *"Delete saved search: Beacons")
        await until(pilot, lambda: pilot.app.screen.query("CommandList").first().option_count > 0)
        await pilot.press("enter")
        await until(pilot, lambda: screen_of(pilot).saved == [])
    assert SavedSearches(library).all() == []


async def test_mark_all_read_in_a_persons_quotations_takes_their_articles(tmp_path: Path) -> None:
    from tests.test_quotations_ui import quotation_library

    library = quotation_library(tmp_path / "library.json")
    async with app_with(library).run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: bool(screen_of(pilot).people))
        screen_of(pilot).show_person("Sergey Shoigu")
        await until(
            pilot, lambda: bool(pilot.app.screen.query_one("#person-quotations").quotations)
        )  # type: ignore[attr-defined]
        await pilot.press("A")
    read = {a.title for a in library.articles() if library.state(a.id).read}
    assert read == {"As NATO summit begins, Russia escalates its attack on Ukraine"}

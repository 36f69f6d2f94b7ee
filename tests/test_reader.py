"""The reader, driven with Pilot as a person would: keys, mouse, search, bookmarks, help."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Input, Static

from newsreader.library import Library
from newsreader.model import ParsedArticle
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.tag_sidebar import TagSidebar
from tests.conftest import article_file
from tests.test_consistency import index_held
from tests.ui_helpers import drawn_frames, loaded, make_library, reader_app


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return make_library(tmp_path / "library.json")


def option_texts(options: CommandList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def shown_title(app) -> str:  # type: ignore[no-untyped-def]
    view = app.screen.query_one(ArticleView)
    return view.article.title if view.article else ""


def list_titles(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.title for a in app.screen.query_one(ArticleList).articles]


async def test_opens_with_articles_newest_first_and_the_first_shown(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert list_titles(app)[0].startswith("As NATO summit begins")
        assert shown_title(app).startswith("As NATO summit begins")
        assert app.focused is app.screen.query_one(ArticleList)


async def test_j_k_and_arrows_move_and_the_pane_follows(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("j")
        assert shown_title(app) == "Harbour authority opens the new lighthouse"
        await pilot.press("down")
        assert shown_title(app).startswith("[bold]Markup")
        await pilot.press("down")  # the last one: stays
        assert app.screen.query_one(ArticleList).cursor == 2
        await pilot.press("k", "up")
        assert shown_title(app).startswith("As NATO summit")


async def test_enter_marks_read_and_u_toggles_and_counts_follow(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        article = app.screen.query_one(ArticleList).current
        assert article is not None
        await pilot.press("enter")
        assert Library(library.path).state(article.id).read
        assert app.focused is app.screen.query_one(ArticleView)
        assert app.screen._counts().unread == 2
        await pilot.press("u")
        assert not Library(library.path).state(article.id).read
        assert app.screen._counts().unread == 3


async def test_a_count_change_redraws_only_its_sidebar_entry(library: Library) -> None:
    """Unread sits above the gap before the next group, so its entry is two lines tall (the
    prompt, then the gap's rule): its count still changes without redrawing the sidebar."""
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        sidebar = app.screen.query_one(TagSidebar)
        drawn = sidebar._option_render_cache
        everything_else = {key: drawn[key] for key in list(drawn.keys()) if key[0].id != "unread"}
        assert everything_else
        await pilot.press("enter")
        await pilot.pause()
        kept = sidebar._option_render_cache
        assert all(kept.get(key) is strips for key, strips in everything_else.items())
        line = sidebar._index_to_line[sidebar.get_option_index("unread")]
        assert sidebar.render_line(line).text.split() == ["Unread", "2"]
        assert set(sidebar.render_line(line + 1).text) == {"─"}


async def test_b_bookmarks_at_once_on_disk(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "b")
        article = app.screen.query_one(ArticleList).current
        assert article is not None
        # On disk before anything else happens: another process sees it now.
        assert Library(library.path).state(article.id).bookmarked
        assert app.screen._counts().bookmarked == 1
        await pilot.press("b")
        assert not Library(library.path).state(article.id).bookmarked


async def test_tags_filter_the_list(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("t")
        sidebar = app.screen.query_one(TagSidebar)
        assert app.focused is sidebar
        sidebar.highlight_tag("Coast")
        await pilot.press("enter")
        await pilot.pause()
        assert list_titles(app) == ["Harbour authority opens the new lighthouse"]
        assert app.focused is app.screen.query_one(ArticleList)
        await pilot.press("t", "home", "enter")
        await pilot.pause()
        assert len(list_titles(app)) == 3


async def test_bookmarks_view_and_mouse_clicks(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.click(ArticleList, offset=(5, 3))  # the second article's title row
        assert shown_title(app) == "Harbour authority opens the new lighthouse"
        await pilot.press("b")
        sidebar = app.screen.query_one(TagSidebar)
        await pilot.click(TagSidebar, offset=(3, 2))  # below the border and "All": "★ Bookmarks"
        await pilot.pause()
        assert list_titles(app) == ["Harbour authority opens the new lighthouse"]
        assert sidebar.highlighted == 1


async def test_tab_and_shift_tab_move_between_panes(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(ArticleView)
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is app.screen.query_one(TagSidebar)


async def test_search_as_you_type_enter_match_highlight_n_and_escape_twice(
    library: Library,
) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        box = app.screen.query_one("#search", Input)
        assert app.focused is box
        await pilot.press(*"lighth")
        await loaded(pilot)
        assert list_titles(app) == ["Harbour authority opens the new lighthouse"]
        status = app.screen.query_one("#search-status", Static)
        assert "1 result" in str(status.render())
        await pilot.press("enter")
        assert app.focused is app.screen.query_one(ArticleList)
        view = app.screen.query_one(ArticleView)
        assert [view.body[s:e] for s, e in view.matches] == ["lighthouse"]
        await pilot.press("n")
        assert view.current_match == 0
        assert "Match 1 of 1" in str(status.render())
        await pilot.press("N")  # one match: previous wraps round to it
        assert view.current_match == 0
        await pilot.press("escape")  # focus was in the list: this clears the search
        assert app.screen.results is None
        assert len(list_titles(app)) == 3
        assert not box.display


async def test_escape_leaves_the_box_first_then_clears(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"keeper")
        await loaded(pilot)
        await pilot.press("escape")
        assert app.focused is app.screen.query_one(ArticleList)
        assert list_titles(app) == ["Harbour authority opens the new lighthouse"]
        await pilot.press("escape")
        assert len(list_titles(app)) == 3


async def test_a_keystroke_in_the_search_box_arranges_nothing_again(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new layout of the screen per keystroke (Textual's Input asks for one) cost 7-8 ms
    before the search even began."""
    from textual.widget import Widget

    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash")
        await pilot.pause()
        layouts: list[str] = []
        refresh = Widget.refresh

        def counted(self: Widget, *regions: object, **options: bool) -> None:
            if options.get("layout"):
                layouts.append(type(self).__name__)
            refresh(self, *regions, **options)  # type: ignore[arg-type]

        monkeypatch.setattr(Widget, "refresh", counted)
        await pilot.press("h", "a", "r", "b")
        assert app.screen.query_one("#search", Input).value == "harb"
        box = type(app.screen.query_one("#search", Input)).__name__
        assert box not in layouts  # the results arriving may arrange the list: not the box


async def test_moving_the_focus_redraws_the_panes_it_changes_not_the_screen(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter lights the article pane's border and dims the list's: Textual repainted the whole
    screen for it, the tags pane's every option drawn again (half of an open's 40 ms)."""
    from textual._compositor import Compositor

    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        whole: list[int] = []
        render_full_update = Compositor.render_full_update

        def counted(self: Compositor, *args: object, **kwargs: object) -> object:
            whole.append(1)
            return render_full_update(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Compositor, "render_full_update", counted)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one(ArticleView)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.focused is app.screen.query_one(ArticleList)
        assert whole == []


async def test_a_key_is_drawn_in_one_frame(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A move redraws the list and the article pane; an open, also the panes' borders and
    scrollbars. Each reached the screen from its own task, and the screen drew what had
    arrived: two or three frames for one key (a move 12.4 ms of CPU, 10.3 in one frame)."""
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("enter", "escape")  # the first open arranges the scrollbars once
        await pilot.pause()
        frames = drawn_frames(monkeypatch)
        for key, drawn in (
            ("j", {"ArticleList", "ArticleView"}),
            ("enter", {"ArticleList", "ArticleView", "ScrollBar"}),
        ):
            frames.clear()
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert len(frames) == 1 and drawn <= frames[0], key


async def test_rows_are_drawn_again_only_when_what_they_show_changes(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The focus leaving the list changes the cursor row's colour: that row is drawn again,
    not the forty on screen (as after a scroll by one row). A mark redraws its row."""
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        listed = app.screen.query_one(ArticleList)
        made: list[str] = []
        title = ArticleList._title

        def counted(self: ArticleList, article: object, *args: object) -> object:
            made.append(getattr(article, "id", ""))
            return title(self, article, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(ArticleList, "_title", counted)
        current = listed.current
        assert current is not None
        await pilot.press("enter")  # the article pane takes the focus; the article is read
        await pilot.pause()
        assert made and set(made) == {current.id}
        assert str(listed.render_line(0).text).startswith("  ")  # no ★ yet
        await pilot.press("escape", "b")
        await pilot.pause()
        assert "★" in listed.render_line(0).text


async def test_keys_typed_at_once_after_slash_all_go_into_the_search_box(
    library: Library,
) -> None:
    """Typed faster than the reader handles them (as while a big library loads): the box took
    the focus a moment after `/`, and the `b`, `u` and `r` of `bur` bookmarked, marked and
    refreshed in the list."""
    from textual import events

    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        for key in ["slash", *"bur"]:
            app.post_message(events.Key(key, None if key == "slash" else key))
        await loaded(pilot)
        assert app.screen.query_one("#search", Input).value == "bur"
        assert not any(s.bookmarked or s.read for s in library.states().values())


async def test_no_results_says_so_and_search_combines_with_the_tag(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.screen.select_view(app.screen.selection.of_tag("NATO"))
        await pilot.press("slash", *"keeper")
        await loaded(pilot)
        assert list_titles(app) == []
        assert "No results" in str(app.screen.query_one("#search-status", Static).render())
        await pilot.press(*["backspace"] * 6, *"shoigu")
        await loaded(pilot)
        assert list_titles(app) == ["As NATO summit begins, Russia escalates its attack on Ukraine"]


async def test_help_screen_lists_every_key_and_closes(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).render())
        for words in ("Bookmark", "Read/unread", "Search", "Next match", "Quit", "Tags", "Open"):
            assert words in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_markup_in_articles_is_shown_literally_and_runs_nothing(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j")
        view = app.screen.query_one(ArticleView)
        assert "[bold]Markup[/bold] in a title stays literal" in view.text
        assert "[@click=app.quit]here[/]" in view.text
        await pilot.click(ArticleView, offset=(10, 7))  # on the would-be link
        await pilot.pause()
        assert app.is_running


async def test_command_palette_jumps_to_a_tag(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"tag: coast")
        # The palette searches its providers on a timer: wait for its answer, not a while.
        commands = app.screen.query_one(CommandList)
        await wait_for(
            pilot, lambda: any(t.startswith("Go to tag: Coast") for t in option_texts(commands))
        )
        await pilot.press("enter")
        await pilot.pause()
        assert list_titles(app) == ["Harbour authority opens the new lighthouse"]


def import_elsewhere(library: Library, folder: Path, title: str, body: str) -> None:
    """Another process imports an article (a real one: its own interpreter and lock)."""
    folder.mkdir(exist_ok=True)
    path = folder / f"{len(list(folder.iterdir()))}.txt"
    path.write_text(article_file(title, body), encoding="utf-8")
    command = [sys.executable, "-m", "newsreader", "--db", str(library.path), "import", str(path)]
    subprocess.run(command, check=True, capture_output=True)


async def test_sees_articles_another_process_imported(library: Library, tmp_path: Path) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("b")  # a write of ours first
        import_elsewhere(library, tmp_path / "new", "Imported elsewhere", "A body.")
        await pilot.press("j", "k")  # reads (the article pane) before the reader's next check
        await wait_for(pilot, lambda: "Imported elsewhere" in list_titles(app))
        await pilot.press("j", "b")  # writing again must not drop the other process's article
        assert len(Library(library.path)) == 4
        assert sum(s.bookmarked for s in Library(library.path).states().values()) == 2


async def test_search_survives_a_held_index_and_finds_what_another_process_imported(
    library: Library, tmp_path: Path
) -> None:
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        status = app.screen.query_one("#search-status", Static)
        with index_held(library.index.path):
            # The catalog gains an article no one indexed: the search must write, and waits.
            Library(library.path).add([ParsedArticle("Unindexed keeper", "s", "A keeper.")])
            await pilot.press("slash", *"keeper")
            await loaded(pilot)
            assert "busy" in str(status.render())
            assert app.is_running
        await pilot.press("backspace", "r")  # the index is free again: the search works
        await wait_for(pilot, lambda: "Unindexed keeper" in list_titles(app))
        import_elsewhere(library, tmp_path / "new", "Keeper of the zeppelin", "It floats.")
        await pilot.press("enter", "j", "k")  # searches done and articles read meanwhile
        await wait_for(pilot, lambda: "Keeper of the zeppelin" in list_titles(app))
        assert app.is_running


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 10) -> None:
    """Wait for what the screen should come to show, on its own timers; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the reader did not come to show it in time"
        await pilot.pause(0.05)


async def test_R_refreshes_feeds_in_the_background(library: Library) -> None:
    from newsreader.library.subscriptions import Subscriptions
    from tests.feed_server import serve_feeds
    from tests.test_feeds import rss

    with serve_feeds() as server:
        server.routes["/harbour.xml"] = rss()
        Subscriptions(library).add(server.url("/harbour.xml"))
        app = reader_app(library)
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("R")
            await loaded(pilot)  # the refresh worker
            await loaded(pilot)  # the reload it starts
            assert "Lighthouse lit again" in list_titles(app)
            sidebar = app.screen.query_one(TagSidebar)
            assert sidebar.selection_of("feed-0") == app.screen.selection.of_feed("Harbour News")
            app.screen.select_view(app.screen.selection.of_feed("Harbour News"))
            await pilot.pause()
            assert list_titles(app) == ["Lighthouse lit again", "Ferry timetable"]
            assert "Harbour News" in app.screen.query_one(ArticleView).text


async def test_typing_fast_shows_each_result_set_once_and_the_last_one_stays(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.ui.screens.search_flow import SearchFlow

    shown: list[str] = []
    original = SearchFlow.show_results

    def counted(self: SearchFlow, text: str, found: object) -> None:
        shown.append(text)
        original(self, text, found)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchFlow, "show_results", counted)
    app = reader_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"lighthouse")  # no pause between the keys
        await loaded(pilot)
        assert shown and shown[-1] == "lighthouse"
        assert len(shown) == len(set(shown))  # no result set drawn twice
        assert list_titles(app) == ["Harbour authority opens the new lighthouse"]

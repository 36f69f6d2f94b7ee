"""Who said what, in the reader: speaker names styled, the `"` list, the People group."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import Static

from newsreader.library import Library, LibraryError
from newsreader.model import ParsedArticle
from newsreader.sources.seed_text import parse_seed_text
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.quotations import QuotationOptions, QuotationsScreen
from newsreader.ui.screens.reader import ReaderScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.article_view import ArticleView
from newsreader.ui.widgets.quotation_list import QuotationList
from newsreader.ui.widgets.tag_sidebar import TagSidebar
from tests.conftest import SEED_ARTICLE
from tests.ui_helpers import ARTICLES, drawn_frames, loaded, make_library, reader_app

NATO_TITLE = "As NATO summit begins, Russia escalates its attack on Ukraine"
SHOIGU_SAYS = "In the event that the United States supplies cluster munitions"
NO_QUOTES = ARTICLES[2]  # the hostile article: markup, and not one quotation mark


def seed_article() -> ParsedArticle:
    """The sample article about Russia and NATO (Sergey Shoigu, the Kyiv administration)."""
    return parse_seed_text(SEED_ARTICLE.read_text(encoding="utf-8"), source="sample.txt")


def quotation_library(path: Path) -> Library:
    """The sample NATO article first (no date: imported at the fixed time, so newest), then
    one without quotations."""
    return make_library(path, [seed_article(), NO_QUOTES])


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return quotation_library(tmp_path / "library.json")


async def settle(pilot: Pilot[None], condition: Callable[[], bool], rounds: int = 50) -> None:
    """Let workers finish and messages be handled until `condition` holds (no sleeping: each
    round waits for the workers there are, then for the messages they sent)."""
    for _ in range(rounds):
        if condition():
            return
        await loaded(pilot)
    assert condition(), "the reader did not come to show it"


def reader(pilot: Pilot[None]) -> ReaderScreen:
    screen = pilot.app.screen_stack[0]
    assert isinstance(screen, ReaderScreen)
    return screen


async def shoigu_listed(pilot: Pilot[None]) -> QuotationList:
    """Once the People are counted, Sergey Shoigu's quotations listed in the middle pane."""
    screen = reader(pilot)
    await settle(pilot, lambda: bool(screen.people))
    screen.show_person("Sergey Shoigu")
    quotations = screen.query_one(QuotationList)
    await settle(pilot, lambda: bool(quotations.quotations))
    return quotations


def view(pilot: Pilot[None]) -> ArticleView:
    return reader(pilot).query_one(ArticleView)


def rows(options: QuotationOptions | QuotationList | TagSidebar) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_quotations(pilot: Pilot[None]) -> QuotationsScreen:
    await pilot.press("quotation_mark")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, QuotationsScreen)
    return screen


# -- the article pane: the speaker's name in the speaker style ------------------------------


async def test_the_speakers_name_is_drawn_bold_in_the_quotations_hue(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 60)) as pilot:
        await loaded(pilot)
        pane = view(pilot)
        assert pane.article is not None and pane.article.title == NATO_TITLE
        shoigu = next(q for q in pane.quotations if q.speaker == "Sergey Shoigu")
        assert pane.body[shoigu.speaker_start : shoigu.speaker_end] == "Shoigu"
        # What is drawn: the line with `Shoigu said`, segment by segment.
        index = next(i for i, line in enumerate(pane._lines) if "Shoigu said" in line.plain)
        segments = list(pane.render_line(index - round(pane.scroll_offset.y)))
        name = next(s for s in segments if s.text.strip() == "Shoigu")
        said = next(s for s in segments if "said" in s.text)
        quote = next(s for s in segments if "”" in s.text)
        assert name.style is not None and quote.style is not None and said.style is not None
        assert name.style.bold and not (said.style.bold)
        assert name.style.color == quote.style.color  # the quotation's hue
        assert said.style.color != quote.style.color


# -- the `"` list ----------------------------------------------------------------------------


async def test_quote_key_lists_the_articles_quotations_with_their_speakers(
    library: Library,
) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        screen = await open_quotations(pilot)
        listed = rows(screen.query_one(QuotationOptions))
        assert len(listed) == 3
        assert listed[1].startswith("Sergey Shoigu")
        assert f"— {SHOIGU_SAYS}" in listed[1]
        assert listed[0].startswith("Kyiv regional military")
        assert app.focused is screen.query_one(QuotationOptions)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        assert view(pilot).scroll_y == 0  # escape goes nowhere


async def test_enter_scrolls_the_article_so_the_quotation_is_the_top_line(
    library: Library,
) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 24)) as pilot:  # short: the article has room to scroll
        await loaded(pilot)
        pane = view(pilot)
        assert pane.scroll_y == 0
        await open_quotations(pilot)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        shoigu = next(q for q in pane.quotations if q.speaker == "Sergey Shoigu")
        line = pane.line_of(shoigu.start)
        assert pane._lines[line].plain.startswith("“In the event")
        assert pane.scroll_y == line  # at the top of the view
        assert pane.marked == (shoigu.start, shoigu.end)  # and marked for a moment
        assert app.focused is pane


async def test_an_article_without_quotations_says_so(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("j")  # the article without quotation marks
        assert view(pilot).quotations == []
        screen = await open_quotations(pilot)
        assert not screen.query(QuotationOptions)
        message = screen.query_one("#no-quotations", Static)
        assert str(message.render()) == "No quotations in this article."
        await pilot.press("enter", "quotation_mark")  # `"` closes it too; enter does nothing
        assert isinstance(app.screen, ReaderScreen)


async def test_two_quick_enters_close_the_list_once(library: Library) -> None:
    """Textual pops whatever screen is on top: a second enter must not pop the reader."""
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        screen = await open_quotations(pilot)
        options = screen.query_one(QuotationOptions)
        options.action_select()
        options.action_select()
        await pilot.pause()
        assert app.screen_stack == [reader(pilot)]


# -- the People group ------------------------------------------------------------------------


async def test_the_people_group_shows_the_most_quoted_with_their_counts(
    library: Library,
) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        screen = reader(pilot)
        await settle(pilot, lambda: bool(screen.people))
        assert ("Sergey Shoigu", 1) in [(p.name, p.count) for p in screen.people]
        entries = [" ".join(text.split()) for text in rows(screen.query_one(TagSidebar))]
        people, tags = entries.index("People"), entries.index("Tags")
        assert people < tags
        assert "Sergey Shoigu 1" in entries[people:tags]
        assert len(entries[people + 1 : tags]) == len(screen.people) <= 15


async def test_choosing_a_person_lists_their_quotations_and_enter_opens_the_article_there(
    library: Library,
) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 24)) as pilot:
        await loaded(pilot)
        screen = reader(pilot)
        await settle(pilot, lambda: bool(screen.people))
        await pilot.press("j")  # the article pane shows the other article now
        await pilot.press("t")
        sidebar = screen.query_one(TagSidebar)
        sidebar.highlight_person("Sergey Shoigu")
        await pilot.press("enter")
        quotations = screen.query_one(QuotationList)
        await settle(pilot, lambda: bool(quotations.quotations))
        assert quotations.display and not screen.query_one(ArticleList).display
        assert app.focused is quotations
        [said] = quotations.quotations
        assert said.speaker == "Sergey Shoigu" and said.text.startswith(SHOIGU_SAYS)
        listed = rows(quotations)[0]
        assert SHOIGU_SAYS in listed and NATO_TITLE[:20] in listed and "2024-07-15" in listed
        pane = view(pilot)
        assert pane.article is not None and pane.article.title == NATO_TITLE  # it follows
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is pane
        line = pane.line_of(said.start)
        assert pane._lines[line].plain.startswith("“In the event")
        assert pane.scroll_y == line
        assert Library(library.path).state(pane.article.id).read  # opened: read
        await pilot.press("escape")  # from the article back to the quotations
        assert app.focused is quotations
        await pilot.press("escape")  # and back to the articles
        assert screen.person is None and not quotations.display
        assert app.focused is screen.query_one(ArticleList)
        assert pane.article.title == NO_QUOTES.title  # the list's article again


async def test_another_sidebar_entry_leaves_the_persons_quotations(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        screen = reader(pilot)
        await shoigu_listed(pilot)
        await pilot.press("t", "home", "enter")  # All
        await pilot.pause()
        assert screen.person is None
        assert screen.query_one(ArticleList).display
        assert screen.query_one(ArticleList).articles[0].title == NATO_TITLE


async def test_a_storage_error_is_one_line_not_a_crash(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsreader.library.quotations as stored

    def busy(*args: object, **kwargs: object) -> list[object]:
        raise LibraryError("The search index is busy; try again in a moment.")

    monkeypatch.setattr(stored, "speakers", busy)
    monkeypatch.setattr(stored, "quotations_by", busy)
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        screen = reader(pilot)
        await settle(pilot, lambda: bool(app._notifications))
        [note] = list(app._notifications)
        assert (
            note.message == "People not counted: The search index is busy; try again in a moment."
        )
        assert "People" not in [t.strip() for t in rows(screen.query_one(TagSidebar))]
        screen.show_person("Sergey Shoigu")
        quotations = screen.query_one(QuotationList)
        await settle(pilot, lambda: "busy" in " ".join(rows(quotations)))
        assert rows(quotations) == [" The search index is busy; try again in a moment."]
        await pilot.press("enter", "j", "escape")
        assert app.is_running and screen.person is None


async def test_people_are_counted_again_when_the_library_reloads(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        screen = reader(pilot)
        await settle(pilot, lambda: bool(screen.people))
        more = ParsedArticle(
            "Shoigu again",
            "s",
            "“We will answer,” Sergey Shoigu said on Friday.",
            (),
            source="more.txt",
        )
        Library(library.path).add([more])  # as another process would
        await pilot.press("ctrl+r")
        await settle(
            pilot, lambda: ("Sergey Shoigu", 2) in [(p.name, p.count) for p in screen.people]
        )


async def test_a_move_in_a_persons_quotations_is_drawn_in_one_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pane follows the cursor in the same step as the list: a message from the list
    reached the screen after the list had drawn its cursor, and the pane came a frame later."""
    more = ParsedArticle(
        "Shoigu again", "s", "“We will answer,” Sergey Shoigu said on Friday.", (), source="m"
    )
    app = reader_app(make_library(tmp_path / "library.json", [seed_article(), more]))
    async with app.run_test(size=(140, 30)) as pilot:
        await loaded(pilot)
        quotations = await shoigu_listed(pilot)
        assert len(quotations.quotations) == 2
        await pilot.pause()
        shown = view(pilot).article
        frames = drawn_frames(monkeypatch)
        await pilot.press("j")
        await pilot.pause()
        await pilot.pause()
        assert view(pilot).article != shown
        assert len(frames) == 1 and {"QuotationList", "ArticleView"} <= frames[0]


# -- help, palette, footer -------------------------------------------------------------------


async def test_help_and_palette_know_the_quotations(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 50)) as pilot:
        await loaded(pilot)
        screen = reader(pilot)
        footer_keys = {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert "quotation_mark" in footer_keys
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        keys = str(help_screen.query_one("#help-keys", Static).render())
        assert "\n  " + '"'.ljust(16) + "Quotations\n" in keys
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"quotations")
        commands = app.screen.query_one(CommandList)
        await settle(
            pilot, lambda: any(t.startswith("Quotations of: Sergey") for t in rows_of(commands))
        )
        texts = rows_of(commands)
        index = next(i for i, t in enumerate(texts) if t.startswith("Quotations in this article"))
        commands.highlighted = index
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, QuotationsScreen))


def rows_of(commands: CommandList) -> list[str]:
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


async def test_a_narrow_terminal_keeps_the_quotation_at_the_top_as_the_tags_hide(
    library: Library,
) -> None:
    """Below 100 columns the tags show only while focused: choosing a person hides them, and
    the article pane, wider, wraps anew after it scrolled to the quotation."""
    app = reader_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        screen = reader(pilot)
        await settle(pilot, lambda: bool(screen.people))
        pane = view(pilot)
        await pilot.press("t")
        narrow = pane.size.width
        screen.query_one(TagSidebar).highlight_person("Sergey Shoigu")
        await pilot.press("enter")
        quotations = screen.query_one(QuotationList)
        await settle(pilot, lambda: bool(quotations.quotations))
        await pilot.pause()
        assert pane.size.width > narrow
        assert pane._lines[round(pane.scroll_y)].plain.startswith("“In the event")


async def test_a_reload_leaves_the_article_where_the_reader_scrolled_it(library: Library) -> None:
    app = reader_app(library)
    async with app.run_test(size=(140, 24)) as pilot:
        await loaded(pilot)
        quotations = await shoigu_listed(pilot)
        pane = view(pilot)
        at_quotation = pane.scroll_y
        await pilot.press("enter", "j", "j", "j")  # reading on, below the quotation
        reading = pane.scroll_y
        assert reading > at_quotation
        await pilot.press("ctrl+r")  # what a write by another process also brings
        await pilot.pause()
        await settle(pilot, lambda: all(worker.is_finished for worker in app.workers))
        assert quotations.current is not None and quotations.current.speaker == "Sergey Shoigu"
        assert pane.scroll_y == reading

"""What the screen looks like: one snapshot per feature (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from newsreader.library.selection import Selection
from newsreader.ui.widgets.quotation_list import QuotationList
from newsreader.ui.widgets.tag_sidebar import TagSidebar
from tests.test_quotations_ui import quotation_library, settle
from tests.ui_helpers import loaded, make_library, reader_app


@pytest.fixture
def app(tmp_path: Path) -> Any:
    return reader_app(make_library(tmp_path / "library.json"))


def test_main_screen(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(140, 40), run_before=loaded)


def test_main_screen_small_terminal(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_light_theme(app: Any, snap_compare: Any) -> None:
    async def light(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await loaded(pilot)

    assert snap_compare(app, terminal_size=(140, 40), run_before=light)


def test_help_screen(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(140, 40), run_before=loaded, press=["question_mark"])


def test_tag_filter(app: Any, snap_compare: Any) -> None:
    async def choose_tag(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        pilot.app.screen.select_view(Selection.of_tag("Coast"))
        await pilot.pause()

    assert snap_compare(app, terminal_size=(140, 40), run_before=choose_tag)


def test_search_results_with_matches(app: Any, snap_compare: Any) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("slash", *"defence OR keeper")
        await loaded(pilot)
        await pilot.press("enter", "n")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(140, 40), run_before=search)


def test_feeds_in_the_sidebar_and_list(tmp_path: Path, snap_compare: Any) -> None:
    from newsreader.model import ParsedArticle

    feed = [
        ParsedArticle(
            "Lighthouse lit again", "s", "The lamp on the north pier shines again.\n\n"
            "“It is ours again,” the keeper said.", ("Coast",), source="Harbour News",
            link="https://harbour.example/lighthouse", author="M. Keeper",
            published="2024-07-01T09:00:00+00:00",
        ),
        ParsedArticle(
            "Ferry timetable", "s", "The ferry runs hourly.", (), source="Harbour News",
            link="https://harbour.example/ferry", published="2024-06-30T09:00:00+00:00",
        ),
    ]  # fmt: skip
    library = make_library(tmp_path / "library.json", feed)
    assert snap_compare(reader_app(library), terminal_size=(140, 30), run_before=loaded)


# -- who said what: the `"` list and the People group (issue 10) -----------------------------


async def _people_counted(pilot: Pilot[None]) -> None:
    """Loaded, and the People group counted (a worker of its own, after the tags)."""
    await loaded(pilot)
    await settle(pilot, lambda: bool(getattr(pilot.app.screen_stack[0], "people", ())))


async def _shoigus_quotations(pilot: Pilot[None]) -> None:
    await _people_counted(pilot)
    await pilot.press("t")
    pilot.app.screen.query_one(TagSidebar).highlight_person("Sergey Shoigu")
    await pilot.press("enter")
    quotations = pilot.app.screen.query_one(QuotationList)
    await settle(pilot, lambda: bool(quotations.quotations))


def test_quotations_of_the_article(tmp_path: Path, snap_compare: Any) -> None:
    async def open_list(pilot: Pilot[None]) -> None:
        await _people_counted(pilot)
        await pilot.press("quotation_mark")
        await pilot.pause()

    app = reader_app(quotation_library(tmp_path / "library.json"))
    assert snap_compare(app, terminal_size=(140, 40), run_before=open_list)


def test_people_and_a_persons_quotations(tmp_path: Path, snap_compare: Any) -> None:
    app = reader_app(quotation_library(tmp_path / "library.json"))
    assert snap_compare(app, terminal_size=(140, 40), run_before=_shoigus_quotations)


def test_people_and_a_persons_quotations_light_theme(tmp_path: Path, snap_compare: Any) -> None:
    async def light(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await _shoigus_quotations(pilot)

    app = reader_app(quotation_library(tmp_path / "library.json"))
    assert snap_compare(app, terminal_size=(140, 40), run_before=light)


def test_saved_searches_and_muted_in_the_sidebar(tmp_path: Path, snap_compare: Any) -> None:
    from newsreader.config import Settings
    from newsreader.library.saved_searches import SavedSearches
    from newsreader.ui.app import NewsReaderApp

    library = make_library(tmp_path / "library.json")
    SavedSearches(library).save("Lighthouses", "lighthouse")
    SavedSearches(library).save("Shoigu", "said:Shoigu")
    settings = Settings(path=tmp_path / "config.toml", mute_queries=("tag:Security",))
    app = NewsReaderApp(library, settings)

    async def counted(pilot: Pilot[None]) -> None:
        await settle(pilot, lambda: bool(app.screen.saved) and bool(app.screen.muted))  # type: ignore[attr-defined]

    assert snap_compare(app, terminal_size=(140, 30), run_before=counted)

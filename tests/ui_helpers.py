"""Helpers for Pilot and snapshot tests: a small library with fixed dates, a loaded app."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from newsreader.library import Library
from newsreader.library.search import sync_index
from newsreader.model import ParsedArticle
from newsreader.ui.app import NewsReaderApp

ARTICLES = [
    ParsedArticle(
        "As NATO summit begins, Russia escalates its attack on Ukraine",
        "In the early hours of Wednesday, NATO members assembled in Vilnius.",
        "In the early hours of Wednesday, NATO members assembled in Vilnius. A regional "
        "administration said, “The movement of enemy UAVs has been recorded! Air defence "
        "works.”\n\n"
        "“In the event that the United States supplies cluster munitions, Russia will respond,” "
        "Shoigu said.\n\nAllies noted Ukraine has grown “increasingly interoperable” with NATO.",
        ("NATO", "Russia", "Ukraine"),
        "NATORUSSIAUkraine",
        source="fixtures/nato.txt",
        published="2024-07-12",
    ),
    ParsedArticle(
        "Harbour authority opens the new lighthouse",
        "The lighthouse on the north pier is lit again after forty years.",
        "The lighthouse on the north pier is lit again after forty years.\n\n"
        "“It is ‘our’ light again,” the keeper said. The café on the quay stayed open late.",
        ("Coast", "Culture"),
        source="fixtures/lighthouse.txt",
        published="2024-07-10",
    ),
    ParsedArticle(
        "[bold]Markup[/bold] in a title stays literal",
        "A hostile article.",
        "Click [@click=app.quit]here[/] or [link=https://evil.example]there[/link].\n\n"
        "Nothing in this text is markup.",
        ("Security",),
        source="fixtures/hostile.txt",
        published="2024-07-01",
    ),
]
FIXED_NOW = "2024-07-15T08:00:00+00:00"


def make_library(path: Path, articles: list[ParsedArticle] | None = None) -> Library:
    library = Library(path)
    library.add(ARTICLES if articles is None else articles, now=FIXED_NOW)
    sync_index(library)
    return library


async def loaded(pilot: Pilot[None]) -> None:
    """Wait until the library has loaded into the screen and every message is handled (a
    search superseded by a newer keystroke is cancelled by design: wait for the newer one)."""
    while True:
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        break
    await pilot.pause()


def drawn_frames(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """From now on, each frame the screen draws: the names of the widget classes it redrew."""
    from textual._compositor import Compositor
    from textual.widget import Widget

    frames: list[set[str]] = []
    update_widgets = Compositor.update_widgets

    def counted(self: Compositor, widgets: set[Widget]) -> None:
        if widgets:
            frames.append({type(widget).__name__ for widget in widgets})
        update_widgets(self, widgets)

    monkeypatch.setattr(Compositor, "update_widgets", counted)
    return frames


def reader_app(library: Library) -> NewsReaderApp:
    return NewsReaderApp(library)

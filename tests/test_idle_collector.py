"""Full garbage collections at rest: held off while keys come, made when the reader rests."""

from __future__ import annotations

import gc

import pytest

from newsreader.library import Library
from newsreader.ui import idle_collector
from newsreader.ui.idle_collector import HELD_OFF, IdleCollector
from tests.ui_helpers import loaded, reader_app


def test_a_full_collection_waits_for_rest_and_for_something_to_collect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [100.0]
    monkeypatch.setattr(idle_collector.time, "monotonic", lambda: now[0])
    made: list[int] = []
    monkeypatch.setattr(idle_collector.gc, "collect", lambda: made.append(1) or 0)
    young = [5]
    monkeypatch.setattr(idle_collector, "_young_collections", lambda: young[0])
    collector = IdleCollector()
    collector._seen_young = 5
    collector.key_pressed()
    young[0] = 6  # younger collections moved objects to the old generation
    now[0] += idle_collector.AT_REST_SECONDS / 2
    collector.collect_if_at_rest()
    assert made == []  # keys are coming
    now[0] += idle_collector.AT_REST_SECONDS
    collector.collect_if_at_rest()
    assert made == [1]
    collector.collect_if_at_rest()
    assert made == [1]  # nothing new since


async def test_the_reader_holds_full_collections_off_and_gives_them_back(
    library: Library,
) -> None:
    before = gc.get_threshold()
    app = reader_app(library)
    async with app.run_test() as pilot:
        await loaded(pilot)
        assert gc.get_threshold()[:2] == before[:2]  # the young generations as they were
        assert gc.get_threshold()[2] == HELD_OFF
        await pilot.press("j")
        assert app.idle_collector.last_key > 0
    assert gc.get_threshold() == before

"""Full garbage collections while the reader is at rest, never in the middle of a key press.

Python starts a full collection by itself after enough younger ones: in the reader, one every
third open of an article or so, and it took 10-30 ms of that key press (an open is ~25 ms
without one). Textual's widgets and caches leave some cyclic garbage at every redraw, so a full
collection cannot simply be avoided; it can be moved. While the reader runs, the collector's
young generations work as before (most cycles die young, and those collections take well
under a millisecond), Python's own full collections are held off, and the reader makes one
when no key has come for a moment and younger collections have happened since the last.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

AT_REST_SECONDS = 1.0  # no key for this long: a person is reading, not pressing keys
LOOK_EVERY_SECONDS = 2.0
HELD_OFF = 1_000_000_000  # younger collections before a full one: never, in practice


class IdleCollector:
    """Holds Python's full collections off while the app runs, and makes them at rest."""

    def __init__(self) -> None:
        self.last_key = 0.0  # time.monotonic() of the last key
        self.collections = 0  # full collections made here (for tests)
        self._thresholds: tuple[int, int, int] | None = None
        self._seen_young = -1  # generation-1 collections counted at the last full one
        self._timer: Timer | None = None

    def start(self, app: App[Any]) -> None:
        if self._thresholds is not None:
            return
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, HELD_OFF)
        self._seen_young = _young_collections()
        self._timer = app.set_interval(LOOK_EVERY_SECONDS, self.collect_if_at_rest)

    def stop(self) -> None:
        """Python's own thresholds again (the process may go on without the reader: tests)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def key_pressed(self) -> None:
        self.last_key = time.monotonic()

    def collect_if_at_rest(self) -> None:
        if time.monotonic() - self.last_key < AT_REST_SECONDS:
            return  # keys are coming: the next look
        young = _young_collections()
        if young == self._seen_young:
            return  # nothing has reached the old generation since the last full collection
        gc.collect()
        self.collections += 1
        self._seen_young = _young_collections()


def _young_collections() -> int:
    """How many generation-1 collections there have been: each may move objects to the old
    generation, which only a full collection looks at."""
    return int(gc.get_stats()[1]["collections"])

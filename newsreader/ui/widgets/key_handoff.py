"""Text typed at once after a key that moved the focus to a text box goes into that box."""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.widgets import Input


def hand_on(app: App[None], event: events.Key) -> bool:
    """Give `event` (a key that bubbled back to the app) to the focused text box if it came
    from another widget; True when it did.

    Textual sends a key to the widget focused when the key *arrives*. Keys typed at once after
    `/` — as they queue while a big library loads — were on their way to the list before the
    search box took the focus: their bindings were looked up for the box, which claims every
    printable key, so they were lost (and before the box took the focus at once, the `b`, `u`
    and `r` of `harbour` bookmarked and marked articles in the list). A printable key that
    bubbles back to the app while a box has the focus came from elsewhere (the box stops the
    ones it gets): it is posted to the box, as if typed there.
    """
    focused = app.focused
    if not (isinstance(focused, Input) and event.is_printable):
        return False
    event.stop()
    event.prevent_default()
    focused.post_message(events.Key(event.key, event.character))
    return True

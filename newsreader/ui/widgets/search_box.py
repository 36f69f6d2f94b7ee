"""The search box: Textual's Input, without a new layout of the whole screen per keystroke."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class SearchBox(Input):
    """An Input whose changes of value redraw the box alone.

    Textual's Input sets its virtual size at every change of value, and a widget's virtual
    size asks for a new layout of the screen: every pane was arranged again, and their
    scrollbars redrawn, before the query even reached the search (7-8 ms of a keystroke). The
    box has a fixed size (one line, the middle pane's width): its virtual size decides how far
    it scrolls sideways, never where anything else is.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), repaint=True, layout=False)

"""Narrow guards around bugs of Textual 8.2.8 that fast keys reach; remove them with it.

tests/test_monkey.py shows each bug on a bare Textual app: when one of those tests fails, that
Textual has fixed the bug, and its guard here can go.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, Literal

from textual import on, work
from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, Input, OptionList

PAGE_ACTIONS = frozenset({"page_up", "page_down"})
# Textual's search of the palette's commands, without its @work wrapper.
_gather: Callable[[CommandPalette, str], Coroutine[Any, Any, None]] = inspect.unwrap(
    CommandPalette._gather_commands
)


def can_page(option_list: OptionList) -> bool:
    """False while `option_list` has options it has not measured into lines yet.

    Textual 8.2.8 shows this: `OptionList._update_lines` does nothing while the list has no
    content area (a `height: auto` list with no options is 0 lines tall; a list hidden behind
    a maximized widget is 0 by 0), so options added then have no lines until the next layout,
    and `OptionList._move_page` reads `self._index_to_line[self.highlighted or 0]` unguarded:
    PageUp/PageDown in that moment raise `KeyError` (`scroll_to_highlight` guards the same
    lookup). The command palette's list is in that state each time its options arrive.
    """
    highlighted = option_list.highlighted
    return highlighted is None or highlighted in option_list._index_to_line


class PagingOptionList(OptionList):
    """An OptionList whose PageUp/PageDown wait until it has been laid out (see `can_page`)."""

    def _move_page(self, direction: Literal[-1, 1]) -> None:
        if can_page(self):  # else nothing is on screen: there is no page to move by
            super()._move_page(direction)


class GuardedCommandPalette(CommandPalette):
    """Textual's command palette: page keys wait for its list, and it closes only once."""

    _dismissed = False

    def _action_command_list(self, action: str) -> None:
        # The palette composes Textual's CommandList itself, so the guard sits where the
        # palette hands it the page keys.
        if action in PAGE_ACTIONS and not can_page(self.query_one(CommandList)):
            return
        super()._action_command_list(action)

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Close the palette, once, and only while it is the screen on top.

        Textual 8.2.8 shows this: `Screen.dismiss` pops whatever screen is on top, and the
        palette keeps handling messages queued before it closed. A second `enter` (a second
        `OptionSelected` or `Input.Submitted`) selects again after the first selection closed
        it, so it pops the screen below (`ScreenStackError: Can't pop screen` over the reader;
        the help screen vanishing) and runs the command twice; a queued `Input.Changed` starts
        a search whose end queries the list already removed (`NoMatches` in a worker).
        """
        if self._dismissed or not self.is_active:
            return AwaitComplete()  # complete already: there is nothing to wait for
        self._dismissed = True
        self._cancel_gather_commands()
        return super().dismiss(result)

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's search for commands, which may find the palette's list gone.

        Textual 8.2.8 shows this: the search runs in a worker that looks the list up as it
        starts and as it ends, and the app's exit (ctrl+p, then the palette's Quit or ctrl+q,
        typed fast) removes the palette's widgets without stopping it: `NoMatches` in a worker.
        """
        try:
            await _gather(self, search_value)
        except NoMatches:
            if self.query(CommandList):
                raise  # the list is there: not this bug
            # else the palette is being taken down: there is nothing left to show results in

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    @on(Button.Pressed)
    def _ignore_once_dismissed(self, event: Message) -> None:
        if self._dismissed:  # queued before the palette closed: no longer the person's intent
            event.stop()
            event.prevent_default()  # Textual's own handlers (the base class's) do not run

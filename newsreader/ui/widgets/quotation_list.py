"""A person's quotations across the library: the words, then who, in which article, when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.text.sanitize import for_display
from newsreader.ui.guards import PagingOptionList

if TYPE_CHECKING:  # the module is imported when a person is chosen, not at start
    from newsreader.library.quotations import StoredQuotation


def quotation_row(quotation: StoredQuotation) -> Content:
    """Two lines: “the words”, then date  speaker · article title (the list cuts each line)."""
    words = Content(f"“{for_display(quotation.text, single_line=True)}”").stylize("italic")
    who = for_display(quotation.speaker or quotation.as_written or "—", single_line=True)
    title = for_display(quotation.article.title, single_line=True)
    details = Content.assemble(
        (f"{quotation.article.date[:10]}  " if quotation.article.date else "", "$text-muted"),
        (who, "bold"),  # no colour of its own: it must read on the cursor's colour too
        (f" · {title}", "$text-muted"),
    )
    return Content.assemble(" ", words, "\n   ", details)


class QuotationList(PagingOptionList):
    """Shows a person's quotations; posts `Opened` on enter.

    The screen hands it the quotations (attributes down), watches `highlighted` and reads
    `current`: a message would reach the screen after the list has drawn its cursor, and the
    article pane would follow a frame later.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="people.down"),
        Binding("k", "cursor_up", "Up", show=False, id="people.up"),
        Binding("enter", "select", "Open at the quotation", id="people.open"),
    ]

    DEFAULT_CSS = """
    QuotationList {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    @dataclass
    class Opened(Message):
        """The person asked to read the article at `quotation`."""

        quotation: StoredQuotation

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quotations: Sequence[StoredQuotation] = ()

    def show(
        self, quotations: Sequence[StoredQuotation], keep: tuple[str, int] | None = None
    ) -> None:
        """List `quotations`; `keep` ((article id, start)) keeps the cursor on that one."""
        self.quotations = quotations
        self.set_options(Option(quotation_row(q), id=str(i)) for i, q in enumerate(quotations))
        position = 0
        if keep is not None:
            position = next(
                (i for i, q in enumerate(quotations) if (q.article.id, q.start) == keep), 0
            )
        if quotations:
            self.highlighted = position

    def say(self, message: str) -> None:
        """One line instead of quotations: loading, none found, or what went wrong."""
        self.quotations = ()
        self.set_options([Option(Content(f" {message}").stylize("$text-muted"), disabled=True)])

    @property
    def current(self) -> StoredQuotation | None:
        index = self.highlighted
        if index is not None and 0 <= index < len(self.quotations):
            return self.quotations[index]
        return None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()  # the screen watches `highlighted`

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.quotations):
            self.post_message(self.Opened(self.quotations[event.option_index]))

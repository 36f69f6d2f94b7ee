"""The `"` screen: the open article's quotations, one a line; enter goes to the one chosen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.text.sanitize import for_display
from newsreader.ui.guards import PagingOptionList

NO_SPEAKER = "—"
SPEAKER_WIDTH = 28  # the speakers' column: a long organisation's name is cut here


if TYPE_CHECKING:
    from newsreader.text.quotation import Quotation


def speaker_label(quotation: Quotation) -> str:
    return for_display(quotation.speaker, single_line=True) if quotation.speaker else NO_SPEAKER


def quotation_prompt(quotation: Quotation, speaker_width: int) -> Content:
    """`speaker — quotation` on one line (the list cuts it to its width): text, never markup."""
    speaker = Content(speaker_label(quotation)).truncate(speaker_width, ellipsis=True)
    words = Content(for_display(quotation.text, single_line=True))
    return Content.assemble(
        # Bold, not coloured: the row must read on the cursor's colour in either theme.
        speaker.stylize("bold").pad_right(speaker_width - speaker.cell_length),
        (" — ", "$text-muted"),
        words.stylize("italic"),
    )


class QuotationOptions(PagingOptionList):
    """One quotation per line, cut to the width (its CSS: no wrapping, an ellipsis)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="quotations.down"),
        Binding("k", "cursor_up", "Up", show=False, id="quotations.up"),
        Binding("enter", "select", "Go to the quotation", id="quotations.go"),
    ]

    DEFAULT_CSS = """
    QuotationOptions {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """


class QuotationsScreen(ModalScreen[int | None]):
    """Lists `quotations`; dismissed with the index of the one chosen, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,quotation_mark", "close", "Close", id="quotations.close"),
    ]

    def __init__(self, title: str, quotations: Sequence[Quotation]) -> None:
        super().__init__()
        self.article_title = title
        self.quotations = list(quotations)
        self._dismissed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="quotations"):
            if self.quotations:
                longest = max(cell_len(speaker_label(q)) for q in self.quotations)
                # A quarter of a narrow terminal at most: the words matter more than the names.
                width = min(SPEAKER_WIDTH, longest, max(12, self.app.size.width // 4))
                yield QuotationOptions(
                    *[
                        Option(quotation_prompt(quotation, width), id=str(index))
                        for index, quotation in enumerate(self.quotations)
                    ],
                    id="quotation-options",
                )
            else:
                yield Static(Content("No quotations in this article."), id="no-quotations")

    def on_mount(self) -> None:
        box = self.query_one("#quotations")
        count = len(self.quotations)
        title = for_display(self.article_title, single_line=True)
        box.border_title = Content(f"Quotations · {count} · {title}")
        box.border_subtitle = "enter go to it · esc close" if count else "esc close"
        if count:
            options = self.query_one(QuotationOptions)
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._close(int(event.option.id))

    def action_close(self) -> None:
        self._close(None)

    def _close(self, result: int | None) -> None:
        # Textual 8.2.8's Screen.dismiss pops whatever screen is on top: close only while this
        # screen is on top, and once (two enters queued before it closes both select).
        if self._dismissed or not self.is_active:
            return
        self._dismissed = True
        self.dismiss(result)

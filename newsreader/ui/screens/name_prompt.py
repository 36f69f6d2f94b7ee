"""A one-line question: the name for a saved search (prefilled), answered with enter or esc."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class NamePrompt(ModalScreen[str | None]):
    """Dismissed with the name typed (stripped; None for escape or an empty name)."""

    DEFAULT_CSS = """
    NamePrompt { align: center middle; }
    #prompt {
        width: 64; height: auto; padding: 1 2;
        border: round $accent; background: $surface;
    }
    #prompt-question { margin-bottom: 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Static(Content(self.question), id="prompt-question")  # text, never markup
            yield Input(value=self.value, id="prompt-input", max_length=80)

    def on_mount(self) -> None:
        self.query_one("#prompt").border_subtitle = "enter to save · esc to cancel"
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self._answer(event.value.strip() or None)

    def action_cancel(self) -> None:
        self._answer(None)

    def _answer(self, name: str | None) -> None:
        # As HelpScreen: dismiss only while on top (a palette may be over it).
        if self.is_active:
            self.dismiss(name)

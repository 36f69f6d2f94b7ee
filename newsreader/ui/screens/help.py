"""The help screen: every key of the reader, read from the Bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def _keys(binding: Binding) -> str:
    names = {
        "slash": "/", "question_mark": "?", "quotation_mark": '"', "escape": "esc",
        "down": "↓", "up": "↑",
        "pagedown": "PgDn", "pageup": "PgUp", "home": "Home", "end": "End",
    }  # fmt: skip
    return " ".join(names.get(key, key) for key in binding.key.split(","))


def key_table(sections: Iterable[tuple[str, Iterable[BindingType]]]) -> Content:
    """A plain-text table of keys and what they do, one section per pane."""
    lines: list[Content] = []
    for title, bindings in sections:
        lines.append(Content.styled(title, "bold $accent"))
        for binding in bindings:
            if isinstance(binding, Binding) and binding.description:
                lines.append(
                    Content.assemble((f"  {_keys(binding):<16}", "bold"), binding.description)
                )
        lines.append(Content(""))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Shown by `?`; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(key_table(self.sections), id="help-keys")

    def on_mount(self) -> None:
        self.query_one("#help").border_title = "Keys"
        self.query_one("#help").border_subtitle = "esc to close"

    def action_close(self) -> None:
        # Textual 8.2.8's Screen.dismiss pops whatever screen is on top, and its action_dismiss
        # waits before it does: another screen (a palette) can be on top by then.
        if self.is_active:
            self.dismiss()

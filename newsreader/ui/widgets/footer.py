"""The footer: the keys of the focused pane on one line, drawn by one widget, as Textual's looks.

Textual's `Footer` is a container of one `FooterKey` widget per key, removed and mounted again
whenever the screen's bindings change: each Enter into the article pane (where "Open" leaves
the footer) cost a dozen widgets' styles and a layout of the screen (on 10,000 articles, 74 ms
of CPU an Enter with it, 26 ms without), and the first screen drew an empty footer, composed a
frame later. `KeyFooter` draws the same cells in the same colours as one line (`render_line`),
repainted only when the keys it shows change.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


class _Key(NamedTuple):
    """One key as the footer shows it."""

    key: str  # what a click presses
    display: str
    description: str
    enabled: bool


class _Keys(NamedTuple):
    """What the footer shows: the keys from the left, and the palette's key docked right."""

    keys: tuple[_Key, ...]
    palette: _Key | None


def _at(x: int) -> Style:
    """The meta Textual gives the text of a widget at `x`."""
    return Style.from_meta({"offset": (x, 0)})


class KeyFooter(Widget, can_focus=False):
    """The screen's keys in Textual's `Footer` look, drawn as one line.

    Cell for cell what `Footer` (non-compact) draws: each key as " key " then "Description ",
    the command palette's key docked right behind a `vkey` border, keys that do not fit cut at
    the palette's border. A mouse down on a key's cells presses it, or rings the bell if the
    key is disabled, as on a `FooterKey`. Textual's `FooterKey` has a background of its own,
    `$footer-item-background`, not layered here: it is transparent in Textual's themes (or
    `ansi_default` over an `ansi_default` bar), which draws the same cells.

    Left out: the hover highlight and pointer of a key, tooltips, scrolling the keys sideways
    with the wheel, and combining Binding groups into one key (the reader defines none: each
    binding of a group shows as a key of its own).
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--palette-border",
    }
    # The colours of Textual's Footer and FooterKey, with its theme variables.
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-footer--palette-border {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: _Keys | None = None  # as last painted, or about to be
        # Cells from the left -> the key a mouse down there presses, from the last render.
        self._spans: list[tuple[int, int, _Key]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _read_keys(self) -> _Keys:
        """The keys `Footer.compose` shows: those with `show`, the first binding per action."""
        app = self.app
        bindings = self.screen.active_bindings
        first: dict[str, _Key] = {}
        for _, binding, enabled, _ in bindings.values():
            if binding.show and binding.action not in first:
                display = app.get_key_display(binding)
                first[binding.action] = _Key(binding.key, display, binding.description, enabled)
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in bindings:
            _, binding, enabled, _ = bindings[app.COMMAND_PALETTE_BINDING]
            display = app.get_key_display(binding)
            palette = _Key(binding.key, display, binding.description, enabled)
        return _Keys(tuple(first.values()), palette)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Called after the messages already queued (Signal's default), so several signals for
        # one focus change see the same keys and repaint once, or not at all. Like Footer,
        # no repaint for the bindings while the terminal does not have the focus.
        if not self.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        keys = self._read_keys()
        if keys != self._keys:
            self._keys = keys
            self.refresh()  # a repaint of one line: the footer's size never changes

    def _segments(self, key: _Key, compact: bool) -> list[Segment]:
        """A key's cells as `FooterKey.render` draws them (compact: the palette's key)."""
        # The same meta as FooterKey's text keeps the segments apart where FooterKey's were
        # (a cut description before the palette's border, in an ANSI theme): the same SVG.
        style = self.get_component_rich_style("key-footer--key") + _at(0)
        description_style = self.get_component_rich_style("key-footer--description")
        if not key.enabled:  # FooterKey.-disabled
            style += Style(dim=True)
            description_style += Style(dim=True)
        if not key.description:
            return [Segment(key.display, style)]
        if compact:  # key padding 0, description padding 0 0 0 1
            shown = (key.display, f" {key.description}")
        else:  # key padding 0 1, description padding 0 1 0 0
            shown = (f" {key.display} ", f"{key.description} ")
        description_style += _at(cell_len(shown[0]))
        return [Segment(shown[0], style), Segment(shown[1], description_style)]

    def render_line(self, y: int) -> Strip:
        # Read at each paint, not kept from the last signal: a signal's call waits behind the
        # messages queued before it, and the first frame (focus moved from the tags to the
        # list, its signal not handled yet) drew the tags' keys.
        self._keys = keys = self._read_keys()
        width = self.size.width
        bar = Style(bgcolor=self.rich_style.bgcolor)  # cells with no key: background only
        spans: list[tuple[int, int, _Key]] = []
        palette: list[Segment] = []
        palette_key = keys.palette
        if palette_key is not None:
            border = self.get_component_rich_style("key-footer--palette-border")
            # FooterKey.-command-palette: a vkey border left, one cell of padding right.
            palette = [
                Segment("▏", border),
                *self._segments(palette_key, compact=True),
                Segment(" ", bar),
            ]
        # Docked right: keys beyond its border are cut; narrower than the key, its right part.
        docked = Strip(palette)
        docked = docked.crop(max(0, docked.cell_length - width))
        room = width - docked.cell_length
        segments: list[Segment] = []
        x = 0
        for key in keys.keys:
            cells = self._segments(key, compact=False)
            end = x + Segment.get_line_length(cells)
            if x < room:
                spans.append((x, min(end, room), key))
            segments += cells
            x = end
        if palette_key is not None:
            spans.append((room, width, palette_key))
        self._spans = spans
        return Strip.join([Strip(segments).adjust_cell_length(room, bar), docked])

    def on_mouse_down(self, event: events.MouseDown) -> None:
        # FooterKey.on_mouse_down, for the key under the pointer.
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return

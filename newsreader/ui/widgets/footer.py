"""The footer: Textual's, composed again only when the keys it shows change,
and without keeping the keys it removed alive.

Textual's `Footer` removes and mounts all its keys again each time the screen's bindings may
have changed: several times for one focus change (enter into the article pane, escape back),
though the footer then shows the same keys, or one key fewer. Each time costs a dozen widgets'
styles and a layout of the screen (20–40 ms of CPU per focus change). This footer composes
only when what it would show differs from what it shows; what it shows is Textual's own.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    """`Footer`, recomposed only when its keys change."""

    _composed: Hashable = None

    def _shown(self) -> Hashable:
        """Everything `Footer.compose` reads, as one comparable value."""
        if not self._bindings_ready:
            return None
        app = self.app
        keys = tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                None if binding.group is None else id(binding.group),
                enabled,
                tooltip,
                binding.show,
                binding.tooltip,
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING
        )
        palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        return (keys, palette, app.COMMAND_PALETTE_BINDING)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown()
        if shown is not None and shown == self._composed:
            return  # the same keys: nothing to mount again
        self._composed = shown
        await super().recompose()
        self._forget_removed_keys()

    def _forget_removed_keys(self) -> None:
        """Drop the watchers of the keys just removed.

        Textual 8.2.8 shows this: each `FooterKey` watches the footer's `compact` through
        `data_bind`, and a watcher is dropped only when the value it watches changes, which
        `compact` never does: every recompose kept its keys alive (10 widgets a focus change,
        20,000 objects after 20 opens, and a full garbage collection that took 100 ms).
        Textual's own rule for a dead watcher is the one used here (`_check_watchers`).
        """
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(self, "__watchers", {})
        for watching in watchers.values():
            watching[:] = [(node, call) for node, call in watching if not node._closing]

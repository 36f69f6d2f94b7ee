"""Every key binding by id: what config.toml's [keys] may change and `config --keys` lists."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Mapping

from textual.binding import Binding
from textual.theme import BUILTIN_THEMES


def _bindings() -> dict[str, Binding]:
    """Each binding with an id in the reader's classes (the app, its screens and widgets),
    found by looking, so a new binding is listed and configurable without a list to update."""
    import newsreader.ui.app  # noqa: F401 (imports every screen and widget)

    found: dict[str, Binding] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("newsreader.ui"):
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith("newsreader.ui"):
                continue
            for binding in getattr(cls, "BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    found.setdefault(binding.id, binding)
    return found


def binding_ids() -> set[str]:
    return set(_bindings())


def theme_names() -> set[str]:
    return set(BUILTIN_THEMES)


def binding_rows(overrides: Mapping[str, tuple[str, ...]] = {}) -> list[tuple[str, str, str]]:
    """(id, keys as the reader will use them, what it does), sorted by id."""
    rows = []
    for binding_id, binding in sorted(_bindings().items()):
        keys = ",".join(overrides.get(binding_id, ())) or binding.key
        rows.append((binding_id, keys, binding.description or binding.action))
    return rows


def keymap(overrides: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """config.toml's [keys] as Textual's keymap (binding id → comma-separated keys)."""
    return {binding_id: ",".join(keys) for binding_id, keys in overrides.items()}

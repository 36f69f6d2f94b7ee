"""Undo for reading marks: each change remembers what it replaced, and undo puts it back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsreader.library.library import Library
from newsreader.model import ArticleState

MAX_STEPS = 200


@dataclass(frozen=True, slots=True)
class Change:
    """One change as a person made it (a bookmark, a read mark, a whole view marked read)."""

    description: str  # "marked 240 articles read"
    before: dict[str, ArticleState]


class MarkHistory:
    """The reader's changes to bookmarks and read marks, newest last. Every change and every
    undo is written to disk before it returns, like any change; the history itself lives as
    long as the reader (a fresh start has nothing to undo)."""

    def __init__(self, library: Library) -> None:
        self._library = library
        self._changes: list[Change] = []

    def __len__(self) -> int:
        return len(self._changes)

    def change(
        self,
        doc_ids: Sequence[str],
        description: str,
        bookmarked: bool | None = None,
        read: bool | None = None,
    ) -> int:
        """Set marks on `doc_ids` and remember what they were; returns how many changed."""
        before = self._library.states_of(dict.fromkeys(doc_ids))
        changing = {
            doc_id: state
            for doc_id, state in before.items()
            if (bookmarked is not None and state.bookmarked != bookmarked)
            or (read is not None and state.read != read)
        }
        if not changing:
            return 0
        self._library.set_state(list(changing), bookmarked=bookmarked, read=read)
        self._changes.append(Change(description, changing))
        del self._changes[:-MAX_STEPS]
        return len(changing)

    def undo(self) -> Change | None:
        """Put back the marks the last change replaced; None when there is nothing to undo."""
        if not self._changes:
            return None
        change = self._changes.pop()
        self._library.restore_states(change.before)
        return change

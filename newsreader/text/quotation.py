"""A quotation and who said it: what the speakers' rules find (`speakers`), as plain data.

Apart from the rules, whose patterns take 12 ms to compile: the reader's first screen shows an
article's quotations kept in the first page without loading them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["named", "pronoun", "unnamed", "organisation"]
KINDS: tuple[Kind, ...] = ("named", "pronoun", "unnamed", "organisation")


@dataclass(frozen=True, slots=True)
class Quotation:
    """A quotation (offsets with its marks; its text without them) and who said it."""

    start: int
    end: int
    text: str
    speaker: str | None = None  # the fullest name the article gives, or the words as written
    as_written: str | None = None  # the words naming the speaker nearest the quotation
    kind: Kind | None = None
    speaker_start: int = -1  # where `as_written` is in the text, when it is (-1: not)
    speaker_end: int = -1
    parts: tuple[tuple[int, int], ...] = ()  # one (start, end) per paragraph it spans

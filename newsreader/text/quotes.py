"""Finds quotations in article text, so the reader can draw them in their own style."""

from __future__ import annotations

from dataclasses import dataclass

# Opening mark -> closing mark. German „…“ closes with the mark English opens with.
_PAIRS = {
    "“": "”", "„": "“", "«": "»", "‹": "›", "「": "」", "『": "』", "‘": "’", '"': '"',
}  # fmt: skip
_MARKS = frozenset(_PAIRS) | frozenset(_PAIRS.values())
# Single quotes open only inside a quotation: elsewhere ‘ and ’ are mostly apostrophes.
_NESTED_ONLY = {"‘", "‹"}


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation from `start` to `end` (offsets, marks included); `depth` 1 is outermost."""

    start: int
    end: int
    depth: int


def quote_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, paragraph by paragraph, ordered by start.

    A quotation left open ends at its paragraph's end. That covers the newspaper convention too:
    a quote running over several paragraphs opens each with a new “ and closes only the last,
    so every paragraph starts afresh instead of nesting deeper.
    """
    spans: list[QuoteSpan] = []
    offset = 0
    for paragraph in text.split("\n"):
        spans.extend(_paragraph_spans(paragraph, offset))
        offset += len(paragraph) + 1
    spans.sort(key=lambda span: (span.start, span.depth))
    return spans


def _paragraph_spans(paragraph: str, offset: int) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    stack: list[tuple[str, int]] = []  # (opening mark, position)
    for index, char in enumerate(paragraph):
        if char not in _MARKS:
            continue
        closing_depth = _closes(stack, char, paragraph, index)
        if closing_depth:
            # Close this quotation and any inner one left open inside it.
            while len(stack) >= closing_depth:
                _, start = stack.pop()
                spans.append(QuoteSpan(offset + start, offset + index + 1, len(stack) + 1))
            continue
        if char in _PAIRS and (char not in _NESTED_ONLY or stack):
            followed_by_space = index + 1 < len(paragraph) and paragraph[index + 1].isspace()
            if char == '"' and index and followed_by_space:
                continue  # a stray closing straight quote (or an inch mark), not an opening
            stack.append((char, index))
    end = offset + len(paragraph)
    while stack:
        _, start = stack.pop()
        spans.append(QuoteSpan(offset + start, end, len(stack) + 1))
    return spans


def _closes(stack: list[tuple[str, int]], char: str, paragraph: str, index: int) -> int:
    """The depth (1-based) of the open quotation `char` closes, or 0 if it closes none."""
    if char == "’" and index + 1 < len(paragraph) and paragraph[index + 1].isalpha():
        return 0  # an apostrophe: don’t, Ukraine’s
    for depth in range(len(stack), 0, -1):
        opener = stack[depth - 1][0]
        if _PAIRS[opener] == char or (char == '"' and opener in "“„"):
            return depth  # inner quotations still open are closed with it
    return 0

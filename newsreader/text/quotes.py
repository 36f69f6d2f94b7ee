"""Finds quotations in article text, so the reader can draw them in their own style."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The version of the rules that find quotations and their speakers (`speakers`): stored
# quotations are recomputed when it changes. Here, not there: reading it costs no regexes.
EXTRACTOR_VERSION = "1"

# Opening mark -> closing mark. German „…“ closes with the mark English opens with.
_PAIRS = {
    "“": "”", "„": "“", "«": "»", "‹": "›", "「": "」", "『": "』", "‘": "’", '"': '"',
}  # fmt: skip
_MARKS = frozenset(_PAIRS) | frozenset(_PAIRS.values())
_MARK_PATTERN = re.compile("[" + re.escape("".join(sorted(_MARKS))) + "]")
# Single quotes open only inside a quotation: elsewhere ‘ and ’ are mostly apostrophes.
_NESTED_ONLY = {"‘", "‹"}


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation from `start` to `end` (offsets, marks included); `depth` 1 is outermost."""

    start: int
    end: int
    depth: int
    closed: bool = True  # False: left open, it ends with its paragraph


def top_level_quotations(text: str) -> list[tuple[QuoteSpan, ...]]:
    """The outermost quotations of `text`, each as its parts: one part, or one per paragraph
    for a quotation continued by the newspaper convention (a paragraph left open, the next one
    opening with a quotation mark again)."""
    quotations: list[list[QuoteSpan]] = []
    spans = [span for span in quote_spans(text) if span.depth == 1]
    for span in spans:
        if quotations and _continues(text, quotations[-1][-1], span):
            quotations[-1].append(span)
        else:
            quotations.append([span])
    return [tuple(parts) for parts in quotations]


def _continues(text: str, previous: QuoteSpan, span: QuoteSpan) -> bool:
    """`span` opens the paragraph right after the one `previous` left open."""
    if previous.closed:
        return False
    between = text[previous.end : span.start]
    return "\n" in between and not between.strip()


def quote_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in `text`, paragraph by paragraph, ordered by start.

    A quotation left open ends at its paragraph's end. That covers the newspaper convention too:
    a quote running over several paragraphs opens each with a new “ and closes only the last,
    so every paragraph starts afresh instead of nesting deeper.
    """
    spans: list[QuoteSpan] = []
    position = 0
    # Only the paragraphs that hold a mark are walked (one search finds the next of them).
    while (mark := _MARK_PATTERN.search(text, position)) is not None:
        start = text.rfind("\n", 0, mark.start()) + 1
        end = text.find("\n", mark.start())
        end = len(text) if end < 0 else end
        spans.extend(_paragraph_spans(text[start:end], start))
        position = end + 1
    spans.sort(key=lambda span: (span.start, span.depth))
    return spans


def _paragraph_spans(paragraph: str, offset: int) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    stack: list[tuple[str, int]] = []  # (opening mark, position)
    for mark in _MARK_PATTERN.finditer(paragraph):  # the marks only: most text has none
        index, char = mark.start(), mark.group()
        if char == '"' and _is_apostrophe(paragraph, index):
            continue
        closing_depth = _closes(stack, char, paragraph, index)
        if closing_depth:
            # Close this quotation and any inner one left open inside it.
            while len(stack) >= closing_depth:
                _, start = stack.pop()
                closed = len(stack) + 1 == closing_depth
                spans.append(QuoteSpan(offset + start, offset + index + 1, len(stack) + 1, closed))
            continue
        if char in _PAIRS and (char not in _NESTED_ONLY or stack):
            if char == '"' and not _opens_straight(paragraph, index):
                continue
            stack.append((char, index))
    end = offset + len(paragraph)
    while stack:
        _, start = stack.pop()
        spans.append(QuoteSpan(offset + start, end, len(stack) + 1, False))
    return spans


def _is_apostrophe(paragraph: str, index: int) -> bool:
    """A `"` between a letter and a letter: wire text's possessive (`Kuwait"s`), not a mark."""
    following = paragraph[index + 1] if index + 1 < len(paragraph) else " "
    return bool(index) and paragraph[index - 1].isalnum() and following.isalpha()


def _opens_straight(paragraph: str, index: int) -> bool:
    """Whether a straight `"` that closes nothing opens a quotation: not at the end of its
    paragraph, not before a space (a stray closing mark, an inch mark: `a 5" screen`)."""
    return index + 1 < len(paragraph) and not paragraph[index + 1].isspace()


def _closes(stack: list[tuple[str, int]], char: str, paragraph: str, index: int) -> int:
    """The depth (1-based) of the open quotation `char` closes, or 0 if it closes none."""
    if char == "’" and index + 1 < len(paragraph) and paragraph[index + 1].isalpha():
        return 0  # an apostrophe: don’t, Ukraine’s
    for depth in range(len(stack), 0, -1):
        opener = stack[depth - 1][0]
        if _PAIRS[opener] == char or (char == '"' and opener in "“„"):
            return depth  # inner quotations still open are closed with it
    return 0

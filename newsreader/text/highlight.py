"""Highlighting: search snippets and every match of a query's terms in an article's text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from newsreader.text.query import Term

if TYPE_CHECKING:
    from rich.text import Text

MATCH_STYLE = "bold reverse"
# The index marks matched words in snippets with these; sanitised text never holds them.
SNIPPET_START, SNIPPET_END = "\x02", "\x03"
_SNIPPET_MARK = re.compile(f"{SNIPPET_START}(.*?){SNIPPET_END}", re.DOTALL)


def plain_snippet(snippet: str) -> str:
    """The snippet without highlight markers, for JSON and plain output."""
    return snippet.replace(SNIPPET_START, "").replace(SNIPPET_END, "")


def snippet_text(snippet: str, style: str = MATCH_STYLE) -> Text:
    """The snippet as `Text`, matched words styled; never parsed as markup."""
    from rich.text import Text  # here: a command printing to a pipe never loads rich's text

    text = Text()
    position = 0
    for match in _SNIPPET_MARK.finditer(snippet):
        text.append(snippet[position : match.start()])
        text.append(match.group(1), style=style)
        position = match.end()
    text.append(plain_snippet(snippet[position:]))
    return text


def fold(text: str) -> str:
    """Casefold and strip accents, keeping one output character per input character.

    The result lines up with `text` index for index, so spans found in it are spans of `text`.
    """
    if text.isascii():
        return text.lower()
    out = []
    for char in text:
        folded = unicodedata.normalize("NFD", char.casefold())
        base = "".join(c for c in folded if not unicodedata.combining(c))
        out.append(base[:1] if len(base) >= 1 else char)
    return "".join(out)


def match_spans(text: str, terms: Iterable[Term]) -> list[tuple[int, int]]:
    """Where the query's terms occur in `text`, as sorted, non-overlapping (start, end) spans.

    Matching is by whole words like the index (a prefix term matches word starts; a term's
    other forms match too), ignoring case and accents, so `cafe` marks `Café`.
    """
    folded = fold(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        words = [re.escape(fold(word)) for word in term.words]
        if not words:
            continue
        tail = r"\w*" if term.prefix else ""
        pattern = r"(?<!\w)" + r"\W+".join(words) + tail + r"(?!\w)"
        if term.forms:  # other forms of the word (`drones` for `drone`) are matches too
            pattern = (
                f"(?:{pattern}|"
                + "|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in term.forms)
                + ")"
            )
        spans.extend(m.span() for m in re.finditer(pattern, folded))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


LEAD_CHARS = 24


def snippet_pieces(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_match) pieces on one line, starting a little before the first
    match so that the match shows in a narrow list."""
    pieces: list[tuple[str, bool]] = []
    for index, part in enumerate(" ".join(snippet.split()).split(SNIPPET_START)):
        matched, _, rest = part.partition(SNIPPET_END) if index else ("", "", part)
        if matched:
            pieces.append((matched, True))
        if rest:
            pieces.append((rest, False))
    if len(pieces) > 1 and not pieces[0][1] and len(pieces[0][0]) > LEAD_CHARS:
        lead = pieces[0][0][-LEAD_CHARS:]
        pieces[0] = ("…" + lead[lead.find(" ") + 1 :] if " " in lead else "…" + lead, False)
    return pieces

"""Parses the seed text format: a saved WordPress page with title, excerpt, body and tags."""

from __future__ import annotations

import re

from newsreader.model import ParsedArticle
from newsreader.sources.decoding import decode_article
from newsreader.sources.tags import TagSplitter, Vocabulary
from newsreader.text.sanitize import sanitize

MAX_TITLE_CHARS = 400
SUMMARY_WORDS = 55


class NotAnArticle(ValueError):
    """The file cannot be read as an article; the message says why."""


_TAGS_LINE = re.compile(r"^tags\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
# WordPress ends an excerpt with " […]"; saved pages also show "[...]" or "[&hellip;]".
_EXCERPT_BRACKETED = ("[…]", "[...]", "[&hellip;]")
_EXCERPT_BARE = ("…", "...")
_HAS_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def parse_seed_bytes(
    data: bytes, source: str = "", splitter: TagSplitter | None = None
) -> ParsedArticle:
    """Decode and parse the bytes of a seed-format file (see `parse_seed_text`)."""
    if not data.strip():
        raise NotAnArticle("empty file")
    try:
        text = decode_article(data)
    except ValueError as error:
        raise NotAnArticle(str(error)) from None
    return parse_seed_text(text, source, splitter)


def parse_seed_text(
    text: str, source: str = "", splitter: TagSplitter | None = None
) -> ParsedArticle:
    """Parse seed-format text into an article, or raise `NotAnArticle` with the reason.

    The parts are separated by blank lines or single newlines; each non-empty line is a paragraph.
    """
    clean = text
    pieces = text.split("\n")
    # Everything `sanitize` removes or changes is unprintable: lines all printable (nearly
    # every article) need no look for it, which costs twice as much.
    if not all(map(str.isprintable, pieces)):
        clean = sanitize(text)
        pieces = clean.split("\n")
    lines = [line for line in map(str.strip, pieces) if line]
    if lines and not _HAS_LETTER_OR_DIGIT.search(lines[0]) and len(lines[0]) <= 8:
        lines = lines[1:]  # a leftover button symbol such as "+"
    if not lines:
        raise NotAnArticle("empty file" if not text.strip() else "no text, only symbols")

    lines, tags_raw = _take_tags(lines)
    if not lines:
        raise NotAnArticle("no title: the file holds only tags")
    title = " ".join(lines[0].split())
    if len(title) > MAX_TITLE_CHARS or title.casefold().startswith("tags"):
        raise NotAnArticle("no title: the first line is not a headline")
    if len(lines) == 1:
        raise NotAnArticle("only one line of text: a title with no article")
    summary, paragraphs = _take_excerpt(lines[1:])
    if _needs_squeeze(clean):
        paragraphs = [_squeeze(p) for p in paragraphs]
    body = "\n\n".join(paragraphs)
    if not summary:
        summary = _first_words(body, SUMMARY_WORDS)
    splitter = splitter or TagSplitter()
    tags = tuple(splitter.split(tags_raw, Vocabulary(title, body))) if tags_raw else ()
    return ParsedArticle(
        title=title, summary=summary, body=body, tags=tags, tags_raw=tags_raw, source=source
    )


def _take_tags(lines: list[str]) -> tuple[list[str], str]:
    """Split off the trailing `Tags:` section, returning the other lines and the raw tag text."""
    for index in range(len(lines) - 1, -1, -1):
        match = _TAGS_LINE.match(lines[index])
        if match:
            raw = [match.group("rest"), *lines[index + 1 :]]
            return lines[:index], "\n".join(part for part in raw if part)
    return lines, ""


def _take_excerpt(lines: list[str]) -> tuple[str, list[str]]:
    """Find the WordPress excerpt: a first paragraph ending in `[…]` whose text begins the body.

    A bare `…` counts only when the next paragraph starts with the excerpt's text, since a body
    paragraph may end with an ellipsis. Returns the summary (without the ellipsis) and the body
    paragraphs; when the page lost its body, the excerpt is the body too.
    """
    if not lines:
        return "", []
    first, rest = lines[0], lines[1:]
    bracketed = first.endswith(_EXCERPT_BRACKETED)
    if not bracketed and not first.endswith(_EXCERPT_BARE):
        return "", lines
    marker = next(m for m in (*_EXCERPT_BRACKETED, *_EXCERPT_BARE) if first.endswith(m))
    summary = first[: -len(marker)].rstrip()
    if bracketed or (rest and rest[0].startswith(summary)):
        return summary, rest or [summary]
    return "", lines


def _needs_squeeze(text: str) -> bool:
    """Whether a paragraph may hold a run of whitespace to collapse (see `_squeeze`): one look
    at the whole text, instead of three at each paragraph, for the common clean case."""
    return "  " in text or "\t" in text or "\xa0" in text


def _squeeze(paragraph: str) -> str:
    """Collapse runs of whitespace inside a paragraph (skipped for the common clean case)."""
    if _needs_squeeze(paragraph):
        return " ".join(paragraph.split())
    return paragraph


def _first_words(body: str, count: int) -> str:
    words = body.split()
    text = " ".join(words[:count])
    return text + " …" if len(words) > count else text

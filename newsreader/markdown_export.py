"""Articles and their quotations as one Markdown document; article text is escaped to be inert."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newsreader.model import Article
from newsreader.text.links import safe_web_link
from newsreader.text.sanitize import is_clean, sanitize, sanitize_line

Quote = tuple[str, str | None]  # what was said, and who said it (None when nobody is named)

# Marks that make inline Markdown (emphasis, code, links, raw HTML, headings, tables, strike-
# through, entities); each is escaped with a backslash so that it shows as typed.
_INLINE_MARKS = re.compile(r"[\\`*_\[\]<>#|~]|&(?=#?\w+;)")
# What only means something at the start of a line: a list item, a setext underline, "1." / "1)".
_LIST_START = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")


def inline(text: str) -> str:
    """`text` as one line of Markdown that renders as the plain text it was: no control
    characters or escape sequences, no line breaks, every Markdown mark escaped."""
    line = _INLINE_MARKS.sub(lambda mark: "\\" + mark.group(), sanitize_line(text))
    start = _LIST_START.match(line)
    if start is None:
        return line
    if start.group().isdigit():  # "1." stays "1\." rather than becoming a numbered list
        return line[: start.end()] + "\\" + line[start.end() :]
    return "\\" + line


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs, each one escaped line: a line of its own never joins (or
    underlines) the paragraph before it."""
    return [line for line in (inline(part) for part in sanitize(body).split("\n")) if line]


def _link(link: str) -> str:
    """An http(s) link as an autolink, or "" for anything else (`javascript:`, a mangled one)."""
    safe = safe_web_link(link)
    if safe is None or not is_clean(safe):
        return ""
    return "<" + safe.replace("<", "%3C").replace(">", "%3E") + ">"


def article_markdown(article: Article, body: str, quotes: Sequence[Quote]) -> str:
    """One article: `# Title`, a line with date, source, link and tags, its quotations under
    `## Quotations` (when it has any), then its text under `## Text`."""
    details = [
        inline(article.date[:10]),
        inline(article.source),
        _link(article.link),
        inline("Tags: " + ", ".join(article.tags)) if article.tags else "",
    ]
    parts = [f"# {inline(article.title) or 'Untitled'}", " · ".join(d for d in details if d)]
    if quotes:
        lines = []
        for quote, speaker in quotes:
            who = inline(speaker or "")
            lines.append(f"- “{inline(quote)}”" + (f" — {who}" if who else ""))
        parts += ["## Quotations", "\n".join(lines)]
    body_lines = paragraphs(body)
    if body_lines:
        parts += ["## Text", *body_lines]
    return "\n\n".join(part for part in parts if part) + "\n"


def document(articles: Iterable[tuple[Article, str, Sequence[Quote]]]) -> str:
    """Articles (with body and quotations) as one document, in the order given; "" for none."""
    return "\n".join(article_markdown(*item) for item in articles)

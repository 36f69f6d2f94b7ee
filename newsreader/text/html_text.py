"""Turns feed HTML into readable paragraphs: lists and quotes kept, links numbered at the end."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from newsreader.text.links import safe_web_link
from newsreader.text.sanitize import sanitize

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "svg",
    "head",
    "form",
    "button",
    "object",
}
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "aside", "main", "figure",
    "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "dl", "dt", "dd",
    "address", "details", "summary", "hr", "center",
}  # fmt: skip
_SPACES = re.compile(r"\s+")


class _Writer:
    """Collects paragraphs while walking the tree; numbers links as it meets them."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.line: list[str] = []
        self.links: dict[str, int] = {}
        self.prefix = ""

    def text(self, text: str) -> None:
        self.line.append(text)

    def end_paragraph(self) -> None:
        text = _SPACES.sub(" ", "".join(self.line)).strip()
        self.line = []
        if text:
            self.paragraphs.append(self.prefix + text if self.prefix else text)
            self.prefix = ""  # a list mark goes on the first paragraph of its item only

    def link(self, href: str) -> int:
        return self.links.setdefault(href, len(self.links) + 1)


def html_to_text(html: str) -> str:
    """Readable text from HTML: paragraphs separated by blank lines, `• ` and `1. ` list items,
    block quotations in “…”, links as `text [n]` with the numbered addresses at the end.
    Scripts, styles and other non-text are dropped; the result is sanitised."""
    if "<" not in html and "&" not in html:
        return sanitize(_SPACES.sub(" ", html).strip())
    soup = BeautifulSoup(html, "html.parser")
    writer = _Writer()
    _walk(soup, writer)
    writer.end_paragraph()
    paragraphs = writer.paragraphs
    if writer.links:
        paragraphs.append("Links:")
        paragraphs += [f"[{number}] {href}" for href, number in writer.links.items()]
    return sanitize("\n\n".join(paragraphs))


def _walk(node: Tag, writer: _Writer) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # not a comment, doctype or CDATA
                writer.text(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _DROP:
            continue
        if name == "br":
            writer.end_paragraph()
        elif name in ("ul", "ol"):
            writer.end_paragraph()
            for number, item in enumerate(child.find_all("li", recursive=False), start=1):
                writer.prefix = f"{number}. " if name == "ol" else "• "
                _walk(item, writer)
                writer.end_paragraph()
            writer.prefix = ""
        elif name == "blockquote":
            writer.end_paragraph()
            start = len(writer.paragraphs)
            _walk(child, writer)
            writer.end_paragraph()
            _quote(writer.paragraphs, start)
        elif name == "pre":
            writer.end_paragraph()
            for line in child.get_text().splitlines():
                if line.strip():
                    writer.paragraphs.append(line.rstrip())
        elif name == "a":
            _walk(child, writer)
            href = safe_web_link(str(child.get("href") or ""))
            label = child.get_text().strip()
            if href and label and label != href:
                writer.text(f" [{writer.link(href)}]")
        elif name == "img":
            alt = str(child.get("alt") or "").strip()
            if alt:
                writer.text(f" [image: {alt}] ")
        elif name in _BLOCKS or name == "li":
            writer.end_paragraph()
            _walk(child, writer)
            writer.end_paragraph()
        else:
            _walk(child, writer)


def _quote(paragraphs: list[str], start: int) -> None:
    """Mark paragraphs[start:] as one quotation, the newspaper way: each opens with “, the
    last closes with ” — the reader then draws them as a quotation."""
    if start >= len(paragraphs):
        return
    for index in range(start, len(paragraphs)):
        if not paragraphs[index].startswith(("“", '"')):
            paragraphs[index] = "“" + paragraphs[index]
    if not paragraphs[-1].endswith(("”", '"')):
        paragraphs[-1] += "”"

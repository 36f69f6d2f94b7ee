"""Turns feed HTML into readable paragraphs: lists and quotes kept, links numbered at the end."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from bs4 import BeautifulSoup
from bs4.element import CData, NavigableString, PageElement, Tag

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
# The strings a link's get_text() is made of: comments, scripts and the like are no label.
_LABEL_TYPES = (NavigableString, CData)

# What a tag on the walk's stack does once its children are written.
_INLINE, _BLOCK, _ITEMS, _QUOTE, _LINK = range(5)


class _Writer:
    """Collects paragraphs while walking the tree; numbers links as it meets them."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.line: list[str] = []
        self.links: dict[str, int] = {}
        self.prefix = ""
        # (start, end) of the quotations written so far; an inner one merges into its outer.
        self.quoted: list[tuple[int, int]] = []

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


class _Link:
    """A link being walked: its address, and where its label's first letter is once seen."""

    __slots__ = ("first", "href")

    def __init__(self, href: str) -> None:
        self.href = href
        self.first = -1


class _Labels:
    """The text inside open links, kept once however deep they nest, so that each link's
    `get_text().strip()` is known as it closes without reading its subtree again."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.end = 0
        self.last = 0  # just past the last non-space character so far
        self.waiting: list[_Link] = []  # open links whose label is all space so far

    def add(self, text: str) -> None:
        if not text:
            return
        start = self.end
        self.parts.append(text)
        self.starts.append(start)
        self.end += len(text)
        stripped = text.lstrip()
        if stripped:
            for link in self.waiting:
                link.first = start + len(text) - len(stripped)
            self.waiting.clear()
            self.last = start + len(text.rstrip())

    def add_unwalked(self, element: PageElement) -> None:
        """What the walk does not enter still counts in the labels around it."""
        if isinstance(element, Tag):
            if element.contents:
                self.add(element.get_text(types=_LABEL_TYPES))
        elif type(element) in _LABEL_TYPES:
            self.add(str(element))

    def close(self, link: _Link) -> bool:
        """Whether the innermost open link has a label other than its address."""
        if link.first < 0:
            closed = self.waiting.pop()
            assert closed is link
            return False
        # Only a label as long as the address can be it: the text is joined only then.
        return self.last - link.first != len(link.href) or self._text(link.first) != link.href

    def _text(self, start: int) -> str:
        first = bisect_right(self.starts, start) - 1
        after = bisect_left(self.starts, self.last, first)  # not the spaces after the label
        offset = self.starts[first]
        return "".join(self.parts[first:after])[start - offset : self.last - offset]


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


def _walk(root: Tag, writer: _Writer) -> None:
    """Write the tree depth first with a stack of its own, not recursion: a feed can nest tags
    tens of thousands deep, and Python's own stack ends at about a thousand."""
    labels = _Labels()
    links_open = 0
    # Each entry: the children still to write, and what its tag does after them (with data).
    stack: list[tuple[Iterator[PageElement], int, object]] = [(iter(root.contents), _INLINE, 0)]
    while stack:
        children, kind, data = stack[-1]
        entered: tuple[Iterator[PageElement], int, object] | None = None
        if kind == _ITEMS:
            # A list writes only its own <li> children, numbered; the rest is not shown.
            for child in children:
                if isinstance(child, Tag) and child.name == "li":
                    assert isinstance(data, list)
                    data[0] += 1
                    writer.prefix = f"{data[0]}. " if data[1] else "• "
                    entered = (iter(child.contents), _BLOCK, 0)
                    break
                if links_open:
                    labels.add_unwalked(child)
        else:
            for child in children:
                if type(child) is NavigableString:  # not a comment, doctype or CDATA
                    writer.text(child)
                    if links_open:
                        labels.add(child)
                    continue
                if not isinstance(child, Tag):
                    if links_open:
                        labels.add_unwalked(child)
                    continue
                name = child.name.lower()
                if name in _BLOCKS or name == "li":
                    writer.end_paragraph()
                    entered = (iter(child.contents), _BLOCK, 0)
                    break
                if name == "a":
                    href = safe_web_link(str(child.get("href") or ""))
                    if href is None:
                        entered = (iter(child.contents), _INLINE, 0)
                    else:
                        link = _Link(href)
                        labels.waiting.append(link)
                        links_open += 1
                        entered = (iter(child.contents), _LINK, link)
                    break
                if name in ("ul", "ol"):
                    writer.end_paragraph()
                    entered = (iter(child.contents), _ITEMS, [0, name == "ol"])
                    break
                if name == "blockquote":
                    writer.end_paragraph()
                    entered = (iter(child.contents), _QUOTE, len(writer.paragraphs))
                    break
                if name == "br":
                    writer.end_paragraph()
                elif name == "pre":
                    writer.end_paragraph()
                    for line in child.get_text().splitlines():
                        if line.strip():
                            writer.paragraphs.append(line.rstrip())
                elif name == "img":
                    alt = str(child.get("alt") or "").strip()
                    if alt:
                        writer.text(f" [image: {alt}] ")
                elif name not in _DROP:
                    if child.contents:
                        entered = (iter(child.contents), _INLINE, 0)
                        break
                    continue
                if links_open:  # its children are not walked, but they are in the label
                    labels.add_unwalked(child)
        if entered is not None:
            stack.append(entered)
            continue
        stack.pop()
        if kind == _BLOCK:
            writer.end_paragraph()
        elif kind == _ITEMS:
            writer.prefix = ""
        elif kind == _QUOTE:
            writer.end_paragraph()
            assert isinstance(data, int)
            _quote(writer.paragraphs, data, writer.quoted)
        elif kind == _LINK:
            assert isinstance(data, _Link)
            links_open -= 1
            if labels.close(data):
                writer.text(f" [{writer.link(data.href)}]")


def _quote(paragraphs: list[str], start: int, quoted: list[tuple[int, int]]) -> None:
    """Mark paragraphs[start:] as one quotation, the newspaper way: each opens with “, the
    last closes with ” — the reader then draws them as a quotation. `quoted` holds the ranges
    already marked; the ones inside this quotation already open with a quote mark and are
    passed over, so that quotations nested thousands deep take linear time."""
    end = len(paragraphs)
    if start >= end:
        return
    index = start
    inner_from = len(quoted)
    while inner_from and quoted[inner_from - 1][0] >= start:
        inner_from -= 1
    for inner_start, inner_end in [*quoted[inner_from:], (end, end)]:
        for at in range(index, inner_start):
            if not paragraphs[at].startswith(("“", '"')):
                paragraphs[at] = "“" + paragraphs[at]
        index = inner_end
    del quoted[inner_from:]
    quoted.append((start, end))
    if not paragraphs[-1].endswith(("”", '"')):
        paragraphs[-1] += "”"

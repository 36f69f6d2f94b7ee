"""Reads and writes OPML subscription lists, the format readers use to move feeds between them."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from datetime import UTC, datetime

from newsreader.text.links import safe_web_link
from newsreader.text.sanitize import sanitize_line


class NotOpml(ValueError):
    """The data is not an OPML file we can read."""


def parse_opml(data: bytes) -> list[tuple[str, str]]:
    """(feed URL, title) for every outline with an http(s) `xmlUrl`, nested folders included."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise NotOpml(f"not valid XML: {error}") from None
    if root.tag.lower() != "opml":
        raise NotOpml("XML, but not OPML")
    feeds: dict[str, str] = {}
    for outline in root.iter("outline"):
        url = safe_web_link(outline.get("xmlUrl") or outline.get("xmlurl") or "")
        if url:
            title = outline.get("title") or outline.get("text") or ""
            feeds.setdefault(url, sanitize_line(title))
    return list(feeds.items())


def write_opml(feeds: Iterable[tuple[str, str]], title: str = "newsreader subscriptions") -> str:
    """An OPML 2.0 document listing (URL, title) pairs."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    body = ElementTree.SubElement(root, "body")
    for url, name in feeds:
        ElementTree.SubElement(
            body, "outline", type="rss", text=name or url, title=name or url, xmlUrl=url
        )
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, "unicode") + "\n"

"""Tells feeds and OPML lists from articles by their first bytes, without importing parsers."""

from __future__ import annotations

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".json", ".feed"})


def looks_like_feed(data: bytes) -> bool:
    """A cheap sniff of the first bytes: an XML feed or a JSON Feed."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return b"jsonfeed.org" in data[:4096]
    return head.startswith(b"<") and any(
        tag in data[:4096].lower() for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")
    )


def looks_like_opml(data: bytes) -> bool:
    return b"<opml" in data[:2048].lower()

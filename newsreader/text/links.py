"""Decides whether an article's link may be opened: http and https only, nothing else."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_web_link(link: str) -> str | None:
    """The link if it is a plain http(s) URL with a host, else None.

    `javascript:`, `file:`, `data:` and other schemes, links with spaces or control characters,
    and links without a host are refused: the browser gets only what a person expects.
    """
    link = link.strip()
    if not link or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in link):
        return None
    try:
        parts = urlsplit(link)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return link

"""Article ids and versions: the name an article keeps for good, and the hash that says it
changed."""

from __future__ import annotations

from collections.abc import Iterable

from newsreader.model import ParsedArticle


def article_id(parsed: ParsedArticle) -> str:
    """A stable id. A feed entry: its guid (scoped to its feed, as the feed names itself, unless
    the guid is a URL), else its link. A file: its title and body, normalised by the parser
    (single spaces, paragraphs split by a blank line), so the same article read twice, or with
    other line endings or encoding, gets the same id. Never the feed's title, which can change.
    """
    if parsed.guid:
        scope = "" if "://" in parsed.guid else (parsed.feed or parsed.source)
        return blake2b_hex(f"guid\n{scope}\n{parsed.guid}")
    if parsed.link:
        return blake2b_hex("link\n" + parsed.link.strip())
    return blake2b_hex(parsed.title.casefold() + "\n" + parsed.body)


def legacy_ids(parsed: ParsedArticle, feed_titles: Iterable[str]) -> list[str]:
    """Ids this entry had before ids stopped depending on the feed's title (its guid was
    scoped by the title then): an entry stored under one keeps it, and its bookmark."""
    if not parsed.guid or "://" in parsed.guid:
        return []
    titles = dict.fromkeys(title for title in (parsed.source, *feed_titles) if title)
    return [blake2b_hex(f"guid\n{title}\n{parsed.guid}") for title in titles]


def blake2b_hex(text: str) -> str:
    """A short hash (16 hex digits) of `text`: ids, and the versions of contents."""
    import hashlib  # here: OpenSSL takes 4 ms to load, that a command reading only never uses

    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def content_hash(parsed: ParsedArticle) -> str:
    """Every field derived data uses: an updated feed entry is rewritten, and re-derived, when
    it changes (see `derived`)."""
    key = "\n".join((parsed.title, parsed.summary, parsed.body, *parsed.tags, parsed.published))
    return blake2b_hex(key)


def version_of(doc_id: str, item: ParsedArticle) -> str:
    """The version `Library.versions` will give this article once stored (see `derived`)."""
    return content_hash(item) if item.guid or item.link else doc_id

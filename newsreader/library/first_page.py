"""The reader's first page, kept beside the library: drawn before the catalog is read.

Derived data like the search index, and kept honest the same way: the page records the
signatures (mtime, size, inode) of the files it was computed from — the catalog, the marks and
the saved searches — and the view it shows (order, hidden read articles, mute rules). At start
the reader stats those files; only when every one is as recorded does it draw the page, in the
time it takes to read a few kilobytes, whatever the library's size. Anything else (another
process wrote, a setting changed, the file is missing or unreadable) and the page is not used:
the reader loads as it always did and writes a new one. A wrong first page is impossible by
construction; a stale one costs one slower start.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from newsreader.library.errors import LibraryError
from newsreader.library.selection import ALL, SidebarCounts, arrange, select
from newsreader.library.storage import write_atomically
from newsreader.model import NO_STATE, Article, ArticleState, TagCount
from newsreader.text.quotation import KINDS, Quotation

FORMAT = 2
# More rows than the tallest list shows: paging down works before the catalog has loaded.
ROWS = 300
PEOPLE_SHOWN = 15  # the sidebar's People group: the most quoted; the rest are a search away
Signature = tuple[int, int, int] | None


@dataclass(frozen=True, slots=True)
class Sidebar:
    """The sidebar as the reader shows it: the counts, the most quoted, the saved searches."""

    counts: SidebarCounts
    people: tuple[TagCount, ...]
    saved: tuple[tuple[str, str, int], ...]  # (name, query, count)


@dataclass(frozen=True, slots=True)
class Opening:
    """The quotations of the article the reader opens on (the first row), found when the page
    was computed: the first screen highlights them without loading the speakers' rules. Kept
    for the body they were found in (`body_check`), and used only for that body."""

    id: str
    body_check: int
    quotations: tuple[Quotation, ...]


def body_check(body: str) -> int:
    """A checksum of an article's body as the article pane shows it."""
    return zlib.crc32(body.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class FirstPage:
    """What the first screen shows: the default view's first rows and the sidebar's counts."""

    view: str
    articles: list[Article]
    states: dict[str, ArticleState]
    files: dict[str, str]  # article id -> its body file, so opening one reads no catalog
    shown: int  # articles in the whole view (the list's length once loaded)
    sidebar: Sidebar
    muted: frozenset[str]
    opening: Opening | None = None


def view_key(order: str, hide_read: bool, mute_queries: Iterable[str]) -> str:
    """The settings that decide what the first page shows: another key, another page."""
    return orjson.dumps([order, hide_read, sorted(mute_queries)]).decode()


def path_of(library_path: Path) -> Path:
    stem = library_path.name.removesuffix(".json")
    return library_path.with_name(f"{stem}.first-page.json")


def _signature(path: Path) -> Signature:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def signatures(sources: Sequence[Path]) -> list[Signature]:
    return [_signature(path) for path in sources]


def read(path: Path, sources: Sequence[Path], view: str | None = None) -> FirstPage | None:
    """The page, if it was computed from `sources` exactly as they are now and for `view`
    (None: any view)."""
    try:
        data = orjson.loads(path.read_bytes())
        if data.get("format") != FORMAT or view not in (None, data.get("view")):
            return None
        if [tuple(s) if s else None for s in data["sources"]] != signatures(sources):
            return None
        return _page(data)
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None  # derived and disposable: the reader loads as usual and writes it again


def _page(data: dict[str, Any]) -> FirstPage:
    articles, states, files = [], {}, {}
    for row in data["rows"]:
        doc_id, title, tags, tags_raw, source, link, author, published, added = row[:9]
        file, bookmarked, was_read = row[9:12]
        articles.append(
            Article(
                str(doc_id),
                str(title),
                "",
                tuple(str(t) for t in tags),
                str(tags_raw),
                str(source),
                str(link),
                str(author),
                str(published),
                str(added),
            )
        )
        states[doc_id] = ArticleState(bool(bookmarked), bool(was_read))
        files[doc_id] = str(file)
    counts = data["counts"]

    def tag_counts(key: str) -> tuple[TagCount, ...]:
        return tuple(TagCount(str(name), int(count)) for name, count in data[key])

    return FirstPage(
        view=str(data["view"]),
        articles=articles,
        states=states,
        files=files,
        shown=int(counts["shown"]),
        sidebar=Sidebar(
            SidebarCounts(
                int(counts["total"]),
                int(counts["bookmarked"]),
                int(counts["unread"]),
                tag_counts("tags"),
                tag_counts("feeds"),
            ),
            tag_counts("people"),
            tuple((str(n), str(q), int(c)) for n, q, c in data["saved"]),
        ),
        muted=frozenset(str(m) for m in data["muted"]),
        opening=_opening(data["opening"]),
    )


def _opening(data: dict[str, Any] | None) -> Opening | None:
    if data is None:
        return None
    quotations = tuple(
        Quotation(
            int(start),
            int(end),
            str(text),
            None if speaker is None else str(speaker),
            None if as_written is None else str(as_written),
            kind if kind in KINDS else None,
            int(speaker_start),
            int(speaker_end),
            tuple((int(a), int(b)) for a, b in parts),
        )
        for start, end, text, speaker, as_written, kind, speaker_start, speaker_end, parts in data[
            "quotations"
        ]
    )
    return Opening(str(data["id"]), int(data["check"]), quotations)


def write(
    path: Path,
    sources: Sequence[Signature],
    page: FirstPage,
) -> None:
    """Write `page` as computed from files with these signatures (taken under the library's
    lock, with nothing written by another process since the data was read)."""
    rows = [
        [
            a.id,
            a.title,
            list(a.tags),
            a.tags_raw,
            a.source,
            a.link,
            a.author,
            a.published,
            a.added,
            page.files.get(a.id, ""),
            page.states.get(a.id, NO_STATE).bookmarked,
            page.states.get(a.id, NO_STATE).read,
        ]
        for a in page.articles
    ]
    counts = page.sidebar.counts
    data = {
        "format": FORMAT,
        "sources": sources,
        "view": page.view,
        "rows": rows,
        "counts": {
            "shown": page.shown,
            "total": counts.total,
            "bookmarked": counts.bookmarked,
            "unread": counts.unread,
        },
        "tags": [[t.name, t.count] for t in counts.tags],
        "feeds": [[t.name, t.count] for t in counts.feeds],
        "people": [[t.name, t.count] for t in page.sidebar.people],
        "saved": [list(entry) for entry in page.sidebar.saved],
        "muted": sorted(page.muted),
        "opening": None if page.opening is None else _opening_data(page.opening),
    }
    write_atomically(path, orjson.dumps(data))


def _opening_data(opening: Opening) -> dict[str, Any]:
    quotations = [
        [
            q.start,
            q.end,
            q.text,
            q.speaker,
            q.as_written,
            q.kind,
            q.speaker_start,
            q.speaker_end,
            [list(part) for part in q.parts],
        ]
        for q in opening.quotations
    ]
    return {"id": opening.id, "check": opening.body_check, "quotations": quotations}


def forget(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def compute(
    view: str,
    articles: Sequence[Article],
    states: Mapping[str, ArticleState],
    muted: Collection[str],
    hide_read: bool,
    order: str,
    sidebar: Sidebar,
    files_of: Callable[[list[str]], dict[str, str]],
    length: int | None = None,
    body_of: Callable[[str], str] | None = None,
) -> FirstPage:
    """The page of the reader's default view (All, in `order`) of `articles` (newest first,
    the whole library): what `_show_selection` would show first. With `length`, `articles`
    are already that view's first rows, and `length` its length. With `body_of` (an article's
    body by id), the first row's quotations are found and kept (`Opening`)."""
    shown = (
        articles
        if length is not None
        else arrange(select(articles, states, ALL, muted, hide_read), order)
    )
    rows = list(shown[:ROWS])
    return FirstPage(
        view=view,
        articles=rows,
        states={a.id: states.get(a.id, NO_STATE) for a in rows},
        files=files_of([a.id for a in rows]),
        shown=len(shown) if length is None else length,
        sidebar=sidebar,
        muted=frozenset(muted),
        opening=_opening_of(rows[0].id, body_of) if rows and body_of is not None else None,
    )


def _opening_of(doc_id: str, body_of: Callable[[str], str]) -> Opening | None:
    from newsreader.text.sanitize import for_display
    from newsreader.text.speakers import extract_quotations

    try:
        body = for_display(body_of(doc_id))  # as the article pane shows it and finds them
    except (LibraryError, OSError):
        return None  # an unreadable body file: the pane finds them itself, and says why
    found = tuple(extract_quotations(body)) if body else ()
    return Opening(doc_id, body_check(body), found)

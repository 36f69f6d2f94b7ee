"""Finds article files under the paths given to `import` and reads each into an article."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsreader.model import ParsedArticle, Rejection
from newsreader.sources.opml import NotOpml, parse_opml
from newsreader.sources.seed_text import NotAnArticle, parse_seed_bytes
from newsreader.sources.sniff import FEED_SUFFIXES, looks_like_feed, looks_like_opml
from newsreader.sources.tags import TagSplitter

MAX_ARTICLE_BYTES = 5 * 1024 * 1024  # feeds too: 20 MB is the limit only when fetched
# Inside folders only these are read; a file named on the command line is always tried.
_READ_STEP = 64 * 1024
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only
ARTICLE_SUFFIXES = frozenset({".txt", ".text", "", ".opml", *FEED_SUFFIXES})


@dataclass(slots=True)
class FoundFiles:
    """The files an import will read, the ones it rejects outright, and how many it passed over."""

    files: list[Path]
    rejected: list[Rejection]
    skipped: int = 0


def find_article_files(paths: Iterable[Path]) -> FoundFiles:
    """Expand files and folders (recursively, following links but never a loop) into files."""
    found = FoundFiles([], [])
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        try:
            info = path.stat()
        except FileNotFoundError:
            reason = "broken link" if path.is_symlink() else "no such file or folder"
            found.rejected.append(Rejection(path, reason))
            continue
        except OSError as error:
            found.rejected.append(Rejection(path, error.strerror or "cannot be read"))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, found, seen_dirs)
        else:
            _take_file(path, info, found, named=True)
    return found


def _walk(folder: Path, found: FoundFiles, seen_dirs: set[tuple[int, int]]) -> None:
    try:
        info = folder.stat()
    except OSError as error:
        found.rejected.append(Rejection(folder, error.strerror or "cannot be read"))
        return
    key = (info.st_dev, info.st_ino)
    if key in seen_dirs:
        if folder.is_symlink():
            found.rejected.append(Rejection(folder, "link back to a folder already read (loop)"))
        return
    seen_dirs.add(key)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        found.rejected.append(Rejection(folder, f"folder cannot be read: {error.strerror}"))
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue  # hidden files and folders: editor backups, .git, .DS_Store
        if entry.is_file(follow_symlinks=False):
            # A plain file, known from the folder listing alone (no stat, no Path to skip it).
            if _suffix(name).lower() in ARTICLE_SUFFIXES:
                found.files.append(folder / name)
            else:
                found.skipped += 1
            continue
        path = Path(entry.path)
        try:
            entry_info = entry.stat()
        except FileNotFoundError:
            found.rejected.append(Rejection(path, "broken link"))
            continue
        except OSError as error:
            found.rejected.append(Rejection(path, error.strerror or "cannot be read"))
            continue
        if stat.S_ISDIR(entry_info.st_mode):
            _walk(path, found, seen_dirs)
        else:
            _take_file(path, entry_info, found, named=False)


def _suffix(name: str) -> str:
    """`PurePath(name).suffix`, without making a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _take_file(path: Path, info: os.stat_result, found: FoundFiles, named: bool) -> None:
    if not stat.S_ISREG(info.st_mode):
        found.rejected.append(Rejection(path, "not a regular file (a pipe, socket or device)"))
    elif not named and path.suffix.lower() not in ARTICLE_SUFFIXES:
        found.skipped += 1
    else:
        found.files.append(path)


@dataclass(frozen=True, slots=True)
class Subscribe:
    """An OPML file: the feeds (URL, title) it lists, to subscribe to rather than import."""

    feeds: list[tuple[str, str]]


SourceResult = list[ParsedArticle] | Subscribe | Rejection


def read_source(path: Path, splitter: TagSplitter | None = None) -> SourceResult:
    """Read one file: a seed-format article, a feed (its entries) or an OPML list. A problem
    becomes a `Rejection` with its reason, never an error."""
    try:
        data = _read_at_most(path, MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        return Rejection(path, f"cannot be read: {error.strerror or error}")
    if len(data) > MAX_ARTICLE_BYTES:
        return Rejection(
            path, f"larger than {MAX_ARTICLE_BYTES // (1024 * 1024)} MB: not an article"
        )
    try:
        # Only markup or JSON can be a feed or a list: most files start with a title.
        markup = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"<", b"{")
        suffix = path.suffix.lower()
        if suffix == ".opml" or (markup and looks_like_opml(data)):
            return Subscribe(parse_opml(data))
        if suffix in FEED_SUFFIXES or (markup and looks_like_feed(data)):
            # Imported here: feedparser and BeautifulSoup cost every command 0.1 s to load.
            from newsreader.sources.feeds import NotAFeed, parse_feed

            try:
                return parse_feed(data, str(path)).entries
            except NotAFeed as error:
                return Rejection(path, str(error))
        return [parse_seed_bytes(data, source=str(path), splitter=splitter)]
    except (NotAnArticle, NotOpml) as error:
        return Rejection(path, str(error))


def _read_at_most(path: Path, limit: int) -> bytes:
    """The file's first `limit` bytes. A buffered `read(limit)` allocates `limit` bytes first:
    5 MB per 4 kB article made reading 10,000 files 0.25 s of CPU instead of 0.06 s. So the
    first read asks for the size `fstat` gives, plus one byte; further reads (a file that grew,
    a short read) take small steps until the end or the limit."""
    fd = os.open(path, _READ_FLAGS)
    try:
        chunk = os.read(fd, min(limit, os.fstat(fd).st_size + 1))
        chunks = [chunk]
        left = limit - len(chunk)
        while chunk and left > 0:
            chunk = os.read(fd, min(left, _READ_STEP))
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_sources(files: Iterable[Path], known_tags: Iterable[str] = ()) -> Iterator[SourceResult]:
    splitter = TagSplitter(known_tags)
    for path in files:
        yield read_source(path, splitter)

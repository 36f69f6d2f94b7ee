"""Finding and importing article files: folders, links, loops, odd files, re-imports."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsreader.library import Library
from newsreader.library.importer import import_paths
from newsreader.library.search import search


def test_imports_a_folder_recursively_and_reimport_adds_nothing(
    library: Library, write_article: Callable[..., Path], tmp_path: Path
) -> None:
    first = write_article("a.txt", "Harbour opens", "The harbour opens in spring.", "Harbour")
    nested = first.parent / "deeper" / "still"
    nested.mkdir(parents=True)
    (nested / "b.txt").write_text("+\n\nBridge closes\n\nThe bridge closes for repairs.\n")
    (first.parent / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0JFIF")
    report = import_paths(library, [first.parent])
    assert len(report.added) == 2 and not report.rejected
    assert report.skipped == 1  # the photo, passed over quietly inside a folder
    again = import_paths(library, [first.parent])
    assert again.added == [] and len(again.existing) == 2 and again.updated == []
    assert len(library) == 2


def test_rejects_files_with_reasons_and_goes_on(
    library: Library, write_article: Callable[..., Path], tmp_path: Path
) -> None:
    good = write_article("good.txt", "Good", "A fine body.")
    folder = good.parent
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (folder / "huge.txt").write_bytes(b"x" * (5 * 1024 * 1024 + 10))
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    report = import_paths(library, [folder, tmp_path / "missing"])
    reasons = {r.path.name: r.reason for r in report.rejected}
    assert len(report.added) == 1
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "larger than" in reasons["huge.txt"]
    assert "not a regular file" in reasons["pipe.txt"]
    assert "loop" in reasons["loop"]
    assert reasons["dangling.txt"] == "broken link"
    assert reasons["missing"] == "no such file or folder"


def test_unreadable_file_is_rejected(
    library: Library, write_article: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_article("secret.txt", "Secret", "Hidden text.")
    real_open = os.open

    def refuse(name: Any, *args: Any, **kwargs: Any) -> Any:
        # What chmod 000 gives a normal user; simulated because tests may run as root.
        if Path(name) == path:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    report = import_paths(library, [path])
    assert [r.reason for r in report.rejected] == ["cannot be read: Permission denied"]
    assert len(library) == 0


def test_import_updates_the_search_index(
    library: Library, write_article: Callable[..., Path]
) -> None:
    write_article("a.txt", "Lighthouse keeper retires", "After forty years the keeper retires.")
    import_paths(library, [Path(library.path).parent.parent / "articles"])
    assert library.index.applied() == library.versions()
    assert [r.article.title for r in search(library, "keeper").results] == [
        "Lighthouse keeper retires"
    ]
    write_article("b.txt", "Keeper of bees", "The keeper of bees speaks.")
    import_paths(library, [Path(library.path).parent.parent / "articles"])
    assert len(search(library, "keeper").results) == 2


def test_an_article_whose_body_is_written_keeps_every_other_field() -> None:
    from dataclasses import fields, replace

    from newsreader.library.importer import _without_texts
    from newsreader.model import ParsedArticle

    # Every field set, whatever fields ParsedArticle has: one added later is checked too.
    values = {
        f.name: ("a", "b") if f.name == "tags" else f"{f.name}!" for f in fields(ParsedArticle)
    }
    item = ParsedArticle(**values)  # type: ignore[arg-type]
    assert _without_texts(item) == replace(item, summary="", body="")


def _merge_settings(db: Any) -> dict[str, dict[str, int]]:
    return {
        table: dict(
            db.execute(f"SELECT k, v FROM {table}_config WHERE k IN ('automerge', 'hashsize')")
        )
        for table in ("fts", "quotes")
    }


def test_an_import_builds_the_index_in_bulk_and_leaves_the_usual_merge_settings(
    library: Library, write_article: Callable[..., Path]
) -> None:
    """The writer merges and buffers in bulk (half the full-text CPU at 100,000 articles);
    the settings are stored in the index, so the import must put them back."""
    from newsreader.library.search_index import (
        AUTOMERGE,
        BULK_AUTOMERGE,
        BULK_HASH_BYTES,
        HASH_BYTES,
    )

    bulk = {"automerge": BULK_AUTOMERGE, "hashsize": BULK_HASH_BYTES}
    usual = {"automerge": AUTOMERGE, "hashsize": HASH_BYTES}
    library.index.prepare()
    with library.index.transaction() as writer:
        writer.merge_in_bulk(True)
        assert _merge_settings(writer._db) == {"fts": bulk, "quotes": bulk}
        writer.merge_in_bulk(False)
        assert _merge_settings(writer._db) == {"fts": usual, "quotes": usual}
    library.index.close()
    write_article("a.txt", "Lighthouse keeper retires", "After forty years the keeper retires.")
    import_paths(library, [Path(library.path).parent.parent / "articles"])
    import sqlite3

    with contextlib.closing(sqlite3.connect(library.index.path)) as db:
        settings = _merge_settings(db)
    assert settings == {"fts": usual, "quotes": usual}


def test_articles_are_indexed_in_rowid_order_so_one_batch_makes_one_segment(
    library: Library,
) -> None:
    """FTS5 writes out the terms it has gathered whenever a rowid is lower than the last, and
    rowids are hashes of the ids: unsorted, a batch of 40 made a segment for nearly each
    article (13 s of CPU instead of 7 at 100,000 articles)."""
    import sqlite3

    from newsreader.library.derived import ArticleContent

    contents = [
        ArticleContent(f"{n:016x}"[::-1], "v1", f"Title {n}", "", f"Body {n} words", (), "2026")
        for n in range(1, 41)
    ]
    library.index.prepare()
    with library.index.transaction() as writer:
        writer.merge_in_bulk(True)
        writer.apply(contents, [[] for _ in contents])
        writer.merge_in_bulk(False)
    library.index.close()
    with contextlib.closing(sqlite3.connect(library.index.path)) as db:
        assert db.execute("SELECT count(DISTINCT segid) FROM fts_idx").fetchone() == (1,)

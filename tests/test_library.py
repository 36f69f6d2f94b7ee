"""The Library facade and its storage: ids, dedupe, state kept apart, atomic and shared files."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest

from newsreader.library import Library, LibraryCorrupt, LibraryError
from newsreader.library.storage import write_atomically
from newsreader.model import ParsedArticle


def parsed(title: str, body: str = "Some body text.", tags: tuple[str, ...] = ()) -> ParsedArticle:
    return ParsedArticle(title=title, summary="A summary.", body=body, tags=tags)


def test_ids_are_stable_and_readding_adds_nothing(library: Library) -> None:
    added, existing = library.add([parsed("One"), parsed("Two")])
    assert len(added) == 2 and existing == []
    again, existing = library.add([parsed("One"), parsed("Two")])
    assert again == [] and existing == added
    assert len(Library(library.path)) == 2


def test_articles_round_trip_without_bodies_and_bodies_on_demand(library: Library) -> None:
    (doc_id,), _ = library.add([parsed("Title", "Body one.\n\nBody two.", ("NATO",))])
    article = Library(library.path).article(doc_id)
    assert article is not None
    assert (article.title, article.tags) == ("Title", ("NATO",))
    assert Library(library.path).body(doc_id) == "Body one.\n\nBody two."
    # The catalog holds no bodies: the first screen does not load them.
    assert "Body two" not in library.path.read_text()


def test_tags_keep_the_first_spelling_the_library_saw(library: Library) -> None:
    library.add([parsed("A", tags=("NATO", "Russia"))])
    library.add([parsed("B", tags=("Nato", "RUSSIA", "Ukraine"))])
    counts = {t.name: t.count for t in library.tag_counts()}
    assert counts == {"NATO": 2, "Russia": 2, "Ukraine": 1}


def test_bookmarks_live_apart_and_a_toggle_writes_little(library: Library) -> None:
    ids, _ = library.add([parsed(f"Article {i}", "word " * 500) for i in range(50)])
    catalog_before = library.path.read_bytes()
    assert library.toggle_bookmark(ids[3]) is True
    assert library.path.read_bytes() == catalog_before
    assert library.state_path.stat().st_size < 500
    assert Library(library.path).state(ids[3]).bookmarked
    assert library.toggle_bookmark(ids[3]) is False
    assert not Library(library.path).state(ids[3]).bookmarked


def test_reimport_keeps_bookmarks(library: Library) -> None:
    (doc_id,), _ = library.add([parsed("Kept")])
    library.set_state([doc_id], bookmarked=True, read=True)
    library.add([parsed("Kept")])
    state = Library(library.path).state(doc_id)
    assert state.bookmarked and state.read


def test_two_library_objects_see_each_others_writes(library: Library) -> None:
    ids, _ = library.add([parsed("A"), parsed("B")])
    other = Library(library.path)
    other.states()  # other holds a cached copy now
    library.set_state([ids[0]], bookmarked=True)
    other.set_state([ids[1]], bookmarked=True)  # must not write over the first change
    states = Library(library.path).states()
    assert states[ids[0]].bookmarked and states[ids[1]].bookmarked
    other.add([parsed("C")])
    assert len(library) == 3


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"articles": {"x": {"title": "t"}}',
        b'{"articles": {}}GARBAGE',
        b"[1, 2, 3]",
        b'{"articles": [1]}',
    ],
    ids=["empty", "truncated", "garbage-appended", "wrong-shape", "wrong-shape-table"],
)
def test_a_corrupt_file_is_reported_and_never_overwritten(
    library_path: Path, content: bytes
) -> None:
    library_path.parent.mkdir(parents=True)
    library_path.write_bytes(content)
    library = Library(library_path)
    with pytest.raises(LibraryCorrupt, match=str(library_path)):
        library.articles()
    with pytest.raises(LibraryCorrupt):
        library.add([parsed("New")])
    assert library_path.read_bytes() == content


def test_full_disk_leaves_the_previous_file_intact(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    (doc_id,), _ = library.add([parsed("Before")])
    before = library.path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(LibraryError, match="disk is full"):
        library.add([parsed("After")])
    with pytest.raises(LibraryError, match="disk is full"):
        library.toggle_bookmark(doc_id)
    monkeypatch.undo()
    assert library.path.read_bytes() == before
    assert [a.title for a in library.articles()] == ["Before"]
    assert not library.state(doc_id).bookmarked
    assert not [p for p in library.path.parent.iterdir() if p.name.endswith(".tmp")]


def test_read_only_folder_is_one_clear_error(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add([parsed("Kept")])
    before = library.path.read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        # What a read-only folder answers; simulated because tests may run as root.
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(LibraryError, match="permission denied"):
        library.add([parsed("New")])
    monkeypatch.undo()
    assert library.path.read_bytes() == before
    assert [a.title for a in library.articles()] == ["Kept"]


def test_library_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "library.json").mkdir()
    with pytest.raises(LibraryError, match="is a folder"):
        Library(tmp_path / "library.json")


def test_atomic_write_keeps_a_backup_and_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "file.json"
    write_atomically(target, b'{"a": {}}', backup=True)
    write_atomically(target, b'{"b": {}}', backup=True)
    assert json.loads(target.read_text()) == {"b": {}}
    assert json.loads((tmp_path / "file.json.bak").read_text()) == {"a": {}}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.json", "file.json.bak"]


def test_library_under_a_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_text("x")
    with pytest.raises(LibraryError, match="is a file, not a folder"):
        Library(tmp_path / "not-a-folder" / "library.json")


def test_library_in_a_missing_folder_is_created(tmp_path: Path) -> None:
    library = Library(tmp_path / "new" / "deeper" / "library.json")
    library.add([parsed("First")])
    assert len(Library(library.path)) == 1

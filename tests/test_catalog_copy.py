"""Commands that need no whole catalog (`search`, `bookmark`, `tags`, `quotes`) answer from the
index's copy of the catalog when it is in step with the catalog file, without reading the
catalog; and from the catalog, with the same answer, when it is not."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from newsreader.library import Library, catalog_copy, storage
from newsreader.library.catalog_copy import CatalogCopy, in_step_copy, sync_copy
from newsreader.library.search_index import rowid_of
from newsreader.resources import resource_dir
from tests.conftest import Result

Cli = Callable[..., Result]


@pytest.fixture
def catalog_reads(monkeypatch: pytest.MonkeyPatch, library_path: Path) -> list[Path]:
    """Every parse of the catalog file (body files are parsed too: they do not count)."""
    reads: list[Path] = []
    real = storage.parse_tables

    def spy(path: Path, payload: bytes) -> storage.Tables:
        if path == library_path.absolute():
            reads.append(path)
        return real(path, payload)

    monkeypatch.setattr(storage, "parse_tables", spy)
    return reads


@pytest.fixture
def filled(cli: Cli, write_article: Callable[..., Path]) -> None:
    """The samples and a few articles about a harbour, with tags in several spellings."""
    folder = write_article("other.txt", "Another one", "Words of another article.", "Culture")
    for number in range(6):
        write_article(
            f"h{number}.txt",
            f"Harbour news {number}",
            f"The harbour of town {number} opened. “We are glad,” said Mayor Ana Lund. "
            + "More words here. " * number,
            tags=["NATOHarbour", "Harbour", "eBayTrade", "Culture"][number % 4],
        )
    assert cli("import", str(resource_dir("seeds")), str(folder.parent)).code == 0


def touch(path: Path) -> None:
    """Change the catalog's signature (mtime), not its content: the copy is out of step."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def commands(library: Library) -> list[list[str]]:
    ids = library.ids()
    sample = next(d for d in ids if library.article(d).title.startswith("As NATO"))  # type: ignore[union-attr]
    return [
        ["search", "harbour"],
        ["search", "--json", "harbour"],
        ["search", "--json", "--sort", "date", "harbour"],
        ["search", "--json", "--limit", "2", "harbour town"],
        ["search", "--json", "nothingofthekind"],
        ["tags"],
        ["tags", "--json"],
        ["bookmark", ids[0][:6]],
        ["bookmark", "--remove", ids[0]],
        ["bookmark", "0000zz"],
        ["quotes", "--json", sample[:7]],
        ["quotes", sample],
        ["quotes", "--json", "--speaker", "Lund"],
        ["quotes", "--speaker", "Shoigu"],
    ]


def test_commands_answer_from_the_copy_without_reading_the_catalog(
    cli: Cli, filled: None, library_path: Path, catalog_reads: list[Path]
) -> None:
    assert cli("search", "harbour").code == 0  # reads the catalog: the copy is filled
    for argv in commands(Library(library_path)):
        catalog_reads.clear()
        from_copy = cli(*argv)
        assert catalog_reads == [], argv
        touch(library_path)  # out of step: the same command reads the catalog
        from_catalog = cli(*argv)
        assert catalog_reads, argv
        assert from_copy == from_catalog, argv
        # `bookmark` and `tags` bring the copy in step, not the index (a search does both).
        cli("search", "anything")
        catalog_reads.clear()
        assert cli(*argv) == from_copy  # and the copy is in step again
        assert catalog_reads == [], argv


def test_search_json_reads_no_body_file_either(
    cli: Cli, filled: None, library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The summary, lead and word count come with the copy's rows (the version covers them)."""
    expected = cli("search", "--json", "harbour town")
    parsed: list[Path] = []
    real = storage.parse_tables

    def spy(path: Path, payload: bytes) -> storage.Tables:
        parsed.append(path)
        return real(path, payload)

    monkeypatch.setattr(storage, "parse_tables", spy)
    assert cli("search", "--json", "harbour town") == expected
    assert [p for p in parsed if p.name != "library.state.json"] == []


def test_texts_left_to_the_body_files_after_a_large_import_are_the_same(
    cli: Cli,
    filled: None,
    library_path: Path,
    catalog_reads: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(catalog_copy, "EAGER_TEXTS", 0)  # every import is a large one
    assert cli("reindex").code == 0
    catalog_reads.clear()
    from_copy = cli("search", "--json", "harbour")
    assert catalog_reads == []
    touch(library_path)
    assert cli("search", "--json", "harbour") == from_copy
    assert catalog_reads


def test_a_changed_catalog_is_never_answered_from_the_old_copy(
    cli: Cli,
    filled: None,
    library_path: Path,
    catalog_reads: list[Path],
    write_article: Callable[..., Path],
) -> None:
    cli("tags")
    before = json.loads(cli("tags", "--json").out)
    new = write_article("new.txt", "A harbour", "A new harbour article.", "Brandnewtag")
    assert cli("import", str(new)).code == 0
    catalog_reads.clear()
    tags = json.loads(cli("tags", "--json").out)  # the copy is behind: the catalog answers
    assert catalog_reads
    assert {"name": "Brandnewtag", "count": 1} in tags and tags != before
    found = json.loads(cli("search", "--json", "harbour").out)
    assert "A harbour" in [r["title"] for r in found]
    catalog_reads.clear()
    assert json.loads(cli("search", "--json", "harbour").out) == found
    assert json.loads(cli("tags", "--json").out) == tags
    assert catalog_reads == []  # in step again


def test_reindex_refills_the_copy(cli: Cli, filled: None, library_path: Path) -> None:
    expected = cli("search", "--json", "harbour")
    db = sqlite3.connect(library_path.with_name("library.search.sqlite"))
    with db:
        db.execute('UPDATE catalog_copy SET record = \'{"title": "wrong"}\'')
    db.close()
    assert cli("reindex").code == 0
    assert cli("search", "--json", "harbour") == expected


def test_what_the_copy_cannot_answer_the_catalog_does(
    cli: Cli, filled: None, library_path: Path, catalog_reads: list[Path]
) -> None:
    cli("search", "harbour")
    expected = cli("search", "--json", "harbour")
    # A tag filter needs every article's tags: the catalog answers.
    catalog_reads.clear()
    tagged = json.loads(cli("search", "--json", "tag:culture harbour").out)
    assert catalog_reads and tagged and all("Culture" in r["tags"] for r in tagged)
    # A copy lacking an article the index finds (in step by its mark, but behind): the catalog.
    first = json.loads(expected.out)[0]["id"]
    db = sqlite3.connect(library_path.with_name("library.search.sqlite"))
    with db:
        db.execute("DELETE FROM catalog_copy WHERE rowid = ?", (rowid_of(first),))
    db.close()
    catalog_reads.clear()
    assert cli("search", "--json", "harbour") == expected
    assert catalog_reads


def test_a_copy_that_cannot_be_read_leaves_the_answer_to_the_catalog(
    cli: Cli, filled: None, library_path: Path, catalog_reads: list[Path]
) -> None:
    ids = Library(library_path).ids()
    expected = [cli("bookmark", ids[0][:6]), cli("tags", "--json")]
    db = sqlite3.connect(library_path.with_name("library.search.sqlite"))
    with db:
        db.execute("DROP TABLE catalog_copy")  # the facts, and their mark, stay
    db.close()
    catalog_reads.clear()
    assert cli("bookmark", ids[0][:6]) == expected[0]
    assert catalog_reads
    library_path.with_name("library.search.sqlite").write_bytes(b"not a database" * 100)
    assert cli("tags", "--json") == expected[1]


def test_the_copy_is_not_used_before_it_exists(cli: Cli, filled: None, library_path: Path) -> None:
    library = Library(library_path)
    assert in_step_copy(library) is None or library.index.path.exists()
    sync_copy(library)
    assert in_step_copy(Library(library_path)) is not None
    touch(library_path)
    assert in_step_copy(Library(library_path)) is None


IDS = [
    "0000000000000000",
    "0000000000000001",
    "7ffffffffffffffe",
    "7fffffffffffffff",
    "8000000000000000",
    "8abc000000000000",
    "ffffffffffffffff",
]


@pytest.mark.parametrize("ids", [IDS, IDS[4:5], IDS[2:4]])
def test_an_id_prefix_resolves_as_in_the_catalog(library_path: Path, ids: list[str]) -> None:
    """Prefixes become ranges of the rows' signed keys: across the sign, at both ends."""
    library = Library(library_path)
    library.index.prepare()
    with library.index.reading() as db:
        db.execute(
            "CREATE TABLE catalog_copy(rowid INTEGER PRIMARY KEY, id TEXT, version TEXT, record)"
        )
        db.executemany(
            "INSERT INTO catalog_copy VALUES (?, ?, '', '{}')", [(rowid_of(d), d) for d in ids]
        )
    copy = CatalogCopy(library)
    prefixes = ["", "0", "7", "7f", "8", "8a", "f", "F", "g", "0000000000000000", *ids]
    prefixes += [d[:-1] for d in ids] + [d + "0" for d in ids] + ["8ABC", " 8", "0x8"]
    for prefix in prefixes:
        matches = [d for d in ids if d.startswith(prefix)]
        expected = prefix if prefix in ids else (matches[0] if len(matches) == 1 else None)
        assert copy.resolve_id(prefix) == expected, prefix

"""The command line as people type it: sub-commands, JSON, exit codes, one-sentence errors."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from newsreader import __version__
from newsreader.commands import open_library
from newsreader.resources import resource_dir
from tests.conftest import Result

Cli = Callable[..., Result]


def test_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsreader", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == f"newsreader {__version__}"


def test_the_reader_alone_is_parsed_as_the_parser_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """`newsreader` alone skips building the parser (5 ms of the first screen): the arguments
    it makes instead must be the parser's, or a new global option would go missing."""
    from newsreader import cli, commands

    seen = []
    monkeypatch.setattr(commands, "run", lambda args, path, output: seen.append(args) or 0)
    try:
        cli.main([])
    finally:
        gc.enable()  # held off for the reader's start, which this test does not run
    assert seen == [cli.build_parser().parse_args([])]


def test_import_list_json_and_reimport(cli: Cli, seed_folder: Path) -> None:
    result = cli("import", str(seed_folder))
    assert result.code == 0
    assert "0 files rejected" in result.err
    listed = json.loads(cli("list", "--json").out)
    sample = next(a for a in listed if a["title"].startswith("As NATO summit begins"))
    assert {t.casefold() for t in sample["tags"]} == {"nato", "russia", "ukraine"}
    assert sample["summary"].startswith("In the early hours of Wednesday")
    assert sample["lead"].startswith("In the early hours of Wednesday")
    assert {"id", "title", "tags", "summary", "bookmarked", "read"} <= sample.keys()
    count = len(listed)
    again = cli("import", str(seed_folder))
    assert again.code == 0 and "0 new articles" in again.err
    assert len(json.loads(cli("list", "--json").out)) == count


def import_samples(cli: Cli) -> None:
    assert cli("import", str(resource_dir("seeds"))).code == 0


def test_only_the_reader_fills_a_new_library_with_samples_and_once(
    cli: Cli, library_path: Path, write_article: Callable[..., Path]
) -> None:
    assert json.loads(cli("list", "--json").out) == []
    assert not library_path.exists()  # a look at a new library creates nothing
    assert cli("import", str(write_article("mine.txt", "My own article", "Mine."))).code == 0
    assert [a["title"] for a in json.loads(cli("list", "--json").out)] == ["My own article"]
    fresh = library_path.with_name("fresh.json")
    first = open_library(fresh, first_time_samples=True)
    titles = [a.title for a in first.articles()]
    assert any(t.startswith("Welcome to newsreader") for t in titles)
    assert any(t.startswith("As NATO summit begins") for t in titles)
    assert len(open_library(fresh, first_time_samples=True)) == len(titles)


def test_tags_bookmark_and_filters(cli: Cli) -> None:
    import_samples(cli)
    tags = json.loads(cli("tags", "--json").out)
    assert {"name": "NATO", "count": 1} in tags
    sample = next(a for a in json.loads(cli("list", "--json").out) if "NATO" in a["tags"])
    assert cli("bookmark", sample["id"][:6]).code == 0
    bookmarked = json.loads(cli("list", "--bookmarked", "--json").out)
    assert [a["id"] for a in bookmarked] == [sample["id"]]
    assert [a["id"] for a in json.loads(cli("list", "--tag", "nato", "--json").out)] == [
        sample["id"]
    ]
    assert cli("bookmark", "--remove", sample["id"]).code == 0
    assert json.loads(cli("list", "--bookmarked", "--json").out) == []
    bad = cli("bookmark", "zzzz")
    assert bad.code == 1 and "No single article" in bad.err


def test_db_before_or_after_the_command(tmp_path: Path, capsys: object) -> None:
    from newsreader.cli import main

    db = tmp_path / "x" / "library.json"
    seeds = str(resource_dir("seeds"))
    assert main(["import", seeds, "--db", str(db)]) == 0
    assert db.exists()
    other = tmp_path / "y" / "library.json"
    assert main(["--db", str(other), "import", seeds]) == 0
    assert other.exists()


def test_rejections_exit_one_and_usage_errors_two(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"")
    result = cli("import", str(tmp_path / "bad.txt"))
    assert result.code == 1 and "empty file" in result.err
    missing = cli("import", str(tmp_path / "nothing-here"))
    assert missing.code == 1 and "no such file or folder" in missing.err
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    none = cli("import", str(empty))
    assert none.code == 1 and "No article files" in none.err
    proc = subprocess.run(
        [sys.executable, "-m", "newsreader", "list", "--bogus"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2


def test_corrupt_library_is_one_sentence_and_kept(library_path: Path) -> None:
    library_path.parent.mkdir(parents=True)
    library_path.write_bytes(b'{"articles": {"broken"')
    env = {**os.environ, "NEWSREADER_DB": str(library_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "newsreader", "list"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert str(library_path) in proc.stderr and "damaged" in proc.stderr
    assert library_path.read_bytes() == b'{"articles": {"broken"'
    reader = subprocess.run(
        [sys.executable, "-m", "newsreader"], capture_output=True, text=True, env=env, check=False
    )
    assert reader.returncode == 1 and "damaged" in reader.stderr  # no screen opened


def test_doctor_restores_the_last_good_copy(
    cli: Cli, library_path: Path, write_article: Callable[..., Path]
) -> None:
    assert cli("import", str(write_article("first.txt", "First write", "An article."))).code == 0
    backup = library_path.with_name("library.json.bak")
    # A second write of the articles file leaves the first as its backup.
    cli("import", str(write_article("new.txt", "Second write", "Another article.")))
    last_good = backup.read_bytes()
    good = library_path.read_bytes()
    library_path.write_bytes(good[: len(good) // 2])
    checked = cli("doctor")
    assert checked.code == 1 and "--restore" in checked.err
    restored = cli("doctor", "--restore")
    assert restored.code == 0 and "restored" in restored.err
    assert library_path.read_bytes() == last_good
    assert [a["title"] for a in json.loads(cli("list", "--json").out)] == ["First write"]
    damaged = list(library_path.parent.glob("library.json.damaged-*"))
    assert [file.read_bytes() for file in damaged] == [good[: len(good) // 2]]


def test_doctor_finds_and_restores_a_damaged_feeds_file_and_body_file(
    cli: Cli, library_path: Path, write_article: Callable[..., Path]
) -> None:
    cli("subscribe", "https://one.example/feed.xml")
    cli("subscribe", "https://two.example/feed.xml")  # the first write is now the backup
    feeds = library_path.with_name("library.feeds.json")
    feeds_backup = feeds.with_name("library.feeds.json.bak").read_bytes()
    feeds.write_bytes(b"{ not json")
    assert cli("feeds").code == 1
    checked = cli("doctor")
    assert checked.code == 1 and "subscriptions" in checked.err and "--restore" in checked.err
    cli("import", str(write_article("a.txt", "Body one", "The first body.")))
    cli("import", str(write_article("b.txt", "Body two", "The second body.")))
    body_file = next(library_path.with_name("library.bodies").glob("*.json"))
    body_backup = body_file.with_name(body_file.name + ".bak").read_bytes()
    body_file.write_bytes(b"\x00garbage")
    checked = cli("doctor")
    assert checked.code == 1 and body_file.name in checked.err
    restored = cli("doctor", "--restore")
    assert restored.code == 0, restored.err
    assert feeds.read_bytes() == feeds_backup
    assert body_file.read_bytes() == body_backup
    assert [f["url"] for f in json.loads(cli("feeds", "--json").out)] == [
        "https://one.example/feed.xml"
    ]


def test_doctor_rebuilds_a_damaged_search_index(
    cli: Cli, library_path: Path, write_article: Callable[..., Path]
) -> None:
    cli("import", str(write_article("a.txt", "Lighthouse", "The lamp shines.")))
    index = library_path.with_name("library.search.sqlite")
    index.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    checked = cli("doctor")
    assert checked.code == 1 and "search index" in checked.err
    assert cli("doctor", "--restore").code == 0
    assert [r["title"] for r in json.loads(cli("search", "--json", "lamp").out)] == ["Lighthouse"]


def test_search_command(cli: Cli) -> None:
    import_samples(cli)
    results = json.loads(cli("search", "--json", "air defence").out)
    assert results[0]["title"].startswith("As NATO summit begins")
    assert {"score", "snippet", "id", "tags"} <= results[0].keys()
    assert "\x02" not in results[0]["snippet"]
    none = cli("search", "zzyzx")
    assert none.code == 0 and "No results" in none.err
    assert cli("search", "--limit", "0", "x").code == 2
    assert cli("reindex").code == 0

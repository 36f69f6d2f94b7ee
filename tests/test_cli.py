"""The command line as people type it: sub-commands, JSON, exit codes, one-sentence errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from newsreader import __version__
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


def test_first_start_fills_an_empty_library_once(cli: Cli) -> None:
    titles = [a["title"] for a in json.loads(cli("list", "--json").out)]
    assert any(t.startswith("Welcome to newsreader") for t in titles)
    assert any(t.startswith("As NATO summit begins") for t in titles)
    assert len(json.loads(cli("list", "--json").out)) == len(titles)


def test_tags_bookmark_and_filters(cli: Cli) -> None:
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
    assert main(["list", "--db", str(db)]) == 0
    assert db.exists()


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
    cli("list")
    # A second write of the articles file leaves the first as its backup.
    cli("import", str(write_article("new.txt", "Second write", "Another article.")))
    good = library_path.read_bytes()
    library_path.write_bytes(good[: len(good) // 2])
    checked = cli("doctor")
    assert checked.code == 1 and "--restore" in checked.err
    restored = cli("doctor", "--restore")
    assert restored.code == 0 and "restored" in restored.err
    assert json.loads(cli("list", "--json").out)
    assert list(library_path.parent.glob("library.json.damaged-*"))


def test_search_command(cli: Cli) -> None:
    results = json.loads(cli("search", "--json", "air defence").out)
    assert results[0]["title"].startswith("As NATO summit begins")
    assert {"score", "snippet", "id", "tags"} <= results[0].keys()
    assert "\x02" not in results[0]["snippet"]
    none = cli("search", "zzyzx")
    assert none.code == 0 and "No results" in none.err
    assert cli("search", "--limit", "0", "x").code == 2
    assert cli("reindex").code == 0

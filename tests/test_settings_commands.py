"""The command line and config.toml: config, config --keys, saved, mute marks, a broken file."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path

from newsreader.library import Library
from newsreader.library.saved_searches import SavedSearches
from tests.conftest import Result


def test_config_without_a_file_shows_the_defaults(cli: Callable[..., Result]) -> None:
    shown = json.loads(cli("config", "--json").out)
    assert shown["reader.refresh_every"] == "0 (off)"
    assert shown["reader.theme"] == "textual-dark"
    assert "(none: the defaults)" in shown["file"]


def test_config_shows_what_the_file_sets(cli: Callable[..., Result], no_user_config: Path) -> None:
    no_user_config.write_text('[reader]\nrefresh_every = "5m"\n[keys]\n"reader.bookmark" = "m"\n')
    shown = json.loads(cli("config", "--json").out)
    assert shown["reader.refresh_every"] == "5m"
    assert str(no_user_config) in shown["file"]
    keys = {row["id"]: row for row in json.loads(cli("config", "--keys", "--json").out)}
    assert keys["reader.bookmark"]["keys"] == "m"
    assert keys["reader.search"]["keys"] == "slash"
    assert keys["reader.quotations"]["description"] == "Quotations"


def test_config_example_parses_to_what_it_says(
    cli: Callable[..., Result], no_user_config: Path
) -> None:
    no_user_config.write_text(cli("config", "--example").out)
    assert cli("config").code == 0


def test_a_broken_config_stops_every_command_and_touches_nothing(
    cli: Callable[..., Result], no_user_config: Path, library_path: Path, seed_folder: Path
) -> None:
    assert cli("import", str(seed_folder)).code == 0
    gc.collect()  # the import's index connection closes: its -wal and -shm go

    def files() -> dict[Path, bytes]:
        return {p: p.read_bytes() for p in library_path.parent.iterdir() if p.is_file()}

    before = files()
    for text, line in [
        ('[reader]\nrefresh_every = "soon"\n', 2),
        ("[reader\n", 1),
        ('[keys]\n\n"reader.bookmarkk" = "m"\n', 3),
        ('[reader]\ntheme = "no-such-theme"\n', 2),
    ]:
        no_user_config.write_text(text)
        for command in (["list"], ["search", "NATO"], ["import", str(seed_folder)], ["tags"]):
            result = cli(*command)
            assert result.code == 2, (text, command)
            assert f"{no_user_config} line {line}:" in result.err
            assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert files() == before


def test_muted_articles_are_marked_never_dropped(
    cli: Callable[..., Result], no_user_config: Path, seed_folder: Path
) -> None:
    cli("import", str(seed_folder))
    no_user_config.write_text('[mute]\nqueries = ["said:Shoigu"]\n')
    listed = json.loads(cli("list", "--json").out)
    assert [a["muted"] for a in listed] == [True]
    found = json.loads(cli("search", "--json", "Ukraine").out)
    assert [a["muted"] for a in found] == [True]
    no_user_config.write_text("")
    assert [a["muted"] for a in json.loads(cli("list", "--json").out)] == [False]


def test_saved_lists_searches_with_counts(
    cli: Callable[..., Result], library_path: Path, seed_folder: Path
) -> None:
    cli("import", str(seed_folder))
    saved = SavedSearches(Library(library_path))
    saved.save("Shoigu", "said:Shoigu")
    saved.save("Nothing", "zebra")
    assert json.loads(cli("saved", "--json").out) == [
        {"name": "Shoigu", "query": "said:Shoigu", "count": 1},
        {"name": "Nothing", "query": "zebra", "count": 0},
    ]


def test_refresh_adds_a_feeds_configured_tags(
    cli: Callable[..., Result], no_user_config: Path
) -> None:
    from tests.feed_server import serve_feeds
    from tests.test_refresh_options import rss

    with serve_feeds() as server:
        server.routes["/feed.xml"] = rss(("Ferry timetable", server.url("/a1")))
        url = server.url("/feed.xml")
        no_user_config.write_text(f'[[feeds]]\nurl = "{url}"\ntags = ["Local"]\n')
        assert cli("subscribe", url).code == 0
        assert cli("refresh").code == 0
    assert [a["tags"] for a in json.loads(cli("list", "--json").out)] == [["Local"]]

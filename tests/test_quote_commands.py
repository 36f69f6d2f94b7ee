"""Who said what on the command line: `quotes`, `speakers`, `said:` and `quote:` in searches, and
quotations kept in step with the library like the rest of the index."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsreader.library import Library
from newsreader.model import ParsedArticle
from newsreader.resources import resource_dir
from tests.conftest import Result

Cli = Callable[..., Result]
SHOIGU = "In the event that the United States"
KYIV = "The movement of enemy UAVs"
MARKS = "“”\"'‘’«»„"


def import_samples(cli: Cli) -> None:
    assert cli("import", str(resource_dir("seeds"))).code == 0


def quotes(cli: Cli, *args: str) -> list[dict[str, Any]]:
    result = cli("quotes", "--json", *args)
    assert result.code == 0, result.err
    found: list[dict[str, Any]] = json.loads(result.out)
    return found


def said(found: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    return [(q["quote"], q["speaker"]) for q in found]


def found_titles(cli: Cli, query: str) -> list[str]:
    result = cli("search", "--json", query)
    assert result.code == 0, result.err
    return [r["title"] for r in json.loads(result.out)]


def sample_id(cli: Cli) -> str:
    listed = json.loads(cli("list", "--json").out)
    return next(a["id"] for a in listed if a["title"].startswith("As NATO summit begins"))


def test_quotes_json_names_the_speakers_of_the_sample(cli: Cli) -> None:
    import_samples(cli)
    found = quotes(cli)
    shoigu = next(q for q in found if q["quote"].startswith(SHOIGU))
    kyiv = next(q for q in found if q["quote"].startswith(KYIV))
    assert shoigu["speaker"] == "Sergey Shoigu"
    assert shoigu["speaker_as_written"] == "Shoigu" and shoigu["kind"] == "named"
    assert kyiv["speaker"] == "Kyiv regional military administration"
    assert shoigu["title"].startswith("As NATO summit begins")
    assert shoigu["article"] == kyiv["article"] == sample_id(cli)
    for quotation in (shoigu, kyiv):  # the words said, without the marks around them
        assert quotation["quote"] == quotation["quote"].strip()
        assert quotation["quote"][0] not in MARKS and quotation["quote"][-1] not in MARKS
    keys = {"article", "title", "quote", "speaker", "speaker_as_written", "kind"}
    assert all(set(q) == keys for q in found)
    kinds = {None, "named", "pronoun", "unnamed", "organisation"}
    assert all(q["kind"] in kinds for q in found)


def test_speakers_json_counts_quotations(cli: Cli) -> None:
    import_samples(cli)
    result = cli("speakers", "--json")
    assert result.code == 0, result.err
    speakers = json.loads(result.out)
    assert {"name": "Sergey Shoigu", "count": 1} in speakers
    assert all(set(s) == {"name", "count"} for s in speakers)


def test_a_speaker_is_found_by_last_name_in_any_case_and_without_accents(cli: Cli) -> None:
    import_samples(cli)
    for name in ("shoigu", "Shoígu", "SERGEY SHOIGU"):
        found = quotes(cli, "--speaker", name)
        assert [q["speaker"] for q in found] == ["Sergey Shoigu"], name
        assert found[0]["quote"].startswith(SHOIGU)
    assert quotes(cli, "--speaker", "Medvedev") == []
    table = cli("quotes", "--speaker", "shoigu")  # not JSON: one line per quotation, piped
    assert table.code == 0 and SHOIGU in table.out and "1 quotation" in table.err


def test_ids_limit_the_quotations_to_those_articles(cli: Cli) -> None:
    import_samples(cli)
    everything = quotes(cli)
    sample = sample_id(cli)
    assert {q["article"] for q in everything} != {sample}  # the welcome article has quotes too
    only = quotes(cli, sample[:8])  # a unique prefix will do
    assert only == [q for q in everything if q["article"] == sample]
    assert any(q["quote"].startswith(SHOIGU) for q in only)
    unknown = cli("quotes", "--json", "ffffffffffff")
    assert unknown.code == 1 and unknown.out == ""
    assert "No single article" in unknown.err and len(unknown.err.strip().splitlines()) == 1


def test_said_and_quote_in_searches(cli: Cli) -> None:
    import_samples(cli)
    sample = "As NATO summit begins, Russia escalates its attack on Ukraine"
    assert found_titles(cli, "said:Shoigu") == [sample]
    assert found_titles(cli, "said:shoígu") == [sample]
    assert found_titles(cli, 'quote:"cluster munitions"') == [sample]
    assert found_titles(cli, "Vilnius") == [sample]
    # Vilnius is in the article, never inside one of its quotations.
    assert found_titles(cli, "quote:Vilnius") == []
    assert found_titles(cli, "Vilnius -said:Shoigu") == []
    assert found_titles(cli, "Vilnius -said:Medvedev") == [sample]
    empty = cli("search", "said:")
    assert empty.code == 2 and "said:" in empty.err
    assert len(empty.err.strip().splitlines()) == 1


def harbour_feed(body: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour News</title><link>https://harbour.example/</link>
<item><title>Harbour entry</title><link>https://harbour.example/entry</link>
<guid>https://harbour.example/entry</guid><description>{body}</description></item>
</channel></rss>""".encode()


def test_a_changed_feed_entry_changes_its_quotations(cli: Cli, tmp_path: Path) -> None:
    feed = tmp_path / "harbour.xml"
    feed.write_bytes(harbour_feed("“The ferry runs hourly,” Jane Smith said."))
    assert cli("import", str(feed)).code == 0
    assert said(quotes(cli)) == [("The ferry runs hourly", "Jane Smith")]
    feed.write_bytes(harbour_feed("Mayor Tom Bell said: “The pier reopens in May.”"))
    again = cli("import", str(feed))
    assert again.code == 0 and "1 updated" in again.err
    assert said(quotes(cli)) == [("The pier reopens in May.", "Tom Bell")]
    assert said(quotes(cli, "--speaker", "Smith")) == []
    assert found_titles(cli, "said:Smith") == []
    assert found_titles(cli, "said:Bell") == ["Harbour entry"]


def test_quotes_catch_up_with_a_change_the_index_has_not_seen(
    cli: Cli, library_path: Path, tmp_path: Path
) -> None:
    """Another process rewrites an entry and leaves the index behind: `quotes` reconciles."""
    feed = tmp_path / "harbour.xml"
    feed.write_bytes(harbour_feed("“The ferry runs hourly,” Jane Smith said."))
    assert cli("import", str(feed)).code == 0
    assert said(quotes(cli)) == [("The ferry runs hourly", "Jane Smith")]
    entry = ParsedArticle(
        "Harbour entry",
        "s",
        "Mayor Tom Bell said: “The pier reopens in May.”",
        link="https://harbour.example/entry",
        guid="https://harbour.example/entry",
        feed="https://harbour.example/",
    )
    updated: list[str] = []
    Library(library_path).add([entry], updated=updated)  # the library only, not the index
    assert len(updated) == 1
    assert said(quotes(cli)) == [("The pier reopens in May.", "Tom Bell")]
    assert [s["name"] for s in json.loads(cli("speakers", "--json").out)] == ["Tom Bell"]


def test_reindex_keeps_the_quotations_and_a_deleted_index_is_recomputed(
    cli: Cli, library_path: Path
) -> None:
    import_samples(cli)
    before = quotes(cli)
    assert any(q["speaker"] == "Sergey Shoigu" for q in before)
    assert cli("reindex").code == 0
    assert quotes(cli) == before
    index = Library(library_path).index.path
    assert index.is_file()
    for suffix in ("", "-wal", "-shm"):
        Path(str(index) + suffix).unlink(missing_ok=True)
    assert quotes(cli) == before
    assert index.is_file()
    assert found_titles(cli, "said:Shoigu") == [
        "As NATO summit begins, Russia escalates its attack on Ukraine"
    ]


def test_a_speaker_quoted_once_among_many_matches_is_counted_exactly(
    library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word in too many articles to rank, narrowed by a speaker quoted once: the one article,
    counted exactly (not the word's estimate), found without walking the whole library."""
    import newsreader.library.index_query as index_query
    from newsreader.library import Library
    from newsreader.library.search import search
    from newsreader.model import ParsedArticle

    monkeypatch.setattr(index_query, "RANK_LIMIT", 5)
    library = Library(library_path)
    many = [ParsedArticle(f"Harbour {n}", "s", f"The harbour, day {n}.") for n in range(30)]
    quoted = ParsedArticle("Pier", "s", "At the harbour, “We stay open,” Ana Souza said.")
    library.add([*many, quoted])
    found = search(library, "harbour said:Souza", typing=False)
    assert [r.article.title for r in found.results] == ["Pier"]
    assert found.total == 1 and found.exact_total


def test_doctor_finds_quotations_out_of_step_with_their_search_table(library_path: Path) -> None:
    """The quotations' full-text table is checked like the articles': a quotation row changed
    behind its back is damage that `doctor` names (and the next reindex repairs)."""
    import sqlite3

    from newsreader.library.doctor import check_library
    from newsreader.library.search import sync_index

    library = Library(library_path)
    library.add([ParsedArticle("Pier", "s", "“We stay open,” Ana Souza said.")])
    sync_index(library)
    assert all(finding.ok for finding in check_library(library_path))
    index_path = library.index.path
    library.index.close()
    with sqlite3.connect(index_path) as db:  # the text changes, its search entries do not
        db.execute("UPDATE quotations SET text = 'something else entirely'")
    findings = check_library(library_path)
    assert any(not f.ok and "search index" in f.text for f in findings)
    sync_index(Library(library_path), force=True)
    assert all(finding.ok for finding in check_library(library_path))

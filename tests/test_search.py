"""Full-text search: the query language, ranking, accent folding, and an index that heals."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.library import Library
from newsreader.library.search import search, sync_index
from newsreader.model import ParsedArticle
from newsreader.text.highlight import match_spans, snippet_text
from newsreader.text.query import parse_query

CORPUS = [
    ParsedArticle(
        "Lighthouse keeper retires",
        "s",
        "After forty years the keeper hands over the lamp.",
        ("Coast",),
    ),
    ParsedArticle(
        "Harbour news",
        "s",
        "A lighthouse was mentioned once in the harbour report.",
        ("Coast", "NATO"),
    ),
    ParsedArticle(
        "Café culture returns",
        "s",
        "The café on the square reopens with quixotic plans.",
        ("Culture",),
    ),
    ParsedArticle(
        "Summit ends",
        "s",
        "Air defence was discussed at the summit. Defence of the air base too.",
        ("NATO",),
    ),
    ParsedArticle(
        "Air base", "s", "The base has air and it has defence, but not together.", ("Russia Today",)
    ),
    ParsedArticle("Bees", "s", "Bees and more bees in the garden, not lighthouses.", ()),
]


@pytest.fixture
def corpus(library: Library) -> Library:
    library.add(CORPUS)
    sync_index(library)
    return library


def titles(library: Library, text: str, **options: object) -> list[str]:
    return [r.article.title for r in search(library, text, **options).results]  # type: ignore[arg-type]


def test_words_must_all_match_and_title_ranks_first(corpus: Library) -> None:
    # The word as typed first (title before body), then its other forms ("lighthouses").
    assert titles(corpus, "lighthouse") == ["Lighthouse keeper retires", "Harbour news", "Bees"]
    assert titles(corpus, "lighthouse harbour") == ["Harbour news"]


def test_phrase_exclusion_and_or(corpus: Library) -> None:
    assert titles(corpus, '"air defence"') == ["Summit ends"]
    assert set(titles(corpus, "air defence")) == {"Summit ends", "Air base"}
    assert titles(corpus, "air defence -summit") == ["Air base"]
    assert set(titles(corpus, "keeper OR quixotic")) == {
        "Lighthouse keeper retires",
        "Café culture returns",
    }


def test_prefix_only_on_the_word_being_typed(corpus: Library) -> None:
    assert titles(corpus, "quix", typing=True) == ["Café culture returns"]
    assert titles(corpus, "quix", typing=False) == []
    assert titles(corpus, "quix*", typing=False) == ["Café culture returns"]
    assert set(titles(corpus, "lighthouse", typing=True)) == {
        "Lighthouse keeper retires",
        "Harbour news",
        "Bees",
    }


def test_accents_fold_both_ways(corpus: Library) -> None:
    assert titles(corpus, "cafe") == ["Café culture returns"]
    assert titles(corpus, "CAFÉ") == ["Café culture returns"]


def test_tag_and_state_filters(corpus: Library) -> None:
    assert set(titles(corpus, "tag:nato")) == {"Harbour news", "Summit ends"}
    assert titles(corpus, "tag:Russia") == []  # the tag is "Russia Today", not "Russia"
    assert titles(corpus, 'tag:"russia today" base') == ["Air base"]
    assert titles(corpus, "lighthouse", tag="NATO") == ["Harbour news"]
    keeper = next(a for a in corpus.articles() if a.title.startswith("Lighthouse"))
    corpus.set_state([keeper.id], bookmarked=True, read=True)
    assert titles(corpus, "is:bookmarked") == ["Lighthouse keeper retires"]
    assert titles(corpus, "is:unread lighthouse") == ["Harbour news", "Bees"]
    assert titles(corpus, "-is:read lighthouse") == ["Harbour news", "Bees"]
    assert titles(corpus, "-is:bookmarked lighthouse") == ["Harbour news", "Bees"]
    assert titles(corpus, "is:read") == ["Lighthouse keeper retires"]


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "-", "*", "(", ")", "NEAR(a b)", "a AND OR NOT b", "title:x",
     "'; DROP TABLE fts; --", "x" * 10_000, '"""', "^", "a:b:c", "-\"\"", "OR", "\x00",
     "tag:", "is:", "\\"],
)  # fmt: skip
def test_hostile_queries_never_raise(corpus: Library, text: str) -> None:
    results = search(corpus, text, typing=True)
    assert results.message.strip() and "\n" not in results.message
    assert "Traceback" not in results.message and "fts5" not in results.message.casefold()
    # Nothing typed can change the index: a plain search still finds what it found.
    assert titles(corpus, "keeper") == ["Lighthouse keeper retires"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_any_typed_text_is_a_valid_fts_expression(text: str) -> None:
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, tags)")
    expression = parse_query(text, typing=True).fts()
    if expression:
        db.execute("SELECT * FROM fts WHERE fts MATCH ?", (expression,)).fetchall()


def test_only_exclusions_asks_for_a_word(corpus: Library) -> None:
    found = search(corpus, "-bees")
    assert found.results == [] and "Add a word" in found.message


def test_no_results_says_so(corpus: Library) -> None:
    assert search(corpus, "zzyzx").message == "No results."


def test_index_is_rebuilt_after_deletion_or_corruption(corpus: Library) -> None:
    corpus.index.close()
    corpus.index.path.unlink()
    assert titles(Library(corpus.path), "keeper") == ["Lighthouse keeper retires"]
    corpus.index.path.write_bytes(b"this is not a database" * 100)
    fresh = Library(corpus.path)
    assert titles(fresh, "keeper") == ["Lighthouse keeper retires"]
    assert fresh.index.check() == ""
    assert fresh.index.applied() == fresh.versions()


def test_stale_index_catches_up(corpus: Library) -> None:
    other = Library(corpus.path)
    other.add([ParsedArticle("Late news", "s", "A late keeper story.")])  # not indexed here
    assert "Late news" in titles(corpus, "keeper")


def test_match_spans_fold_case_and_accents() -> None:
    text = "Café society: the CAFE and the cafés, not cafeteria."
    spans = match_spans(text, parse_query("cafe", typing=False).terms)
    assert [text[s:e] for s, e in spans] == ["Café", "CAFE"]
    spans = match_spans(text, parse_query("caf", typing=True).terms)
    assert [text[s:e] for s, e in spans] == ["Café", "CAFE", "cafés", "cafeteria"]
    phrase = match_spans("Air  defence and air, defence.", parse_query('"air defence"').terms)
    assert len(phrase) == 2


def test_snippet_markers_become_styles_not_markup() -> None:
    text = snippet_text("[bold]x[/bold] \x02match\x03 [@click=app.quit]")
    assert text.plain == "[bold]x[/bold] match [@click=app.quit]"
    assert [(s.start, s.end) for s in text.spans] == [(15, 20)]


def test_equal_scores_list_the_newest_first(library: Library) -> None:
    same = "A story told twice about the harbour."
    library.add(
        [
            ParsedArticle("Twice", "s", same, link="https://a.example/1", published="2024-01-01"),
            ParsedArticle("Twice", "s", same, link="https://a.example/2", published="2024-03-01"),
        ]
    )
    found = search(library, "harbour")
    assert [r.article.published for r in found.results] == ["2024-03-01", "2024-01-01"]


def test_snippet_pieces_start_near_the_first_match() -> None:
    from newsreader.text.highlight import snippet_pieces

    pieces = snippet_pieces("…a long lead of words before the \x02match\x03 and after\nmore")
    assert pieces[1] == ("match", True)
    assert pieces[0][0].startswith("…") and len(pieces[0][0]) <= 26
    assert pieces[2] == (" and after more", False)


def test_huge_result_sets_are_not_ranked_and_say_so(
    corpus: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsreader.library.index_query as index_query

    monkeypatch.setattr(index_query, "RANK_LIMIT", 1)
    found = search(corpus, "the", limit=2)
    assert not found.ranked and len(found.results) == 2
    assert "too many to rank" in found.message


def test_a_set_too_large_to_rank_finds_its_newest_beyond_its_first_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsreader.library.index_query as index_query
    from newsreader.library import Library
    from newsreader.library.search import search, sync_index
    from newsreader.model import ParsedArticle

    library = Library(tmp_path / "library.json")
    library.add(
        [
            ParsedArticle(
                f"Day {n}",
                "s",
                "The lighthouse keeper wrote." if n < 5 else "A quiet day.",
                published=f"2024-01-{n + 1:02d}",
            )
            for n in range(25)
        ]
    )
    sync_index(library)
    monkeypatch.setattr(index_query, "RANK_LIMIT", 1)
    monkeypatch.setattr(index_query, "NEWEST_CHUNK", 4)  # the 5 matches are the 5 oldest
    found = search(library, "lighthouse", limit=10)
    assert [r.article.title for r in found.results] == [f"Day {n}" for n in range(4, -1, -1)]
    assert found.total == 5 and all("lighthouse" in r.snippet for r in found.results)
    newest = search(library, "lighthouse", limit=3)
    assert [r.article.title for r in newest.results] == ["Day 4", "Day 3", "Day 2"]


@pytest.mark.parametrize(
    "text",
    [
        "harbour",  # in every article
        "harbour -storm",
        '"harbour master"',
        "harbour tag:Coast",
        "harbour after:2024-01-10",
        "title:day harbour",
        "lighthouse",  # in two: a chunk as large as the library
        "harbo",  # typed: a prefix
    ],
)
def test_the_newest_of_a_dense_set_are_found_alike_in_a_chunk_indexed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A dense set's newest chunk is asked in the index itself or indexed again on its own
    (`newest_chunk`), whichever is cheaper: both ways give the same matches and snippets."""
    import newsreader.library.index_query as index_query
    import newsreader.library.newest_chunk as newest_chunk
    from newsreader.library import Library
    from newsreader.library.search import search, sync_index
    from newsreader.model import ParsedArticle

    library = Library(tmp_path / "library.json")
    library.add(
        [
            ParsedArticle(
                f"Day {n}",
                "s",
                f"The harbour master spoke on day {n}."
                + (" A storm came." if n % 3 == 0 else "")
                + (" The lighthouse was dark." if n in (2, 17) else ""),
                tags=("Coast",) if n % 2 else ("Inland",),
                published=f"2024-01-{n + 1:02d}",
            )
            for n in range(30)
        ]
    )
    sync_index(library)
    monkeypatch.setattr(index_query, "RANK_LIMIT", 1)  # every set is too large to rank
    asked: list[int] = []
    matches_in = newest_chunk.matches_in

    def counted(*args: object, **kwargs: object) -> object:
        asked.append(1)
        return matches_in(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(newest_chunk, "matches_in", counted)
    answers = []
    for entries_per_article in (10**9, 0):  # in the index; in a chunk indexed again
        monkeypatch.setattr(newest_chunk, "ENTRIES_PER_ARTICLE", entries_per_article)
        found = search(library, text, limit=5, typing=text == "harbo")
        answers.append([(r.article.id, r.snippet) for r in found.results])
    assert asked == [1]  # the second way was the chunk's
    assert answers[0] == answers[1] and answers[0]
    if text == "lighthouse":
        assert [
            library.article(doc_id).title
            for doc_id, _ in answers[1]  # type: ignore[union-attr]
        ] == ["Day 17", "Day 2"]


def test_a_superseded_search_stops_and_the_index_stays_usable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsreader.library.search_index as search_index
    from newsreader.library import Library
    from newsreader.library.search import search, sync_index
    from newsreader.library.search_index import SearchAbandoned
    from newsreader.model import ParsedArticle

    library = Library(tmp_path / "library.json")
    library.add([ParsedArticle(f"Harbour {n}", "s", f"The harbour, day {n}.") for n in range(50)])
    sync_index(library)
    monkeypatch.setattr(search_index, "PROGRESS_STEPS", 10)  # a small library answers fast
    with library.index.abandoned_when(lambda: True), pytest.raises(SearchAbandoned):
        search(library, "harbour")
    assert search(library, "harbour").total == 50  # outside the block: nothing stops it
    looks: list[int] = []

    def superseded_after_a_while() -> bool:
        looks.append(1)
        return len(looks) > 1

    with library.index.abandoned_when(superseded_after_a_while), pytest.raises(SearchAbandoned):
        search(library, "harbour day")


@given(
    st.lists(
        st.one_of(
            st.integers(0, (1 << 64) - 1).map(lambda n: f"{n:016x}"),
            st.text("0123456789abcdef ", min_size=1, max_size=20),  # not an id's usual shape
        ),
        max_size=40,
    )
)
def test_rowids_of_many_ids_are_each_ids_rowid(ids: list[str]) -> None:
    from newsreader.library.search_index import rowid_of, rowids_of

    expected = []
    for doc_id in ids:
        try:
            expected.append(rowid_of(doc_id))
        except ValueError:
            return  # not an id at all: neither way takes it
    assert rowids_of(ids) == expected


@pytest.mark.parametrize("typing", [False, True])
def test_the_estimate_uses_the_counts_read_for_the_word_forms(tmp_path: Path, typing: bool) -> None:
    """fts5vocab counts a word's documents by reading its whole list in the index (55 ms for a
    word in every article of a million): the word forms read it, the estimate must not again,
    for a word or for one being typed (a prefix)."""
    from newsreader.library import Library
    from newsreader.library.search import search, sync_index
    from newsreader.model import ParsedArticle

    library = Library(tmp_path / "library.json")
    library.add(
        [ParsedArticle(f"Day {n}", "s", f"The harbour reports on day {n}.") for n in range(5)]
    )
    sync_index(library)
    with library.index.reading() as db:
        vocab_reads: list[str] = []
        db.set_trace_callback(lambda sql: vocab_reads.append(sql) if "fts_vocab" in sql else None)
    try:
        found = search(library, "report", typing=typing)
    finally:
        with library.index.reading() as db:
            db.set_trace_callback(None)
    assert found.total == 5  # `reports`, a form of `report`
    assert len(vocab_reads) == 1, vocab_reads

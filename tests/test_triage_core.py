"""The reader's day, core: undo of marks, saved searches, mute rules, full text kept."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsreader.library import Library
from newsreader.library.quotations import quotations
from newsreader.library.saved_searches import SavedSearches
from newsreader.library.search import matching_ids, muted_ids, search, sync_index
from newsreader.library.undo import MarkHistory
from newsreader.model import ArticleState, ParsedArticle


def entry(title: str, body: str, tags: tuple[str, ...] = (), guid: str = "") -> ParsedArticle:
    return ParsedArticle(
        title, body[:40], body, tags, link=f"https://example.com/{guid or title}", guid=guid
    )


@pytest.fixture
def filled(library: Library) -> Library:
    library.add(
        [
            entry("Harbour storm", "The lighthouse keeper watched the storm.", ("Weather",)),
            entry("Match report", "The team won the final in extra time.", ("Sports",)),
            entry("Sponsored", "This is sponsored content about lighthouses.", ("Ads",)),
        ]
    )
    return library


def test_undo_puts_back_each_change_in_turn(filled: Library) -> None:
    ids = filled.ids()
    history = MarkHistory(filled)
    filled.set_state([ids[0]], read=True)  # read before: undo must not unread it
    assert history.change([ids[1]], "bookmarked", bookmarked=True) == 1
    assert history.change(ids, "marked all read", read=True) == 2
    assert all(filled.state(d).read for d in ids)
    undone = history.undo()
    assert undone is not None and undone.description == "marked all read"
    assert filled.state(ids[0]).read  # it was read before the mark-all
    assert not filled.state(ids[1]).read and not filled.state(ids[2]).read
    assert filled.state(ids[1]).bookmarked
    history.undo()
    assert filled.state(ids[1]) == ArticleState()
    assert history.undo() is None


def test_undo_is_on_disk_for_another_process(filled: Library) -> None:
    history = MarkHistory(filled)
    history.change(filled.ids(), "marked all read", read=True)
    history.undo()
    script = (
        "import sys; from newsreader.library import Library; "
        "lib = Library(__import__('pathlib').Path(sys.argv[1])); "
        "print(sum(s.read for s in lib.states().values()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(filled.path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "0"


def test_a_change_that_changes_nothing_is_not_an_undo_step(filled: Library) -> None:
    history = MarkHistory(filled)
    ids = filled.ids()
    filled.set_state(ids, read=True)
    assert history.change(ids, "marked all read", read=True) == 0
    assert len(history) == 0


def test_saved_searches_are_kept_renamed_and_deleted(filled: Library) -> None:
    saved = SavedSearches(filled)
    saved.save("Lighthouses", "lighthouse")
    saved.save("Storms\x1b[31m", "storm tag:Weather")
    again = SavedSearches(Library(filled.path))  # as after a restart
    assert [(s.name, s.query) for s in again.all()] == [
        ("Lighthouses", "lighthouse"),
        ("Storms", "storm tag:Weather"),
    ]
    again.rename("lighthouses", "Keepers")
    with pytest.raises(ValueError, match="already called"):
        again.rename("Keepers", "storms")
    assert again.delete("Keepers") and not again.delete("Keepers")
    assert [s.name for s in SavedSearches(filled).all()] == ["Storms"]


def test_saving_under_a_name_again_replaces_it_in_place(filled: Library) -> None:
    saved = SavedSearches(filled)
    saved.save("A", "one")
    saved.save("B", "two")
    saved.save("a", "three")
    assert [(s.name, s.query) for s in saved.all()] == [("a", "three"), ("B", "two")]
    with pytest.raises(ValueError):
        saved.save("  ", "x")


def test_two_processes_saving_at_once_both_keep_theirs(filled: Library) -> None:
    script = (
        "import sys; from pathlib import Path; from newsreader.library import Library; "
        "from newsreader.library.saved_searches import SavedSearches; "
        "s = SavedSearches(Library(Path(sys.argv[1]))); "
        "[s.save(f'{sys.argv[2]} {i}', 'storm') for i in range(15)]"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(filled.path), name])
        for name in ("left", "right")
    ]
    assert all(w.wait(60) == 0 for w in writers)
    assert len(SavedSearches(filled).all()) == 30


def test_mute_rules_find_every_match_and_never_delete(filled: Library) -> None:
    by_title = {a.title: a.id for a in filled.articles()}
    muted = muted_ids(filled, ["tag:Sports", '"sponsored content"'])
    assert muted == {by_title["Match report"], by_title["Sponsored"]}
    assert len(filled) == 3
    assert matching_ids(filled, "lighthouse") == {by_title["Harbour storm"], by_title["Sponsored"]}
    assert matching_ids(filled, "tag:") == set()  # a wrong query finds nothing, says nothing


def test_full_text_replaces_the_body_and_is_indexed_and_quoted(filled: Library) -> None:
    doc_id = next(a.id for a in filled.articles() if a.title == "Harbour storm")
    sync_index(filled)
    text = "The full story.\n\n“The storm broke the pier,” said Ana Souza."
    filled.set_full_text(doc_id, text)
    assert filled.body(doc_id) == text and filled.has_full_text(doc_id)
    assert filled.summary(doc_id)  # the summary stays
    assert [r.article.id for r in search(filled, "pier").results] == [doc_id]
    assert [q.speaker for q in quotations(filled, [doc_id])] == ["Ana Souza"]


def test_an_entry_changed_upstream_drops_the_full_text(filled: Library) -> None:
    doc_id = next(a.id for a in filled.articles() if a.title == "Harbour storm")
    filled.set_full_text(doc_id, "The full story about the pier.")
    changed = entry("Harbour storm", "The keeper saw a second storm.", ("Weather",))
    updated: list[str] = []
    filled.add([changed], updated=updated)
    assert updated == [doc_id]
    assert not filled.has_full_text(doc_id)
    assert "second storm" in filled.body(doc_id)
    assert [r.article.id for r in search(filled, "pier").results] == []


def test_an_unchanged_entry_keeps_its_full_text_on_refresh(filled: Library) -> None:
    doc_id = next(a.id for a in filled.articles() if a.title == "Harbour storm")
    filled.set_full_text(doc_id, "The full story about the pier.")
    same = entry("Harbour storm", "The lighthouse keeper watched the storm.", ("Weather",))
    updated: list[str] = []
    filled.add([same], updated=updated)
    assert updated == [] and filled.has_full_text(doc_id)
    assert filled.body(doc_id) == "The full story about the pier."


def test_views_hide_muted_and_read_and_take_an_order() -> None:
    from newsreader.library.selection import ALL, BOOKMARKS, MUTED, arrange, next_order, select
    from newsreader.model import Article

    def art(doc_id: str, title: str, source: str, date: str) -> Article:
        return Article(doc_id, title, "", (), "", source, "https://x/" + doc_id, "", date, date)

    a = art("a", "beta", "Zed News", "2026-03")
    b = art("b", "Alpha", "Harbour", "2026-02")
    c = art("c", "gamma", "Harbour", "2026-01")
    states = {"a": ArticleState(read=True, bookmarked=True), "b": ArticleState(read=True)}
    newest = [a, b, c]
    assert select(newest, states, ALL, muted={"c"}) == [a, b]
    assert select(newest, states, MUTED, muted={"c"}) == [c]
    assert select(newest, states, ALL, hide_read=True) == [c]
    assert select(newest, states, BOOKMARKS, hide_read=True) == [a]  # a bookmark stays
    assert [x.id for x in arrange(newest, "oldest")] == ["c", "b", "a"]
    assert [x.id for x in arrange(newest, "title")] == ["b", "a", "c"]
    assert [x.id for x in arrange(newest, "feed")] == ["b", "c", "a"]
    assert [next_order(o) for o in ("newest", "oldest", "title", "feed")] == [
        "oldest",
        "title",
        "feed",
        "newest",
    ]

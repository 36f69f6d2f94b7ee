"""The seed text format: title, excerpt, body, tags, and everything real files get wrong."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.sources.seed_text import NotAnArticle, parse_seed_bytes, parse_seed_text
from newsreader.text.sanitize import is_clean
from tests.conftest import SEED_ARTICLE, article_file

BODY = (
    "The harbour authority said on Monday that the new breakwater will open in spring.\n"
    "Engineers expect “calmer water for the fleet” once it is finished."
)


def test_the_sample_article() -> None:
    article = parse_seed_bytes(SEED_ARTICLE.read_bytes(), "sample.txt")
    assert article.title == "As NATO summit begins, Russia escalates its attack on Ukraine"
    assert article.tags == ("NATO", "Russia", "Ukraine")
    assert article.tags_raw == "NATORUSSIAUkraine"
    assert article.summary.startswith("In the early hours of Wednesday")
    assert article.summary.endswith("has been recorded!")  # the excerpt without " […]"
    assert article.body.startswith("In the early hours of Wednesday")
    # The excerpt is the beginning of the body, not a second copy of it.
    assert article.body.count("In the early hours of Wednesday") == 1
    assert article.body.endswith("OSCE commitments and principles.”")
    assert len(article.body.split("\n\n")) == 6
    assert article.source == "sample.txt"


@pytest.mark.parametrize(
    "transform",
    [
        lambda t: t.replace("\n\n", "\n"),
        lambda t: t.replace("\n", "\r\n"),
        lambda t: "\ufeff" + t,
        lambda t: t.removeprefix("+\n\n"),
        lambda t: t.replace("\n\n", "\n\n\n\n"),
        lambda t: t.replace("\n", "  \xa0\n"),
    ],
    ids=["single-newlines", "crlf", "bom", "no-plus", "extra-blank-lines", "trailing-nbsp"],
)
def test_tolerates_what_real_files_do(transform) -> None:  # type: ignore[no-untyped-def]
    original = parse_seed_text(article_file("Harbour opens", BODY, "HarbourShipping"))
    changed = parse_seed_text(transform(article_file("Harbour opens", BODY, "HarbourShipping")))
    assert changed.title == original.title == "Harbour opens"
    assert changed.body == original.body
    assert changed.tags == original.tags == ("Harbour", "Shipping")


def test_windows_1252_text_is_decoded() -> None:
    text = article_file("Café “opens”", "The café said “welcome” to all — 50 €.")
    article = parse_seed_bytes(text.encode("cp1252"))
    assert article.title == "Café “opens”"
    assert "50 €" in article.body


def test_no_tags_section_and_no_excerpt() -> None:
    article = parse_seed_text("A title\n\nFirst paragraph here.\nSecond one.")
    assert article.tags == ()
    assert article.summary == "First paragraph here. Second one."
    assert article.body == "First paragraph here.\n\nSecond one."


def test_an_excerpt_without_its_body_becomes_the_body() -> None:
    article = parse_seed_text("+\n\nTitle\n\nOnly the excerpt survived […]\n\nTags:\n\nNews")
    assert article.summary == "Only the excerpt survived"
    assert article.body == "Only the excerpt survived"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\n \r\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"+\n\n", "only symbols"),
        (b"Tags:\n\nNATO", "no title"),
        (("x" * 2000).encode(), "no title"),
        (b"just-a-hostname\n", "only one line"),
    ],
)
def test_rejects_what_is_not_an_article(data: bytes, reason: str) -> None:
    with pytest.raises(NotAnArticle, match=reason):
        parse_seed_bytes(data)


def test_control_characters_and_escapes_are_stripped() -> None:
    text = article_file(
        "\x1b]0;pwned\x07Title\x1b[2J", "Body \x1b[31mred\x1b[0m \u202etext\x00.", "\x1bNATO"
    )
    article = parse_seed_text(text)
    assert article.title == "Title"
    assert article.body == "Body red text."
    assert all(is_clean(field) for field in (article.title, article.body, article.summary))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_crash_and_never_leak_controls(data: bytes) -> None:
    try:
        article = parse_seed_bytes(data)
    except NotAnArticle:
        return
    for field in (article.title, article.summary, article.body, article.tags_raw, *article.tags):
        assert is_clean(field)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.text(max_size=500), st.text(max_size=60))
def test_arbitrary_text_around_valid_structure(title: str, body: str, tags: str) -> None:
    try:
        article = parse_seed_text(article_file(title, body, tags))
    except NotAnArticle:
        return
    for field in (article.title, article.summary, article.body, article.tags_raw, *article.tags):
        assert is_clean(field)
        assert "\x1b" not in field


def test_every_character_sanitize_acts_on_is_unprintable() -> None:
    # The parser skips `sanitize` for text whose lines are all printable: that is only right
    # while everything sanitize removes or changes is unprintable (a newline it keeps).
    from newsreader.text.sanitize import _NEEDS_WORK

    every = "".join(map(chr, range(0x110000)))
    acted_on = {match.group() for match in _NEEDS_WORK.finditer(every)}
    assert acted_on and not [char for char in acted_on if char.isprintable() or char == "\n"]

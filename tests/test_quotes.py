"""Quotation spans on tricky text: nested, unbalanced, multi-paragraph, straight, CJK, French."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsreader.text.quotes import quote_spans, top_level_quotations


def quoted(text: str) -> list[tuple[int, str]]:
    return [(span.depth, text[span.start : span.end]) for span in quote_spans(text)]


def test_curly_quotes_and_apostrophes() -> None:
    text = "Kyiv said, “UAVs recorded! Air defence works.” Ukraine’s air defence held."
    assert quoted(text) == [(1, "“UAVs recorded! Air defence works.”")]


def test_nested_single_quotes_inside_double() -> None:
    text = "“She told me ‘never again’ and meant it,” he said. Don’t worry."
    assert quoted(text) == [
        (1, "“She told me ‘never again’ and meant it,”"),
        (2, "‘never again’"),
    ]


def test_apostrophe_inside_a_nested_quote_does_not_close_it() -> None:
    text = "“He said ‘don’t go’ twice.”"
    assert quoted(text)[1] == (2, "‘don’t go’")


def test_single_quotes_alone_are_apostrophes_not_quotations() -> None:
    assert quoted("The ‘80s were the ’90s’ parents.") == []


def test_an_open_quote_ends_at_its_paragraphs_end() -> None:
    text = "An open “quote never closes\nNext paragraph is plain."
    assert quoted(text) == [(1, "“quote never closes")]


def test_newspaper_convention_for_multi_paragraph_quotes() -> None:
    text = "“First paragraph of a long quote\n“Second paragraph ends it.” Then prose."
    assert quoted(text) == [
        (1, "“First paragraph of a long quote"),
        (1, "“Second paragraph ends it.”"),
    ]


def test_straight_quotes_and_inch_marks() -> None:
    text = 'Straight "quotes" work, a 5" screen too, and "another".'
    assert quoted(text) == [(1, '"quotes"'), (1, '"another"')]


def test_cjk_corner_brackets_and_chinese_quotes() -> None:
    text = "彼は「こんにちは『世界』」と言った。他说：“你好。”"
    assert quoted(text) == [
        (1, "「こんにちは『世界』」"),
        (2, "『世界』"),
        (1, "“你好。”"),
    ]


def test_guillemets_and_german_quotes() -> None:
    assert quoted("« Bonjour » dit-il, „Guten Tag“ sagte er.") == [
        (1, "« Bonjour »"),
        (1, "„Guten Tag“"),
    ]


def test_closing_the_outer_quote_closes_an_unbalanced_inner_one() -> None:
    assert quoted("“Outer ‘inner” after.") == [(1, "“Outer ‘inner”"), (2, "‘inner”")]


@given(st.text(alphabet=st.sampled_from(list("ab “”‘’\"«»「」\n'"))))
def test_spans_stay_inside_the_text_and_inside_their_paragraph(text: str) -> None:
    for span in quote_spans(text):
        assert 0 <= span.start < span.end <= len(text)
        assert "\n" not in text[span.start : span.end]
        assert span.depth >= 1


def test_a_possessive_typed_with_a_straight_quote_is_not_a_mark() -> None:
    text = 'Kuwait"s oil minister said "we will not cut" and Iraq"s agreed.'
    assert quoted(text) == [(1, '"we will not cut"')]


def test_a_stray_straight_quote_at_a_paragraphs_end_opens_nothing() -> None:
    assert quoted('Output at 15.8 mln bpd."\nNext.') == []


def test_a_quotation_continued_over_paragraphs_is_one_quotation() -> None:
    text = "“First part\n\n“Second part,” he said. “Another.”"
    parts = [[text[p.start : p.end] for p in q] for q in top_level_quotations(text)]
    assert parts == [["“First part", "“Second part,”"], ["“Another.”"]]


def test_a_closed_quotation_does_not_continue_into_the_next_paragraph() -> None:
    text = "“Closed.”\n\n“New one.”"
    assert len(top_level_quotations(text)) == 2

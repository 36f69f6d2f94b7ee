"""Who said each quotation: the reporting patterns of news, pronouns, names, and the floor."""

from __future__ import annotations

import pytest

from newsreader.text.speakers import extract_quotations
from tests.quote_gold import score

# The figures on tests/data/quotes when these rules were written were precision 1.000 and
# recall 0.865 (see its README); a change that loses more than a little fails here.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.78


def said(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker, q.kind) for q in extract_quotations(text)]


def test_the_annotated_set_holds_its_floor() -> None:
    result = score()
    assert result.quotations >= 100
    assert result.overall.precision >= PRECISION_FLOOR, result.mistakes
    assert result.overall.recall >= RECALL_FLOOR, result.mistakes


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“We will respond,” Sergey Shoigu said.", "Sergey Shoigu"),
        (
            "“We will respond,” said Paul Mlotok, oil analyst with Salomon Brothers Inc.",
            "Paul Mlotok",
        ),
        ("Maria Zakharova said: “We will respond.”", "Maria Zakharova"),
        ("Maria Zakharova told reporters: “We will respond in kind.”", "Maria Zakharova"),
        ("Maria Zakharova said that “the response will be firm and swift.”", "Maria Zakharova"),
        ("“Will they respond?” Maria Zakharova asked.", "Maria Zakharova"),
        ("“It is over,” Maria Zakharova testified.", "Maria Zakharova"),
        ("“The deal is dead,” according to Maria Zakharova.", "Maria Zakharova"),
        ("“We will respond,” said E.F. Hutton Group analyst Michael Lewis.", "Michael Lewis"),
        (
            "“Prices will rise,” said Dillard Spriggs of Petroleum Analysis Ltd in New York.",
            "Dillard Spriggs",
        ),
        ("“Whatever happens,” Ana Souza warned, “we stay.”", "Ana Souza"),
        ("“The pier is closed,” said harbour master Jane Smith.", "Jane Smith"),
    ],
)
def test_reporting_patterns(text: str, speaker: str) -> None:
    assert said(text)[0][1] == speaker


def test_a_last_name_is_given_its_fullest_form_in_the_article() -> None:
    text = "Defense Minister Sergey Shoigu spoke on Tuesday.\n\n“We will respond,” Shoigu said."
    assert said(text) == [("We will respond", "Sergey Shoigu", "named")]


def test_a_pronoun_is_the_last_person_who_spoke() -> None:
    text = (
        "David T. Mizrahi, editor of Mideast reports, expects OPEC to meet.\n\n"
        "“They will not meet now,” he said."
    )
    assert said(text) == [("They will not meet now", "David T. Mizrahi", "pronoun")]


def test_it_is_the_last_organisation() -> None:
    text = "Texaco Inc said profits fell.\n\n“The quarter was hard,” it said."
    assert said(text)[0][1:] == ("Texaco Inc", "pronoun")


def test_a_continued_paragraph_keeps_its_speaker() -> None:
    text = "“The market is weak,” said Ana Souza.\n\n“It will recover by summer.”"
    assert [s for _, s, _ in said(text)] == ["Ana Souza", "Ana Souza"]


def test_a_quotation_after_a_sentence_about_an_earlier_speaker_is_theirs() -> None:
    text = (
        "“Prices will rise,” said Ana Souza.\n\n"
        "Ana Souza was less sure of the summer. “It depends on the harvest.”\n\n"
        "The weather was calm. The boats stayed in. “Nobody knows what comes next.”"
    )
    assert [s for _, s, _ in said(text)] == ["Ana Souza", "Ana Souza", None]


def test_a_quotation_over_two_paragraphs_is_one_with_one_speaker() -> None:
    text = "“First part of it\n\n“and the end of it,” Ana Souza said."
    assert said(text) == [("First part of it and the end of it", "Ana Souza", "named")]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“Prices will hold,” an arbitrageur said.", "an arbitrageur"),
        ("“Prices will hold,” said a company spokeswoman.", "a company spokeswoman"),
        ("“Prices will hold,” officials said.", "officials"),
    ],
)
def test_an_unnamed_speaker_is_kept_as_written(text: str, speaker: str) -> None:
    assert said(text)[0][1:] == (speaker, "unnamed")


def test_the_company_is_the_company_named_last() -> None:
    text = "Shares of Allied Signal Inc rose.\n\n“We are pleased,” the company said."
    assert said(text)[0][1:] == ("Allied Signal Inc", "organisation")


def test_a_scare_quote_has_no_speaker() -> None:
    text = "Ana Souza said the plan was a “poison pill” meant to stop the bid."
    assert said(text) == [("poison pill", None, None)]


def test_a_title_in_quotes_has_no_speaker() -> None:
    assert said("The film “Oppenheimer” won seven awards.") == [("Oppenheimer", None, None)]


def test_wire_texts_possessive_quote_is_not_a_mark() -> None:
    text = 'Kuwait"s oil minister Ali Khalifa said "output is within the quota."'
    assert said(text) == [("output is within the quota.", "Ali Khalifa", "named")]


def test_no_pronoun_resolves_to_nothing_named() -> None:
    assert said("“We will respond,” he said.") == [("We will respond", None, None)]


def test_the_sample_articles_speakers() -> None:
    from pathlib import Path

    from newsreader.sources.seed_text import parse_seed_bytes

    seed = Path(__file__).parents[1] / "seeds" / "000_a1d383cc9a6d370f.txt"
    found = {
        q.text[:30]: q.speaker for q in extract_quotations(parse_seed_bytes(seed.read_bytes()).body)
    }
    assert found["In the event that the United S"] == "Sergey Shoigu"
    assert found["The movement of enemy UAVs has"] == "Kyiv regional military administration"
    # Left open, the communique's quotation ends on the mark that closed one inside it.
    assert not any(text.endswith(("”", '"')) for text in found)
    assert all(not q.text.endswith("”") for q in extract_quotations(seed.read_text()))

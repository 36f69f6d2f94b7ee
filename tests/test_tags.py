"""Tag links printed side by side are split back into tags."""

from __future__ import annotations

import pytest

from newsreader.sources.tags import TagSplitter, Vocabulary, split_tags

SEED_WORDS = Vocabulary(
    "As NATO summit begins, Russia escalates its attack on Ukraine",
    "NATO members assembled in Vilnius. Russia stepped up its assault on Ukraine. Nato Summit.",
)


@pytest.mark.parametrize(
    ("raw", "tags"),
    [
        ("NATORUSSIAUkraine", ["NATO", "Russia", "Ukraine"]),
        ("TechnologyMarketsiPhone", ["Technology", "Markets", "iPhone"]),
        ("COVID-19WHOHealth", ["COVID-19", "WHO", "Health"]),
        ("G20SummitEconomy", ["G20", "Summit", "Economy"]),
        ("McDonaldFranchise", ["McDonald", "Franchise"]),
        ("eBayAmazon", ["eBay", "Amazon"]),
        ("Joe BidenNATOUkraine", ["Joe Biden", "NATO", "Ukraine"]),
        ("Middle EastUnited States", ["Middle East", "United States"]),
        ("WorldNewsUK", ["World", "News", "UK"]),
        ("Tech, Science; World", ["Tech", "Science", "World"]),
        ("NATO\nUkraine", ["NATO", "Ukraine"]),
        ("AI", ["AI"]),
        ("", []),
    ],
)
def test_splits_on_case_and_keeps_known_words_whole(raw: str, tags: list[str]) -> None:
    assert split_tags(raw, SEED_WORDS) == tags


def test_acronym_runs_are_cut_only_with_the_dictionary() -> None:
    # Without the article's words, NATORUSSIA cannot be cut and stays as it is.
    assert split_tags("NATORUSSIAUkraine") == ["NATORUSSIA", "Ukraine"]
    # The library's known tags are a dictionary too.
    assert split_tags("NATORUSSIAUkraine", known_tags=["Nato", "Russia"]) == [
        "Nato",
        "Russia",
        "Ukraine",
    ]


def test_the_articles_own_camel_words_are_kept_whole() -> None:
    words = Vocabulary("Engineers at GitLab said the release is out.")
    assert split_tags("GitLabReleases", words) == ["GitLab", "Releases"]
    assert split_tags("GitLabReleases") == ["Git", "Lab", "Releases"]


def test_a_run_that_is_a_word_itself_is_not_cut() -> None:
    words = Vocabulary("UNESCO and the UN met; NESCO is not a word here.")
    assert split_tags("UNESCOCulture", words) == ["UNESCO", "Culture"]


def test_duplicates_compare_without_case() -> None:
    assert TagSplitter().split("NATO, Nato, nato") == ["NATO"]

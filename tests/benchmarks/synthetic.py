"""Generates synthetic seed-format articles: realistic length, Zipf-like words, known rare words."""

from __future__ import annotations

import random
from pathlib import Path

# A word in every article, a common word (in about a third), and a rare word (in about 0.1%).
EVERY_WORD = "report"
COMMON_WORD = "minister"
RARE_WORD = "quixotic"
PHRASE = "air defence"

_VOCABULARY = [
    "government",
    "election",
    "market",
    "economy",
    "security",
    "president",
    "official",
    "parliament",
    "company",
    "energy",
    "climate",
    "border",
    "summit",
    "agreement",
    "military",
    "alliance",
    "sanctions",
    "inflation",
    "budget",
    "court",
    "police",
    "health",
    "hospital",
    "school",
    "university",
    "research",
    "technology",
    "software",
    "network",
    "internet",
    "platform",
    "investors",
    "shares",
    "prices",
    "growth",
    "trade",
    "exports",
    "imports",
    "workers",
    "union",
    "strike",
    "protest",
    "capital",
    "region",
    "province",
    "village",
    "coast",
    "harbour",
    "river",
    "bridge",
    "railway",
    "airport",
    "transport",
    "drivers",
    "fleet",
    "weather",
    "storm",
    "flooding",
    "drought",
    "harvest",
    "farmers",
    "water",
    "electricity",
    "power",
    "grid",
    "nuclear",
    "solar",
    "wind",
    "battery",
    "vehicle",
    "factory",
    "production",
    "supply",
    "shortage",
    "demand",
    "consumers",
    "retail",
    "banks",
    "interest",
    "rates",
]
_TAGS = [
    "NATO", "Russia", "Ukraine", "Economy", "Technology", "Markets", "iPhone", "COVID-19", "WHO",
    "Health", "Climate", "Energy", "Europe", "Asia", "Politics", "Sport", "Science", "G20", "UN",
    "Business", "Culture", "Travel", "Education", "Defence", "Trade",
]  # fmt: skip
_NAMES = ["Vilnius", "Kyiv", "Brussels", "Geneva", "Lisbon", "Nairobi", "Osaka", "Quito", "Café"]


def _sentence(rng: random.Random, extra: list[str]) -> str:
    words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(8, 22))]
    for word in extra:
        words.insert(rng.randint(0, len(words)), word)
    words.insert(rng.randint(0, len(words)), rng.choice(_NAMES))
    return " ".join(words).capitalize() + "."


def article_text(index: int, seed: int = 7, short: bool = False) -> str:
    """One article in the seed format, about 350 words (`short`: one paragraph of about 40,
    for a million articles on a small disk), deterministic for (index, seed)."""
    rng = random.Random(seed * 1_000_003 + index)
    title_words = [rng.choice(_VOCABULARY) for _ in range(rng.randint(5, 10))]
    title = f"{' '.join(title_words).capitalize()} {index}"
    paragraphs = []
    for p in range(1 if short else rng.randint(5, 7)):
        extra = []
        if p == 0:
            extra.append(EVERY_WORD)
        if (p == 1 or short) and index % 3 == 0:
            extra.append(COMMON_WORD)
        if (p == 2 or short) and index % 1000 == 0:
            extra.append(RARE_WORD)
        if (p == 3 or short) and index % 50 == 0:
            extra.append(PHRASE)
        count = 2 if short else rng.randint(2, 4)
        sentences = [_sentence(rng, extra if s == 0 else []) for s in range(count)]
        if rng.random() < 0.3:
            sentences.append(f"“{_sentence(rng, [])}” said an official.")
        paragraphs.append(" ".join(sentences))
    excerpt = " ".join(paragraphs[0].split()[:55]) + " […]"
    tags = "".join(rng.sample(_TAGS, rng.randint(1, 4)))
    return (
        "+\n\n" + title + "\n\n" + excerpt + "\n\n" + "\n".join(paragraphs) + "\n\nTags:\n\n" + tags
    )


def write_articles(folder: Path, count: int, seed: int = 7, short: bool = False) -> Path:
    """Write `count` articles as files under `folder` (100 per subfolder); returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        sub = folder / f"{index // 100:05d}"
        if index % 100 == 0:
            sub.mkdir(exist_ok=True)
        text = article_text(index, seed, short)
        (sub / f"{index:07d}.txt").write_text(text, encoding="utf-8")
    return folder

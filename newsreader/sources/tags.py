"""Splits tag links that were printed side by side (`NATORUSSIAUkraine`) back into tags."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

# Words whose inner capitals are part of the word, never a tag boundary. The article's own text
# and the library's tags add to these at split time.
KNOWN_CAMEL_WORDS = (
    "iPhone", "iPad", "iPod", "iOS", "iPadOS", "iMac", "iCloud", "iTunes", "iMessage", "iPlayer",
    "eBay", "eBook", "eCommerce", "eSports", "macOS", "watchOS", "tvOS", "visionOS", "YouTube",
    "PayPal", "LinkedIn", "TikTok", "WhatsApp", "OpenAI", "ChatGPT", "DeepMind", "GitHub",
    "PlayStation", "JavaScript", "TypeScript", "WordPress", "SpaceX", "BlackRock", "FedEx",
    "McDonald", "McDonald's", "MasterCard", "SoftBank", "HarperCollins", "BioNTech", "AstraZeneca",
    "PhD", "MPs", "NGOs",
)  # fmt: skip

# A piece the case alone decides, tried left to right: acronyms with digits (COVID-19, G20, F1),
# Mc/Mac names, lowercase-prefixed brands (iPhone, eBay), acronyms that stop before a capitalised
# word (NATO|Ukraine), capitalised words, and anything else up to the next capital.
_CASE_PIECE = re.compile(
    r"""
    [A-Z]+[0-9]+(?:-[0-9]+)?(?![a-z])
  | [A-Z]+-[0-9]+
  | Ma?c[A-Z][a-z]+(?:'s)?
  | [a-z][A-Z][a-z]+(?=[A-Z]|$|\s)
  | [A-Z]+(?=[A-Z][a-z])
  | [A-Z]+(?![a-z])
  | [A-Z][a-z0-9'’.&-]*
  | [^A-Z\s]+
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"[^\W_]+(?:[-'’.&][^\W_]+)*")
_SEPARATORS = re.compile(r"\s*(?:[,;|\n]|\s{2,})\s*")
_MIN_RUN_TO_SPLIT = 4


def text_vocabulary(*texts: str) -> dict[str, str]:
    """Map each word of `texts` (casefolded) to its most common spelling there.

    Lowercase words shorter than three letters are left out: they would let an acronym run
    (`NATORUSSIA`) fall apart into `NA`/`TO`.
    """
    spellings: Counter[str] = Counter()
    for text in texts:
        spellings.update(w for w in _WORD.findall(text) if len(w) >= 3 or not w.islower())
    vocabulary: dict[str, str] = {}
    for word, _ in spellings.most_common():
        vocabulary.setdefault(word.casefold(), word)
    return vocabulary


class TagSplitter:
    """Splits run-together tag text, knowing the library's tags (see `split`)."""

    def __init__(self, known_tags: Iterable[str] = ()) -> None:
        self.known = {tag.casefold(): tag for tag in known_tags}
        self._camel = frozenset(w for w in (*KNOWN_CAMEL_WORDS, *self.known.values()) if _is_camel(w))

    def split(self, raw: str, vocabulary: Mapping[str, str] | None = None) -> list[str]:
        """Split the run-together tag text `raw` into tags, in order, without duplicates.

        Case changes split first; words joined by a single space stay one tag ("Joe Biden").
        Only an all-capitals run the case cannot split is cut with the dictionary: `vocabulary`
        (the article's own words, see `text_vocabulary`) and the library's known tags.
        """
        vocabulary = vocabulary or {}
        extra = frozenset(w for w in vocabulary.values() if _is_camel(w)) - self._camel
        camel = _camel_pattern(self._camel | extra)
        tags: list[str] = []
        seen: set[str] = set()
        for group in _SEPARATORS.split(raw.strip()):
            for tag in _split_group(group, vocabulary, self.known, camel):
                key = tag.casefold()
                if key not in seen:
                    seen.add(key)
                    tags.append(tag)
        return tags


def split_tags(
    raw: str, vocabulary: Mapping[str, str] | None = None, known_tags: Iterable[str] = ()
) -> list[str]:
    """Split `raw` into tags with a one-off `TagSplitter` (see `TagSplitter.split`)."""
    return TagSplitter(known_tags).split(raw, vocabulary)


def _is_camel(word: str) -> bool:
    return any(c.isupper() for c in word[1:]) and any(c.islower() for c in word)


@lru_cache(maxsize=256)
def _camel_pattern(words: frozenset[str]) -> re.Pattern[str]:
    # Longest first so that iPadOS wins over iPad; a camel word counts only where it ends at a
    # tag boundary: a capital, a digit, a space or the end.
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})(?=[A-Z0-9\s]|$)")


def _split_group(
    group: str, vocabulary: Mapping[str, str], known: Mapping[str, str], camel: re.Pattern[str]
) -> list[str]:
    """Split one group of tags (no separators inside) into tags."""
    tags: list[str] = []
    current = ""
    position = 0
    while position < len(group):
        if group[position].isspace():
            # A space inside the run joins words into one multi-word tag.
            current = current + " " if current else current
            position += 1
            continue
        # A camel word ahead (the iPhone in MarketsiPhone) bounds the piece before it.
        ahead = camel.search(group, position)
        limit = ahead.start() if ahead and ahead.start() > position else len(group)
        match = camel.match(group, position) or _CASE_PIECE.match(group, position, limit)
        assert match is not None  # the last alternative matches any non-space character
        piece = match.group()
        position = match.end()
        if current.endswith(" "):
            current += piece
            continue
        if current:
            tags.append(current)
        current = piece
    if current.strip():
        tags.append(current.strip())
    result: list[str] = []
    for tag in tags:
        result.extend(_split_acronym_run(tag, vocabulary, known))
    return result


def _split_acronym_run(
    piece: str, vocabulary: Mapping[str, str], known: Mapping[str, str]
) -> list[str]:
    """Cut an all-capitals run like NATORUSSIA with the dictionary, if it cuts cleanly."""
    if len(piece) < _MIN_RUN_TO_SPLIT or not piece.isalpha() or not piece.isupper():
        return [piece]
    key = piece.casefold()
    if key in known or key in vocabulary:
        return [piece]

    def spelling(word: str) -> str:
        return known.get(word) or vocabulary.get(word) or word.upper()

    # Fewest pieces wins; each piece must be a dictionary word of two letters or more.
    best: list[list[str] | None] = [None] * (len(key) + 1)
    best[0] = []
    for end in range(2, len(key) + 1):
        for start in range(0, end - 1):
            head = best[start]
            word = key[start:end]
            if head is None or (word not in known and word not in vocabulary):
                continue
            if best[end] is None or len(head) + 1 < len(best[end] or ()):
                best[end] = [*head, word]
    found = best[len(key)]
    if not found or len(found) < 2:
        return [piece]
    # An acronym keeps its capitals when the text spells it that way; otherwise the text's form.
    return [spelling(word) for word in found]

"""Splits tag links that were printed side by side (`NATORUSSIAUkraine`) back into tags."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
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
_LOWER_UPPER = re.compile(r"[a-z][A-Z]")
_CASE_SHAPE = bytes(
    ord("a") if chr(b).islower() and b < 128 else ord("A") if chr(b).isupper() and b < 128 else 32
    for b in range(256)
)
_SEPARATORS = re.compile(r"\s*(?:[,;|\n]|\s{2,})\s*")
_MIN_RUN_TO_SPLIT = 4
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class Vocabulary:
    """An article's own words, the dictionary for tag runs the case cannot split.

    Built only when a tag run needs it: most tags split on case alone, and reading every word
    of every article would be most of an import's time.
    """

    def __init__(self, *texts: str) -> None:
        self._texts = texts
        self._words: dict[str, str] | None = None
        self._camel: frozenset[str] | None = None
        self._folded: str | None = None

    def holds_any(self, fragments: Iterable[str]) -> bool:
        """Whether any of these strings is written somewhere in the texts (case counts)."""
        for fragment in fragments:
            for text in self._texts:
                if fragment in text:
                    return True
        return False

    def may_hold(self, word: str) -> bool:
        """False when `word` (casefolded) is surely not among `words()`, found far quicker
        than by counting the words: each of those is in the texts casefolded, between two
        characters that are not letters or digits (casefolding makes none of them an ASCII
        letter or digit)."""
        if self._words is not None:
            return word in self._words
        if self._folded is None:
            self._folded = "\n".join(text.casefold() for text in self._texts)
        folded = self._folded
        at = folded.find(word)
        while at != -1:
            end = at + len(word)
            if (at == 0 or folded[at - 1] not in _ASCII_WORD) and (
                end == len(folded) or folded[end] not in _ASCII_WORD
            ):
                return True
            at = folded.find(word, at + 1)
        return False

    def words(self) -> dict[str, str]:
        """Each word (casefolded) mapped to its most common spelling in the texts.

        Lowercase words shorter than three letters are left out: they would let an acronym run
        (`NATORUSSIA`) fall apart into `NA`/`TO`.
        """
        if self._words is None:
            spellings: Counter[str] = Counter()
            for text in self._texts:
                spellings.update(_WORD.findall(text))  # counted in C; filtered once per word
            self._words = {}
            for word, _ in spellings.most_common():
                if len(word) >= 3 or not word.islower():
                    self._words.setdefault(word.casefold(), word)
        return self._words

    def camel_words(self) -> frozenset[str]:
        """Words with inner capitals (iPhone, YouTube) that the texts use."""
        if self._camel is None:
            found = set()
            for text in self._texts:
                # Inner capitals are rare in prose. Reduce the text to its letter case shape in
                # C (a bytes translate), find "aA" there, then widen each hit to its word.
                data = text.encode("utf-8", "replace")
                shape = data.translate(_CASE_SHAPE)
                hit = shape.find(b"aA")
                while hit != -1:
                    start = shape.rfind(b" ", 0, hit) + 1
                    end = shape.find(b" ", hit)
                    end = len(shape) if end == -1 else end
                    word = data[start:end].decode("utf-8", "replace")
                    if _is_camel(word):
                        found.add(word)
                    hit = shape.find(b"aA", end)
            self._camel = frozenset(found)
        return self._camel


class TagSplitter:
    """Splits run-together tag text, knowing the library's tags (see `split`)."""

    def __init__(self, known_tags: Iterable[str] = ()) -> None:
        self.known = {tag.casefold(): tag for tag in known_tags}
        self._camel = frozenset(
            w for w in (*KNOWN_CAMEL_WORDS, *self.known.values()) if _is_camel(w)
        )

    def split(self, raw: str, vocabulary: Vocabulary | None = None) -> list[str]:
        """Split the run-together tag text `raw` into tags, in order, without duplicates.

        Case changes split first; words joined by a single space stay one tag ("Joe Biden").
        Only an all-capitals run the case cannot split is cut with the dictionary: `vocabulary`
        (the article's own words, see `text_vocabulary`) and the library's known tags.
        """
        vocabulary = vocabulary or Vocabulary()
        # The article's own camel words matter only where the tags have a lower→upper change,
        # and only those written in the tags: such a word has that change in it, so the text
        # holds the same two letters side by side (most texts hold none: no word is sought).
        changes: list[str] = _LOWER_UPPER.findall(raw)
        own: frozenset[str] = frozenset()
        if changes and vocabulary.holds_any(changes):
            own = vocabulary.camel_words() - self._camel
        camel = _camel_pattern(self._camel | own)
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
    raw: str, vocabulary: Vocabulary | None = None, known_tags: Iterable[str] = ()
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
    group: str, vocabulary: Vocabulary, known: Mapping[str, str], camel: re.Pattern[str]
) -> list[str]:
    """Split one group of tags (no separators inside) into tags."""
    tags: list[str] = []
    current = ""
    position = 0
    camel_spans = {m.start(): m.end() for m in camel.finditer(group)}
    camel_starts = sorted(camel_spans)
    while position < len(group):
        if group[position].isspace():
            # A space inside the run joins words into one multi-word tag.
            current = current + " " if current else current
            position += 1
            continue
        if position in camel_spans:
            end = camel_spans[position]
        else:
            # A camel word ahead (the iPhone in MarketsiPhone) bounds the piece before it.
            ahead = bisect.bisect_right(camel_starts, position)
            limit = camel_starts[ahead] if ahead < len(camel_starts) else len(group)
            match = _CASE_PIECE.match(group, position, limit)
            assert match is not None  # the last alternative matches any non-space character
            end = match.end()
        piece = group[position:end]
        position = end
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


def _cut(key: str, is_word: Callable[[str], bool]) -> list[str] | None:
    """`key` cut into the fewest words of two letters or more, or None."""
    best: list[list[str] | None] = [None] * (len(key) + 1)
    best[0] = []
    for end in range(2, len(key) + 1):
        for start in range(0, end - 1):
            head = best[start]
            if head is None:
                continue
            word = key[start:end]
            if not is_word(word):
                continue
            if best[end] is None or len(head) + 1 < len(best[end] or ()):
                best[end] = [*head, word]
    return best[len(key)]


def _split_acronym_run(piece: str, text: Vocabulary, known: Mapping[str, str]) -> list[str]:
    """Cut an all-capitals run like NATORUSSIA with the dictionary, if it cuts cleanly."""
    if len(piece) < _MIN_RUN_TO_SPLIT or not piece.isalpha() or not piece.isupper():
        return [piece]
    key = piece.casefold()
    if key in known:
        return [piece]
    # Counting the text's words costs more than the rest of an import's tag splitting: first
    # a looser dictionary that holds every one of them. Where even it cuts the run into no
    # two words, the text's words cannot either (and whether the run is one of them does not
    # matter: uncut, it stays as it is).
    if not _cut(key, lambda word: word != key and (word in known or text.may_hold(word))):
        return [piece]
    vocabulary = text.words()
    if key in vocabulary:
        return [piece]

    def spelling(word: str) -> str:
        return known.get(word) or vocabulary.get(word) or word.upper()

    found = _cut(key, lambda word: word in known or word in vocabulary)
    if not found or len(found) < 2:
        return [piece]
    # An acronym keeps its capitals when the text spells it that way; otherwise the text's form.
    return [spelling(word) for word in found]

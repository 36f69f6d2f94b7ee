"""Word forms: which words of the library are forms of a searched word (Snowball stemming)."""

from __future__ import annotations

from functools import lru_cache

import Stemmer

from newsreader.text.highlight import fold

MIN_STEM_CHARS = 3


@lru_cache(maxsize=4096)
def stem(word: str, language: str = "english") -> str:
    """The Snowball stem of a word, folded as the index folds it (case and accents)."""
    return str(_stemmer(language).stemWord(fold(word)))


@lru_cache(maxsize=64)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def candidate_prefix(word: str, language: str = "english") -> str:
    """Every form of `word` starts with this: the part the word shares with its stem, one
    letter shorter, since a stem may change its last letter (happy → happi, happiness)."""
    folded = fold(word)
    root = stem(word, language)
    shared = 0
    while shared < min(len(folded), len(root)) and folded[shared] == root[shared]:
        shared += 1
    return folded[: max(MIN_STEM_CHARS, shared - 1)] if shared > MIN_STEM_CHARS else folded[:shared]


def forms_among(word: str, candidates: list[str], language: str = "english") -> list[str]:
    """The candidates that are other forms of `word` (same stem), not the word itself."""
    folded = fold(word)
    root = stem(word, language)
    if len(root) < MIN_STEM_CHARS:
        return []
    stems = _stemmer(language).stemWords(candidates)
    return [c for c, s in zip(candidates, stems, strict=True) if s == root and c != folded]

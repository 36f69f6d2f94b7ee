"""Word forms: which words of the library are forms of a searched word (Snowball stemming)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import Stemmer

from newsreader.text.highlight import fold

MIN_STEM_CHARS = 3
# ISO 639-1 codes (what feeds declare) of the languages Snowball stems, English aside.
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def snowball_names(codes: Iterable[str]) -> set[str]:
    """Snowball's names for the languages of these codes (`de`, `pt-BR`); unknown ones left out."""
    names = set()
    for code in codes:
        name = _SNOWBALL.get(code.strip().casefold().replace("_", "-").split("-")[0])
        if name is not None and name in Stemmer.algorithms():
            names.add(name)
    return names


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

"""Did you mean: the library's nearest word to a searched word it does not contain."""

from __future__ import annotations

from newsreader.library.search_index import SearchIndex
from newsreader.text.highlight import fold
from newsreader.text.query import Query

MIN_WORD_CHARS = 4  # shorter words have too many neighbours for a guess to help


def did_you_mean(index: SearchIndex, query: Query) -> tuple[str, str]:
    """For the first word of `query` that no article contains: that word (folded) and the
    library's nearest word (at most two edits away, one for short words; the commoner on a
    tie); else two empty strings."""
    from rapidfuzz.distance import Levenshtein  # only a search that found nothing needs it

    with index.reading() as db:
        for term in query.terms:
            if len(term.words) != 1 or term.forms:
                continue
            word = fold(term.words[0])
            if len(word) < MIN_WORD_CHARS:
                continue
            if db.execute("SELECT 1 FROM fts_vocab WHERE term = ?", (word,)).fetchone():
                continue
            # Typos are rarely in the first two letters: those bound the words compared.
            start = word[:2]
            rows = db.execute(
                "SELECT term, doc FROM fts_vocab WHERE term >= ? AND term < ?",
                (start, start + "\U0010ffff"),
            ).fetchall()
            allowed = 1 if len(word) <= 5 else 2
            best = min(
                (
                    (Levenshtein.distance(word, candidate, score_cutoff=allowed), -docs, candidate)
                    for candidate, docs in rows
                ),
                default=None,
            )
            if best is not None and best[0] <= allowed:
                return word, str(best[2])
    return "", ""

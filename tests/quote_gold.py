"""Scores the quotation extractor against the annotated set in tests/data/quotes/."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from newsreader.text.speakers import KINDS, Quotation, extract_quotations

QUOTES = Path(__file__).parent / "data" / "quotes"
MATCH_CHARS = 40  # a prediction and a gold quotation are the same when they begin the same


@dataclass(slots=True)
class Tally:
    """Speaker decisions counted: right ones, all the extractor made, all the gold set has."""

    correct: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Score:
    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    quotations: int = 0  # in the gold set
    found: int = 0  # of those, found by the extractor
    mistakes: list[str] = field(default_factory=list)


def normal_quote(text: str) -> str:
    text = re.sub(r"[“”\"«»„‘’]", "", text).casefold()
    return " ".join(text.split()).strip(" ,.")[:MATCH_CHARS]


def normal_speaker(name: str) -> str:
    words = re.sub(r"[^\w\s]", " ", name.casefold()).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def same_speaker(predicted: str, gold: dict[str, object]) -> bool:
    accepted = [str(gold["speaker"]), *map(str, gold.get("accept") or [])]  # type: ignore[call-overload]
    mine = normal_speaker(predicted)
    for name in map(normal_speaker, accepted):
        if mine == name:
            return True
        if gold["kind"] == "unnamed" and mine and (mine in name or name in mine):
            return True
    return False


def load_gold(folder: Path = QUOTES) -> dict[str, list[dict[str, object]]]:
    """Annotations by article, from every `*.jsonl` under `folder` (or its `gold/`)."""
    gold: dict[str, list[dict[str, object]]] = {}
    for path in sorted([*folder.glob("*.jsonl"), *(folder / "gold").glob("*.jsonl")]):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = orjson.loads(line)
                gold.setdefault(entry["article"], []).append(entry)
    return gold


def article_text(name: str, folder: Path = QUOTES) -> str:
    return (folder / "articles" / f"{name}.txt").read_text(encoding="utf-8")


def score(gold: dict[str, list[dict[str, object]]] | None = None, folder: Path = QUOTES) -> Score:
    """Speaker precision and recall of `extract_quotations` on every annotated article."""
    gold = load_gold(folder) if gold is None else gold
    result = Score()
    for name, entries in gold.items():
        predicted = extract_quotations(article_text(name, folder))
        unmatched: list[Quotation] = list(predicted)
        for entry in entries:
            result.quotations += 1
            key = normal_quote(str(entry["quote"]))
            match = next((q for q in unmatched if normal_quote(q.text) == key), None)
            if match is not None:
                unmatched.remove(match)
                result.found += 1
            _count(result, name, entry, match)
        for extra in unmatched:  # a speaker for something the gold set does not call a quote
            if extra.speaker:
                _tally(result, extra.kind).predicted += 1
                result.mistakes.append(f"{name}: extra {extra.text[:50]!r} -> {extra.speaker}")
    return result


def _tally(result: Score, kind: str | None) -> Tally:
    return result.by_kind.setdefault(kind or "none", Tally())


def _count(result: Score, name: str, entry: dict[str, object], match: Quotation | None) -> None:
    speaker = match.speaker if match is not None else None
    gold_kind = str(entry["kind"]) if entry["kind"] else None
    if entry["speaker"] is not None:
        result.overall.expected += 1
        _tally(result, gold_kind).expected += 1
    if speaker is not None:
        result.overall.predicted += 1
        _tally(result, match.kind if match else None).predicted += 1
    if speaker is not None and entry["speaker"] is not None and same_speaker(speaker, entry):
        result.overall.correct += 1
        _tally(result, gold_kind).correct += 1
        if match is not None and match.kind != gold_kind:
            _tally(result, match.kind).predicted -= 1
            _tally(result, gold_kind).predicted += 1
        return
    if speaker is not None or entry["speaker"] is not None:
        found = "not found" if match is None else repr(speaker)
        result.mistakes.append(
            f"{name}: {str(entry['quote'])[:50]!r} gold {entry['speaker']!r} got {found}"
        )

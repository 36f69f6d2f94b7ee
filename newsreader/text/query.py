"""Parses what people type into the search box into terms, filters and an FTS5 expression."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TERMS = 32
MIN_PREFIX_CHARS = 2
MAX_QUERY_CHARS = 1000
_WORD_CHARS = re.compile(r"[^\W_]+", re.UNICODE)
# A token: an optional minus, then `field:"quoted value"`, a quoted phrase (closed or not), or a run
# of anything that is not a space or a quote.
_TOKEN = re.compile(r'(-?)(?:(\w+):"([^"]*)"?|"([^"]*)"?|([^\s"()]+))')
_STATE_FILTERS = {"bookmarked", "starred", "unread", "read"}


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase to find; `prefix` when the last word may still be being typed."""

    words: tuple[str, ...]
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + " ".join(self.words).replace('"', '""') + '"'
        return quoted + " *" if self.prefix else quoted


@dataclass(slots=True)
class Query:
    """A parsed query: groups of terms joined by OR (all groups must match), exclusions, filters."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    states: set[str] = field(default_factory=set)
    after: str = ""
    before: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[Term]:
        """Every term to highlight in results (not the excluded ones)."""
        return [term for group in self.groups for term in group]

    @property
    def has_text(self) -> bool:
        return bool(self.groups)

    @property
    def is_empty(self) -> bool:
        return not (
            self.groups or self.excluded or self.tags or self.states or self.after or self.before
        )

    def fts(self) -> str:
        """The FTS5 MATCH expression, every word quoted so no user text is read as syntax."""
        parts = []
        for group in self.groups:
            alternatives = " OR ".join(term.fts() for term in group)
            parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
        for tag in self.tags:
            parts.append("tags : " + Term(words_of(tag)).fts())
        if not parts:
            return ""  # FTS5 cannot express "everything except": the caller says so instead
        expression = " AND ".join(parts)
        for term in self.excluded:
            expression += " NOT " + term.fts()
        return expression


def words_of(text: str) -> tuple[str, ...]:
    """The words FTS5's unicode61 tokenizer would see (letters and digits)."""
    return tuple(_WORD_CHARS.findall(text))


def parse_query(text: str, typing: bool = True) -> Query:
    """Parse a search box's text. `typing`: the last word (not followed by a space) is a prefix.

    Nothing a user types is an error: unknown syntax becomes plain words; what cannot be searched
    (a lone `-`, `*`, punctuation) is dropped.
    """
    query = Query()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        query.notes.append(f"Only the first {MAX_QUERY_CHARS} characters were searched.")
    pending_or = False
    count = 0
    matches = list(_TOKEN.finditer(text))
    for index, match in enumerate(matches):
        minus, field_name, field_value, phrase, bare = match.groups()
        is_last = index == len(matches) - 1
        if bare == "OR" and not minus:
            pending_or = bool(query.groups)
            continue
        if field_name is not None or (bare and ":" in bare and _filter(query, bare, minus)):
            if field_name is not None and not _filter(query, f"{field_name}:{field_value}", minus):
                phrase = f"{field_name} {field_value}"
            else:
                continue
        if phrase is not None:
            term = Term(words_of(phrase)[:MAX_TERMS])
        else:
            words = words_of(bare or "")
            still_typing = typing and is_last and match.end() == len(text)
            explicit_prefix = (bare or "").endswith("*")
            # A one-letter prefix matches half the dictionary and helps nobody.
            long_enough = bool(words) and len(words[-1]) >= MIN_PREFIX_CHARS
            prefix = long_enough and not minus and (still_typing or explicit_prefix)
            term = Term(words[:MAX_TERMS], prefix=prefix)
        if not term.words:
            continue
        count += 1
        if count > MAX_TERMS:
            query.notes.append(f"Only the first {MAX_TERMS} words were searched.")
            break
        if minus:
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    return query


def _filter(query: Query, token: str, minus: str) -> bool:
    """Apply `name:value` if it is a filter we know; False lets it be searched as words."""
    name, _, value = token.partition(":")
    name = name.casefold()
    value = value.strip()
    if name == "tag" and value and not minus:
        query.tags.append(value)
        return True
    if name == "is" and value.casefold() in _STATE_FILTERS and not minus:
        state = value.casefold()
        query.states.add("bookmarked" if state == "starred" else state)
        return True
    if name in ("after", "before") and re.fullmatch(r"\d{4}(-\d{2}){0,2}", value) and not minus:
        setattr(query, name, value)
        return True
    return False

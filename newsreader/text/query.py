"""Parses what people type into the search box into terms, filters and an FTS5 expression."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

MAX_TERMS = 32
MIN_PREFIX_CHARS = 2
MAX_QUERY_CHARS = 1000
_WORD_CHARS = re.compile(r"[^\W_]+", re.UNICODE)
# A token: an optional minus, then `field:"quoted value"`, a quoted phrase (closed or not), or a run
# of anything that is not a space or a quote.
_TOKEN = re.compile(r'(-?)(?:(\w+):"([^"]*)"?|"([^"]*)"?|([^\s"()]+))')
_STATE_FILTERS = {"bookmarked", "starred", "unread", "read"}
FIELDS = ("tag", "feed", "is", "title", "after", "before", "said", "quote")
_FIELD_NAME = re.compile(r"[A-Za-z]+")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase to find; `prefix` when the last word may still be being typed;
    `forms`, other forms of a one-word term found in the library (`drones` for `drone`);
    `column`, a column the term must be in (`title`); `quoted`, typed in quotes: exactly
    these words, no other forms."""

    words: tuple[str, ...]
    prefix: bool = False
    forms: tuple[str, ...] = ()
    column: str = ""
    quoted: bool = False

    def fts(self) -> str:
        quoted = fts_string(" ".join(self.words))
        expression = quoted + " *" if self.prefix else quoted
        if self.forms:
            expression = "(" + " OR ".join([expression, *map(fts_string, self.forms)]) + ")"
        return f"{self.column} : {expression}" if self.column else expression

    @property
    def exact(self) -> Term:
        """The term as typed, without other word forms."""
        return replace(self, forms=()) if self.forms else self


def fts_string(text: str) -> str:
    """`text` as one FTS5 string: nothing in it is read as query syntax."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(slots=True)
class Query:
    """A parsed query: groups of terms joined by OR (all groups must match), exclusions, filters."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    excluded_tags: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    excluded_feeds: list[str] = field(default_factory=list)
    states: set[str] = field(default_factory=set)
    excluded_states: set[str] = field(default_factory=set)
    after: str = ""
    before: str = ""
    # said:NAME, quote:word, quote:"a phrase": articles by who is quoted and what they said.
    speakers: list[tuple[str, ...]] = field(default_factory=list)
    excluded_speakers: list[tuple[str, ...]] = field(default_factory=list)
    quoting: list[tuple[str, ...]] = field(default_factory=list)
    excluded_quoting: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""  # what is wrong with the query, in one sentence; nothing is searched then

    @property
    def terms(self) -> list[Term]:
        """Every term to highlight in results (not the excluded ones)."""
        return [term for group in self.groups for term in group]

    @property
    def has_text(self) -> bool:
        return bool(self.groups)

    @property
    def has_filters(self) -> bool:
        return bool(
            self.tags
            or self.excluded_tags
            or self.feeds
            or self.excluded_feeds
            or self.states
            or self.excluded_states
            or self.after
            or self.before
            or self.speakers
            or self.excluded_speakers
            or self.quoting
            or self.excluded_quoting
        )

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.excluded or self.has_filters or self.error)

    @property
    def has_forms(self) -> bool:
        return any(term.forms for term in self.terms)

    def exact(self) -> Query:
        """The query with every term as typed (no other word forms)."""
        groups = [[term.exact for term in group] for group in self.groups]
        return replace(self, groups=groups)

    def fts(self) -> str:
        """The FTS5 MATCH expression, every word quoted so no user text is read as syntax.
        Tags, feeds and states are not in it: they are exact filters on article ids."""
        parts = []
        for group in self.groups:
            alternatives = " OR ".join(term.fts() for term in group)
            parts.append(f"({alternatives})" if len(group) > 1 else alternatives)
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
        column = ""
        if field_name is None and bare and _FIELD_NAME.fullmatch(bare.partition(":")[0]):
            name, colon, value = bare.partition(":")
            known = name.casefold() in FIELDS
            if colon and (value or known) and not value.startswith("/"):  # not a web address
                field_name, field_value = name, value
        if field_name is not None:
            if field_name.casefold() == "title":
                column = "title"
                if match.group(2) is not None:  # title:"a phrase"
                    phrase, bare = field_value, None
                else:
                    bare = field_value
            else:
                query.error = query.error or _filter(query, field_name, field_value, minus)
                continue
        if phrase is not None:
            term = Term(words_of(phrase)[:MAX_TERMS], column=column, quoted=True)
        else:
            words = words_of(bare or "")
            still_typing = typing and is_last and match.end() == len(text)
            explicit_prefix = (bare or "").endswith("*")
            # A one-letter prefix matches half the dictionary and helps nobody.
            long_enough = bool(words) and len(words[-1]) >= MIN_PREFIX_CHARS
            prefix = long_enough and not minus and (still_typing or explicit_prefix)
            term = Term(words[:MAX_TERMS], prefix=prefix, column=column)
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


def _filter(query: Query, name: str, value: str, minus: str) -> str:
    """Apply the filter `name:value` (negated with `minus`); '' or what is wrong with it."""
    name = name.casefold()
    value = value.strip()
    if name not in FIELDS:
        known = ", ".join(f"{field}:" for field in FIELDS)
        return f"{name}: is not a filter; the filters are {known} (quote it to search the words)."
    if not value:
        return f"{name}: needs a value, as in {name}:{_EXAMPLES[name]}."
    if name == "tag":
        (query.excluded_tags if minus else query.tags).append(value)
    elif name == "feed":
        (query.excluded_feeds if minus else query.feeds).append(value)
    elif name == "is":
        state = value.casefold()
        if state not in _STATE_FILTERS:
            return f"is:{value} is not a state; use is:bookmarked, is:unread or is:read."
        state = "bookmarked" if state == "starred" else state
        (query.excluded_states if minus else query.states).add(state)
    elif name in ("said", "quote"):
        words = words_of(value)[:MAX_TERMS]
        if not words:
            return f"{name}:{value} has no words to look for."
        if name == "said":
            (query.excluded_speakers if minus else query.speakers).append(words)
        else:
            (query.excluded_quoting if minus else query.quoting).append(words)
    else:
        if minus:
            other = "before" if name == "after" else "after"
            return f"-{name}: cannot be negated; use {other}:{value} instead."
        if not _valid_date(value):
            return f"{name}:{value} is not a date; write it as 2024, 2024-07 or 2024-07-31."
        setattr(query, name, value)
    return ""


_EXAMPLES = {
    "tag": "NATO", "feed": "\"Harbour News\"", "is": "unread", "title": "lighthouse",
    "after": "2024-01-01", "before": "2024-02", "said": "Shoigu", "quote": "\"cluster munitions\"",
}  # fmt: skip


def _valid_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True

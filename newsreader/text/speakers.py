"""Finds who said each quotation of an article: `“…,” Shoigu said` → Sergey Shoigu.

Pure rules, no model: the quotation marks are paired as the article pane pairs them, then each
quotation's sentence is read for a reporting verb (said, told, added, warned … and a few in
Portuguese, German and French) and the words naming its subject, on either side of the quote.
A pronoun is resolved to the last person (`he`, `she`) or organisation (`it`, `they`) named
before it; a paragraph that goes on quoting keeps its speaker; an unnamed speaker is kept as
written; a short span with no reporting verb beside it is a quotation without a speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsreader.text.names import (
    CAPITALISED_RUN,
    NOT_NAMES,
    ORGANISATION_WORDS,
    TITLES,
    EntityKind,
    NameBook,
    clean_name,
    person_part,
    split_words,
)
from newsreader.text.quotation import KINDS, Kind, Quotation
from newsreader.text.quotes import EXTRACTOR_VERSION, QuoteSpan, top_level_quotations

__all__ = ["EXTRACTOR_VERSION", "KINDS", "Kind", "Quotation", "extract_quotations"]

_VERBS = split_words(
    """said says say told tells added adds wrote writes testified warned warns responded
    insisted insists noted notes recalled recalls asked asks explained explains stated
    declared announced argued argues claimed claims commented conceded confirmed continued
    cautioned emphasized emphasised estimated predicted replied reported stressed suggested
    acknowledged admitted observed remarked concluded complained agreed contended maintained
    urged tweeted posted countered quipped joked boasted vowed promised threatened disclosed
    revealed answered assured mentioned saying shouted whispered yelled pleaded conceded
    predicted advised reckoned highlighted
    disse diz afirmou afirma declarou explicou acrescentou ressaltou destacou completou
    sagte sagt erklärte betonte schrieb dit déclaré"""
)
VERB = "|".join(sorted(set(_VERBS), key=len, reverse=True))
_ADVERB = r"(?:(?:also|later|then|once|again|previously|recently|earlier|further|simply|only|"
_ADVERB += r"flatly|bluntly|quietly|repeatedly|publicly|privately|separately)\s+)?"
_MARKS = '“”"«»„‘’'
# After a quotation: `, X said`, `, said X`, `, according to X`.
_SUBJECT_VERB = re.compile(
    rf"^[\s,;:—–-]*(?P<np>[^,.;:!?{_MARKS}]{{1,80}}?)\s+{_ADVERB}(?P<verb>{VERB})\b"
)
_VERB_SUBJECT = re.compile(
    rf"^[\s,;:—–-]*(?P<verb>{VERB})\s+(?:(?:{VERB})\s+)?(?P<np>[^;:!?{_MARKS}]{{1,120}})"
)
_VERB_THEN_NAME = re.compile(
    rf"(?i:{VERB})\s+(?P<np>[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){{0,3}})\s*[:,]\s*$"
)
_AS_SAID = re.compile(rf"As (?P<np>[A-Z][\w’'.\-]*(?: [A-Z][\w’'.\-]*){{0,3}}) (?:{VERB})\b")
_LINK_NUMBER = re.compile(r"\s*\[\d+\]")  # where the feed parser numbered a link
_SIGNED = re.compile(r"^\s*[—–]\s*(?P<np>[A-Z][^,;:!?\[\]\n]{1,60})")
_ACCORDING = re.compile(rf"(?:according to|segundo|selon|laut)\s+(?P<np>[^;:!?{_MARKS}]{{1,120}})")
_REPORTING = re.compile(rf"(?:{_ADVERB})(?:{VERB})\b")
_ANY_VERB = re.compile(rf"\b(?i:{VERB})\b")
_VERB_WORD = re.compile(rf"\b(?:{VERB})\b")
# Where a speaker's noun phrase stops: a relative clause, a place or time, another verb.
_NP_END = re.compile(
    r",|(?<![A-Z])\.(?=\s|$)|\s(?:who|which|that|in|at|on|during|after|before|when|while|to|told|from|"
    r"via|through|last|this|yesterday|today|as|because|since|if|and said|but|was|is|has|had|"
    r"were|are)\s"
)
# A sentence ends at . ! ? (perhaps inside a closing mark) before a capital or an opening mark.
_SENTENCE_END = re.compile(r"[.!?][”\"’»]?\s+(?=[A-Z“\"‘«„])")
_ABBREVIATIONS = split_words("""mr mrs ms dr st jr sr inc corp co ltd gen lt col u.s u.k jan feb""")
_PRONOUNS: dict[str, tuple[EntityKind, ...]] = {
    "he": ("person",),
    "she": ("person",),
    "it": ("organisation",),
    "they": ("organisation",),
    "ele": ("person",),
    "ela": ("person",),
    "er": ("person",),
    "sie": ("person",),
    "il": ("person",),
    "elle": ("person",),
}
_ASIDES = frozenset(
    ["on", "in", "at", "via", "through", "during", "after", "who", "which", "whose", "speaking"]
)
_DOCUMENTS = split_words("report statement communique communiqué declaration letter study memo")
_NOT_IN_SPEAKERS = split_words(
    """to is are was were be been being going will would could should can may might must have
    has had do does did not never if"""
)
_DETERMINERS = ("the ", "a ", "an ", "some ", "one ", "two ", "several ", "many ", "other ")
_LEADING = re.compile(r"^(?:(?:and|but|so|also|earlier|later|meanwhile|now|then)\s+)+", re.I)
SHORT_WORDS = 2  # a quotation of at most this many words needs its verb right beside it
_NEAR_WORDS = 3  # ... within this many words


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str
    as_written: str
    kind: Kind
    start: int
    end: int


def extract_quotations(text: str) -> list[Quotation]:
    """Every outermost quotation of `text` in order, each with its speaker when the text says."""
    book = NameBook(text, _REPORTING)
    quotations = top_level_quotations(text)
    found: list[Quotation] = []
    previous: _Speaker | None = None
    previous_end = -1
    spoken: list[_Speaker] = []  # who has spoken so far, newest last
    for index, parts in enumerate(quotations):
        first, last = parts[0], parts[-1]
        paragraph_start = text.rfind("\n", 0, first.start) + 1
        paragraph_end = _paragraph_end(text, last.end)
        before_from = max(paragraph_start, _end_of(quotations, index - 1))
        after_to = min(paragraph_end, _start_of(quotations, index + 1, paragraph_end))
        speaker = _attribute(text, book, parts, before_from, after_to)
        if speaker is None and _opens_paragraph(text, first):
            speaker = _introduced(text, book, first.start) or _followed(text, book, last)
        short = _words_in(text, parts) <= SHORT_WORDS
        if speaker is None and not short:
            speaker = _subject_before(text, spoken, before_from, first.start)
        if speaker is None and previous is not None and previous_end >= 0 and not short:
            between = text[previous_end : first.start]
            continues = _opens_paragraph(text, first) and between.count("\n") <= 2
            if continues or not _sentence_after(between):
                speaker = previous
        if speaker is not None and speaker.kind != "pronoun":
            book.note(speaker.start, speaker.name, _entity(speaker))
        if speaker is not None:
            spoken.append(speaker)
        found.append(_quotation(text, parts, speaker))
        previous, previous_end = speaker, _attribution_end(text, last, after_to)
    return found


def _subject_before(
    text: str, spoken: list[_Speaker], before_from: int, quote_start: int
) -> _Speaker | None:
    """`Smith was upbeat. “We will win.”`: a quotation that opens a sentence right after one
    whose subject has spoken before in the article is theirs."""
    before = text[before_from:quote_start]
    if not before.rstrip().endswith((".", "!", "?", ":")):
        return None
    sentence_start = 0
    body = before.rstrip()
    for match in _SENTENCE_END.finditer(body):
        if not _is_abbreviation(body, match.start()):
            sentence_start = match.end()
    sentence = body[sentence_start:]
    lead = len(sentence) - len(_LEADING.sub("", sentence))
    subject = sentence[lead:].casefold()
    for earlier in reversed(spoken):
        for words in {earlier.as_written, earlier.name}:
            if words and subject.startswith(words.casefold() + " "):
                start = before_from + sentence_start + lead
                return _Speaker(earlier.name, words, earlier.kind, start, start + len(words))
    return None


def _entity(speaker: _Speaker) -> EntityKind:
    return "organisation" if speaker.kind == "organisation" else "person"


def _paragraph_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _end_of(quotations: list[tuple[QuoteSpan, ...]], index: int) -> int:
    return quotations[index][-1].end if index >= 0 else 0


def _start_of(quotations: list[tuple[QuoteSpan, ...]], index: int, default: int) -> int:
    return quotations[index][0].start if index < len(quotations) else default


def _introduced(text: str, book: NameBook, quote_start: int) -> _Speaker | None:
    """A quotation that opens a paragraph after one ending with a colon: `Rob Fahrni:`,
    `Shigeru Ishiba told reporters:`."""
    previous = text[:quote_start].rstrip()
    if not previous.endswith(":"):
        return None
    start = previous.rfind("\n") + 1
    intro = _LINK_NUMBER.sub(lambda m: " " * len(m.group()), previous[start:-1])
    if 0 < len(intro.split()) <= 4 and intro.strip()[:1].isupper() and not _VERB_WORD.search(intro):
        name = intro.strip()
        return _resolve(book, name, start + intro.index(name), quote_start)
    return _before_quote(text, book, intro + " ", start, quote_start, False)


def _followed(text: str, book: NameBook, last: QuoteSpan) -> _Speaker | None:
    """A paragraph that is only a quotation, then one opening `As Martin Abelmann said, …`."""
    end = _paragraph_end(text, last.end)
    if text[last.end : end].strip():
        return None
    following = text[end:].lstrip("\n")
    match = _AS_SAID.match(following)
    if match is None:
        return None
    start = len(text) - len(following) + match.start("np")
    return _resolve(book, match.group("np"), start, last.start)


def _opens_paragraph(text: str, span: QuoteSpan) -> bool:
    return not text[text.rfind("\n", 0, span.start) + 1 : span.start].strip()


def _sentence_after(between: str) -> bool:
    """Whether `between` (from one quotation's attribution to the next quotation) holds a
    sentence of its own: then the next quotation is not simply more of the same speech."""
    rest = _first_sentence_end(between)
    return bool(rest >= 0 and between[rest:].strip())


def _attribution_end(text: str, last: QuoteSpan, after_to: int) -> int:
    after = text[last.end : after_to]
    end = _first_sentence_end(after)
    return last.end + (end if end >= 0 else len(after))


def _first_sentence_end(text: str) -> int:
    for match in _SENTENCE_END.finditer(text):
        if not _is_abbreviation(text, match.start()):
            return match.end()
    return -1


def _is_abbreviation(text: str, dot: int) -> bool:
    word = text[:dot].rsplit(None, 1)[-1].casefold() if text[:dot].strip() else ""
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or "." in word


def _quotation(text: str, parts: tuple[QuoteSpan, ...], speaker: _Speaker | None) -> Quotation:
    pieces = []
    for part in parts:
        inner = text[part.start + 1 : part.end - 1 if part.closed else part.end]
        pieces.append(" ".join(inner.split()))
    # A quotation left open can end on the mark that closed one inside it: not its own.
    words = " ".join(pieces).strip().rstrip(",").strip().strip(_MARKS).strip()
    spans = tuple((part.start, part.end) for part in parts)
    if speaker is None:
        return Quotation(parts[0].start, parts[-1].end, words, parts=spans)
    return Quotation(
        parts[0].start,
        parts[-1].end,
        words,
        speaker.name,
        speaker.as_written,
        speaker.kind,
        speaker.start,
        speaker.end,
        spans,
    )


def _words_in(text: str, parts: tuple[QuoteSpan, ...]) -> int:
    return sum(len(text[part.start : part.end].split()) for part in parts)


def _attribute(
    text: str, book: NameBook, parts: tuple[QuoteSpan, ...], before_from: int, after_to: int
) -> _Speaker | None:
    first, last = parts[0], parts[-1]
    after_start = last.end
    after = text[after_start:after_to]
    end = _first_sentence_end(after)
    if end >= 0:
        after = after[:end]
    if found := _after_quote(text, book, after, after_start, first.start):
        return found  # the commonest case, so the sentence before is read only without it
    before = text[before_from : first.start]
    if not _ANY_VERB.search(before) and not _ACCORDING.search(before):
        return None  # no reporting verb in the paragraph before it
    sentence_start = 0
    for match in _SENTENCE_END.finditer(before):
        if not _is_abbreviation(before, match.start()):
            sentence_start = match.end()
    before_start = before_from + sentence_start
    before = before[sentence_start:]
    short = _words_in(text, parts) <= SHORT_WORDS
    return _before_quote(text, book, before, before_start, first.start, short)


def _after_quote(
    text: str, book: NameBook, after: str, offset: int, quote_start: int
) -> _Speaker | None:
    if match := _SIGNED.match(after):  # a blurb or an epigraph: `“…” — Leo Tolstoy`
        return _resolve(book, _np(match.group("np")), offset + match.start("np"), quote_start)
    if match := _VERB_SUBJECT.match(after):
        np_start = offset + match.start("np")
        if found := _resolve(book, _np(match.group("np")), np_start, quote_start):
            return found
    if match := _SUBJECT_VERB.match(after):
        np_start = offset + match.start("np")
        if found := _resolve(book, match.group("np"), np_start, quote_start):
            return found
    if match := _ACCORDING.match(after.lstrip(" ,;—–-")):
        np_start = offset + len(after) - len(after.lstrip(" ,;—–-")) + match.start("np")
        return _resolve(book, _np(match.group("np")), np_start, quote_start)
    return None


def _before_quote(
    text: str, book: NameBook, before: str, offset: int, quote_start: int, short: bool
) -> _Speaker | None:
    if match := _ACCORDING.search(before):
        found = _resolve(book, _np(match.group("np")), offset + match.start("np"), quote_start)
        if found is not None:
            return found
    if match := _VERB_THEN_NAME.search(before):  # `Says Shih: “…”`
        found = _resolve(book, match.group("np"), offset + match.start("np"), quote_start)
        if found is not None:
            return found
    verbs = list(_VERB_WORD.finditer(before))
    if not verbs:
        return None
    verb = verbs[-1]
    if short and len(before[verb.end() :].split()) > _NEAR_WORDS:
        return None  # a scare quote in a reported sentence, not the words reported
    clause = before[: verb.start()]
    adverb = re.search(rf"\s{_ADVERB}$", clause)
    if adverb and adverb.group().strip():
        clause = clause[: adverb.start()]
    subject, subject_start = _subject(clause)
    return _resolve(book, subject, offset + subject_start, quote_start)


def _subject(clause: str) -> tuple[str, int]:
    """The subject before a reporting verb: the last comma-separated piece of the clause that
    is not an aside (`Kyiv administration, on Telegram, said` → `Kyiv administration`)."""
    pieces = list(re.finditer(r"[^,;]+", clause))
    after_title = False
    for piece in reversed(pieces):
        words = piece.group().split()
        if not words:
            continue
        first = words[0].casefold()
        if all(w.casefold() in TITLES or w.casefold() in ("and", "of", "&") for w in words):
            after_title = True  # `… Tim Armstrong, Chairman and CEO said`: the title, not
            continue  # the speaker, who is named right before it
        if after_title and (name := _trailing_name(piece.group())):
            return name[0], piece.start() + name[1]
        if first in _ASIDES or (len(words) > 1 and first.endswith(("ed", "ing"))):
            continue  # `on Telegram`, `who is also oil minister`, `quoted by SPA`
        start = piece.start() + len(piece.group()) - len(piece.group().lstrip())
        return _np(piece.group().strip()), start
    return "", 0


def _trailing_name(text: str) -> tuple[str, int] | None:
    """The capitalised run that ends `text`, and where it starts."""
    runs = list(CAPITALISED_RUN.finditer(text.rstrip()))
    if runs and runs[-1].end() == len(text.rstrip()):
        return runs[-1].group(), runs[-1].start()
    return None


def _np(phrase: str) -> str:
    """A speaker's noun phrase without what follows it: `X of Y in New York` → `X of Y`."""
    phrase = _LEADING.sub("", phrase.strip())
    cut = _NP_END.search(phrase + " ")
    if cut and cut.start() > 0:
        phrase = phrase[: cut.start()]
    return phrase.strip(" ,.")


def _resolve(book: NameBook, phrase: str, start: int, quote_start: int) -> _Speaker | None:
    """Who `phrase` (found at `start`) names, as a speaker of the quotation at `quote_start`."""
    lead = len(phrase) - len(_LEADING.sub("", phrase))
    phrase, start = phrase[lead:].strip(" ,"), start + lead
    if not phrase or len(phrase.split()) > 12:
        return None
    folded = phrase.casefold()
    if folded in _PRONOUNS:
        mention = book.last_speaker_before(quote_start, _PRONOUNS[folded])
        if mention is None and folded in ("they", "it"):
            mention = book.last_before(quote_start, ("person",)) if folded == "it" else None
        if mention is None:
            return None
        return _Speaker(mention.name, phrase, "pronoun", start, start + len(phrase))
    if folded in ("i", "we", "you", "eu", "nós", "ich", "wir", "je", "nous"):
        return None
    if phrase[0].isupper() and phrase.split()[0].casefold() not in NOT_NAMES:
        return _named(book, phrase, start)
    # `harbour master Jane Smith`, `oil analyst Paul Mlotok`: a role, then the person.
    name = _trailing_name(phrase)
    if name is not None and book.kind_of(clean_name(name[0])[0]) == "person":
        return _named(book, name[0], start + name[1])
    return _unnamed(book, phrase, start, quote_start)


def _named(book: NameBook, phrase: str, start: int) -> _Speaker | None:
    runs = list(CAPITALISED_RUN.finditer(phrase))
    if not runs:
        return None
    # `E.F. Hutton Group analyst Michael Lewis`: the person, not the employer before them.
    run = next((r for r in runs if _is_person(book, person_part(r.group()))), runs[0])
    text = person_part(run.group())
    name, dropped = clean_name(text)
    rest = phrase[run.start() + len(text) :].split()
    if not name:
        return None
    describes_employer = bool(rest) and rest[0].casefold() in ("of", "for", "with", "at")
    if rest and not describes_employer and any(w.casefold() in ORGANISATION_WORDS for w in rest):
        # `Kyiv regional military administration`: a body named partly in small letters.
        return _Speaker(phrase, phrase, "organisation", start, start + len(phrase))
    if rest and rest[0].casefold() not in ("of", "for", "with", "at") and rest[0][:1].islower():
        # `NATO allies`: a capitalised word qualifying a group; the group speaks.
        return _Speaker(phrase, phrase, "organisation", start, start + len(phrase))
    kind = book.kind_of(name) or "person"
    name_start = start + dropped
    full = book.fullest_person(name) if kind == "person" else book.fullest(name, kind)
    speaker_kind: Kind = "named" if kind == "person" else "organisation"
    return _Speaker(full, name, speaker_kind, name_start, name_start + len(name))


def _is_person(book: NameBook, run: str) -> bool:
    return book.kind_of(clean_name(run)[0]) == "person"


def _document_owner(book: NameBook, document: str, position: int) -> str | None:
    """The organisation last named as the author of a `document` before `position`
    (`the U.S. Embassy report`)."""
    text = book.text[:position]
    owners = [
        mention.name
        for mention in book.mentions
        if mention.kind == "organisation"
        and mention.end < position
        and text[mention.end : mention.end + len(document) + 1].strip().casefold() == document
    ]
    return owners[-1] if owners else None


def _unnamed(book: NameBook, phrase: str, start: int, quote_start: int) -> _Speaker | None:
    words = phrase.split()
    if not any(word[:1].isalpha() for word in words):
        return None
    head = words[-1].casefold().strip(".,")
    definite = phrase.casefold().startswith("the ") and len(words) == 2
    if definite and head in ORGANISATION_WORDS:  # `the company`: the one named last
        mention = book.last_before(quote_start, ("organisation",))
        name = mention.name if mention is not None else phrase
        return _Speaker(name, phrase, "organisation", start, start + len(phrase))
    if definite and head in _DOCUMENTS:  # `the report says`: the body that wrote it
        owner = _document_owner(book, head, quote_start)
        if owner is not None:
            return _Speaker(owner, phrase, "organisation", start, start + len(phrase))
    if definite and head in ("minister", "president", "chairman", "spokesman", "official"):
        mention = book.last_before(quote_start, ("person",))
        if mention is not None:
            return _Speaker(mention.name, phrase, "named", start, start + len(phrase))
    if not phrase.casefold().startswith(_DETERMINERS) and len(words) > 6:
        return None  # a long lower-case phrase with no determiner is a clause, not a speaker
    if any(word.casefold() in _NOT_IN_SPEAKERS or "’" in word or "'" in word for word in words):
        return None  # `some day someone’s going to`, `I bet you’re`: a clause, not a speaker
    return _Speaker(phrase, phrase, "unnamed", start, start + len(phrase))

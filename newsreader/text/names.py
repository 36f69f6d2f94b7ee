"""Finds the people and organisations an article names, and the fullest form of each name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

EntityKind = Literal["person", "organisation"]


def split_words(text: str) -> frozenset[str]:
    """A word list written as text, for lists too long to read as Python strings."""
    return frozenset(text.split())


# A run of capitalised words, with the small words names and bodies carry inside them
# (`Bank of America`, `Osama bin Laden`, `Ludwig van Beethoven`) and initials (`David T.`).
_WORD = r"(?:[A-ZÀ-ÖØ-Þ]|(?:al|el|bin|ibn|de|van|von)-[A-ZÀ-ÖØ-Þa-z])[\w’'.\-]*"
_CONNECTOR = r"(?:of|for|de|da|do|dos|van|von|der|bin|al|del|la|le|du|y|and|&)"
CAPITALISED_RUN = re.compile(rf"{_WORD}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)?{_WORD})*")

TITLES = split_words(
    """mr mrs ms miss dr prof professor sir dame lord lady president vice prime minister
    secretary chairman chairwoman chair chief executive officer director spokesman
    spokeswoman spokesperson senator sen rep representative governor gov mayor general gen
    col colonel lt lieutenant major king queen prince princess pope judge justice defense
    defence foreign finance oil energy interior economy trade deputy state analyst economist
    editor ceo cfo coo cto founder co-founder cofounder head leader commander ambassador
    attorney chancellor premier sheikh admiral captain sergeant reverend rev father saint st
    senior junior managing assistant associate commissioner superintendent inspector
    detective agent officer congressman congresswoman councillor councilman councilwoman
    sheriff emir ayatollah petroleum economic affairs health education labour labor justice
    home minister's president's secretary-general undersecretary under"""
)
ORGANISATION_WORDS = split_words(
    """inc inc. corp corp. corporation co co. company companies ltd ltd. llc plc ag sa nv gmbh
    group bank ministry administration agency association council commission committee
    department office service services police army navy forces force party union university
    institute foundation fund organization organisation authority board bureau court
    congress parliament senate government reuters times post journal news network television
    radio channel associates partners brothers holdings industries international airlines
    motors systems technologies labs kremlin pentagon exchange federation alliance coalition
    cabinet embassy consulate command military securities capital investments trust
    communique communiqué center centre division"""
)
PLACES = split_words(
    """united states america u.s. us usa uk britain england france germany russia china japan
    india iran iraq kuwait saudi arabia israel egypt syria turkey ukraine canada mexico
    brazil italy spain poland lithuania vilnius kyiv kiev moscow washington london paris
    berlin tokyo beijing new york york hong kong singapore venezuela nigeria indonesia
    norway sweden netherlands belgium switzerland austria australia europe asia africa texas
    california opec ecuador qatar oman bahrain libya algeria angola gabon emirates dubai abu
    dhabi arab taiwan korea vietnam pakistan afghanistan argentina chile colombia peru south
    north east west central gulf atlantic pacific middle caribbean brasil são paulo rio
    janeiro"""
)
# Capitalised only because they start a sentence or name a day or month.
NOT_NAMES = split_words(
    """the a an in on at but and or if when while after before earlier later meanwhile however
    this that these those it he she they we i his her their our its you your there here
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday tomorrow as for
    with from by to of so yet also still then thus according despite although though"""
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text: where it is, the name as written, and what it names."""

    start: int
    end: int
    name: str
    kind: EntityKind
    spoke: bool = False  # a speaker found by the rules, or named right beside a reporting verb


def _fold(word: str) -> str:
    return word.casefold().strip(".,’'")


def clean_name(run: str) -> tuple[str, int]:
    """A capitalised run without what precedes the name in it (`Russia’s Defense Minister
    Sergey Shoigu` → `Sergey Shoigu`): the name and how many characters were dropped."""
    words = run.split()
    keep = 0
    for index, word in enumerate(words):
        if word.endswith(("’s", "'s")):  # a possessive: the name follows it
            keep = index + 1
    while keep < len(words) - 1 and (
        _fold(words[keep]) in TITLES or _fold(words[keep]) in NOT_NAMES
    ):
        keep += 1
    # `NYMEX President Rosemary McFadden`, `Saudi Arabian Oil Minister Hisham Nazer`: a title
    # further in ends what describes the person.
    for index in range(len(words) - 2, keep - 1, -1):
        if _fold(words[index]) in TITLES and words[index + 1][:1].isupper():
            keep = index + 1
            break
    dropped = len(" ".join(words[:keep])) + (1 if keep else 0)
    name = " ".join(words[keep:]).rstrip(".,’'") if keep < len(words) else ""
    if name.endswith((" Inc", " Corp", " Co", " Ltd")) and run.rstrip().endswith("."):
        name += "."  # keep the abbreviation's own dot
    return name, dropped


def kind_of(name: str) -> EntityKind | None:
    """What a cleaned capitalised run names, when its words say; None when they do not."""
    words = [_fold(word) for word in name.split()]
    if not words or words[-1] in NOT_NAMES or words[0] in NOT_NAMES:
        return None
    if any(word in ORGANISATION_WORDS for word in words) or "and" in words or "&" in words:
        return "organisation"  # a person's name never joins two with `and`
    letters = name.replace(".", "").replace("-", "").replace(" ", "")
    if len(letters) >= 2 and letters.isupper() and letters.isalpha():
        return "organisation"  # an acronym: OPEC, NATO, CERA
    if " ".join(words) in PLACES or all(word in PLACES for word in words):
        return None
    if 2 <= len(words) <= 4 and all(w[:1].isalpha() for w in name.split()):
        return "person"
    return None


def person_part(run: str) -> str:
    """A run without the body a person is `of`: `Larry Eckenfelder of Prudential-Bache`."""
    for connector in (" of ", " for ", " at "):
        left = run.split(connector, 1)[0]
        if left != run and kind_of(clean_name(left)[0]) == "person":
            return left
    return run


class NameBook:
    """The people and organisations named in one text, in order, for canonical names and for
    resolving `he`, `she`, `it` and `they` to what was named last."""

    def __init__(self, text: str, reporting: re.Pattern[str] | None = None) -> None:
        self._reporting = reporting
        self.text = text
        self._mentions: list[Mention] | None = None
        self._noted: list[Mention] = []
        self._surnames: set[str] = set()

    @property
    def mentions(self) -> list[Mention]:
        """Found on first use: an article whose speakers are all `an official` needs none."""
        if self._mentions is None:
            self._mentions = []
            self._find_mentions()
            self._mentions = sorted([*self._mentions, *self._noted], key=lambda m: m.start)
            self._surnames = {m.name.split()[-1] for m in self._mentions if m.kind == "person"}
        return self._mentions

    def _find_mentions(self) -> None:
        for match in CAPITALISED_RUN.finditer(self.text):
            run = match.group()
            head, of, body = run.partition(" of ")
            if of and " " not in head and kind_of(body) == "organisation":
                # `Shares of Allied Signal Inc` at a sentence's start: the body is the name.
                self._add(match.start() + len(head) + len(of), body)
                continue
            person = person_part(run)
            if person != run:  # `Perrin Long of Lipper Analytical`: a person, then a body
                self._add(match.start(), person, match.end())
                rest = run[len(person) :].split(None, 1)[1]
                self._add(match.start() + run.index(rest, len(person)), rest)
            else:
                self._add(match.start(), run)

    def _add(self, start: int, run: str, run_end: int = -1) -> None:
        assert self._mentions is not None
        if " " not in run and not (len(run) > 1 and run.isupper()):
            return  # one word and not an acronym: names nothing by itself
        name, dropped = clean_name(run)
        kind = kind_of(name) if name else None
        if kind is not None:
            begin, end = start + dropped, start + dropped + len(name)
            spoke = self._beside_verb(begin, max(end, run_end))
            self._mentions.append(Mention(begin, end, name, kind, spoke))

    def _beside_verb(self, start: int, end: int) -> bool:
        """`X said`, `X, who is also oil minister, said`, `said X`."""
        if self._reporting is None:
            return False
        after = self.text[end : end + 80]
        candidates = [after.lstrip(" ,")]
        if after.startswith(","):  # past an aside between commas
            aside_end = after.find(",", 1)
            if aside_end > 0:
                candidates.append(after[aside_end:].lstrip(" ,"))
        before = self.text[max(0, start - 20) : start].rstrip(" ,").rsplit(None, 1)
        return any(self._reporting.match(text) for text in candidates) or bool(
            before and self._reporting.fullmatch(before[-1])
        )

    def kind_of(self, name: str) -> EntityKind | None:
        """`kind_of`, also knowing a surname this text gives in full elsewhere."""
        kind = kind_of(name)
        if kind is None and name in self.surnames:
            return "person"
        if kind is None and any(name in m.name.split() for m in self.mentions):
            return next(m.kind for m in self.mentions if name in m.name.split())
        return kind

    def fullest(self, name: str, kind: EntityKind) -> str:
        """The longest form of `name` this text gives: `Shoigu` → `Sergey Shoigu`."""
        words = name.split()
        best = name
        for mention in self.mentions:
            if mention.kind != kind or len(mention.name) <= len(best):
                continue
            theirs = mention.name.split()
            if (kind == "person" and theirs[-1] == words[-1]) or (
                kind == "organisation" and _contains(theirs, words)
            ):
                best = mention.name
        return best

    def fullest_person(self, name: str) -> str:
        """`fullest`, and for one name alone that no longer name ends with, the longest that
        begins with it: `Sheikh Ali` → `Ali al-Khalifa al-Sabah`."""
        full = self.fullest(name, "person")
        if full != name or " " in name:
            return full
        starting = [
            m.name for m in self.mentions if m.kind == "person" and m.name.split()[0] == name
        ]
        return max(starting, key=len, default=name)

    def last_before(self, position: int, kinds: tuple[EntityKind, ...]) -> Mention | None:
        """The last mention of one of `kinds` that ends before `position`."""
        found = None
        for mention in self.mentions:
            if mention.end > position:
                break
            if mention.kind in kinds:
                found = mention
        return found

    def last_speaker_before(self, position: int, kinds: tuple[EntityKind, ...]) -> Mention | None:
        """The last of `kinds` named as speaking before `position` (`he said` means, in news,
        the one who spoke last), else the last of them named at all."""
        found = None
        for mention in self.mentions:
            if mention.end > position:
                break
            if mention.kind in kinds and mention.spoke:
                found = mention
        return found or self.last_before(position, kinds)

    @property
    def surnames(self) -> set[str]:
        self.mentions  # noqa: B018 (found on first use)
        return self._surnames

    def note(self, start: int, name: str, kind: EntityKind) -> None:
        """Remember a speaker the rules found, in text order."""
        mention = Mention(start, start + len(name), name, kind, True)
        if self._mentions is None:
            self._noted.append(mention)
            return
        self._mentions = sorted([*self._mentions, mention], key=lambda m: m.start)
        if kind == "person":
            self._surnames.add(name.split()[-1])


def _contains(words: list[str], part: list[str]) -> bool:
    size = len(part)
    return any(words[i : i + size] == part for i in range(len(words) - size + 1))

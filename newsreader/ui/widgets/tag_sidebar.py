"""The tag sidebar: All, Bookmarks, Unread, Muted, saved searches, the feeds, the most quoted
people, then every tag with its count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.library.selection import ALL, BOOKMARKS, MUTED, UNREAD, Selection, SidebarCounts
from newsreader.model import TagCount
from newsreader.text.sanitize import for_display
from newsreader.ui.guards import PagingOptionList

_SPECIAL = {"all": ALL, "bookmarks": BOOKMARKS, "unread": UNREAD, "muted": MUTED}


PROMPT_WIDTH = 22


def _prompt(label: str, count: int) -> Content:
    """The label, then its count flush right. Content(label): a tag is article text, and must
    never be read as markup."""
    number = f"{count:,}"
    name = Content(for_display(label, single_line=True))
    name = name.truncate(PROMPT_WIDTH - len(number) - 1, ellipsis=True)
    gap = " " * max(1, PROMPT_WIDTH - name.cell_length - len(number))
    return Content.assemble(name, gap, (number, "$text-muted"))


def _group(
    options: list[Option | None],
    title: str,
    prefix: str,
    entries: Sequence[TagCount],
    always: bool = False,
) -> dict[str, str]:
    """Append a titled group of entries (only when there are some, unless `always`) and
    return each entry's option id mapped to its name."""
    names: dict[str, str] = {}
    if not entries and not always:
        return names
    options += [None, Option(Content.styled(title, "bold $text-muted"), disabled=True)]
    for position, entry in enumerate(entries):
        option_id = f"{prefix}-{position}"
        names[option_id] = entry.name
        options.append(Option(_prompt(entry.name, entry.count), id=option_id))
    return names


class TagSidebar(PagingOptionList):
    """Posts `Chosen` when a person picks an entry (enter or click)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="tags.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tags.up"),
        Binding("enter", "select", "Choose tag", id="tags.choose"),
    ]

    @dataclass
    class Chosen(Message):
        selection: Selection

    @dataclass
    class SavedChosen(Message):
        """A saved search: its query runs as a search."""

        name: str

    @dataclass
    class PersonChosen(Message):
        """A person of the People group: their quotations across the library."""

        name: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tag_names: dict[str, str] = {}
        self._feed_names: dict[str, str] = {}
        self._person_names: dict[str, str] = {}
        self._saved_names: dict[str, str] = {}
        self._counts: SidebarCounts | None = None
        self._people: tuple[TagCount, ...] = ()
        self._saved: tuple[TagCount, ...] = ()
        self._muted = 0

    def show_saved(self, saved: Sequence[TagCount], muted: int) -> None:
        """The saved searches with their live counts, and how many articles are muted (the
        Muted entry shows only when some are)."""
        self._saved, self._muted = tuple(saved), muted
        if self._counts is not None:
            self.show_counts(self._counts)

    def show_people(self, people: Sequence[TagCount]) -> None:
        """The People group's speakers and counts (most quoted first); none: no group."""
        self._people = tuple(people)
        if self._counts is not None:
            self.show_counts(self._counts)

    def show_counts(self, counts: SidebarCounts) -> None:
        """Rebuild the entries (after loading); keeps the highlighted entry where it was."""
        self._counts = counts
        keep = self.highlighted
        kept_id = self.get_option_at_index(keep).id if keep is not None else None
        options: list[Option | None] = [
            Option(_prompt("All", counts.total), id="all"),
            Option(_prompt("★ Bookmarks", counts.bookmarked), id="bookmarks"),
            Option(_prompt("Unread", counts.unread), id="unread"),
        ]
        if self._muted:
            options.append(Option(_prompt("Muted", self._muted), id="muted"))
        self._saved_names = _group(options, "Saved", "saved", self._saved)
        self._feed_names = _group(options, "Feeds", "feed", counts.feeds)
        self._person_names = _group(options, "People", "person", self._people)
        self._tag_names = _group(options, "Tags", "tag", counts.tags, always=True)
        self.set_options(options)
        if options:
            # The same entry if it is still there: a group that appears above it (People,
            # counted after the rest) must not move the highlight to another entry.
            ids = [option.id for option in options if option is not None]
            if kept_id is not None and kept_id in ids:
                self.highlighted = self.get_option_index(kept_id)
            else:
                self.highlighted = min(keep or 0, self.option_count - 1)

    def update_state_counts(self, counts: SidebarCounts) -> None:
        """Only the Bookmarks and Unread numbers change when a key is pressed: redraw just them."""
        if self.option_count:
            self._replace_count("bookmarks", _prompt("★ Bookmarks", counts.bookmarked))
            self._replace_count("unread", _prompt("Unread", counts.unread))

    def _replace_count(self, option_id: str, prompt: Content) -> None:
        """Give the entry `option_id` a new one-line prompt, redrawing that line alone.

        `OptionList.replace_option_prompt` forgets every entry's drawing and redraws the whole
        list (9 ms of a 16 ms frame at a bookmark); a count keeps its entry one line tall, so
        only its own drawing needs to go. This leans on OptionList's internals in Textual 8.2.8
        (`_set_prompt`, `_option_render_cache`, `_index_to_line`, `_divider`): where they are
        not as expected, it falls back to `replace_option_prompt`.
        """
        option = self.get_option(option_id)
        if option.prompt == prompt:
            return  # the same number: nothing to draw
        index = self.get_option_index(option_id)
        cache = getattr(self, "_option_render_cache", None)
        line = getattr(self, "_index_to_line", {}).get(index)
        # The entry above a group's gap carries the gap's rule as its second line.
        one_line = 1 + bool(getattr(option, "_divider", False))
        if cache is None or line is None or self._heights.get(index) != one_line:
            self.replace_option_prompt(option_id, prompt)
            return
        option._set_prompt(prompt)
        drawn = cache.keys()  # an LRUCache: no iteration of its own
        for key in [key for key in drawn if key[0] is option]:
            cache.discard(key)
        self.refresh(Region(0, line - round(self.scroll_offset.y), self.size.width, 1))

    def selection_of(self, option_id: str | None) -> Selection | None:
        if option_id in _SPECIAL:
            return _SPECIAL[option_id]
        if option_id in self._tag_names:
            return Selection.of_tag(self._tag_names[option_id])
        if option_id in self._feed_names:
            return Selection.of_feed(self._feed_names[option_id])
        return None

    def person_of(self, option_id: str | None) -> str | None:
        return self._person_names.get(option_id) if option_id is not None else None

    def saved_of(self, option_id: str | None) -> str | None:
        return self._saved_names.get(option_id) if option_id is not None else None

    def highlight_saved(self, name: str) -> None:
        for option_id, saved in self._saved_names.items():
            if saved == name:
                self.highlighted = self.get_option_index(option_id)
                return

    def highlight_person(self, name: str) -> None:
        for option_id, person in self._person_names.items():
            if person == name:
                self.highlighted = self.get_option_index(option_id)
                return

    def highlight_tag(self, name: str) -> None:
        for option_id, tag in self._tag_names.items():
            if tag.casefold() == name.casefold():
                self.highlighted = self.get_option_index(option_id)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        saved = self.saved_of(event.option.id)
        if saved is not None:
            self.post_message(self.SavedChosen(saved))
            return
        person = self.person_of(event.option.id)
        if person is not None:
            self.post_message(self.PersonChosen(person))
            return
        selection = self.selection_of(event.option.id)
        if selection is not None:
            self.post_message(self.Chosen(selection))

"""config.toml, read and checked; no file means today's reader, so auto-refresh is off (0)."""

# Decisions (the issue leaves them open):
# - A missing file, and a missing setting, both give today's behaviour: refresh_every is 0 (the
#   reader did not refresh by itself before), theme textual-dark, order newest, nothing hidden.
# - refresh_every is 0 or between 5s and 720h: a local feed may be watched closely (conditional
#   GETs keep that cheap for a server that answers them), anything shorter would hammer the feeds'
#   servers, and a timer of years is a typo. A [[feeds]] block without it follows [reader]'s;
#   "0" there means that feed is refreshed only by hand.
# - A binding's keys may be "m,ctrl+b" or ["m", "ctrl+b"]; `reader.bookmark = "m"` without quotes
#   (a dotted key, i.e. a [keys.reader] table) means the same as "reader.bookmark" = "m".
# - Two [[feeds]] blocks for one address are an error: which one wins would be a guess.
# - Values are kept exactly as written (control characters included) and only escaped when
#   shown: in an error message, or in `describe` rows. Nothing here writes to disk.

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import platformdirs

from newsreader.config_values import (
    DURATION_HINT,
    EXAMPLE_CONFIG,
    ConfigError,
    Where,
    format_duration,
    is_web_address,
    line_of,
    locate,
    parse_duration,
    printable,
    read_text,
    same_feed_url,
    show,
    show_key,
    split_keys,
    toml_problem,
)

__all__ = [
    "ConfigError",
    "FeedSettings",
    "Settings",
    "config_path",
    "describe",
    "example_config",
    "feed_settings",
    "format_duration",
    "load_settings",
    "parse_duration",
]

SECTIONS = ("reader", "keys", "feeds", "mute")
READER_SETTINGS = ("theme", "refresh_every", "hide_read", "order")
FEED_SETTINGS = ("url", "refresh_every", "full_text", "tags")
MUTE_SETTINGS = ("queries",)
ORDERS = ("newest", "oldest", "title", "feed")
DEFAULT_THEME = "textual-dark"
MIN_REFRESH, MAX_REFRESH = 5.0, 720 * 3600.0


@dataclass(frozen=True)
class FeedSettings:
    """One [[feeds]] block: settings for the subscription with this URL."""

    url: str
    refresh_every: float | None = None  # seconds; None: as [reader], 0: only by hand
    full_text: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """The effective settings; the defaults are the reader as it is without a config file."""

    path: Path
    exists: bool = False
    theme: str = DEFAULT_THEME
    refresh_every: float = 0.0  # seconds; 0: no auto-refresh
    hide_read: bool = False
    order: str = "newest"
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    feeds: tuple[FeedSettings, ...] = ()
    mute_queries: tuple[str, ...] = ()


def config_path() -> Path:
    """$NEWSREADER_CONFIG, else config.toml in the user config folder."""
    override = os.environ.get("NEWSREADER_CONFIG")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("newsreader") / "config.toml"


def load_settings(
    path: Path | None = None,
    binding_ids: Collection[str] | None = None,
    themes: Collection[str] | None = None,
) -> Settings:
    """The settings in `path` (default: `config_path()`); ConfigError if the file is wrong.

    `binding_ids` and `themes` are the names the UI knows: when given, any other is an error."""
    path = config_path() if path is None else path
    text = read_text(path)
    if text is None:
        return Settings(path=path)
    import tomllib  # here: no file, no parser to load (every command reads the settings)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(path, *toml_problem(str(error), text)) from None
    return _Checker(path, text, binding_ids, themes).settings(data)


def feed_settings(settings: Settings, url: str) -> FeedSettings | None:
    """The [[feeds]] block for `url`, ignoring a trailing slash and the case of scheme and host."""
    wanted = same_feed_url(url)
    return next((feed for feed in settings.feeds if same_feed_url(feed.url) == wanted), None)


def describe(settings: Settings) -> list[tuple[str, str]]:
    """The effective settings as (name, value) rows, escaped so they print safely."""
    rows = [
        ("file", str(settings.path) + ("" if settings.exists else " (none: the defaults)")),
        ("reader.theme", settings.theme),
        ("reader.refresh_every", _off(settings.refresh_every)),
        ("reader.hide_read", "true" if settings.hide_read else "false"),
        ("reader.order", settings.order),
    ]
    rows += [(f"keys.{binding}", ",".join(keys)) for binding, keys in settings.keys.items()]
    rows += [("keys", "none")] if not settings.keys else []
    for index, feed in enumerate(settings.feeds):
        every = "as reader" if feed.refresh_every is None else _off(feed.refresh_every)
        rows += [
            (f"feeds[{index}].url", feed.url),
            (f"feeds[{index}].refresh_every", every),
            (f"feeds[{index}].full_text", "true" if feed.full_text else "false"),
            (f"feeds[{index}].tags", ", ".join(feed.tags) or "none"),
        ]
    rows += [("feeds", "none")] if not settings.feeds else []
    rows += [(f"mute.queries[{i}]", query) for i, query in enumerate(settings.mute_queries)]
    rows += [("mute.queries", "none")] if not settings.mute_queries else []
    return [(printable(name), printable(value)) for name, value in rows]


def example_config() -> str:
    """A commented config.toml showing every setting, for `newsreader config --example`."""
    return EXAMPLE_CONFIG


def _off(seconds: float) -> str:
    return format_duration(seconds) + (" (off)" if seconds == 0 else "")


class _Checker:
    """Turns parsed TOML into Settings, or raises ConfigError at the line of the first problem."""

    def __init__(
        self,
        path: Path,
        text: str,
        binding_ids: Collection[str] | None,
        themes: Collection[str] | None,
    ) -> None:
        self.path, self.text = path, text
        self.binding_ids, self.themes = binding_ids, themes

    def fail(self, where: Where, reason: str) -> NoReturn:
        # Lines are found only now: a good file never pays for the second reading.
        raise ConfigError(self.path, line_of(locate(self.text), where), reason)

    def settings(self, data: dict[str, Any]) -> Settings:
        for name in data:
            if name in READER_SETTINGS:
                self.fail((name,), f"{show_key(name)} is not a section; put it under [reader]")
            if name not in SECTIONS:
                self.fail(
                    (name,),
                    f"[{show_key(name)}] is not a section; "
                    "the sections are [reader], [keys], [[feeds]] and [mute]",
                )
        reader = self.table(data, "reader", READER_SETTINGS)
        mute = self.table(data, "mute", MUTE_SETTINGS)
        return Settings(
            path=self.path,
            exists=True,
            theme=self.theme(reader.get("theme", DEFAULT_THEME)),
            refresh_every=self.duration(reader, ("reader", "refresh_every")) or 0.0,
            hide_read=self.boolean(reader, ("reader", "hide_read")),
            order=self.order(reader.get("order", "newest")),
            keys=self.keys(self.table(data, "keys", None)),
            feeds=self.feeds(data.get("feeds", [])),
            mute_queries=self.strings(mute, ("mute", "queries"), "search queries"),
        )

    def table(self, data: dict[str, Any], name: str, known: tuple[str, ...] | None) -> Any:
        table = data.get(name, {})
        if not isinstance(table, dict):
            self.fail((name,), f"{name} must be a table: write [{name}] with its settings below")
        for key in table if known else ():
            self.unknown((name,), key, known or (), f"[{name}]")
        return table

    def unknown(self, where: Where, key: str, known: tuple[str, ...], label: str) -> None:
        if key not in known:
            self.fail(
                (*where, key),
                f"{show_key(key)} is not a setting of {label}; the settings are {', '.join(known)}",
            )

    def string(self, value: Any, where: Where) -> str:
        if not isinstance(value, str) or not value.strip():
            name = show_key(str(where[-1]))
            self.fail(where, f'{name} = {show(value)} is not a name; write it in quotes, like "…"')
        return value.strip()

    def theme(self, value: Any) -> str:
        theme = self.string(value, ("reader", "theme"))
        if self.themes is not None and theme not in self.themes:
            self.fail(("reader", "theme"), self.unknown_name("theme", theme, self.themes))
        return theme

    def order(self, value: Any) -> str:
        if value not in ORDERS:
            known = ", ".join(ORDERS)
            self.fail(
                ("reader", "order"),
                f"order = {show(value)} is not an order; the orders are {known}",
            )
        return str(value)

    def unknown_name(self, kind: str, value: str, known: Collection[str]) -> str:
        import difflib  # only on this error: not on every start

        close = difflib.get_close_matches(value, list(known), n=1)
        guess = f" (did you mean {show(close[0])}?)" if close else ""
        if kind == "binding id":
            return (
                f"{show(value)} is not a binding id{guess}; `newsreader config --keys` lists them"
            )
        names = ", ".join(sorted(known))
        return f"{kind} = {show(value)} is not a {kind}{guess}; the {kind}s are {names}"

    def boolean(self, table: dict[str, Any], where: Where) -> bool:
        value = table.get(str(where[-1]), False)
        if not isinstance(value, bool):
            key = where[-1]
            self.fail(where, f"{key} = {show(value)} is not true or false; write true or false")
        return value

    def duration(self, table: dict[str, Any], where: Where) -> float | None:
        key, value = str(where[-1]), table.get(str(where[-1]))
        if value is None:
            return None
        if type(value) is int and value == 0:  # `refresh_every = 0` is what people write for off
            value = "0"
        try:
            seconds = parse_duration(value) if isinstance(value, str) else -1.0
        except ValueError:
            seconds = -1.0
        if seconds < 0:
            self.fail(where, f"{key} = {show(value)} is not a duration; {DURATION_HINT}")
        if 0 < seconds < MIN_REFRESH:
            self.fail(where, f"{key} = {show(value)} is too often; the shortest is 5s")
        if seconds > MAX_REFRESH:
            self.fail(where, f"{key} = {show(value)} is too long; the longest is 720h (30 days)")
        return seconds

    def keys(self, table: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        keys: dict[str, tuple[str, ...]] = {}
        for parts, value in _flatten(table, ()):
            binding, where = ".".join(parts), ("keys", *parts)
            if self.binding_ids is not None and binding not in self.binding_ids:
                self.fail(where, self.unknown_name("binding id", binding, self.binding_ids))
            try:  # split_keys says "is not a key" for anything but text
                keys[binding] = split_keys(value if isinstance(value, str | list) else [value])
            except ValueError as problem:
                self.fail(where, f"{show_key(binding)} = {show(value)} {problem}")
        return keys

    def feeds(self, blocks: Any) -> tuple[FeedSettings, ...]:
        if not isinstance(blocks, list) or not all(isinstance(block, dict) for block in blocks):
            self.fail(("feeds",), "feeds must be [[feeds]] blocks, with two brackets, one a feed")
        feeds: list[FeedSettings] = []
        seen: dict[str, int] = {}
        for index, block in enumerate(blocks):
            where: Where = ("feeds", index)
            for key in block:
                self.unknown(where, key, FEED_SETTINGS, "[[feeds]]")
            if "url" not in block:
                self.fail(where, 'this [[feeds]] block has no url; add url = "https://…"')
            url = block["url"].strip() if isinstance(block["url"], str) else block["url"]
            if not isinstance(url, str) or not is_web_address(url):
                self.fail((*where, "url"), f"url = {show(url)} is not an http or https address")
            if same_feed_url(url) in seen:
                earlier = line_of(locate(self.text), ("feeds", seen[same_feed_url(url)]))
                self.fail(
                    (*where, "url"), f"this feed has a [[feeds]] block already, at line {earlier}"
                )
            seen[same_feed_url(url)] = index
            feeds.append(
                FeedSettings(
                    url=url,
                    refresh_every=self.duration(block, (*where, "refresh_every")),
                    full_text=self.boolean(block, (*where, "full_text")),
                    tags=self.strings(block, (*where, "tags"), "tags"),
                )
            )
        return tuple(feeds)

    def strings(self, table: dict[str, Any], where: Where, what: str) -> tuple[str, ...]:
        """A list of non-empty strings (tags, queries), trimmed, without repeats."""
        key, value = str(where[-1]), table.get(str(where[-1]), [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(where, f'{key} = {show(value)} is not a list of {what}; write {key} = ["…"]')
        if not all(item.strip() for item in value):
            self.fail(where, f"{key} = {show(value)} has an empty one; remove it")
        unique: dict[str, str] = {}
        for item in value:  # "Local" and "local" are one tag (tags compare without case)
            unique.setdefault(item.strip().casefold(), item.strip())
        return tuple(unique.values())


def _flatten(
    table: dict[str, Any], prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """[keys] as (binding id parts, value): `reader.bookmark = "m"` nests a table in TOML."""
    for name, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, (*prefix, name))
        else:
            yield (*prefix, name), value

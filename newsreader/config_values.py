"""What config.py is built from: file reading, durations, addresses, quoting, lines, an example."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# ASCII digits only: `int()` would take Arabic-Indic digits, and nobody means those here. A
# component has at most 9 digits, so no string can make `int()` slow or the float overflow.
_DURATION = re.compile(
    r"(?:([0-9]{1,9})\s*h)?\s*(?:([0-9]{1,9})\s*m)?\s*(?:([0-9]{1,9})\s*s)?", re.ASCII
)
MAX_FILE_SIZE = 1_000_000  # a config file is a few hundred bytes; this one is something else
DURATION_HINT = "write it as 30s, 10m or 2h (0 turns it off)"

# C0 and C1 controls, DEL, and the bidi and zero-width marks that reorder or hide text: a value
# from the file is shown in a message or a `config` row, so none of these may reach the terminal.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


class ConfigError(Exception):
    """The config file cannot be used; `str()` is one sentence naming the file and the line."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = printable(str(path)) + (f" line {line}" if line else "")
        super().__init__(f"{where}: {reason}.")


def read_text(path: Path) -> str | None:
    """The file's text; None when there is no file (the defaults apply)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():  # the user meant a file here: silence would hide that
            raise ConfigError(path, None, "is a link to a file that does not exist") from None
        return None
    except OSError as error:
        raise ConfigError(path, None, f"cannot be read ({os_reason(error)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ConfigError(path, None, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
        raise ConfigError(path, None, "is not a regular file")
    if info.st_size > MAX_FILE_SIZE:
        raise ConfigError(path, None, "is larger than 1 MB, too large for a config file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(path, None, f"cannot be read ({os_reason(error)})") from None
    try:
        return data.decode("utf-8-sig")  # TOML is UTF-8; Windows editors may add a BOM
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            path, line, "this line is not UTF-8 text; save the file as UTF-8"
        ) from None


def os_reason(error: OSError) -> str:
    return printable(error.strerror or type(error).__name__).lower()


def toml_problem(message: str, text: str) -> tuple[int | None, str]:
    """tomllib's "Invalid value (at line 3, column 9)" as (3, "not valid TOML (…, column 9)")."""
    reason, _, position = message.rpartition(" (at ")
    reason = printable(reason[:1].lower() + reason[1:]) if reason else "it does not parse"
    if match := re.fullmatch(r"line (\d+), column (\d+)\)", position):
        return int(match[1]), f"not valid TOML ({reason}, column {match[2]})"
    if position == "end of document)":  # something left open: the last line is the best guess
        return max(1, len(text.splitlines())), f"not valid TOML ({reason} at the end of the file)"
    return None, f"not valid TOML ({printable(message)})"


def parse_duration(text: str) -> float:
    """Seconds in `text`: "0" (off), or integers with h, m, s in that order ("90s", "1h30m")."""
    match = _DURATION.fullmatch(text.strip())
    if text.strip() == "0":
        return 0.0
    if match is None or not any(match.groups()):
        raise ValueError(f"{show(text)} is not a duration; {DURATION_HINT}")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return float(hours * 3600 + minutes * 60 + seconds)


def format_duration(seconds: float) -> str:
    """`seconds` as "1h30m", largest units first (rounded to a whole second); "0" for none."""
    left = max(0, round(seconds))
    if left == 0:
        return "0"
    text = ""
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        count, left = divmod(left, size)
        if count:
            text += f"{count}{unit}"
    return text


def printable(text: str) -> str:
    """`text` with every control or bidi character written as an escape, so it prints inertly."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def show(value: Any, limit: int = 60) -> str:
    """A value as TOML would spell it, escaped and shortened: for quoting it in a message."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = '"' + printable(value.replace("\\", "\\\\").replace('"', '\\"')) + '"'
    elif isinstance(value, list):
        text = "[" + ", ".join(show(item, limit) for item in value) + "]"
    elif isinstance(value, dict):
        text = "a table"
    else:
        text = printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_key(key: str) -> str:
    """A key name as it would be written in the file: bare when it can be, else quoted."""
    return key if _BARE_KEY.fullmatch(key) else show(key)


def is_web_address(url: str) -> bool:
    """Whether `url` is an http or https address with a host (what a feed can be fetched from)."""
    if re.search(r"\s", url) or _UNSAFE.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def same_feed_url(url: str) -> str:
    """`url` in the form two spellings of one feed share: scheme and host in lower case, no
    trailing slash (people copy the address with or without it)."""
    text = url.strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        return text.rstrip("/")
    # The host is case-insensitive; the user info before an "@" and the path are not.
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    userinfo, at, host = authority.rpartition("@")
    after = rest[len(authority) :]
    return f"{scheme.lower()}://{userinfo}{at}{host.lower()}{after}".rstrip("/")


def split_keys(value: str | list[Any]) -> tuple[str, ...]:
    """The keys of a binding: "m,ctrl+b" or ["m", "ctrl+b"]. The ValueError's text goes after
    the value in a message: `"reader.bookmark" = "" <has no key; …>`."""
    if not (value.strip() if isinstance(value, str) else value):
        raise ValueError('has no key; write a key such as "m", or several as "m,ctrl+b"')
    parts = value.split(",") if isinstance(value, str) else value
    keys: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            raise ValueError('is not a key; write it in quotes, like "m" or "m,ctrl+b"')
        key = part.strip()
        if not key:
            raise ValueError('has an empty key; write a key such as "m", or several as "m,ctrl+b"')
        if re.search(r"\s", key) or _UNSAFE.search(key):
            named = "is not" if len(parts) == 1 else f"holds {show(key)}, which is not"
            raise ValueError(f"{named} a key name such as m, N or ctrl+b")
        keys.append(key)
    return tuple(keys)


# --- Finding a key's line --------------------------------------------------------------------
# tomllib gives the data without positions, so a problem with a value is placed by reading the
# (already valid) file again: a small scanner that knows where each statement starts, skipping
# strings, comments and multi-line arrays, and asks tomllib itself what each header or key means.

Where = tuple[str | int, ...]  # ("reader", "theme"), ("feeds", 2, "url"), ("keys", "reader.x")


def locate(text: str) -> dict[Where, int]:
    """The 1-based line of every table header and key in `text`, by its full path."""
    lines: dict[Where, int] = {}
    table: Where = ()
    counts: dict[tuple[str, ...], int] = {}  # how many [[name]] blocks were opened so far
    for number, line in _statements(text):
        stripped = line.lstrip()
        if stripped.startswith("["):
            header = _header_path(stripped, counts)
            if header is not None:
                table = header
                lines.setdefault(table, number)
            continue
        key = _key_path(stripped)
        if key:
            for end in range(1, len(key) + 1):
                lines.setdefault(table + key[:end], number)
    return lines


def line_of(lines: dict[Where, int], where: Where) -> int | None:
    """The line of `where`, else of the nearest enclosing key or table that is in the file."""
    for end in range(len(where), 0, -1):
        if where[:end] in lines:
            return lines[where[:end]]
    return None


def _header_path(line: str, counts: dict[tuple[str, ...], int]) -> Where | None:
    import tomllib  # loaded only where there is a file (see `config.load_settings`)

    try:
        parsed = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return None
    names: list[str] = []
    node: Any = parsed
    while isinstance(node, dict) and len(node) == 1:
        name = next(iter(node))
        names.append(name)
        node = node[name]
        if isinstance(node, list):  # [[name]]: a new block of an array of tables
            counts[tuple(names)] = counts.get(tuple(names), 0) + 1
            node = node[0]
    path: list[str | int] = []
    for end in range(1, len(names) + 1):
        path.append(names[end - 1])
        if tuple(names[:end]) in counts:  # inside an array of tables: its latest block
            path.append(counts[tuple(names[:end])] - 1)
    return tuple(path)


def _key_path(line: str) -> tuple[str, ...]:
    """The dotted key a `key = value` line starts with, as its parts; () when there is none."""
    import tomllib

    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "=":
            try:
                node: Any = tomllib.loads(line[:index] + "= 0")
            except tomllib.TOMLDecodeError:
                return ()
            parts: list[str] = []
            while isinstance(node, dict):
                name = next(iter(node))
                parts.append(name)
                node = node[name]
            return tuple(parts)
    return ()


def _statements(text: str) -> Iterator[tuple[int, str]]:
    """Each line that begins a statement, with its number: not one inside a string or array."""
    state = ""  # "", '"', "'", '"""' or "'''": which kind of string the scanner is in
    depth = 0  # brackets and braces open across lines (a multi-line array)
    for number, line in enumerate(text.splitlines(), start=1):
        if not state and depth == 0 and line.strip() and not line.lstrip().startswith("#"):
            yield number, line
        index = 0
        while index < len(line):
            char = line[index]
            if state in ('"', '"""') and char == "\\":
                index += 2
                continue
            if state:
                if line.startswith(state, index):
                    index += len(state)
                    state = ""
                    continue
            elif char == "#":
                break
            elif char in "\"'":
                state = char * 3 if line.startswith(char * 3, index) else char
                index += len(state)
                continue
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth = max(0, depth - 1)
            index += 1
        if state in ('"', "'"):  # a one-line string cannot go on (the file parsed, so: never)
            state = ""


EXAMPLE_CONFIG = """\
# newsreader's settings. Every line is optional: a missing setting keeps the reader as it is.
# Durations are whole numbers with s, m or h ("90s", "10m", "2h", "1h30m"); "0" turns off.

[reader]
theme = "textual-dark"       # any theme of the theme picker (ctrl+p, "theme")
refresh_every = "30m"        # refresh the feeds while the reader is open (default "0": never)
hide_read = false            # start with the articles already read hidden
order = "newest"             # the article list: newest, oldest, title or feed

[keys]
# binding id = key, or several keys separated by commas; `newsreader config --keys` lists the ids
"reader.bookmark" = "m"      # e.g. "m,ctrl+b" for two keys

# One [[feeds]] block per subscription that needs its own settings, found by its address.
[[feeds]]
url = "https://example.com/feed.xml"
refresh_every = "2h"         # this feed's own pace ("0": only when you refresh by hand)
full_text = true             # fetch each new entry's full article during refresh
tags = ["Local"]             # added to this feed's articles

[mute]
# search queries whose articles are hidden in the reader (never deleted; remove a line to undo)
queries = ["tag:Sports", "\\"sponsored content\\""]
"""

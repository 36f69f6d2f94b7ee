"""config.toml: defaults, the example, one-sentence errors at the right line, nothing written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.config import (
    ConfigError,
    FeedSettings,
    Settings,
    config_path,
    describe,
    example_config,
    feed_settings,
    format_duration,
    load_settings,
    parse_duration,
)

# The issue's example, as a user would write it.
EXAMPLE = """\
[reader]
theme = "textual-dark"
refresh_every = "30m"        # auto-refresh while the reader is open; "0" turns it off; s/m/h
hide_read = false            # start with read articles hidden
order = "newest"             # newest | oldest | title | feed
[keys]
"reader.bookmark" = "m"      # binding id = key(s), comma-separated for several ("m,ctrl+b")
[[feeds]]                    # per-feed settings, matched by subscription URL
url = "https://example.com/feed.xml"
refresh_every = "2h"
full_text = true             # fetch each new entry's full article during refresh
tags = ["Local"]             # added to this feed's articles
[mute]
queries = ["tag:Sports", "\\"sponsored content\\""]   # hidden in the reader, never deleted
"""
EXAMPLE_FEED = FeedSettings(
    url="https://example.com/feed.xml", refresh_every=7200.0, full_text=True, tags=("Local",)
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, **known: set[str]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(path, **known)
    return caught.value


def assert_one_sentence(message: str) -> None:
    assert message.endswith(".") and "\n" not in message
    assert ". " not in message.removesuffix("."), message
    assert "Traceback" not in message


# --- No file, the example --------------------------------------------------------------------


def test_no_file_gives_todays_defaults(tmp_path: Path) -> None:
    path = tmp_path / "absent" / "config.toml"
    settings = load_settings(path)
    assert settings == Settings(path=path, exists=False)
    assert (settings.theme, settings.refresh_every, settings.hide_read) == (
        "textual-dark",
        0,
        False,
    )
    assert (settings.order, settings.keys, settings.feeds, settings.mute_queries) == (
        "newest",
        {},
        (),
        (),
    )
    assert not (tmp_path / "absent").exists(), "loading created the config folder"


def test_an_empty_file_gives_the_defaults_too(tmp_path: Path) -> None:
    path = write(tmp_path, "# nothing yet\n")
    assert load_settings(path) == Settings(path=path, exists=True)


def test_the_issue_example_parses_to_its_values(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    settings = load_settings(path, binding_ids={"reader.bookmark"}, themes={"textual-dark"})
    assert settings == Settings(
        path=path,
        exists=True,
        theme="textual-dark",
        refresh_every=1800.0,
        hide_read=False,
        order="newest",
        keys={"reader.bookmark": ("m",)},
        feeds=(EXAMPLE_FEED,),
        mute_queries=("tag:Sports", '"sponsored content"'),
    )


def test_example_config_is_a_commented_file_with_the_same_values(tmp_path: Path) -> None:
    text = example_config()
    assert text.count("#") >= 10, "the example explains its settings"
    from_example = load_settings(write(tmp_path, text), binding_ids={"reader.bookmark"})
    (tmp_path / "issue").mkdir()
    from_issue = load_settings(write(tmp_path / "issue", EXAMPLE))
    assert from_example == Settings(**{**from_issue.__dict__, "path": from_example.path})


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf[reader]\r\norder = "title"\r\n')
    assert load_settings(path).order == "title"


@pytest.mark.parametrize(
    "text",
    [
        '[keys]\n"reader.bookmark" = "m, ctrl+b"\n',
        '[keys]\n"reader.bookmark" = ["m", "ctrl+b"]\n',
        '[keys]\nreader.bookmark = "m,ctrl+b"\n',
        '[keys.reader]\nbookmark = "m,ctrl+b"\n',
    ],
)
def test_a_binding_takes_several_keys_in_every_spelling(tmp_path: Path, text: str) -> None:
    keys = load_settings(write(tmp_path, text), binding_ids={"reader.bookmark"}).keys
    assert keys == {"reader.bookmark": ("m", "ctrl+b")}


def test_a_feed_block_may_leave_its_settings_out(tmp_path: Path) -> None:
    path = write(tmp_path, '[[feeds]]\nurl = "https://a.example/rss"\n')
    assert load_settings(path).feeds == (FeedSettings(url="https://a.example/rss"),)


# --- Where the file is -----------------------------------------------------------------------


def test_newsreader_config_overrides_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[reader]\norder = "oldest"\n')
    monkeypatch.setenv("NEWSREADER_CONFIG", str(path))
    assert config_path() == path
    settings = load_settings()
    assert (settings.path, settings.exists, settings.order) == (path, True, "oldest")


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is the Linux convention")
def test_default_path_is_in_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSREADER_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "newsreader" / "config.toml"
    assert load_settings().exists is False
    assert not (tmp_path / "xdg").exists()


# --- Errors: one sentence, the file, the line ------------------------------------------------

ERRORS = [
    # (file, line, what the sentence says after "<path> line N: ")
    ('[reader]\ntheme = "x"\nrefresh_every = soon\n', 3, "not valid TOML (invalid value, column"),
    ('[reader]\norder = [\n  "newest",\n', 3, "not valid TOML (invalid value at the end"),
    ("[reader]\ncolour = 1\n", 2, "colour is not a setting of [reader]; the settings are theme, "),
    ('[reader]\n\n[colours]\nred = "f00"\n', 3, "[colours] is not a section; the sections are "),
    ('# old habits\norder = "newest"\n', 2, "order is not a section; put it under [reader]"),
    ('[reader]\n\nhide_read = "yes"\n', 3, 'hide_read = "yes" is not true or false'),
    ("[reader]\ntheme = 3\n", 2, "theme = 3 is not a name; write it in quotes"),
    ('[reader]\norder = "random"\n', 2, 'order = "random" is not an order; the orders are newest'),
    ('\n[reader]\nrefresh_every = "soon"\n', 3, 'refresh_every = "soon" is not a duration; write'),
    ("[reader]\nrefresh_every = 30\n", 2, "refresh_every = 30 is not a duration"),
    ('[reader]\nrefresh_every = "4s"\n', 2, 'refresh_every = "4s" is too often'),
    ('[reader]\nrefresh_every = "9999h"\n', 2, 'refresh_every = "9999h" is too long'),
    ("reader = 3\n", 1, "reader must be a table"),
    ("# dotted\nreader.colour.deep = 1\n", 2, "colour is not a setting of [reader]"),
    ("[reader]\nx = 1\n[reader.sub]\ny = 1\n", 2, "x is not a setting of [reader]"),
    ('[[feeds]]\nurl = "https://a.example/"\n\n[[feeds]]\ntags = ["x"]\n', 4, "has no url"),
    ('[[feeds]]\nurl = "https://a.example/"\n[[feeds]]\nurl = "ftp://b.example/"\n', 4, "http"),
    ('[[feeds]]\nurl = "https:///no-host"\n', 2, "is not an http or https address"),
    ("[[feeds]]\nurl = 7\n", 2, "url = 7 is not an http or https address"),
    (
        '[[feeds]]\nurl = "https://a.example"\ncolour = 1\n',
        3,
        "colour is not a setting of [[feeds]]",
    ),
    ('[[feeds]]\nurl = "https://a.example"\ntags = "Local"\n', 3, 'tags = "Local" is not a list'),
    ('[[feeds]]\nurl = "https://a.example"\ntags = ["a", 2]\n', 3, "is not a list of tags"),
    ('[[feeds]]\nurl = "https://a.example"\ntags = [" "]\n', 3, "has an empty one"),
    ('[[feeds]]\nurl = "https://a.example"\nfull_text = 1\n', 3, "full_text = 1 is not true or"),
    ('[[feeds]]\nurl = "https://a.example"\nrefresh_every = "2 days"\n', 3, "is not a duration"),
    ('[feeds]\nurl = "https://a.example"\n', 1, "feeds must be [[feeds]] blocks"),
    ('[[feeds]]\nurl = "https://A.example/"\n[[feeds]]\nurl = "HTTPS://a.example"\n', 4, "line 1"),
    ('[mute]\nqueries = [\n  "tag:Sports",\n  3,\n]\n', 2, "is not a list of search queries"),
    ('[mute]\nqueries = "tag:Sports"\n', 2, 'queries = "tag:Sports" is not a list'),
    ('[mute]\nquery = ["x"]\n', 2, "query is not a setting of [mute]"),
    ('[keys]\n"reader.bookmark" = ""\n', 2, '"reader.bookmark" = "" has no key'),
    ('[keys]\n"reader.bookmark" = "m,,b"\n', 2, "has an empty key"),
    ('[keys]\n"reader.bookmark" = "ctrl b"\n', 2, '"ctrl b" is not a key name'),
    ('[keys]\n\n"reader.bookmark" = 5\n', 3, '"reader.bookmark" = 5 is not a key'),
    ('[keys.reader]\nbookmark = "m"\nread = []\n', 3, '"reader.read" = [] has no key'),
]


@pytest.mark.parametrize(("text", "line", "says"), ERRORS)
def test_an_error_is_one_sentence_naming_the_file_and_line(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = write(tmp_path, text)
    error = error_of(path)
    assert error.line == line
    assert str(error).startswith(f"{path} line {line}: "), str(error)
    assert says in str(error)
    assert_one_sentence(str(error))


def test_the_issue_wording_of_an_unknown_setting(tmp_path: Path) -> None:
    path = write(tmp_path, '[reader]\ncolour = "red"\n')
    assert str(error_of(path)) == (
        f"{path} line 2: colour is not a setting of [reader]; "
        "the settings are theme, refresh_every, hide_read, order."
    )


def test_the_line_is_found_in_the_right_feeds_block(tmp_path: Path) -> None:
    # Each block has the same keys: only counting the blocks finds the third one's tags.
    blocks = [f'[[feeds]]\nurl = "https://{n}.example/"\ntags = ["ok"]\n' for n in "ab"]
    blocks.append('[[feeds]]\nurl = "https://c.example/"\ntags = [1]\n')
    assert error_of(write(tmp_path, "\n".join(blocks))).line == 11


def test_lines_inside_strings_and_arrays_are_not_mistaken_for_keys(tmp_path: Path) -> None:
    text = (
        "[mute]\n"
        "queries = [\n"
        '  "order = 1",   # a comment with "quotes\n'
        "  '''\n"
        "[reader]\n"
        "order = 2\n"
        "''',\n"
        "]\n"
        "[reader]\n"
        'theme = """\n'
        'order = "oldest"\n'
        '"""\n'
        'order = "sideways"\n'
    )
    assert error_of(write(tmp_path, text)).line == 13


def test_without_the_key_the_line_falls_back_to_the_table_header(tmp_path: Path) -> None:
    text = '[reader]\norder = "title"\n\n[[feeds]]  # a feed\nfull_text = true\n'
    assert error_of(write(tmp_path, text)).line == 4


def test_an_inline_table_is_placed_at_its_own_line(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, '\nreader = { order = "up" }\n')).line == 2


def test_unknown_binding_id_and_theme_when_the_known_names_are_given(tmp_path: Path) -> None:
    ids, themes = {"reader.bookmark", "reader.read"}, {"textual-dark", "nord"}
    path = write(tmp_path, '[reader]\ntheme = "nord"\n[keys]\n"reader.bookmrk" = "m"\n')
    error = error_of(path, binding_ids=ids, themes=themes)
    assert error.line == 4 and '"reader.bookmrk" is not a binding id' in str(error)
    assert 'did you mean "reader.bookmark"' in str(error)
    assert_one_sentence(str(error))
    # Without the known names the core cannot tell, and keeps what it was given.
    assert load_settings(path).keys == {"reader.bookmrk": ("m",)}

    path = write(tmp_path, '[reader]\n\ntheme = "nordd"\n')
    error = error_of(path, binding_ids=ids, themes=themes)
    assert error.line == 3 and 'theme = "nordd" is not a theme' in str(error)
    assert "the themes are nord, textual-dark" in str(error)
    assert load_settings(path, themes={"nordd"}).theme == "nordd"


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[reader]\n# caf\xe9\ntheme = "x"\n')
    error = error_of(path)
    assert (error.line, "not UTF-8" in str(error)) == (2, True)
    assert_one_sentence(str(error))


def test_a_file_that_cannot_be_read_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "[reader]\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert str(error_of(path)) == f"{path}: cannot be read (permission denied)."


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_a_file_without_read_permission_is_a_config_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[reader]\n")
    path.chmod(0)
    assert "cannot be read (permission denied)" in str(error_of(path))


@pytest.mark.skipif(os.name != "posix", reason="fifos and symlinks")
def test_a_folder_a_fifo_a_dangling_link_and_a_huge_file_are_config_errors(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    assert "is a folder" in str(error_of(folder))
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert "is not a regular file" in str(error_of(fifo))  # and did not block reading it
    link = tmp_path / "link.toml"
    link.symlink_to(tmp_path / "gone.toml")
    assert "does not exist" in str(error_of(link))
    huge = tmp_path / "huge.toml"
    huge.write_text("# " + "x" * 2_000_000)
    assert "larger than 1 MB" in str(error_of(huge))


# --- Nothing written, nothing interpreted ----------------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        str(path.relative_to(folder)): (
            path.read_bytes(),
            path.stat().st_mtime_ns,
            path.stat().st_mode,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("text", [text for text, _line, _says in ERRORS[:6]] + [EXAMPLE])
def test_loading_changes_nothing_on_disk(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "newsreader"
    folder.mkdir()
    path = write(folder, text)
    (folder / "other.txt").write_text("keep")
    before = snapshot(folder)
    if text == EXAMPLE:
        load_settings(path)
    else:
        error_of(path)
    assert snapshot(folder) == before
    assert sorted(os.listdir(folder)) == ["config.toml", "other.txt"]


HOSTILE = "\x1b[2J\x1b]0;pwned\x07\u202eevil\x9b31m\x00"
HOSTILE_TOML = "\\u001b[2J\\u001b]0;pwned\\u0007\\u202eevil\\u009b31m\\u0000"


def test_hostile_values_are_kept_as_data(tmp_path: Path) -> None:
    text = (
        f'[reader]\ntheme = "{HOSTILE_TOML}"\n[keys]\n"{HOSTILE_TOML}" = "m"\n'
        f'[[feeds]]\nurl = "https://a.example/"\ntags = ["{HOSTILE_TOML}"]\n'
        f'[mute]\nqueries = ["{HOSTILE_TOML}"]\n'
    )
    settings = load_settings(write(tmp_path, text))
    assert settings.theme == HOSTILE.strip()
    assert list(settings.keys) == [HOSTILE]
    assert settings.feeds[0].tags == (HOSTILE.strip(),)
    assert settings.mute_queries == (HOSTILE,)
    for name, value in describe(settings):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in name + value), value
        assert "\u202e" not in name + value


@pytest.mark.parametrize(
    "text",
    [
        f'[reader]\norder = "{HOSTILE_TOML}"\n',
        f'[keys]\n"{HOSTILE_TOML}" = "m"\n',
        f'[[feeds]]\nurl = "https://{HOSTILE_TOML}/"\n',
        f'[reader]\n"{HOSTILE_TOML}" = 1\n',
        f'[reader]\ntheme = "{HOSTILE[:4]}\n',  # raw control characters: TOML refuses them
    ],
)
def test_hostile_values_in_an_error_are_escaped(tmp_path: Path, text: str) -> None:
    error = error_of(write(tmp_path, text), binding_ids={"reader.bookmark"})
    message = str(error)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in message), message
    assert "\u202e" not in message
    assert error.line in (1, 2)


fragments = st.sampled_from(
    [
        "[reader]",
        "[keys]",
        "[[feeds]]",
        "[mute]",
        "[keys.reader]",
        'theme = "x"',
        'refresh_every = "1h"',
        "refresh_every = 0",
        "hide_read = true",
        'order = "feed"',
        'url = "https://a.example/"',
        'url = "https://b.example/"',
        'tags = ["a"]',
        "full_text = false",
        'queries = ["tag:x"]',
        '"reader.read" = "u"',
        'bookmark = "b"',
        "x = [",
        '"a",',
        "]",
        '"""',
        "# comment",
        "",
        "= 1",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=12))
def test_any_file_gives_settings_or_a_config_error(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        load_settings(path)
    except ConfigError as error:
        assert_one_sentence(str(error))
        assert error.line is not None and 1 <= error.line <= max(1, len(lines))


# --- Durations, feed matching, describe ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0", 0),
        ("90s", 90),
        ("10m", 600),
        ("2h", 7200),
        ("1h30m", 5400),
        ("1h 2m 3s", 3723),
        (" 30m ", 1800),
        ("0m", 0),
        ("48h", 172800),
    ],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text", ["", "soon", "30", "1.5h", "-5m", "30 minutes", "1d", "2H", "30m1h", "m", "١٠m"]
)
def test_what_is_not_a_duration_says_what_is(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration; write it as 30s, 10m or 2h"):
        parse_duration(text)


@given(st.integers(min_value=0, max_value=10**7))
def test_format_duration_reads_back(seconds: int) -> None:
    text = format_duration(seconds)
    assert parse_duration(text) == seconds
    # Canonical: largest units first, no zero parts, minutes and seconds under 60.
    parts = re.findall(r"([0-9]+)([hms])", text)
    assert "".join(n + unit for n, unit in parts) == text or text == "0"
    assert all(int(n) > 0 and (unit == "h" or int(n) < 60) for n, unit in parts)


@given(st.integers(0, 999), st.integers(0, 999), st.integers(0, 999))
def test_hours_minutes_seconds_add_up(hours: int, minutes: int, seconds: int) -> None:
    assert parse_duration(f"{hours}h{minutes}m{seconds}s") == hours * 3600 + minutes * 60 + seconds


def test_feed_settings_matches_the_subscription_url() -> None:
    other = FeedSettings(url="https://other.example/feed")
    settings = Settings(path=Path("c.toml"), feeds=(other, EXAMPLE_FEED))
    for url in [
        "https://example.com/feed.xml",
        "https://example.com/feed.xml/",
        "HTTPS://Example.com/feed.xml",
    ]:
        assert feed_settings(settings, url) is EXAMPLE_FEED, url
    assert feed_settings(settings, "https://example.com/other.xml") is None
    assert feed_settings(settings, "https://example.com/FEED.xml") is None  # paths keep case
    assert feed_settings(Settings(path=Path("c.toml")), "https://example.com/feed.xml") is None


def test_describe_lists_the_effective_settings(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    rows = describe(load_settings(path))
    assert rows == [
        ("file", str(path)),
        ("reader.theme", "textual-dark"),
        ("reader.refresh_every", "30m"),
        ("reader.hide_read", "false"),
        ("reader.order", "newest"),
        ("keys.reader.bookmark", "m"),
        ("feeds[0].url", "https://example.com/feed.xml"),
        ("feeds[0].refresh_every", "2h"),
        ("feeds[0].full_text", "true"),
        ("feeds[0].tags", "Local"),
        ("mute.queries[0]", "tag:Sports"),
        ("mute.queries[1]", '"sponsored content"'),
    ]
    defaults = dict(describe(Settings(path=tmp_path / "none.toml")))
    assert defaults["reader.refresh_every"] == "0 (off)"
    assert defaults["file"].endswith("(none: the defaults)")
    assert defaults["keys"] == defaults["feeds"] == defaults["mute.queries"] == "none"


def test_the_config_module_imports_neither_textual_nor_rich() -> None:
    code = "import sys, newsreader.config; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"

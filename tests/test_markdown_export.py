"""`newsreader export --markdown`: the chosen articles with their quotations and text as one
Markdown document, hostile article text made inert, the file replaced atomically."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from newsreader import feed_commands
from newsreader.library import Library
from newsreader.markdown_export import inline, paragraphs
from newsreader.model import ParsedArticle
from newsreader.resources import resource_dir
from newsreader.text.sanitize import is_clean, sanitize, sanitize_line
from tests.conftest import Result

Cli = Callable[..., Result]
SAMPLE = "As NATO summit begins, Russia escalates its attack on Ukraine"
WELCOME = "Welcome to newsreader: a quick tour you can read"
SHOIGU_LINE = (
    "- “In the event that the United States supplies cluster munitions to Ukraine, Russia will"
    " be forced to respond in a reciprocal manner” — Sergey Shoigu"
)
COMMONMARK = MarkdownIt("commonmark")
# What a terminal or a renderer could act on: C0 (but newline), DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def import_samples(cli: Cli) -> None:
    assert cli("import", str(resource_dir("seeds"))).code == 0


def plain(token: Token) -> str:
    """The text an inline token renders as (escapes resolved)."""
    return "".join(child.content for child in token.children or () if child.type == "text")


def outline(document: str) -> list[tuple[str, str]]:
    """The headings of a document as CommonMark reads it: (tag, text)."""
    tokens = COMMONMARK.parse(document)
    return [
        (token.tag, plain(tokens[i + 1]))
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def test_the_sample_as_markdown(cli: Cli) -> None:
    import_samples(cli)
    result = cli("export", "--markdown")
    assert result.code == 0, result.err
    text = result.out
    lines = text.splitlines()
    assert f"# {SAMPLE}" in lines
    assert SHOIGU_LINE in lines
    assert (
        "- “The movement of enemy UAVs has been recorded! Air defence works in the region.” — "
        "Kyiv regional military administration"
    ) in lines
    # The body, its paragraphs kept as paragraphs.
    assert (
        "Earlier, Russia’s Defense Minister Sergey Shoigu warned of retaliation if the United"
        " States continues with plans to supply cluster munitions to Ukraine."
    ) in lines
    assert "\n\nThis came after the US confirmed last week" in text
    # Newest first, as `list` orders them; each: title, details, quotations, then the text.
    listed = [a["title"] for a in json.loads(cli("list", "--json").out)]
    assert outline(text) == [
        item for title in listed for item in (("h1", title), ("h2", "Quotations"), ("h2", "Text"))
    ]
    sample = text[text.index(f"# {SAMPLE}") :]
    details = sample.splitlines()[2]
    assert "Tags: NATO, Russia, Ukraine" in details and "000\\_a1d383cc9a6d370f.txt" in details
    assert sample.index(SHOIGU_LINE) < sample.index("## Text") < sample.index("Earlier, Russia")
    assert text.endswith("OSCE commitments and principles.”\n")  # one newline at the end


def test_writing_a_file_says_so_and_dash_is_stdout(cli: Cli, tmp_path: Path) -> None:
    import_samples(cli)
    shown = cli("export", "--markdown").out
    target = tmp_path / "out" / "library.md"
    target.parent.mkdir()
    written = cli("export", "--markdown", str(target))
    assert written.code == 0 and written.out == ""
    assert written.err.strip() == f"Wrote 2 articles to {target}."
    assert target.read_text(encoding="utf-8") == shown
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert cli("export", "--markdown", "-").out == shown
    assert [p.name for p in target.parent.iterdir()] == ["library.md"]  # no temp file left


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_nothing_bookmarked_is_an_empty_document(cli: Cli, tmp_path: Path) -> None:
    import_samples(cli)
    empty = cli("export", "--markdown", "--bookmarked")
    assert empty.code == 0 and empty.out == ""
    assert "No articles match" in empty.err and "empty" in empty.err
    target = tmp_path / "bookmarks.md"
    target.write_text("old", encoding="utf-8")
    to_file = cli("export", "--markdown", "--bookmarked", str(target))
    assert to_file.code == 0 and target.read_bytes() == b""
    assert "No articles match" in to_file.err and str(target) in to_file.err
    sample = next(a for a in json.loads(cli("list", "--json").out) if a["title"] == SAMPLE)
    assert cli("bookmark", sample["id"]).code == 0
    assert titles(cli("export", "--markdown", "--bookmarked").out) == [SAMPLE]


def titles(document: str) -> list[str]:
    return [text for tag, text in outline(document) if tag == "h1"]


def test_tag_filters_in_any_case(cli: Cli) -> None:
    import_samples(cli)
    assert titles(cli("export", "--markdown", "--tag", "nato").out) == [SAMPLE]
    assert titles(cli("export", "--markdown", "--tag", "KEYS").out) == [WELCOME]
    assert titles(cli("export", "--markdown", "--tag", "NAT").out) == []  # the tag, not a part
    both = cli("export", "--markdown", "--tag", "nato", "--bookmarked")
    assert both.code == 0 and both.out == ""


def test_opml_takes_no_article_filters(cli: Cli) -> None:
    import_samples(cli)
    for extra in (["--bookmarked"], ["--tag", "nato"]):
        result = cli("export", "--opml", *extra)
        assert result.code == 2 and result.out == ""
        assert len(result.err.strip().splitlines()) == 1 and "--opml" in result.err
    assert cli("export", "--opml").code == 0
    with pytest.raises(SystemExit) as both:
        cli("export", "--opml", "--markdown")
    assert both.value.code == 2
    with pytest.raises(SystemExit) as neither:
        cli("export")
    assert neither.value.code == 2


HOSTILE_TITLE = "# Breaking\n\n## Fake section\x1b[2J\x1b]0;owned\x07 <script>alert(1)</script> ##"
HOSTILE_BODY = "\n".join(
    [
        "First line \x1b[31mred\x1b[0m and \x9b1mC1 bold\x9bm, \u202eevil\u202c.",
        "# Not a heading",
        "---",
        "==",
        "    indented, not code",
        "```",
        "1. not a list",
        "- not a list either",
        "> not a quote",
        "<div onclick=x>raw html</div>",
        "[ref]: https://evil.example/",
        "![image](https://evil.example/x.png) [link](javascript:alert(1)) &amp; *em* `code`",
        "\x1b]8;;https://evil.example/\x07a terminal link\x1b]8;;\x07",
        "Tom Bell said: “Run \x1b[2Jthis #now.”",
    ]
)


def test_hostile_text_gives_a_clean_file(cli: Cli, library_path: Path, tmp_path: Path) -> None:
    """Escape sequences, headings, HTML and links in a library edited by hand (import would
    have cleaned them) reach the file as inert text: the outline is the export's own."""
    Library(library_path).add(
        [
            ParsedArticle(
                HOSTILE_TITLE,
                "s",
                HOSTILE_BODY,
                tags=("Tag\x1b[1m", "# t"),
                source="Evil\nSource",
                link="javascript:alert(1)",
            ),
            ParsedArticle("#", "s", "Short.\r\nSecond\u2028line.", link="https://ok.example/<a>"),
        ]
    )
    target = tmp_path / "hostile.md"
    assert cli("export", "--markdown", str(target)).code == 0
    text = target.read_text(encoding="utf-8")
    assert not UNSAFE.search(text) and "\r" not in text and is_clean(text)
    assert outline(text) == [
        ("h1", "#"),
        ("h2", "Text"),
        ("h1", sanitize_line(HOSTILE_TITLE)),
        ("h2", "Quotations"),
        ("h2", "Text"),
    ]
    tokens = COMMONMARK.parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert kinds <= {
        "heading_open", "heading_close", "paragraph_open", "paragraph_close", "inline", "text",
        "bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close",
        "link_open", "link_close",
    }  # fmt: skip
    links = [c.attrs["href"] for t in tokens for c in t.children or () if c.type == "link_open"]
    assert links == ["https://ok.example/%3Ca%3E"]  # the one web link, as an autolink
    bodies = [plain(t) for t in tokens if t.type == "inline"]
    for line in HOSTILE_BODY.splitlines()[1:-1]:
        assert sanitize_line(line) in bodies  # each line shows as itself, in its own paragraph
    assert "- “Run this #now.” — Tom Bell" in text.replace("\\", "")
    assert "Second" in bodies and "line." in bodies


def test_a_failed_write_leaves_the_old_file_whole(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_samples(cli)
    target = tmp_path / "export.md"
    target.write_text("the old export\n", encoding="utf-8")
    target.chmod(0o640)
    real_fsync = os.fsync

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    for failing in ("fsync", "replace", "write"):
        with monkeypatch.context() as patch:
            if failing == "fsync":
                patch.setattr(os, "fsync", disk_full)
            elif failing == "replace":
                patch.setattr(os, "replace", lambda *a: disk_full(0))
            else:  # the write itself fails half-way: a lone surrogate cannot be encoded
                patch.setattr(feed_commands, "document", lambda items: "# A title\n\udc80")
            result = cli("export", "--markdown", str(target))
        assert result.code == 1 and result.out == ""
        assert len(result.err.strip().splitlines()) == 1
        if failing != "write":
            assert str(target) in result.err and "No space left" in result.err
        assert target.read_text(encoding="utf-8") == "the old export\n"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export")] == []
    assert os.fsync is real_fsync
    assert cli("export", "--markdown", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("# ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # replaced, its permissions kept


def test_the_library_itself_is_never_the_export_file(cli: Cli, library_path: Path) -> None:
    import_samples(cli)
    before = library_path.read_bytes()
    for own in (library_path, Library(library_path).index.path):
        result = cli("export", "--markdown", str(own))
        assert result.code == 2 and "library" in result.err
    assert library_path.read_bytes() == before


# Markdown marks, digits, spaces, line breaks and escape sequences, mixed with words.
_MARKS = "#*_`[]()<>!&;|~\\-+=.:)1 \n\t\x1b\x9b\u202e\u2028\r"
_WORDS = ["&amp;", "&#35;", "http://x.org", "javascript:", "<b>", "```", "    ", "1.", "---", "a"]
_PIECES = st.sampled_from([*_MARKS, *_WORDS])
_TEXT = st.lists(_PIECES, max_size=30).map("".join)


@given(_TEXT)
def test_any_title_is_one_heading_reading_as_itself(text: str) -> None:
    tokens = COMMONMARK.parse(f"# {inline(text)}\n")
    expected = sanitize_line(text)
    if not expected:
        return
    assert [t.type for t in tokens] == ["heading_open", "inline", "heading_close"]
    assert [c.type for c in tokens[1].children or ()] == ["text"]
    assert plain(tokens[1]) == expected


@given(_TEXT)
def test_any_body_is_paragraphs_reading_as_its_lines(text: str) -> None:
    tokens: list[Any] = COMMONMARK.parse("\n\n".join(paragraphs(text)) + "\n")
    expected = [line for line in (sanitize_line(p) for p in sanitize(text).split("\n")) if line]
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * len(
        expected
    )
    assert [plain(t) for t in tokens if t.type == "inline"] == expected

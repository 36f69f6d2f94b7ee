"""Piped, the command line writes plain text without loading rich: exactly what rich writes."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from newsreader.cli_output import Output, Styled, is_terminal
from newsreader.text.highlight import SNIPPET_END, SNIPPET_START, snippet_text

TEXTS = [
    "plain",
    "tab\there\tand\tthere",
    "wide 漢字\tand emoji 🎉 :smile:",
    "trailing   ",
    "carriage\rreturn, bell\x07, backspace\x08, form feed\x0c",
    "[bold]markup[/] is words",
    "a" * 300,
    "",
    "ansi \x1b[31mred",
    "café ‘quote’ “x”",
]


@pytest.fixture(autouse=True)
def not_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)


def rich_writes(text: Text) -> str:
    out = io.StringIO()
    Console(file=out, highlight=False, soft_wrap=True).print(text)
    return out.getvalue()


@pytest.mark.parametrize("words", TEXTS)
def test_a_message_is_written_as_rich_writes_it(
    words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output = Output()
    output.message(words)
    output.message(Styled("  rejected ", "yellow"), words)
    output.error(words)
    expected = rich_writes(Text(words))
    expected += rich_writes(Text("  rejected ", style="yellow") + Text(words))
    expected += rich_writes(Text("newsreader: ", style="bold red") + Text(words))
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize("words", TEXTS)
def test_a_piped_table_holds_what_rich_text_holds(
    words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    snippet = f"…{words} {SNIPPET_START}{words}{SNIPPET_END} more…"
    Output().table(
        [("A", {}), ("B", {}), ("C", {})],
        [[words, Styled(words, "bold"), Styled(snippet, snippet=True)]],
    )
    expected = "\t".join([words, Text(words).plain, snippet_text(snippet).plain]) + "\n"
    assert capsys.readouterr().out == expected


def test_terminal_as_rich_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    for variables, expected in [
        ({}, False),
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": ""}, False),
        ({"TTY_COMPATIBLE": "1"}, True),
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, False),
    ]:
        for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        assert is_terminal(stream) is expected
        assert Console(file=stream).is_terminal is expected

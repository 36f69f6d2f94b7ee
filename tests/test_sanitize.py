"""Untrusted text loses every escape sequence and control character, and keeps its words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsreader.text.sanitize import is_clean, sanitize, sanitize_line

HOSTILE = [
    "\x1b[31mred\x1b[0m",
    "\x1b]0;evil title\x07after",
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\",
    "\x1b]52;c;ZXZpbA==\x07clip",
    "\x1bP+q544e\x1b\\dcs",
    "\x9b31mc1csi",
    "\x9d0;osc\x9c",
    "a\u202eevil\u202cb",
    "a\u2066isolate\u2069b",
    "nul\x00bell\x07back\x08",
    "\x1bc reset",
]


def test_escape_sequences_are_removed_whole() -> None:
    assert sanitize("\x1b[31mred\x1b[0m") == "red"
    assert sanitize("\x1b]0;evil title\x07after") == "after"
    assert sanitize("\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert sanitize("\x9b31mc1csi") == "c1csi"


def test_bidi_overrides_and_controls_are_removed() -> None:
    assert sanitize("a\u202eevil\u202cb") == "aevilb"
    assert sanitize("nul\x00bell\x07back\x08") == "nulbellback"


def test_newlines_and_tabs_survive_and_crlf_is_normalised() -> None:
    assert sanitize("a\r\nb\rc\u2028d\te") == "a\nb\nc\nd\te"
    assert sanitize_line("a\n b\tc") == "a b c"


def test_every_hostile_sample_comes_out_clean() -> None:
    for sample in HOSTILE:
        cleaned = sanitize(sample)
        assert is_clean(cleaned), repr(cleaned)
        assert "\x1b" not in cleaned


@given(st.text())
def test_sanitize_never_lets_a_control_character_through(text: str) -> None:
    cleaned = sanitize(text)
    assert is_clean(cleaned)
    assert all(c in "\n\t" or (ord(c) >= 32 and not 0x7F <= ord(c) <= 0x9F) for c in cleaned)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cf", "Zl", "Zp"])))
def test_clean_text_is_left_alone(text: str) -> None:
    assert sanitize(text) == text

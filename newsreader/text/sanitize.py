"""Makes untrusted article text safe for a terminal: no escape sequences, controls, bidi tricks."""

from __future__ import annotations

import re

# Whole escape sequences go, not just their ESC: a bare "[31m" left behind is noise to a reader.
# 7-bit forms (ESC ...) and their 8-bit C1 equivalents (CSI 0x9b, OSC 0x9d, DCS 0x90, ...).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                       # CSI ... final byte
  | (?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])                 # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?                 # ... up to BEL or ST
  | \x1b[ -/]*[0-~]?                                        # two- and three-byte escapes
    """,
    re.VERBOSE,
)

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates and
# marks, the BOM / zero-width no-break space, and the interlinear annotation characters.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
# Everything any of the above could act on: clean text (nearly all of it) is returned untouched.
_NEEDS_WORK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


def normalise_newlines(text: str) -> str:
    """Turn CRLF, CR and Unicode line/paragraph separators into plain `\\n`."""
    return _LINE_BREAKS.sub("\n", text)


def sanitize(text: str) -> str:
    """Return `text` with escape sequences and control characters removed, newlines normalised.

    Tabs and newlines survive; everything else that a terminal could act on does not.
    """
    if not _NEEDS_WORK.search(text):
        return text
    text = normalise_newlines(text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROLS.sub("", text)


def sanitize_line(text: str) -> str:
    """Sanitise text meant for a single line (a title, a tag): newlines and tabs become spaces."""
    return " ".join(sanitize(text).split())


def is_clean(text: str) -> bool:
    """True when `text` holds nothing `sanitize` would remove (newlines and tabs allowed)."""
    return not _CONTROLS.search(text) and "\r" not in text


def for_display(text: str, single_line: bool = False) -> str:
    """Defence in depth at the screen: text from the library file is sanitised again as it is
    drawn (the file may have been edited by hand). Clean text costs one regex search."""
    if _NEEDS_WORK.search(text):
        text = sanitize(text)
    if single_line and ("\n" in text or "\t" in text):
        text = " ".join(text.split())
    return text

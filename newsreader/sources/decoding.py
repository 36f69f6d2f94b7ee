"""Decodes article files: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""

from __future__ import annotations

import codecs


class NotText(ValueError):
    """The bytes are not a text file (binary data)."""


_SNIFF = 8192
# Control bytes that plain text does not hold (tab, newlines, form feed and ESC are tolerated).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """True for data that is clearly not text: NUL bytes, or mostly control bytes."""
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05


def decode_article(data: bytes) -> str:
    """Decode the bytes of an article file, or raise `NotText`.

    UTF-8 is tried first because valid UTF-8 is almost never accidental; anything else is read
    as Windows-1252, the encoding of text saved by Windows tools and old sites.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if looks_binary(data):
        raise NotText("binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")

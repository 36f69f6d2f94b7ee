"""Parses a big catalog a slice of records at a time, sharing the values records repeat.

A million records parsed at once hold a million copies of the same few tags and import times,
and the memory they free afterwards stays with the process (the allocator keeps it for
objects of the same size). Parsed in slices, each slice's copies are replaced by shared ones
before the next slice is parsed, which reuses the memory they held: at a million articles the
catalog takes 730 MB instead of 1 GB.
"""

from __future__ import annotations

import sys
from typing import Any

import orjson

# The catalog as our writer (orjson, no spaces) lays it out: one table of records.
_TABLE_START = b'{"articles":{'
# Between two records: the end of one object and the start of the next key. It may also be
# the end of an object inside a record (our writer makes none) or of a text that ends in `},`
# (before its closing quote): a slice cut there leaves its record or its text open and does
# not parse, and the whole file is parsed instead.
#
# Why the result is the whole parse's: the slices are the table's bytes between the file's
# opening and closing braces, separated by the single commas the cuts leave out. Each slice is
# parsed as one object inside a list: two levels, as deep as the file's table (orjson limits
# the depth). A slice that closes the object early (another table after the articles) does not
# parse, or makes a list of more than one. So when every slice parses, the file is valid JSON
# and its table holds the slices' records in order. A later slice's key that an earlier one
# had keeps its first place and takes the later value, as in a whole parse.
_BETWEEN_RECORDS = b'},"'
# Values records repeat: an import's timestamp, a tag line as written, a language.
_SHARED_TEXTS = ("added", "tags_raw", "lang")


def parse_in_slices(payload: bytes, slice_bytes: int) -> dict[str, dict[str, Any]] | None:
    """The tables of `payload`, equal to `orjson.loads(payload)`, parsed `slice_bytes` at a
    time with repeated values shared; None when the payload is not laid out as our writer lays
    out a catalog (the caller parses it whole: a hand-edited file, another table, a corrupt
    file, which must be reported the usual way)."""
    if slice_bytes < 1:
        raise ValueError(f"slice_bytes must be positive, not {slice_bytes}")
    if not payload.startswith(_TABLE_START) or not payload.endswith(b"}}"):
        return None
    records: dict[str, Any] = {}
    numbers: dict[int, int] = {}
    start, end = len(_TABLE_START), len(payload) - 1  # end: the file's own closing brace
    while start < end:
        cut = payload.find(_BETWEEN_RECORDS, start + slice_bytes, end)
        stop = end - 1 if cut == -1 else cut + 1  # just past the slice's last record
        try:
            parsed = orjson.loads(b"[{" + payload[start:stop] + b"}]")
        except orjson.JSONDecodeError:
            return None
        if len(parsed) != 1:
            return None  # the slice closed its object and opened another: not ours
        piece = parsed[0]
        _share_values(piece, numbers)
        records.update(piece)
        if cut == -1:
            break
        start = cut + 2  # the next record's key
    return {"articles": records}


def _share_values(piece: dict[str, Any], numbers: dict[int, int]) -> None:
    """Replace the slice's repeated values by shared ones (records not shaped as ours are
    left as they are, for the caller's checks to report)."""
    intern = sys.intern
    for record in piece.values():
        if type(record) is not dict:
            continue
        tags = record.get("tags")
        if type(tags) is list:
            record["tags"] = [intern(tag) if type(tag) is str else tag for tag in tags]
        for key in _SHARED_TEXTS:
            if key in record:
                text = record[key]
                if type(text) is str:
                    record[key] = intern(text)
        shard = record.get("shard")
        if type(shard) is int:
            record["shard"] = numbers.setdefault(shard, shard)

"""A big catalog parsed a slice at a time: the same tables as a whole parse, values shared."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.library import storage
from newsreader.library.errors import LibraryCorrupt
from newsreader.library.sliced_json import parse_in_slices


def text(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, max_size=12)


def catalogs(strings: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, dict[str, Any]]]:
    fields = st.dictionaries(
        st.sampled_from(["title", "tags_raw", "source", "added", "lang", "link"]), strings
    )
    extras = st.fixed_dictionaries(
        {}, optional={"tags": st.lists(strings, max_size=3), "shard": st.integers(-3, 2**40)}
    )
    records = st.tuples(fields, extras).map(lambda both: {**both[0], **both[1]})
    return st.dictionaries(strings, records, max_size=8)


# Any character but a lone surrogate (not UTF-8), and often the ones a cut looks for.
any_character = st.characters(blacklist_categories=("Cs",))
structure = st.sampled_from(["}", ",", '"', "\\", "{", ":", "a", "é", "\u2028", "\x00", " "])


@settings(max_examples=300, deadline=None)
@given(catalogs(text(structure | any_character)), st.integers(1, 120))
def test_slices_give_the_tables_a_whole_parse_gives_or_none(
    articles: dict[str, dict[str, Any]], slice_bytes: int
) -> None:
    """A text ending in `},` puts the bytes of a cut before its closing quote: that slice
    does not parse, and the file is parsed whole. Never other tables than the whole parse's."""
    payload = orjson.dumps({"articles": articles})
    assert parse_in_slices(payload, slice_bytes) in (None, orjson.loads(payload))


@settings(max_examples=300, deadline=None)
@given(catalogs(text(any_character.filter(lambda c: c != "}"))), st.integers(1, 120))
def test_texts_without_a_closing_brace_are_always_parsed_in_slices(
    articles: dict[str, dict[str, Any]], slice_bytes: int
) -> None:
    payload = orjson.dumps({"articles": articles})
    assert parse_in_slices(payload, slice_bytes) == orjson.loads(payload)


def test_repeated_values_are_shared() -> None:
    def record(number: int) -> dict[str, Any]:
        # Each built anew, as a parse makes them: equal values, different objects.
        return {
            "title": f"Title {number}",
            "tags": ["".join(["Ukra", "ine"]), "".join(["Ener", "gy"])],
            "tags_raw": "".join(["UKRAINE", ", energy"]),
            "added": "".join(["2026-11-28T", "15:15:09+00:00"]),
            "lang": "".join(["fr"]),
            "shard": 1000 + number // 3,
        }

    payload = orjson.dumps({"articles": {f"id{n}": record(n) for n in range(6)}})
    parsed = parse_in_slices(payload, 50)
    assert parsed is not None
    first, *others = parsed["articles"].values()
    for other in others:
        for key in ("added", "tags_raw", "lang"):
            assert other[key] is first[key]
        assert all(a is b for a, b in zip(other["tags"], first["tags"], strict=True))
    assert parsed["articles"]["id2"]["shard"] is first["shard"]
    assert parsed["articles"]["id2"]["title"] == "Title 2"


@pytest.mark.parametrize(
    "payload",
    [
        # An object inside a record; an object inside an array inside a record.
        b'{"articles":{"a":{"t":"x"},"b":{"nested":{"k":1},"t":"y"},"c":{"t":"z"}}}',
        b'{"articles":{"a":{"t":[{"k":1},"x"]},"b":{"t":"y"}}}',
    ],
)
def test_a_cut_inside_a_record_falls_back_to_a_whole_parse(payload: bytes) -> None:
    results = [parse_in_slices(payload, size) for size in range(1, len(payload) + 1)]
    assert None in results  # some slice ended inside a record: not parsed
    assert all(result in (None, orjson.loads(payload)) for result in results)


@pytest.mark.parametrize(
    "payload",
    [
        b'{"articles":{"a":{"t":"x"},"b":{"t":"y"}},"meta":{"k":{"v":1}}}',  # another table
        b'{"articles": {"a": {"t": "x"}}}',  # laid out by another writer
        b'{"_default":{"1":{"t":"x"}}}',
        b'{"articles":{"a":{"t":"x"},"b":{"t":"y"}}',  # cut short
        b'{"articles":{"a":{"t":"x"}},{"b":{"t":"y"}}}',  # not JSON: an object where a key goes
    ],
)
def test_other_layouts_are_left_to_a_whole_parse(payload: bytes) -> None:
    for slice_bytes in range(1, len(payload) + 1):
        assert parse_in_slices(payload, slice_bytes) is None


def test_a_key_seen_again_keeps_its_place_and_takes_the_later_record() -> None:
    payload = b'{"articles":{"a":{"t":"1"},"b":{"t":"2"},"a":{"t":"3"},"c":{"t":"4"}}}'
    whole = orjson.loads(payload)
    for slice_bytes in range(1, len(payload) + 2):
        parsed = parse_in_slices(payload, slice_bytes)
        assert parsed == whole and list(parsed["articles"]) == list(whole["articles"])


def test_a_file_too_deep_for_a_whole_parse_is_too_deep_in_slices() -> None:
    """orjson refuses 1,024 levels: a slice parsed one level up would have let one through."""
    deep = b"[" * 1023 + b"]" * 1023
    payload = b'{"articles":{"a":{"t":"x"},"b":' + deep + b"}}"
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(payload)
    for slice_bytes in (1, 5, 20, len(payload)):
        assert parse_in_slices(payload, slice_bytes) is None
    with pytest.raises(ValueError):
        parse_in_slices(payload, 0)


def test_a_big_catalog_file_is_read_in_slices_and_a_corrupt_one_still_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "SLICED_FROM_BYTES", 0)
    monkeypatch.setattr(storage, "SLICE_BYTES", 16)
    path = tmp_path / "library.json"
    catalog = {"articles": {f"id{n}": {"title": f"T{n}", "added": "now"} for n in range(20)}}
    payload = orjson.dumps(catalog)
    tables = storage.parse_tables(path, payload)
    assert tables == catalog
    added = [record["added"] for record in tables["articles"].values()]
    assert all(value is added[0] for value in added)
    with pytest.raises(LibraryCorrupt, match="not valid JSON"):
        storage.parse_tables(path, payload[:-1])
    with pytest.raises(LibraryCorrupt, match="not a newsreader library"):
        storage.parse_tables(path, b'{"articles":{"a":{"t":"x"},"b":1}}')

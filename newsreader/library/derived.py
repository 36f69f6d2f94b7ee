"""Keeps every derived store (the search index today, more tomorrow) in step with the library.

The rule, for every store computed from the library:

- `library.json` is the one source of truth. Each article record has a *version*: a content
  hash of every field derived data uses (title, summary, body, tags, date). A file's id is
  already the hash of its content, so its version is its id; a feed entry, which can change
  under its id, carries its content hash.
- Each derived store keeps the `(id, version)` pairs it has applied, in the same SQLite
  database as the data, written in the same transaction as the data.
- Reconciling = the difference between the library's `(id, version)` pairs and the store's,
  read under the library's lock together with the texts, applied in SQLite transactions that
  also record exactly what they applied. Nothing is ever marked "current" before the work:
  an interrupted or concurrent reconcile leaves a store that the next one completes.

A new store plugs in by implementing `DerivedStore`: say what is applied, apply, drop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

Progress = Callable[[int, int], None]
Signature = tuple[int, int, int] | None
BATCH = 2000


@dataclass(frozen=True, slots=True)
class ArticleContent:
    """What a derived store is given for one article, with the version it was read at."""

    id: str
    version: str
    title: str
    summary: str
    body: str
    tags: tuple[str, ...]
    date: str


class StoreWriter(Protocol):
    """The writes a derived store makes inside one of its transactions."""

    def apply(self, contents: Iterable[ArticleContent]) -> None:
        """Add or replace these articles and record `(id, version)` for each."""

    def drop(self, doc_ids: Iterable[str]) -> None:
        """Remove these articles and forget that they were applied."""


class DerivedStore(Protocol):
    name: str

    def applied(self) -> dict[str, str]:
        """Every `(id, version)` this store has applied."""

    def transaction(self) -> AbstractContextManager[StoreWriter]:
        """One transaction: its data and its record of what was applied commit together."""


class Catalog(Protocol):
    """What reconciling needs of the library (the `Library` facade provides it)."""

    def locked(self) -> AbstractContextManager[None]: ...
    def versions(self) -> dict[str, str]: ...
    def contents(self, doc_ids: Iterable[str]) -> Iterator[ArticleContent]: ...
    def catalog_signature(self) -> Signature: ...


@dataclass(frozen=True, slots=True)
class Difference:
    """What a store lacks: ids to (re)apply, ids to drop."""

    apply: list[str]
    drop: list[str]

    def __bool__(self) -> bool:
        return bool(self.apply or self.drop)


def difference(versions: Mapping[str, str], applied: Mapping[str, str]) -> Difference:
    """By `(id, version)`: an id whose version differs is applied again (which replaces it)."""
    to_apply = [doc_id for doc_id, version in versions.items() if applied.get(doc_id) != version]
    to_drop = [doc_id for doc_id in applied if doc_id not in versions]
    return Difference(to_apply, to_drop)


def reconcile(
    catalog: Catalog, store: DerivedStore, progress: Progress | None = None
) -> tuple[Difference, Signature]:
    """Bring `store` in step with `catalog`; return what was done and the catalog signature it
    is now in step with (a caller may skip the next reconcile while the catalog keeps it)."""
    with catalog.locked():
        signature = catalog.catalog_signature()
        versions = catalog.versions()
    diff = difference(versions, store.applied())
    if not diff:
        return diff, signature
    dropped = False
    for start in range(0, max(len(diff.apply), 1), BATCH):
        batch = diff.apply[start : start + BATCH]
        # Each text is read with its version under the lock: what a transaction records as
        # applied is exactly what it wrote, whatever another process does meanwhile.
        with catalog.locked():
            contents = list(catalog.contents(batch))
        with store.transaction() as writer:
            if not dropped:
                writer.drop(diff.drop)
                dropped = True
            writer.apply(contents)
        if progress is not None and diff.apply:
            progress(start + len(batch), len(diff.apply))
    return diff, signature

"""Opens TinyDB databases on the atomic storage, keyed by article id instead of counters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Document, Table

from newsreader.library.storage import AtomicJSONStorage, LibraryLock


class IdTable(Table):
    """A table whose documents are keyed by our stable string ids.

    TinyDB's own signatures say `int` ids; these typed wrappers keep the casts in one place.
    """

    document_id_class = str  # type: ignore[assignment]

    def get_by_id(self, doc_id: str) -> Document | None:
        return self.get(doc_id=cast(Any, doc_id))

    def contains_id(self, doc_id: str) -> bool:
        return self.contains(doc_id=cast(Any, doc_id))

    def update_ids(self, fields: Mapping[str, Any], doc_ids: Iterable[str]) -> None:
        self.update(fields, doc_ids=cast(Any, list(doc_ids)))

    def upsert_each(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        """Set the fields of many documents, each its own, creating missing ones: one write
        (TinyDB's own upsert writes the whole file once per document)."""

        def updater(table: dict[Any, Any]) -> None:
            for doc_id, fields in documents.items():
                table.setdefault(doc_id, {}).update(fields)

        self._update_table(cast(Any, updater))

    def insert_missing(self, documents: Mapping[str, dict[str, Any]]) -> None:
        """Add the documents whose ids the table lacks; the others stay as they are. One read
        and one write (asking `contains_id` first stats the file once per id). The documents
        are kept as given, not copied: the caller hands them over."""

        def updater(table: dict[Any, Any]) -> None:
            for doc_id, fields in documents.items():
                if doc_id not in table:
                    table[doc_id] = fields

        self._update_table(cast(Any, updater))


class IdTinyDB(TinyDB):
    table_class = IdTable

    def id_table(self, name: str) -> IdTable:
        return cast(IdTable, self.table(name))


def open_db(
    path: Path, lock: LibraryLock, backup: bool = False
) -> tuple[IdTinyDB, AtomicJSONStorage]:
    """Open the TinyDB file at `path` and return it with its storage (for locking and raw reads)."""
    db = IdTinyDB(path, lock, backup, storage=AtomicJSONStorage)
    return db, cast(AtomicJSONStorage, db.storage)


def document(doc_id: str, fields: dict[str, Any]) -> Document:
    return Document(fields, doc_id=cast(Any, doc_id))

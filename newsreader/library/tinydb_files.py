"""Opens TinyDB databases on the atomic storage, keyed by article id instead of counters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from filelock import FileLock
from tinydb import TinyDB
from tinydb.table import Document, Table

from newsreader.library.storage import AtomicJSONStorage


class IdTable(Table):  # type: ignore[misc]
    """A table whose documents are keyed by our stable string ids."""

    document_id_class = str


class IdTinyDB(TinyDB):  # type: ignore[misc]
    table_class = IdTable


def open_db(path: Path, lock: FileLock, backup: bool = False) -> tuple[IdTinyDB, AtomicJSONStorage]:
    """Open the TinyDB file at `path` and return it with its storage (for locking and raw reads)."""
    db = IdTinyDB(path, lock, backup, storage=AtomicJSONStorage)
    storage: AtomicJSONStorage = db.storage
    return db, storage


def document(doc_id: str, fields: dict[str, Any]) -> Document:
    return Document(fields, doc_id=doc_id)

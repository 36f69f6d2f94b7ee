"""Article summaries and bodies, in TinyDB files of 500 kept in import order beside the library."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsreader.library.storage import LibraryLock
from newsreader.library.tinydb_files import IdTinyDB, open_db

BODIES = "bodies"
OPEN_FILES = 8  # parsed files kept in memory: ~4,000 neighbouring articles
FILE_SIZE = 500

Texts = Mapping[str, Mapping[str, str]]  # article id -> {"summary", "body"}


def file_of(doc_id: str, record: Mapping[str, Any] | None) -> str:
    """The body file of an article: the one it was imported into, or (libraries from before
    sequential files) the one its id's first two hex digits name."""
    number = record.get("shard") if record is not None else None
    return f"{number:05d}" if isinstance(number, int) else doc_id[:2]


class FileAssigner:
    """Hands out body-file numbers in import order, carrying on from the library's last file."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]]) -> None:
        numbers = (record.get("shard") for record in records.values())
        counts = Counter(number for number in numbers if isinstance(number, int))
        self.current = max(counts, default=0)
        self.used = counts.get(self.current, 0)

    def next(self) -> int:
        if self.used >= FILE_SIZE:
            self.current, self.used = self.current + 1, 0
        self.used += 1
        return self.current

    @property
    def file_full(self) -> bool:
        return self.used >= FILE_SIZE


class BodyFiles:
    """Reads bodies file by file (a few parsed at a time) and writes new ones in import order.

    Articles imported together sit together in the list (newest first), so moving through the
    list reads one file for hundreds of articles; and an import writes a few files, not hundreds.
    """

    def __init__(self, folder: Path, lock: LibraryLock) -> None:
        self.folder = folder
        self.lock = lock
        self._open: OrderedDict[str, IdTinyDB] = OrderedDict()

    def _db(self, name: str) -> IdTinyDB:
        db = self._open.get(name)
        if db is None:
            self.folder.mkdir(exist_ok=True)
            db, _ = open_db(self.folder / f"{name}.json", self.lock, backup=True)
            self._open[name] = db
            if len(self._open) > OPEN_FILES:
                _, oldest = self._open.popitem(last=False)
                oldest.close()
        else:
            self._open.move_to_end(name)
        return db

    def get(self, name: str, doc_id: str) -> Mapping[str, Any] | None:
        return self._db(name).id_table(BODIES).get_by_id(doc_id)

    def read(self, wanted: Mapping[str, str]) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """(id, {"summary", "body"}) for `wanted` (id -> file name), each file parsed once."""
        by_file: dict[str, list[str]] = {}
        for doc_id, name in wanted.items():
            by_file.setdefault(name, []).append(doc_id)
        for name in sorted(by_file):
            table = (self._db(name).storage.read() or {}).get(BODIES, {})
            for doc_id in by_file[name]:
                yield doc_id, table.get(doc_id, {})

    @staticmethod
    def assign(new_ids: Iterable[str], records: Mapping[str, Mapping[str, Any]]) -> dict[str, int]:
        """Put new bodies in the last file until it holds FILE_SIZE, then start the next."""
        assigner = FileAssigner(records)
        return {doc_id: assigner.next() for doc_id in new_ids}

    def write_new(self, texts: Texts, numbers: Mapping[str, int]) -> None:
        """Write the bodies of new articles into their assigned files, one write per file."""
        by_file: dict[int, list[str]] = {}
        for doc_id in texts:
            by_file.setdefault(numbers[doc_id], []).append(doc_id)
        for number, doc_ids in by_file.items():
            table = self._db(f"{number:05d}").id_table(BODIES)
            # A body may be there already, left by an import that died before its catalog write.
            table.insert_missing({doc_id: dict(texts[doc_id]) for doc_id in doc_ids})

    def rewrite(self, texts: Texts, names: Mapping[str, str]) -> None:
        """Replace the bodies of updated articles where they are, one write per file."""
        by_file: dict[str, dict[str, Mapping[str, str]]] = {}
        for doc_id, fields in texts.items():
            by_file.setdefault(names[doc_id], {})[doc_id] = fields
        for name, documents in by_file.items():
            self._db(name).id_table(BODIES).upsert_each(documents)

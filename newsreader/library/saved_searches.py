"""Saved searches: named queries kept beside the library, shown as smart folders with counts."""

from __future__ import annotations

from dataclasses import dataclass

from newsreader.library.library import Library
from newsreader.library.tinydb_files import open_db
from newsreader.text.sanitize import sanitize_line

SAVED = "saved"
MAX_NAME_CHARS = 80


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str


def _key(name: str) -> str:
    import hashlib  # here: OpenSSL's module loads in 2 ms that the first screen does not need

    return hashlib.blake2b(name.casefold().encode("utf-8"), digest_size=6).hexdigest()


def clean_name(name: str) -> str:
    """A name as it can be shown on one line: no control characters, no surrounding space."""
    return " ".join(sanitize_line(name).split())[:MAX_NAME_CHARS]


class SavedSearches:
    """`library.saved.json` beside the library, written atomically under the library's lock
    (two readers saving at once both keep theirs)."""

    def __init__(self, library: Library) -> None:
        stem = library.path.name.removesuffix(".json")
        self.path = library.path.with_name(f"{stem}.saved.json")
        self._db, self._storage = open_db(self.path, library.lock, backup=True)

    def all(self) -> list[SavedSearch]:
        """In the order they were saved."""
        records = (self._storage.read() or {}).get(SAVED, {})
        found = [(r.get("order", 0), SavedSearch(r["name"], r["query"])) for r in records.values()]
        return [saved for _, saved in sorted(found, key=lambda pair: pair[0])]

    def find(self, name: str) -> SavedSearch | None:
        folded = clean_name(name).casefold()
        return next((s for s in self.all() if s.name.casefold() == folded), None)

    def save(self, name: str, query: str) -> SavedSearch:
        """Save `query` as `name`; a search saved under that name before is replaced."""
        name, query = clean_name(name), query.strip()
        if not name:
            raise ValueError("a saved search needs a name")
        if not query:
            raise ValueError("there is no search to save")
        with self._storage.locked():
            records = (self._storage.read() or {}).get(SAVED, {})
            key = _key(name)
            order = records.get(key, {}).get("order")
            if order is None:
                order = max((r.get("order", 0) for r in records.values()), default=0) + 1
            fields = {"name": name, "query": query, "order": order}
            self._db.id_table(SAVED).upsert_each({key: fields})
        return SavedSearch(name, query)

    def rename(self, old: str, new: str) -> SavedSearch:
        new = clean_name(new)
        if not new:
            raise ValueError("a saved search needs a name")
        with self._storage.locked():
            records = (self._storage.read() or {}).get(SAVED, {})
            record = records.get(_key(old))
            if record is None:
                raise ValueError(f"there is no saved search called {clean_name(old)!r}")
            if _key(new) != _key(old) and _key(new) in records:
                raise ValueError(f"a saved search is already called {new!r}")
            table = self._db.id_table(SAVED)
            table.remove(doc_ids=[_key(old)])  # type: ignore[list-item]
            table.upsert_each({_key(new): {**record, "name": new}})
        return SavedSearch(new, record["query"])

    def delete(self, name: str) -> bool:
        with self._storage.locked():
            records = (self._storage.read() or {}).get(SAVED, {})
            if _key(name) not in records:
                return False
            self._db.id_table(SAVED).remove(doc_ids=[_key(name)])  # type: ignore[list-item]
        return True

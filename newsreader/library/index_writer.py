"""Writes search index entries in a helper process while an import goes on reading files."""

from __future__ import annotations

import multiprocessing
import os
import queue
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType

from newsreader.library.orphans import exit_when_orphaned
from newsreader.library.search_index import IndexEntry, SearchIndex

_PARENT_CHECK_SECONDS = 1.0


class BackgroundIndexWriter:
    """Feeds entries to the index in one transaction, in a second process.

    Reading files and indexing them both need the CPU; in one process they would take turns
    on the GIL, in two they run side by side on two cores. Use as a context manager;
    `finish(digest)` commits and records the library digest, leaving the block without it (or
    the importing process dying) rolls the index back.
    """

    def __init__(self, index: SearchIndex) -> None:
        context = multiprocessing.get_context("spawn")
        self._queue: multiprocessing.Queue[list[IndexEntry] | str | None] = context.Queue(
            maxsize=16
        )
        self._result, child_end = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_write_index,
            args=(index.path, self._queue, child_end, os.getpid()),
            name="newsreader-index-writer",
            daemon=True,
        )
        self._index = index
        self._digest: str | None = None
        self.problem = ""  # why the index could not be written, after the block ends

    def __enter__(self) -> BackgroundIndexWriter:
        self._index.close()  # the helper writes; our connection would only hold a stale view
        self._process.start()
        return self

    def add(self, entries: list[IndexEntry]) -> None:
        """Queue entries; if the helper has died, stop feeding it (the index is resynced later)."""
        while entries and self._process.is_alive():
            try:
                self._queue.put(entries, timeout=_PARENT_CHECK_SECONDS)
                return
            except queue.Full:
                continue

    def finish(self, digest: str) -> None:
        self._digest = digest

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process.is_alive():
            self._queue.put(self._digest if kind is None else None)
        self._process.join()
        # When the helper failed, the library is still written and complete; only the derived
        # index lags, and `problem` tells the importer to bring it up to date.
        self.problem = self._result.recv() if self._result.poll() else "the index writer stopped"
        self._queue.close()


def _write_index(
    path: Path,
    batches: multiprocessing.Queue[list[IndexEntry] | str | None],
    result: Connection,
    parent: int,
) -> None:
    """The helper process: write every batch, then commit with the digest, or roll back."""
    exit_when_orphaned(parent)  # SQLite then drops the uncommitted transaction
    index = SearchIndex(path)
    index.use_bulk_cache()
    try:
        with index.transaction() as writer:
            while True:
                try:
                    item = batches.get(timeout=_PARENT_CHECK_SECONDS)
                except queue.Empty:
                    if os.getppid() != parent:
                        raise _Abandoned from None
                    continue
                if item is None:
                    raise _Abandoned
                if isinstance(item, str):
                    writer.set_digest(item)
                    break
                writer.add(item)
        result.send("")
    except _Abandoned:
        result.send("")
    except Exception as error:
        result.send(f"{type(error).__name__}: {error}")
    finally:
        index.close()


class _Abandoned(Exception):
    """The import ended without `finish`: roll the index back."""

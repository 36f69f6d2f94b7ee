"""Writes new articles into the search index in a helper process while an import reads files."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
from multiprocessing.connection import Connection
from pathlib import Path
from types import TracebackType
from typing import Any

from newsreader.library.derived import ArticleContent
from newsreader.library.orphans import exit_when_orphaned
from newsreader.library.search_index import QuotationRow, SearchIndex

HAND_OVER_SECONDS = 0.5  # one wait of a hand-over, before checking the helper is still alive
FINISH_SECONDS = 60.0  # committing 100,000 articles takes seconds; this is far beyond
ANSWER_SECONDS = 5.0  # the helper's last word, once it has ended
BUSY_SECONDS = 3.0  # an index another process holds for longer is left for the next command
_COMMIT = "commit"

# Articles, with their quotations when the importer extracted them (else the helper does).
Batch = tuple[list[ArticleContent], list[list[QuotationRow]] | None]
Item = Batch | str | None


class BackgroundIndexWriter:
    """Applies articles to the index in one transaction, in a second process.

    Reading files and indexing them both need the CPU. A thread was measured against this
    process: at 10,000 articles the import took 3.4-3.8 s with a thread against 2.0-2.1 s with
    the process, the GIL making the parser and the indexer take turns. The transaction records
    `(id, version)` with each article, like every derived write (see `derived`). Use as a
    context manager: leaving the block normally commits; leaving it by an exception, or the
    importing process dying, rolls back. Every hand-over and wait has a timeout, so a helper
    that dies or hangs costs seconds, never the import; `problem` says why in words. The
    library is complete either way and the next reconcile brings the index up.
    """

    def __init__(self, index: SearchIndex) -> None:
        context = multiprocessing.get_context("spawn")
        self._queue: multiprocessing.Queue[Item] = context.Queue(maxsize=16)
        self._answer, child_end = context.Pipe(duplex=False)
        # Batches the helper has applied, counted by the helper: with `_sent`, how far behind
        # it is (one process writes it, the other only reads it).
        self._applied = context.RawValue("q", 0)
        self._sent = 0
        self._process = context.Process(
            target=_write_index,
            args=(index.path, self._queue, child_end, os.getpid(), self._applied),
            name="newsreader-index-writer",
            daemon=True,
        )
        self.problem = ""

    def __enter__(self) -> BackgroundIndexWriter:
        self._process.start()
        return self

    @property
    def backlog(self) -> int:
        """Batches handed over that the helper has not applied yet (counting the one it is at)."""
        return self._sent - int(self._applied.value)

    def add(
        self, contents: list[ArticleContent], quotations: list[list[QuotationRow]] | None = None
    ) -> None:
        """Hand articles over, with their quotations if the caller extracted them (see
        `IndexTransaction.apply`); once the helper has stopped they are left to the next
        reconcile."""
        if contents and self._hand_over((contents, quotations)):
            self._sent += 1

    def _hand_over(self, item: Item) -> bool:
        while self._process.is_alive():
            try:
                self._queue.put(item, timeout=HAND_OVER_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._hand_over(_COMMIT if kind is None else None)
        self._process.join(FINISH_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(ANSWER_SECONDS)
            self.problem = f"the index writer did not finish within {FINISH_SECONDS:g} s"
        else:
            self.problem = self._last_word()
        # Whatever is still queued for a helper that is gone must not hold our exit.
        self._queue.cancel_join_thread()
        self._queue.close()

    def _last_word(self) -> str:
        try:
            if self._answer.poll(ANSWER_SECONDS):
                return str(self._answer.recv())
        except (EOFError, OSError):
            pass
        return "the index writer stopped without a word"


def _write_index(
    path: Path,
    batches: multiprocessing.Queue[Item],
    answer: Connection,
    parent: int,
    applied: Any,
) -> None:
    """The helper process: apply every batch, then commit, or roll back."""
    exit_when_orphaned(parent)  # SQLite then drops the uncommitted transaction
    index = SearchIndex(path, busy_seconds=BUSY_SECONDS)
    bulk = False
    try:
        index.use_bulk_cache()
        bulk = index.use_bulk_journal()
        with index.transaction() as writer:
            writer.merge_in_bulk(True)
            while True:
                try:
                    item = batches.get(timeout=HAND_OVER_SECONDS)
                except queue.Empty:
                    continue  # the watchdog ends us if the importer is gone
                if item is None:
                    raise _Abandoned
                if item == _COMMIT:
                    writer.merge_in_bulk(False)
                    break
                assert not isinstance(item, str)
                writer.apply(*item)
                applied.value += 1
        answer.send("")
    except _Abandoned:
        answer.send("")
    except Exception as error:  # told as `problem`; the import itself goes on
        answer.send(str(error))
    finally:
        if bulk:
            with contextlib.suppress(Exception):
                index.use_wal()
        index.close()


class _Abandoned(Exception):
    """The import ended by an exception: roll the index back."""

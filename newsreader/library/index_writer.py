"""Writes new articles into the search index on a helper thread while an import reads files."""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from types import TracebackType

from newsreader.library.derived import ArticleContent
from newsreader.library.search_index import SearchIndex

QUEUE_SECONDS = 0.5  # how long one hand-over waits before checking the writer is still alive
FINISH_SECONDS = 30.0  # the commit of a large import takes a few seconds; this is far beyond
BUSY_SECONDS = 3.0  # an index another process holds for longer is left for the next command


class BackgroundIndexWriter:
    """Applies articles to the index in one transaction, on a thread of its own.

    SQLite lets go of the GIL while FTS5 tokenises and merges, so the thread indexes on the
    second core while the import parses files on the first; measured against a helper process
    it was as fast at 10,000 articles, with nothing to pickle and no process to lose (see the
    closing note of issue 9). The transaction records `(id, version)` with each article, like
    every derived write. Use as a context manager: leaving the block normally commits; leaving
    it by an exception, or the process dying, rolls back. Every hand-over has a timeout and
    `problem` says in words why the index could not be written; the library is complete either
    way, and the next reconcile brings the index up.
    """

    def __init__(self, index: SearchIndex) -> None:
        self._index = index
        self._queue: queue.Queue[list[ArticleContent] | None] = queue.Queue(maxsize=16)
        self._thread = threading.Thread(target=self._run, name="index-writer", daemon=True)
        self._commit = False
        self.problem = ""

    def __enter__(self) -> BackgroundIndexWriter:
        self._thread.start()
        return self

    def add(self, contents: list[ArticleContent]) -> None:
        """Hand articles over; once the writer has stopped, they are left to the next reconcile."""
        if contents:
            self._hand_over(contents)

    def _hand_over(self, item: list[ArticleContent] | None) -> None:
        while self._thread.is_alive():
            try:
                self._queue.put(item, timeout=QUEUE_SECONDS)
                return
            except queue.Full:
                continue

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._commit = kind is None
        self._hand_over(None)
        self._thread.join(FINISH_SECONDS)
        if self._thread.is_alive() and not self.problem:
            self.problem = f"the index writer did not finish within {FINISH_SECONDS:g} s"

    def _run(self) -> None:
        index = SearchIndex(Path(self._index.path), busy_seconds=BUSY_SECONDS)
        try:
            index.use_bulk_cache()
            with index.transaction() as writer:
                while (item := self._queue.get()) is not None:
                    writer.apply(item)
                if not self._commit:
                    raise _Abandoned
        except _Abandoned:
            pass
        except Exception as error:  # told as `problem`; the import itself goes on
            self.problem = str(error)
            self._drain()
        finally:
            index.close()

    def _drain(self) -> None:
        """Empty the queue so a hand-over waiting on a full queue returns at once."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


class _Abandoned(Exception):
    """The import ended by an exception: roll the index back."""

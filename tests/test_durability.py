"""A bookmark survives the reader being killed (SIGKILL) right after the key press."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from newsreader.library import Library
from tests.terminal import start_reader
from tests.ui_helpers import make_library


@pytest.mark.slow
def test_bookmark_and_read_mark_survive_kill_9(tmp_path: Path) -> None:
    library = make_library(tmp_path / "library.json")
    first = library.articles()[0]
    terminal = start_reader(library.path, marker=b"Harbour authority")
    try:
        assert terminal.seen.wait(20), "the reader did not show its articles"
        # Killed the moment the screen shows each change: shown means on disk.
        assert terminal.wait_for("★".encode(), since=terminal.type(b"b"))
        terminal.type(b"\r")  # enter: open the article, marking it read
        # The read mark draws too little to spot in the byte stream: wait for the file instead.
        deadline = time.monotonic() + 20
        while not Library(library.path).state(first.id).read:
            assert time.monotonic() < deadline, "the read mark was not written"
            time.sleep(0.02)
        os.kill(terminal.pid, signal.SIGKILL)
    finally:
        terminal.close()
    state = Library(library.path).state(first.id)
    assert state.bookmarked and state.read

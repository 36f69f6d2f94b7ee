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
        terminal.type(b"b")
        time.sleep(0.3)
        terminal.type(b"\r")  # enter: open the article, marking it read
        time.sleep(1.0)
        os.kill(terminal.pid, signal.SIGKILL)
    finally:
        terminal.close()
    state = Library(library.path).state(first.id)
    assert state.bookmarked and state.read

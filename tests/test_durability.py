"""A bookmark survives the reader being killed (SIGKILL) right after the key press."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from newsreader.library import Library
from tests.ui_helpers import make_library


def _run_reader_in_a_terminal(library_path: Path) -> tuple[int, int, list[bytes]]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal, 100x30, running `python -m newsreader`
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.environ.update(NEWSREADER_DB=str(library_path), TERM="xterm-256color")
        os.execv(sys.executable, [sys.executable, "-m", "newsreader"])
    output: list[bytes] = []

    def drain() -> None:  # keep reading so the app never blocks on a full terminal
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.append(chunk)

    threading.Thread(target=drain, daemon=True).start()
    return pid, fd, output


@pytest.mark.slow
def test_bookmark_and_read_mark_survive_kill_9(tmp_path: Path) -> None:
    library = make_library(tmp_path / "library.json")
    first = library.articles()[0]
    pid, fd, output = _run_reader_in_a_terminal(library.path)
    try:
        deadline = time.monotonic() + 20
        while b"Harbour authority" not in b"".join(output):  # the list has loaded
            assert time.monotonic() < deadline, "the reader did not show its articles"
            time.sleep(0.05)
        os.write(fd, b"b")
        time.sleep(0.3)
        os.write(fd, b"\r")  # enter: open the article, marking it read
        time.sleep(1.0)
        os.kill(pid, signal.SIGKILL)
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    state = Library(library.path).state(first.id)
    assert state.bookmarked and state.read

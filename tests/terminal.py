"""Runs `python -m newsreader` in a real pseudo-terminal, for crash tests and launch timings."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Terminal:
    """A reader running in a pty: its pid, the pty's fd, and everything it has drawn so far."""

    pid: int
    fd: int
    output: bytearray = field(default_factory=bytearray)
    seen: threading.Event = field(default_factory=threading.Event)
    marker: bytes = b""
    drawn: threading.Condition = field(default_factory=threading.Condition)
    started_at: float = 0.0  # time.perf_counter() just before the fork
    seen_at: float = 0.0  # and when the marker was first read from the terminal

    def type(self, keys: bytes) -> int:
        """Send keys; returns how much had been drawn before them (for `wait_for`)."""
        with self.drawn:
            before = len(self.output)
        os.write(self.fd, keys)
        return before

    def wait_for(self, marker: bytes, since: int = 0, timeout: float = 20.0) -> bool:
        """True once `marker` is drawn after output offset `since`; False after `timeout` s."""
        with self.drawn:
            return self.drawn.wait_for(lambda: marker in self.output[since:], timeout)

    def close(self) -> None:
        """End the reader if a failed test left it running, and reap it."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def start_reader(library: Path, marker: bytes = b"", size: tuple[int, int] = (100, 30)) -> Terminal:
    """Start the reader on `library`; `terminal.seen` is set once `marker` has been drawn."""
    return _start(["-m", "newsreader"], {"NEWSREADER_DB": str(library)}, marker, size)


# The floor for a first screen: Textual drawing one line of text, nothing else loaded.
_MINIMAL_APP = """
import sys
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static(sys.argv[1])
Minimal().run()
"""


def start_minimal_app(marker: bytes, size: tuple[int, int] = (140, 45)) -> Terminal:
    """A minimal Textual app that shows `marker` (for timings: what any Textual app costs)."""
    return _start(["-c", _MINIMAL_APP, marker.decode()], {}, marker, size)


def _start(
    argv: list[str], environment: dict[str, str], marker: bytes, size: tuple[int, int]
) -> Terminal:
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of `size`, running the program
        columns, rows = size
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        os.environ.update(environment, TERM="xterm-256color")
        os.execv(sys.executable, [sys.executable, *argv])
    terminal = Terminal(pid, fd, marker=marker, started_at=started)
    threading.Thread(target=_drain, args=(terminal,), daemon=True).start()
    return terminal


def _drain(terminal: Terminal) -> None:
    """Keep reading, so the app never blocks on a full terminal."""
    while True:
        try:
            chunk = os.read(terminal.fd, 65536)
        except OSError:
            return
        if not chunk:
            return
        with terminal.drawn:
            terminal.output.extend(chunk)
            terminal.drawn.notify_all()
        if terminal.marker and not terminal.seen.is_set() and terminal.marker in terminal.output:
            terminal.seen_at = time.perf_counter()
            terminal.seen.set()

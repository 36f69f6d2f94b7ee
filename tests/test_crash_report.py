"""The last line of defence: an unexpected error leaves a crash report and one sentence."""

from __future__ import annotations

import os
import pty
import re
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from textual.worker import WorkerFailed

import newsreader
from newsreader.library import Library
from newsreader.ui import crash
from newsreader.ui.screens import search_flow
from newsreader.ui.screens.reader import ReaderScreen
from tests.terminal import Terminal, _drain
from tests.ui_helpers import loaded, make_library, reader_app


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv(crash.STATE_DIR_ENV, str(folder))
    return folder


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return make_library(tmp_path / "library.json")


def boom(self: object) -> None:
    raise RuntimeError("boom")


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


async def test_an_error_in_a_key_handler_leaves_a_report_and_one_sentence(
    state: Path,
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(ReaderScreen, "action_toggle_bookmark", boom)
    app = reader_app(library)
    with pytest.raises(RuntimeError, match="boom"):  # run_test hands the error to the test
        async with app.run_test(size=(100, 30)) as pilot:
            await loaded(pilot)
            await pilot.press(*["j", "k"] * 30, "slash", "escape", "b")
    assert app.return_code == 1
    [report] = state.glob("crash-*.txt")
    assert report == app.crash_report
    text = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert 'raise RuntimeError("boom")' in text and "RuntimeError: boom" in text
    assert f"newsreader: {newsreader.__version__}" in text
    assert "terminal size: 100x30" in text
    keys = re.search(r"^last keys, oldest first: (.*)$", text, re.MULTILINE)
    assert keys is not None
    assert keys[1].split() == [*["j", "k"] * 30, "slash", "escape", "b"][-crash.KEPT_KEYS :]
    assert one_line(capsys.readouterr().err) == (
        "newsreader: an unexpected error (RuntimeError) stopped the reader; "
        f"the report is at {report}"
    )


async def test_an_error_in_a_worker_is_caught_the_same_way(
    state: Path,
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken_search(*args: object, **kwargs: object) -> None:
        raise ValueError("the index exploded")

    monkeypatch.setattr(search_flow, "search", broken_search)
    app = reader_app(library)
    with pytest.raises(WorkerFailed):
        async with app.run_test(size=(120, 40)) as pilot:
            await loaded(pilot)
            await pilot.press("slash", "a")
            await loaded(pilot)
    assert app.return_code == 1
    [report] = state.glob("crash-*.txt")
    text = report.read_text(encoding="utf-8")
    # The worker's own traceback, from the thread it ran in: not Textual's wrapper.
    assert "in run_search" in text and "ValueError: the index exploded" in text
    assert "last keys, oldest first: slash a" in text
    assert one_line(capsys.readouterr().err).startswith(
        "newsreader: an unexpected error (ValueError) stopped the reader; the report is at "
    )


def test_a_report_that_cannot_go_to_the_state_folder_goes_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    path = crash.write_report("the report", blocked)
    assert path.parent == tmp_path / "tmp" / "newsreader"
    assert path.read_text(encoding="utf-8") == "the report"


def test_the_state_folder_is_the_users_unless_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(crash.STATE_DIR_ENV, raising=False)
    assert crash.state_dir().name == "newsreader"
    monkeypatch.setenv(crash.STATE_DIR_ENV, "/some/where")
    assert crash.state_dir() == Path("/some/where")


CRASHING_READER = """
import sys
from newsreader.ui.screens.reader import ReaderScreen

def boom(self):
    raise RuntimeError("boom")

ReaderScreen.action_toggle_bookmark = boom
from newsreader.cli import main
sys.exit(main([]))
"""


@pytest.mark.slow
def test_in_a_real_terminal_the_person_sees_one_sentence_after_the_screen_is_given_back(
    state: Path, library: Library
) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real reader in a terminal, with a handler that raises
        os.environ.update(NEWSREADER_DB=str(library.path), TERM="xterm-256color")
        os.execv(sys.executable, [sys.executable, "-c", CRASHING_READER])
    terminal = Terminal(pid, fd, marker=b"Harbour authority")
    drain = threading.Thread(target=_drain, args=(terminal,), daemon=True)
    drain.start()
    try:
        assert terminal.seen.wait(20)
        terminal.type(b"b")
        _, status = os.waitpid(pid, 0)
    finally:
        if not terminal.seen.is_set():
            terminal.close()
    drain.join(5)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 1
    output = bytes(terminal.output)
    [report] = state.glob("crash-*.txt")
    assert b"Traceback" not in output
    said = output.index(b"stopped the reader; the report is at")
    # Textual gives the terminal back (the alternate screen left, the cursor shown) first.
    assert output.rindex(b"\x1b[?1049l") < said
    assert output.rindex(b"\x1b[?25h") < said
    assert str(report).encode() in output[said:]

"""Crash reports: the traceback, version, terminal size and last keys, written to a file."""

from __future__ import annotations

import os
import platform
import tempfile
import traceback
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import platformdirs
from rich.text import Text

import newsreader

STATE_DIR_ENV = "NEWSREADER_STATE_DIR"
KEPT_KEYS = 50


def state_dir() -> Path:
    """The user state folder (NEWSREADER_STATE_DIR overrides it, for tests)."""
    override = os.environ.get(STATE_DIR_ENV)
    return Path(override) if override else platformdirs.user_state_path("newsreader")


def report_text(
    error: BaseException,
    *,
    size: str,
    keys: Iterable[str],
    screens: Iterable[str] = (),
) -> str:
    """What a person can attach to a bug report: enough to press the same keys again."""
    lines = [
        "newsreader crash report",
        f"newsreader: {newsreader.__version__}",
        f"textual: {_version('textual')}",
        f"python: {platform.python_version()} on {platform.platform()}",
        f"time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"terminal size: {size}",
        f"screens: {' > '.join(screens) or 'none'}",
        f"last keys, oldest first: {' '.join(keys) or 'none'}",
        "",
        format_error(error),
    ]
    return "\n".join(lines)


def _version(package: str) -> str:
    # Loaded here, at a crash: importlib.metadata costs 20 ms of every start.
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def format_error(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip() + "\n"


def write_report(text: str, folder: Path | None = None) -> Path:
    """Write `text` to a new file in the state folder, or in the temporary folder when the state
    folder cannot be written: a report that is not written helps nobody."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    name = f"crash-{stamp}-{os.getpid()}.txt"
    folders = [folder or state_dir(), Path(tempfile.gettempdir()) / "newsreader"]
    for place in folders:
        try:
            place.mkdir(parents=True, exist_ok=True)
            path = place / name
            with path.open("x", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
        except OSError:
            continue
        return path
    raise OSError(f"no folder of {', '.join(map(str, folders))} could be written")


def append_report(path: Path, text: str) -> None:
    """A later error joins the first one's report (shutting down can raise again)."""
    try:
        with path.open("a", encoding="utf-8") as file:
            file.write("\nThen:\n" + text)
    except OSError:
        pass  # the first error is the one that matters, and it is written


def crash_sentence(error: BaseException, path: Path | None) -> Text:
    """The one sentence the terminal shows after the reader has stopped."""
    name = type(error).__name__
    where = "no crash report could be written." if path is None else f"the report is at {path}"
    said = f"an unexpected error ({name}) stopped the reader; {where}"
    return Text.assemble(("newsreader: ", "bold red"), said)
